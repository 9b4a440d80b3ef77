"""A change that increases intrusion: refused in operation, allowed otherwise but blocks activation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.compliance import decisions, intrusion

from .helpers import approve_addendum, approve_child_rights, approve_dpia, install, put_up_sign, submit_and_approve

pytestmark = pytest.mark.django_db
D = dt.date


def test_more_retention_on_a_camera_in_operation_is_refused_in_swedish():
    camera = Camera.objects.get(identifier="TORG-01")
    camera.retention_hours = 168
    camera.retention_justification = "Polisen hämtar material efter helger."
    with pytest.raises(ValidationError) as error:
        camera.full_clean()
    message = error.value.message_dict["retention_hours"][0]
    assert message.startswith(
        "Kameran är i drift och ändringen ökar intrånget: längre lagringstid (godkänt: 72 h, nu: 168 h)."
    )
    assert "ny intresseavvägning enligt 9 § kamerabevakningslagen" in message and "pausas" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [("bearing_deg", 150.0), ("hfov_deg", 120.0), ("range_m", 60.0), ("records_sound", True), ("uses_analytics", True)],
)
def test_each_kind_of_increase_is_refused_in_operation(field, value):
    camera = Camera.objects.get(identifier="TORG-01")
    setattr(camera, field, value)
    with pytest.raises(ValidationError) as error:
        camera.full_clean()
    assert field in error.value.message_dict


def test_broader_schedule_is_refused_and_narrower_allowed():
    camera = Camera.objects.get(identifier="TORG-01")
    camera.schedule_template = "imy_school_facade"  # fewer hours: less intrusion
    camera.full_clean()
    camera.save()
    camera.schedule_template = "always"
    camera.full_clean()  # back within what the approved assessment allows: still fine
    # Once a new assessment approves the narrower hours, broadening them again needs another one.
    draft = decisions.new_version(camera.surveillance_assessments.get(status="approved"))
    camera.schedule_template = "imy_school_facade"
    camera.save()
    submit_and_approve(draft, D(2025, 5, 1))
    camera.schedule_template = "always"
    with pytest.raises(ValidationError) as error:
        camera.full_clean()
    assert "fler eller andra bevakningstider" in str(error.value)


def test_less_intrusion_and_other_edits_are_allowed_in_operation():
    camera = Camera.objects.get(identifier="TORG-01")
    camera.retention_hours = 48
    camera.notes = "Ny anteckning."
    camera.full_clean()


def test_a_paused_camera_may_change_but_not_resume_before_a_new_assessment():
    camera = Camera.objects.get(identifier="PARK-01")  # paused since 2024-06-01
    camera.records_sound = True
    camera.full_clean()
    camera.save()
    with pytest.raises(ValidationError) as error:
        camera_services.move(camera, "in_operation", D(2025, 6, 1))
    text = "\n".join(error.value.messages)
    assert "Intresseavvägningen gäller efter senaste ändring" in text and "ljudupptagning" in text


def test_change_before_operation_is_allowed_but_makes_the_assessment_stale(client_for):
    camera = install()
    approve_addendum()
    approve_dpia()
    approve_child_rights()
    put_up_sign()
    camera.refresh_from_db()
    camera.bearing_deg = 120
    camera.full_clean()  # not in operation: the edit is allowed
    camera.save()
    # Today the camera looks another way than approved.
    data = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista.json").json()
    assert data["assessment_stale"] is True and data["activation_allowed"] is False
    assert any("annan riktning" in change for change in data["intrusion_increases"])
    page = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista/")
    assert "Intresseavvägningen är inaktuell" in page.content.decode()
    # Asked for a date before the change, the checklist judges the camera as it was then.
    then = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista.json?datum=2025-06-01").json()
    assert then["assessment_stale"] is False
    with pytest.raises(ValidationError) as error:
        camera_services.move(camera, "in_operation", D(2025, 6, 1))
    assert "Intresseavvägningen gäller efter senaste ändring" in "\n".join(error.value.messages)
    # A new version approved with the new bearing lifts the block.
    draft = decisions.new_version(camera.surveillance_assessments.get(status="approved"))
    submit_and_approve(draft, D(2025, 6, 1))
    camera_services.move(camera, "in_operation", D(2025, 6, 1))


def test_intrusion_comparison_by_hand():
    base = {
        "longitude": 18.7,
        "latitude": 59.76,
        "bearing_deg": 359.8,
        "hfov_deg": 60.0,
        "range_m": 30.0,
        "pan_range": "",
        "schedule_rules": [{"days": [0, 1, 2, 3, 4], "start": "20:00", "end": "06:00"}],
        "records_sound": False,
        "uses_anpr": False,
        "uses_analytics": False,
        "uses_face_recognition": False,
        "is_ptz": False,
        "identifies_persons": True,
        "privacy_masking": "static_mask",
        "retention_hours": 72,
        "coverage": None,
    }
    assert intrusion.increases(base, dict(base)) == []
    assert intrusion.increases(base, {**base, "bearing_deg": 0.1}) == []  # 0.3° across north: noise
    assert [i.field for i in intrusion.increases(base, {**base, "bearing_deg": 10})] == ["bearing_deg"]
    assert intrusion.increases(base, {**base, "range_m": 20.0, "hfov_deg": 40.0, "retention_hours": 24}) == []
    assert [i.field for i in intrusion.increases(base, {**base, "range_m": None})] == ["range_m"]
    moved = {**base, "latitude": 59.76 + 5 / 111_320}
    assert [i.field for i in intrusion.increases(base, moved)] == ["longitude"]
    weekend = {**base, "schedule_rules": [*base["schedule_rules"], {"days": [5], "start": "20:00", "end": "06:00"}]}
    assert [i.field for i in intrusion.increases(base, weekend)] == ["schedule_template"]
    assert [i.field for i in intrusion.increases(base, {**base, "privacy_masking": "none"})] == ["privacy_masking"]
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    bigger = {"type": "Polygon", "coordinates": [[[0, 0], [2, 0], [2, 1], [0, 1], [0, 0]]]}
    assert [i.field for i in intrusion.increases({**base, "coverage": square}, {**base, "coverage": bigger})] == [
        "coverage"
    ]
    assert intrusion.increases({**base, "coverage": bigger}, {**base, "coverage": square}) == []
