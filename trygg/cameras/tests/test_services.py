"""Life-cycle moves through the service, and the indicator counted from the rows."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.cameras import services
from trygg.cameras.lifecycle import State, Transition, TransitionRefused, check_move, count_in_state
from trygg.cameras.models import Camera
from trygg.sites.models import Site

D = dt.date


def make_camera(site: Site, identifier: str, planned_on: dt.date | None = None) -> Camera:
    camera = Camera(
        identifier=identifier,
        site=site,
        longitude=site.longitude,
        latitude=site.latitude,
        mount="wall",
        mount_height_m=4,
        bearing_deg=90,
        hfov_deg=80,
        camera_type="fixed",
    )
    camera.planned_on = planned_on or D(2020, 1, 1)
    camera.full_clean()
    camera.save()
    return camera


@pytest.fixture
def site(demo_users):
    return Site.objects.get(name="Stora torget")


def test_a_new_camera_starts_planned_with_a_dated_row(site):
    camera = make_camera(site, "T-1", D(2021, 2, 3))
    rows = list(camera.transitions.values_list("from_state", "to_state", "occurred_on"))
    assert rows == [("", "planned", D(2021, 2, 3))]
    assert camera.state == "planned"


def test_move_writes_a_row_and_updates_the_state(site):
    camera = make_camera(site, "T-2")
    services.move(camera, "designed", D(2020, 2, 1))
    services.move(camera, "installed", D(2020, 3, 1))
    camera.refresh_from_db()
    assert camera.state == "installed"
    assert list(camera.transitions.order_by("sequence").values_list("to_state", flat=True)) == [
        "planned",
        "designed",
        "installed",
    ]


def test_an_illegal_move_is_refused_in_swedish_and_nothing_is_saved(site):
    camera = make_camera(site, "T-3")
    with pytest.raises(ValidationError) as error:
        services.move(camera, "in_operation", D(2020, 2, 1))
    assert error.value.messages == [
        "Kameran T-3 kan inte gå från planerad till i drift. Möjliga nästa steg: projekterad, avvecklad."
    ]
    assert camera.transitions.count() == 1
    camera.refresh_from_db()
    assert camera.state == "planned"


def test_a_move_from_the_camera_page_comes_back_to_the_life_cycle(site, client_for):
    """The status form sits far down the camera page: its action carries the section's anchor, so the browser
    lands on the new row after a move, or on the reason when the move is refused (not at the page's top)."""
    camera = make_camera(site, "T-5", D(2020, 5, 1))
    data = {"to_state": "designed", "occurred_on": "2020-04-30", "confirmed": "on"}
    response = client_for("officer").post(f"/kameror/{camera.pk}/status/", data)
    html = response.content.decode()
    assert response.status_code == 400 and "2020-04-30" in html
    assert 'id="livscykel"' in html
    assert f'action="/kameror/{camera.pk}/status/#livscykel"' in html


def test_a_backdated_move_is_refused(site):
    camera = make_camera(site, "T-4", D(2020, 5, 1))
    with pytest.raises(ValidationError) as error:
        services.move(camera, "designed", D(2020, 4, 30))
    assert "2020-04-30" in error.value.messages[0] and "2020-05-01" in error.value.messages[0]


def test_a_move_dated_in_the_future_is_refused_on_the_page_and_nothing_is_saved(site, client_for):
    """A future row would make every real move before it look backdated, and the camera would be stuck."""
    camera = make_camera(site, "T-6", D(2020, 5, 1))
    future = timezone.localdate() + dt.timedelta(days=1)
    data = {"to_state": "designed", "occurred_on": future.isoformat(), "confirmed": "on"}
    response = client_for("officer").post(f"/kameror/{camera.pk}/status/", data)
    assert response.status_code == 400
    assert f"Datumet {future.isoformat()} har inte kommit än" in response.content.decode()
    assert camera.transitions.count() == 1


def test_a_pre_move_check_can_stop_a_move(site, monkeypatch):
    camera = make_camera(site, "T-5")
    monkeypatch.setattr(services, "pre_move_checks", [lambda c, s, on: ["Skylt saknas."]])
    with pytest.raises(ValidationError) as error:
        services.move(camera, "designed", D(2020, 2, 1))
    assert error.value.messages == ["Skylt saknas."]
    assert camera.transitions.count() == 1


def test_demo_counts_match_the_hand_count(demo_users):
    # In operation at the end of 2023-12-31 (see trygg/demo/data.py): TORG-01, TORG-02, KOM-01,
    # PARK-01 (paused only 2024-06-01), SPORT-01, SPORT-02, RIM-01 = 7. TORG-03 was decommissioned
    # 2023-02-01; GRI-01 and HAMN-01 started in 2024.
    assert services.cameras_in_operation(D(2023, 12, 31)) == 7
    # On 2024-10-29: PARK-01 is paused; GRI-01 (2024-05-15) and HAMN-01 (2024-09-01) have started:
    # 7 - 1 + 2 = 8. Kvisthamraskolan's cameras are only designed or planned.
    assert services.cameras_in_operation(D(2024, 10, 29)) == 8
    assert services.cameras_in_operation(D(2019, 8, 31)) == 0
    assert services.cameras_in_operation(D(2019, 9, 1)) == 2


def test_the_command_prints_the_indicator_per_date(demo_users):
    out = StringIO()
    call_command("cameras_in_operation", "--date", "2023-12-31", "--date", "2024-10-29", stdout=out)
    assert out.getvalue().splitlines() == ["2023-12-31\t7", "2024-10-29\t8"]


def test_the_command_refuses_a_bad_date(demo_users):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Ogiltigt datum"):
        call_command("cameras_in_operation", "--date", "29/10/2024")


moves = st.lists(
    st.tuples(st.sampled_from(list(State)), st.integers(min_value=0, max_value=400)), min_size=1, max_size=8
)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(histories=st.lists(moves, min_size=1, max_size=4), probe=st.integers(min_value=0, max_value=3000))
def test_sql_count_equals_the_pure_count(site, histories, probe):
    """The SQL subquery and the pure function agree on any history and any date."""
    Camera.objects.filter(identifier__startswith="H-").delete()  # the previous example's cameras
    start = D(2020, 1, 1)
    pure_rows = []
    for n, history in enumerate(histories):
        camera = make_camera(site, f"H-{n}", start)
        pure_rows.append(Transition(camera.pk, None, State.PLANNED, start, 0))
        day, current = start, State.PLANNED
        for target, gap in history:
            on = day + dt.timedelta(days=gap)
            try:
                check_move(current, target, day, on)
            except TransitionRefused:
                continue
            row = services.move(camera, target.value, on)
            pure_rows.append(Transition(camera.pk, current, target, on, row.sequence))
            day, current = on, target
    on = start + dt.timedelta(days=probe)
    ours = Camera.objects.filter(identifier__startswith="H-")
    assert services.cameras_in_operation(on, ours) == count_in_state(pure_rows, on)


def test_from_today_the_counts_by_state_are_those_of_the_transitions(site):
    """Today's counts come from each camera's stored state (one indexed count for the start page); they
    equal the transition rows' answer, also after a move made today and a camera registered with history."""
    from django.db.models import Count

    today = timezone.localdate()
    camera = make_camera(site, "H-TODAY", today - dt.timedelta(days=30))
    services.move(camera, State.DESIGNED.value, today)

    def from_transitions(on):
        rows = (
            services.cameras_with_state_on(on)
            .exclude(state_on_date=None)
            .values("state_on_date")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row["state_on_date"]: row["n"] for row in rows}

    expected = from_transitions(today)
    assert expected.get(State.DESIGNED.value, 0) >= 1 and expected.get(State.IN_OPERATION.value, 0) >= 1
    assert services.count_by_state_on(today) == expected
    assert services.cameras_in_operation(today) == expected[State.IN_OPERATION.value]
    yesterday = today - dt.timedelta(days=1)
    assert services.count_by_state_on(yesterday) == from_transitions(yesterday)  # the past: from the rows
    assert services.count_by_state_on(yesterday) != expected  # H-TODAY was still planned then
