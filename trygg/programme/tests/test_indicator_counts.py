"""The indicator counted in SQL (`services.in_operation_runs`) gives the numbers of the plain replay of
every camera's moves (`indicator.CameraHistory`), in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera, CameraTransition
from trygg.programme import indicator, services
from trygg.sites.models import Site

D = dt.date
STATES = ["planned", "designed", "installed", "in_operation", "paused", "decommissioned"]


def replayed(as_of: dt.date) -> dict:
    """What the indicator said before it was counted in SQL: every camera's moves replayed in Python."""
    histories = services.camera_histories()
    first_year = indicator.first_move_year(histories)
    dates = indicator.year_end_dates(first_year or as_of.year, as_of)
    return {
        "in_operation": indicator.in_operation_on(histories, as_of),
        "previous_year_end": indicator.in_operation_on(histories, D(as_of.year - 1, 12, 31)),
        "series": [(p.on, p.value) for p in indicator.series(histories, dates)],
        "first_year": first_year,
        "breakdowns": {
            (on, dimension): indicator.breakdown_on(histories, on, dimension)
            for on in [*dates, D(as_of.year - 1, 12, 31)]
            for dimension in indicator.DIMENSIONS
        },
    }


def counted(as_of: dt.date) -> dict:
    cache.clear()  # the cameras were written in bulk, which the kept counts' data stamp does not see
    overview = services.indicator_overview(as_of)
    dates = [p.on for p in overview.series]
    return {
        "in_operation": overview.in_operation,
        "previous_year_end": overview.previous_year_end,
        "series": [(p.on, p.value) for p in overview.series],
        "first_year": overview.first_year,
        "breakdowns": {
            (on, dimension): overview.breakdown_on(on, dimension)
            for on in [*dates, D(as_of.year - 1, 12, 31)]
            for dimension in indicator.DIMENSIONS
        },
    }


def add_cameras(lives: list[list[tuple[dt.date, str]]], sites: list[Site]) -> None:
    """One camera per life (its moves in sequence order, dates in any order), written directly: the gate
    of the life cycle is not the subject, and odd histories (back and forth, same day) must count alike."""
    template = Camera.objects.order_by("pk").first()
    cameras = []
    for number, _life in enumerate(lives):
        camera = Camera.objects.get(pk=template.pk)
        camera.pk = None
        camera.identifier = f"LIV-{number}"
        camera.site = sites[number % len(sites)]
        cameras.append(camera)
    Camera.objects.bulk_create(cameras)
    if not cameras or cameras[0].pk is None:  # backends without RETURNING ids
        cameras = list(Camera.objects.filter(identifier__startswith="LIV-").order_by("pk"))
        cameras.sort(key=lambda c: int(c.identifier.split("-")[1]))
    CameraTransition.objects.bulk_create(
        CameraTransition(camera=camera, to_state=state, occurred_on=on, sequence=sequence)
        for camera, life in zip(cameras, lives, strict=True)
        for sequence, (on, state) in enumerate(life)
    )


# Moves on the dates that matter: 31 December and 1 January, the day asked for and the day after,
# several moves the same day, pauses, decommissioning and a return to operation.
HAND_LIVES = [
    [(D(2020, 12, 31), "in_operation")],
    [(D(2021, 1, 1), "in_operation"), (D(2021, 12, 31), "paused"), (D(2022, 1, 1), "in_operation")],
    [(D(2020, 6, 1), "installed"), (D(2020, 12, 31), "in_operation"), (D(2020, 12, 31), "decommissioned")],
    [(D(2022, 5, 3), "in_operation"), (D(2022, 5, 4), "decommissioned"), (D(2023, 12, 31), "in_operation")],
    [(D(2022, 5, 3), "in_operation"), (D(2022, 5, 3), "paused"), (D(2022, 5, 3), "in_operation")],
    # sequence order differs from date order: the date decides, then the sequence
    [(D(2023, 1, 1), "paused"), (D(2021, 3, 1), "in_operation")],
    [(D(2024, 10, 30), "in_operation")],  # the day after the date asked for
    [(D(2024, 10, 29), "in_operation"), (D(2024, 10, 30), "decommissioned")],
    [(D(2018, 2, 1), "in_operation"), (D(2018, 2, 1), "in_operation")],  # two moves into operation
    [(D(2021, 4, 1), "planned")],
]
AS_OF_DATES = [D(2024, 10, 29), D(2023, 12, 31), D(2022, 5, 3), D(2021, 1, 1), D(2020, 12, 31), D(2017, 6, 1)]


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_sql_counts_equal_the_replay_by_hand(demo_users, as_of):
    sites = list(Site.objects.order_by("pk")[:3])
    add_cameras(HAND_LIVES, sites)
    assert counted(as_of) == replayed(as_of)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lives=st.lists(
        st.lists(st.tuples(st.dates(D(2019, 1, 1), D(2024, 12, 31)), st.sampled_from(STATES)), max_size=5),
        max_size=6,
    ),
    as_of=st.dates(D(2018, 1, 1), D(2025, 6, 30)),
)
def test_sql_counts_equal_the_replay_for_any_life_cycles(demo_users, lives, as_of):
    with transaction.atomic():
        add_cameras(lives, list(Site.objects.order_by("pk")[:4]))
        assert counted(as_of) == replayed(as_of)
        transaction.set_rollback(True)


def test_runs_count_only_year_ends_and_the_day_asked_for():
    run = indicator.Run(2020, None, "park", "A", "urban", 1)
    with pytest.raises(ValueError, match="year end"):
        indicator.run_is_open(run, D(2021, 6, 30), D(2022, 1, 1))
    with pytest.raises(ValueError, match="year end"):
        indicator.run_is_open(run, D(2022, 12, 31), D(2022, 1, 1))


@pytest.mark.django_db
def test_indicator_queries_do_not_grow_with_the_cameras(demo_users):
    def queries() -> int:
        cache.clear()  # count the counting (bulk-written cameras leave the data stamp as it was)
        with CaptureQueriesContext(connection) as captured:
            services.indicator_overview(D(2024, 10, 29))
        return len(captured)

    before = queries()
    sites = list(Site.objects.order_by("pk")[:3])
    add_cameras(HAND_LIVES * 5, sites)
    assert queries() == before == 7


@pytest.mark.django_db
def test_counts_are_kept_until_the_data_changes(demo_users, monkeypatch):
    on = timezone.localdate()
    first = services.indicator_overview(on)
    monkeypatch.setattr(services, "in_operation_runs", lambda *args: pytest.fail("counted again"))
    assert services.indicator_overview(on).series == first.series  # kept
    monkeypatch.undo()
    camera = Camera.objects.filter(state="in_operation").order_by("pk").first()
    camera_services.move(camera, "paused", on)  # a move writes the change log: the stamp moves
    after = services.indicator_overview(on)
    assert after.in_operation == first.in_operation - 1
    assert after == services.indicator_overview(on)


@pytest.mark.django_db
def test_the_chart_is_drawn_once_per_set_of_numbers(demo_users, monkeypatch):
    drawn = []
    real = services.chart_svg

    def counting(points, targets, text):
        drawn.append(points)
        return real(points, targets, text)

    monkeypatch.setattr(services, "chart_svg", counting)
    today = timezone.localdate()
    first = services.indicator_overview(today).chart_svg()
    assert services.indicator_overview(today).chart_svg() == first
    assert len(drawn) == 1
    other = services.indicator_overview(D(2024, 10, 30))  # another date: other points
    assert other.chart_svg() != first and len(drawn) == 2
    camera = Camera.objects.filter(state="in_operation").order_by("pk").first()
    camera_services.move(camera, "paused", today)  # other numbers on the same date
    assert services.indicator_overview(today).chart_svg() != first and len(drawn) == 3
