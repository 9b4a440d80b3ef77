"""Registering a camera that already hangs in the field, with the history it has (services.register_existing)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.cameras import services
from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera, CameraTransition
from trygg.core.audit import audit_context
from trygg.core.models import ObjectChange
from trygg.sites.models import Site

D = dt.date
TODAY = timezone.localdate()


def unsaved_camera(site: Site, identifier: str) -> Camera:
    camera = Camera(
        identifier=identifier,
        site=site,
        longitude=site.longitude,
        latitude=site.latitude,
        mount="pole",
        mount_height_m=5,
        bearing_deg=200,
        hfov_deg=70,
        camera_type="fixed",
        purpose="Förebygga brott på torget.",
    )
    camera.full_clean()
    return camera


@pytest.fixture
def site(demo_users):
    return Site.objects.get(name="Stora torget")


def test_history_is_written_as_dated_rows_in_one_go(site, demo_users):
    camera = unsaved_camera(site, "TORG-09")
    dates = {State.PLANNED: D(2018, 10, 1), State.INSTALLED: D(2019, 5, 20), State.IN_OPERATION: D(2019, 6, 1)}
    with audit_context(user=demo_users["officer"], source="web"):
        result = services.register_existing(camera, dates, demo_users["officer"], today=TODAY)
    camera.refresh_from_db()
    assert camera.state == "in_operation"
    rows = list(
        camera.transitions.order_by("sequence").values_list("from_state", "to_state", "occurred_on", "sequence")
    )
    assert rows == [
        ("", "planned", D(2018, 10, 1), 0),
        ("planned", "designed", D(2019, 5, 20), 1),
        ("designed", "installed", D(2019, 5, 20), 2),
        ("installed", "in_operation", D(2019, 6, 1), 3),
    ]
    assert [step.state for step in result.borrowed] == [State.DESIGNED]
    notes = list(camera.transitions.order_by("sequence").values_list("note", flat=True))
    assert all(note.startswith("Registrerad i efterhand") for note in notes)
    assert "datumet är okänt" in notes[1] and "datumet är okänt" not in notes[2]
    assert set(camera.transitions.values_list("recorded_by", flat=True)) == {demo_users["officer"].pk}
    # The indicator counts it from its real start, not from the day it was typed in.
    assert services.cameras_in_operation(D(2019, 5, 31), Camera.objects.filter(pk=camera.pk)) == 0
    assert services.cameras_in_operation(D(2019, 6, 1), Camera.objects.filter(pk=camera.pk)) == 1


def test_change_log_says_it_was_registered_after_the_fact(site, demo_users):
    camera = unsaved_camera(site, "TORG-10")
    with audit_context(user=demo_users["officer"], source="web") as outer:
        services.register_existing(camera, {State.IN_OPERATION: D(2020, 3, 1)}, demo_users["officer"], today=TODAY)
    entries = ObjectChange.objects.filter(request_id=outer.request_id)
    assert entries.exists()
    assert set(entries.values_list("source", flat=True)) == {services.HISTORY_SOURCE}
    assert set(entries.values_list("user_name", flat=True)) == {"handlaggare"}
    summary = entries.get(event="camera.registered_existing", changed_object_id=str(camera.pk))
    assert summary.message == "Registrerad i efterhand: kameran fanns redan i fält."
    assert summary.postchange_data["in_operation"] == "2020-03-01"
    assert summary.postchange_data["borrowed_dates"] == ["planned", "designed", "installed"]
    moves = entries.filter(event="camera.transition").order_by("pk")
    assert [m.postchange_data["to"] for m in moves] == ["designed", "installed", "in_operation"]


def test_dates_out_of_order_are_refused_and_nothing_is_saved(site, demo_users):
    camera = unsaved_camera(site, "TORG-11")
    before = (Camera.objects.count(), CameraTransition.objects.count(), ObjectChange.objects.count())
    with pytest.raises(ValidationError) as refused:
        services.register_existing(
            camera,
            {State.INSTALLED: D(2019, 6, 1), State.IN_OPERATION: D(2019, 5, 1)},
            demo_users["officer"],
            today=TODAY,
        )
    assert refused.value.message_dict == {
        "in_operation": [
            "Datumet för i drift (2019-05-01) ligger före datumet för installerad (2019-06-01); "
            "stegen ska komma i tidsordning."
        ]
    }
    assert (Camera.objects.count(), CameraTransition.objects.count(), ObjectChange.objects.count()) == before
    with pytest.raises(ValidationError, match="ligger i framtiden"):
        services.register_existing(
            camera, {State.INSTALLED: TODAY + dt.timedelta(days=31)}, demo_users["officer"], today=TODAY
        )
    assert Camera.objects.count() == before[0]


def test_history_before_the_new_law_is_recorded_without_gate_findings(demo_users):
    # Before 2025-04-01 IMY's permit was the control; the history is recorded as it happened.
    school = Site.objects.get(name="Kvisthamraskolan")
    camera = unsaved_camera(school, "KVI-09")
    with audit_context(user=demo_users["officer"], source="web"):
        result = services.register_existing(
            camera, {State.IN_OPERATION: D(2021, 8, 1)}, demo_users["officer"], today=TODAY
        )
    assert result.findings == []
    assert Camera.objects.get(pk=camera.pk).state == "in_operation"


def test_in_operation_since_after_the_new_law_is_recorded_and_its_blockers_reported(demo_users):
    # A school camera has no 9 § assessment, DPIA or child-rights assessment: the gate would refuse it.
    school = Site.objects.get(name="Kvisthamraskolan")
    camera = unsaved_camera(school, "KVI-10")
    with audit_context(user=demo_users["officer"], source="web"):
        result = services.register_existing(
            camera, {State.IN_OPERATION: D(2025, 9, 1)}, demo_users["officer"], today=TODAY
        )
    assert Camera.objects.get(pk=camera.pk).state == "in_operation"
    assert result.findings, "the missing documents must be reported, never silently accepted"
    assert result.findings[0].startswith("Kameran KVI-10 kan inte tas i drift 2025-09-01")
    text = " ".join(result.findings).lower()
    assert "intresseavvägning" in text
    # A person moving another camera into operation today is still stopped by the gate.
    other = unsaved_camera(school, "KVI-11")
    other.save()
    services.move(other, "designed", TODAY)
    services.move(other, "installed", TODAY)
    with audit_context(user=demo_users["officer"], source="web"), pytest.raises(ValidationError):
        services.move(other, "in_operation", TODAY, demo_users["officer"])


def test_the_first_row_of_a_new_camera_names_who_registered_it(demo_users):
    camera = unsaved_camera(Site.objects.get(name="Stora torget"), "TORG-20")
    with audit_context(user=demo_users["officer"], source="web"):
        camera.save()
    first = CameraTransition.objects.get(camera=camera)
    assert (first.to_state, first.recorded_by) == ("planned", demo_users["officer"])
    outside = unsaved_camera(Site.objects.get(name="Stora torget"), "TORG-21")
    outside.save()  # a command or the demo: nobody to name
    assert CameraTransition.objects.get(camera=outside).recorded_by is None
