"""The activation gate: a demo camera is refused "i drift" until its documents are approved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trygg.cameras import services as camera_services
from trygg.cameras.models import Camera
from trygg.compliance import checklist, facts

from .helpers import approve_addendum, approve_child_rights, approve_dpia, install, put_up_sign

pytestmark = pytest.mark.django_db
D = dt.date
ON = D(2025, 6, 1)


def refusal(camera: Camera, on: dt.date = ON) -> list[str]:
    with pytest.raises(ValidationError) as error:
        camera_services.move(camera, "in_operation", on)
    return error.value.messages


def test_gate_refuses_then_allows_as_documents_are_approved():
    camera = install()
    messages = refusal(camera)
    text = "\n".join(messages)
    assert messages[0] == "Kameran KVI-01 kan inte tas i drift 2025-06-01. Detta saknas:"
    for missing in [
        "Dokumenterad intresseavvägning godkänd",
        "Konsekvensbedömning godkänd",
        "Dataskyddsombudets råd dokumenterat",
        "Barnrättsprövning slutförd",
        "Skyltar uppsatta",
        "Fullständig information (lager 2) tillgänglig",
    ]:
        assert missing in text
    # Each item says why it matters and where the rule comes from.
    assert all("Varför:" in line and "(" in line for line in messages[1:])
    assert "9 § kamerabevakningslagen" in text

    approve_addendum()
    text = "\n".join(refusal(camera))
    assert "Dokumenterad intresseavvägning godkänd" not in text and "Konsekvensbedömning godkänd" in text

    approve_dpia()
    approve_child_rights()
    text = "\n".join(refusal(camera))
    assert "Barnrättsprövning" not in text and "Konsekvensbedömning" not in text
    assert "Skyltar uppsatta" in text

    put_up_sign()
    row = camera_services.move(camera, "in_operation", ON)
    assert row.to_state == "in_operation"
    camera.refresh_from_db()
    assert camera.state == "in_operation"


def test_nothing_is_saved_when_the_gate_refuses():
    camera = install()
    refusal(camera)
    camera.refresh_from_db()
    assert camera.state == "installed"
    assert not camera.transitions.filter(to_state="in_operation").exists()


def test_approval_after_the_activation_date_does_not_count():
    camera = install()
    approve_addendum(on=D(2025, 6, 2))
    approve_dpia()
    approve_child_rights()
    put_up_sign()
    assert "Dokumenterad intresseavvägning godkänd" in "\n".join(refusal(camera, ON))
    camera_services.move(camera, "in_operation", D(2025, 6, 2))


def test_backdating_into_the_permit_regime_through_the_admin_is_also_gated(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    client = client_for("officer")
    url = f"/admin/cameras/camera/{camera.pk}/status/"
    assert (
        client.post(url, {"to_state": "installed", "occurred_on": "2024-10-15", "confirmed": "on"}).status_code == 302
    )
    response = client.post(url, {"to_state": "in_operation", "occurred_on": "2024-11-01", "confirmed": "on"})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["to_state"])
    assert "kan inte tas i drift 2024-11-01" in errors
    assert "Konsekvensbedömning godkänd" in errors and "Barnrättsprövning slutförd" in errors
    camera.refresh_from_db()
    assert camera.state == "installed"


def test_loading_history_before_2025_04_01_is_recorded_without_the_gate():
    # The demo itself moved the illustrative cameras into operation in 2019–2024 (source "command:demo").
    assert Camera.objects.get(identifier="TORG-01").state == "in_operation"
    camera = install("KVI-02", D(2024, 10, 1))
    camera_services.move(camera, "in_operation", D(2024, 10, 2))  # source "system": history, not a decision


def test_checklist_json_lists_every_check_with_reason_and_reference(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    data = client_for("officer").get(f"/efterlevnad/kameror/{camera.pk}/checklista.json?datum=2025-06-01").json()
    assert data["camera"] == "KVI-01" and data["activation_allowed"] is False
    assert data["dpia_required"] is True
    by_code = {check["code"]: check for check in data["checks"]}
    assert by_code["KBL-9-ASSESSMENT"]["passed"] is False
    assert by_code["KBL-9-ASSESSMENT"]["legal_reference"].startswith("9 § kamerabevakningslagen")
    assert by_code["KBL-9-ASSESSMENT"]["reason"]
    assert by_code["IMY-TOILET-CHANGING-ROOM"] == {**by_code["IMY-TOILET-CHANGING-ROOM"], "passed": True, "reason": ""}
    assert all({"title", "passed", "reason", "legal_reference", "why", "severity"} <= set(c) for c in data["checks"])


def test_checklist_page_shows_what_is_missing_at_kvisthamraskolan(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    page = client_for("administration_contact").get(f"/efterlevnad/kameror/{camera.pk}/checklista/?datum=2025-06-01")
    html = page.content.decode()
    assert "Kameran får inte tas i drift 2025-06-01" in html
    assert "Barnrättsprövning slutförd" in html and "Konsekvensbedömning godkänd" in html


def test_checklist_in_english_uses_the_translation_machinery(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    client = client_for("officer")
    data = client.get(
        f"/efterlevnad/kameror/{camera.pk}/checklista.json?datum=2025-06-01", HTTP_ACCEPT_LANGUAGE="en"
    ).json()
    assert {c["code"] for c in data["checks"]} >= {"KBL-9-ASSESSMENT", "BK-3-CHILD-RIGHTS"}


def test_demo_legacy_situation_before_2025():
    on = D(2024, 10, 29)
    rim = checklist.checklist_data(facts.compliance_for(Camera.objects.get(identifier="RIM-01"), on))
    torg = checklist.checklist_data(facts.compliance_for(Camera.objects.get(identifier="TORG-01"), on))
    sport = checklist.checklist_data(facts.compliance_for(Camera.objects.get(identifier="SPORT-01"), on))
    failing = lambda data: {c["code"] for c in data["checks"] if not c["passed"]}  # noqa: E731
    assert "KBL-OLD-7-HISTORICAL-DEVIATION" in failing(rim)
    assert "Historisk avvikelse" in next(c["reason"] for c in rim["checks"] if c["code"].endswith("DEVIATION"))
    assert failing(torg) == set()  # permit DI-2019-2741 covered it
    assert failing(sport) == {"KBL-15-SIGN-INSPECTION"}  # the overdue sign
    assert rim["activation_allowed"] and torg["activation_allowed"] and sport["activation_allowed"]


def test_list_json_gives_every_camera_the_user_may_see(client_for):
    data = client_for("administration_contact").get("/efterlevnad/kameror/checklista.json?datum=2025-06-01").json()
    assert {row["camera"] for row in data["cameras"]} == {"KVI-01", "KVI-02", "KVI-03", "KVI-04"}  # BUF only
    officer = client_for("officer").get("/efterlevnad/kameror/checklista.json").json()
    assert "TORG-01" in {row["camera"] for row in officer["cameras"]}


def test_a_refused_move_on_the_page_lists_each_blocker_with_the_pages_that_fix_it(client_for):
    camera = install()
    today = timezone.localdate()
    compliance = facts.compliance_for(camera, today)
    blockers = [c for c in compliance.checklist() if c.severity.value == "blocker" and not c.passed]
    assert len(blockers) >= 3
    data = {"to_state": "in_operation", "occurred_on": today.isoformat(), "confirmed": "on"}
    response = client_for("officer").post(f"/kameror/{camera.pk}/status/", data)
    assert response.status_code == 400
    html = response.content.decode()
    box = html[html.index('class="move-form"') : html.index("</form>", html.index('class="move-form"'))]
    help_list = box[box.index('class="refusal-help"') :]
    assert help_list.count("<li>") == len(blockers)
    assert "/efterlevnad/intresseavvagningar/" in help_list  # the 9 § assessment's page, among others
    assert "Varför:" not in box  # the long reasons stay in the checklist below, not in the status box
