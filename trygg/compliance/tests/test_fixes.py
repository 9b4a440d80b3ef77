"""Every failing check links to the page that fixes it (`trygg.compliance.fixes`)."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from trygg.cameras.models import Camera
from trygg.compliance import fixes
from trygg.compliance.engine.rules import all_rules
from trygg.compliance.facts import load_documents
from trygg.compliance.models import ImpactAssessment, SurveillanceAssessment

pytestmark = pytest.mark.django_db

GATE_ZONE_CHECK = "KBL-9-ZONE-INTRUSION"  # the gate's own check, not in the rule book


def all_codes() -> set[str]:
    return {rule.code for rule in all_rules()} | {GATE_ZONE_CHECK}


def test_every_check_code_of_the_rule_book_has_a_fix():
    assert all_codes() == set(fixes.FIXES)


def test_every_code_gets_a_link_to_a_page_that_exists():
    for identifier in ("KVI-01", "TORG-01", "SPORT-02", "KVI-04"):
        camera = Camera.objects.get(identifier=identifier)
        documents = load_documents([camera])[camera.pk]
        for code in all_codes():
            links = fixes.fix_links(code, camera, documents)
            assert links, f"{code} has no link for {identifier}"
            for label, url in links:
                assert label and url.startswith("/")
                resolve(url.split("?")[0].split("#")[0])  # raises Resolver404 for a page that does not exist


def test_a_name_that_does_not_resolve_gives_no_link_and_no_error(monkeypatch):
    camera = Camera.objects.get(identifier="KVI-01")
    assert fixes.fix_links("KBL-15-SIGNS", camera)[0][1].startswith(reverse("compliance:sign_create"))

    def reverse_without_signs(name, *args, **kwargs):
        if name == "compliance:sign_create":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    monkeypatch.setattr(fixes, "reverse", reverse_without_signs)
    assert fixes.fix_links("KBL-15-SIGNS", camera) == []
    assert fixes.fix_links("NO-SUCH-CHECK", camera) == []


def test_assessment_links_go_to_the_draft_at_the_field_or_start_a_new_one():
    kvi01 = Camera.objects.get(identifier="KVI-01")
    draft = SurveillanceAssessment.objects.get(camera=kvi01)
    assert fixes.fix_links("KBL-7-NECESSITY", kvi01) == [
        ("Fyll i intresseavvägningen (9 §)", f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/#id_necessity")
    ]
    kvi04 = Camera.objects.get(identifier="KVI-04")  # no assessment yet
    assert fixes.fix_links("KBL-9-ASSESSMENT", kvi04) == [
        ("Skriv intresseavvägningen (9 §)", f"/efterlevnad/intresseavvagningar/ny/?kamera={kvi04.pk}")
    ]
    torg = Camera.objects.get(identifier="TORG-01")  # approved: a new version is started on its page
    approved = SurveillanceAssessment.objects.get(camera=torg)
    assert fixes.fix_links("KBL-9-REASSESSMENT", torg) == [
        ("Starta en ny version av intresseavvägningen", f"/efterlevnad/intresseavvagningar/{approved.pk}/")
    ]
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    assert fixes.fix_links("GDPR-36-PRIOR-CONSULTATION", kvi01)[0][1] == (
        f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/#id_prior_consultation"
    )
    assert fixes.fix_links("GDPR-5-RETENTION", kvi01) == [
        ("Ändra lagring och teknik", f"/kameror/{kvi01.pk}/andra/#lagring-och-teknik")
    ]


def test_links_follow_the_role(demo_users):
    camera = Camera.objects.get(identifier="KVI-01")
    draft = SurveillanceAssessment.objects.get(camera=camera)
    # The DPO reads the assessment instead of editing it, and gets no camera form.
    assert fixes.fix_links("KBL-7-NECESSITY", camera, user=demo_users["dpo"]) == [
        ("Öppna intresseavvägningen (9 §)", f"/efterlevnad/intresseavvagningar/{draft.pk}/")
    ]
    assert fixes.fix_links("GDPR-5-RETENTION", camera, user=demo_users["dpo"]) == []
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    advice = fixes.fix_links("GDPR-35-DPO-ADVICE", camera, user=demo_users["dpo"])
    assert advice[0][1] == f"/efterlevnad/beslut/konsekvensbedomningar/{dpia.pk}/"
    assert fixes.fix_links("GDPR-35-DPO-ADVICE", camera, user=demo_users["officer"])[0][1].startswith(
        f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/"
    )


def test_checklist_page_camera_panel_and_start_page_link_every_failing_check(client_for):
    camera = Camera.objects.get(identifier="KVI-01")
    draft = SurveillanceAssessment.objects.get(camera=camera)
    client = client_for("officer")
    link = f'href="/efterlevnad/intresseavvagningar/{draft.pk}/andra/'
    checklist = client.get(f"/efterlevnad/kameror/{camera.pk}/checklista/").content.decode()
    assert "Åtgärda" in checklist and link in checklist
    panel = client.get(f"/kameror/{camera.pk}/").content.decode()
    assert link in panel
    start = client.get("/").content.decode()
    assert 'href="/efterlevnad/intresseavvagningar/' in start and "Åtgärda" in start


def test_an_overdue_sign_inspection_links_to_the_inspected_today_button():
    camera = Camera.objects.get(identifier="SPORT-02")
    sign = max(load_documents([camera])[camera.pk].signs, key=lambda s: (s.camera_id == camera.pk, s.pk))
    assert fixes.fix_links("KBL-15-SIGN-INSPECTION", camera) == [
        ("Registrera inspektion av skylten", f"/efterlevnad/skyltar/{sign.pk}/#inspektion")
    ]
