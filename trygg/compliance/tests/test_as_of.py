"""A checklist asked for a past date judges the camera as it was then: its settings from the change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trygg.cameras.models import Camera
from trygg.compliance import facts
from trygg.core.models import ObjectChange

pytestmark = pytest.mark.django_db
CODE = "KBL-9-ZONE-INTRUSION"


def failing(data: dict) -> set[str]:
    return {c["code"] for c in data["checks"] if not c["passed"]}


@pytest.fixture
def turned_today() -> tuple[Camera, dt.date]:
    """KVI-01 registered yesterday looking along the facade (99°), turned today into the schoolyard (190°)."""
    camera = Camera.objects.get(identifier="KVI-01")
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    # The demo registered it today; date its log rows to yesterday (the log is otherwise never edited).
    ObjectChange.objects.filter(changed_object_type__model="camera", changed_object_id=str(camera.pk)).update(
        time=timezone.make_aware(dt.datetime.combine(yesterday, dt.time(12)))
    )
    camera.bearing_deg = 190
    camera.full_clean()
    camera.save()
    camera.refresh_from_db()
    assert any(item["zone_name"] == "Skolgården" and item["area_m2"] > 20 for item in camera.intrusions)
    return camera, yesterday


def test_yesterday_is_judged_with_yesterdays_bearing(client_for, turned_today):
    camera, yesterday = turned_today
    client = client_for("officer")
    today_data = client.get(f"/efterlevnad/kameror/{camera.pk}/checklista.json").json()
    assert CODE in failing(today_data)
    reason = next(c["reason"] for c in today_data["checks"] if c["code"] == CODE)
    assert "”Skolgården” (får inte bevakas)" in reason
    then = client.get(f"/efterlevnad/kameror/{camera.pk}/checklista.json?datum={yesterday}").json()
    assert CODE not in failing(then)
    assert then["settings"]["source"] == "logged"
    compliance = facts.compliance_for(camera, yesterday, as_it_was=True)
    assert compliance.camera.bearing_deg == 99
    assert not any(item["zone_name"] == "Skolgården" for item in compliance.camera.intrusions)
    # The gate and today's checklist still judge the camera as it is.
    assert facts.compliance_for(camera, yesterday).camera.bearing_deg == 190


def test_the_page_says_how_the_camera_is_judged(client_for, turned_today):
    camera, yesterday = turned_today
    html = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista/?datum={yesterday}").content.decode()
    assert f"Kameran bedöms som den var {yesterday}" in html
    assert "Synfältet räknas med platsens områden och byggnader som de ser ut i dag" in html
    today = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista/").content.decode()
    assert "Kameran bedöms som den var" not in today and "Skolgården" in today


def test_the_list_json_judges_every_camera_as_it_was(client_for, turned_today):
    _camera, yesterday = turned_today
    client = client_for("officer")
    rows = {
        row["camera"]: row
        for row in client.get(f"/efterlevnad/kameror/checklista.json?datum={yesterday}").json()["cameras"]
    }
    assert CODE not in rows["KVI-01"]["blockers"]
    assert CODE in rows["SPORT-02"]["blockers"]  # unchanged since: its stored view
    rows = {row["camera"]: row for row in client.get("/efterlevnad/kameror/checklista.json").json()["cameras"]}
    assert CODE in rows["KVI-01"]["blockers"]


def test_before_the_log_begins_the_earliest_settings_are_used(client_for):
    # The demo's cameras were registered today; a date before that uses what they were registered with.
    camera = Camera.objects.get(identifier="KVI-01")
    camera.bearing_deg = 190
    camera.save()
    data = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista.json?datum=2025-06-01").json()
    assert data["settings"]["source"] == "earliest" and CODE not in failing(data)
    html = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista/?datum=2025-06-01").content.decode()
    assert "Ändringsloggen för kameran börjar" in html
