"""Decisions by role: the officer submits, the DPO advises and decides, confirmed, under a delegation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from trygg.compliance import decisions
from trygg.compliance.models import DpiaRisk, ImpactAssessment, SurveillanceAssessment
from trygg.core.models import ObjectChange, Organisation
from trygg.incidents.models import Incident

from .helpers import CASE_NUMBER, dpo, officer

pytestmark = pytest.mark.django_db
D = dt.date


def kvi01() -> SurveillanceAssessment:
    return SurveillanceAssessment.objects.get(camera__identifier="KVI-01")


def decision_url(document: SurveillanceAssessment) -> str:
    return f"/efterlevnad/beslut/intresseavvagningar/{document.pk}/"


APPROVE = {
    "decision": "approve",
    "approved_on": "2025-05-02",
    "decision_delegation": "KS delegationsordning 4.2",
    "case_number": CASE_NUMBER,
    "confirm": "on",
}


def events(document, name: str) -> list[ObjectChange]:
    return list(ObjectChange.objects.filter(event=name, changed_object_id=str(document.pk)))


def test_the_officer_submits_and_the_dpo_approves_on_the_pages(client_for):
    draft = kvi01()
    officer_client, dpo_client = client_for("officer"), client_for("dpo")
    detail = officer_client.get(f"/efterlevnad/intresseavvagningar/{draft.pk}/").content.decode()
    assert "Skicka för beslut" in detail
    response = officer_client.post(f"/efterlevnad/intresseavvagningar/{draft.pk}/skicka/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by.username) == ("submitted", "handlaggare")
    assert len(events(draft, "assessment.submitted")) == 1
    # The DPO finds it in the queue and on the start page, with a link to the decision page.
    for page in ("/efterlevnad/beslut/", "/"):
        html = dpo_client.get(page).content.decode()
        assert "Väntar på ditt råd eller beslut" in html and decision_url(draft) in html
    response = dpo_client.post(decision_url(draft), APPROVE)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.approver.username == "dataskydd"
    assert (draft.case_number, draft.decision_delegation, draft.decided_as_admin) == (
        CASE_NUMBER,
        "KS delegationsordning 4.2",
        False,
    )
    assert draft.approved_on == D(2025, 5, 2) and draft.snapshot["retention_hours"] == 72
    event = events(draft, "assessment.approved")[0]
    assert event.postchange_data["case_number"] == CASE_NUMBER and event.user.username == "dataskydd"
    # Who decided, under which delegation and case number: on the detail page, the preview and the history.
    for page in ("", "forhandsvisning/"):
        html = officer_client.get(f"/efterlevnad/intresseavvagningar/{draft.pk}/{page}").content.decode()
        assert CASE_NUMBER in html and "KS delegationsordning 4.2" in html and "Dana Dataskyddsombud" in html


def test_the_officer_cannot_decide(client_for):
    draft = decisions.submit(kvi01(), officer())
    assert client_for("officer").post(decision_url(draft), APPROVE).status_code == 403
    assert client_for("officer").get(decision_url(draft)).status_code == 403
    with pytest.raises(PermissionDenied):
        decisions.approve(draft, officer(), case_number=CASE_NUMBER)
    with pytest.raises(PermissionDenied):
        decisions.reject(draft, officer(), "Nej.")
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_the_dpo_cannot_write_or_submit(client_for):
    draft = kvi01()
    client = client_for("dpo")
    assert client.get(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/").status_code == 403
    assert client.post(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/", {"necessity": "DSO"}).status_code == 403
    assert client.post(f"/efterlevnad/intresseavvagningar/{draft.pk}/skicka/").status_code == 403
    with pytest.raises(PermissionDenied):
        decisions.submit(draft, dpo())
    draft.refresh_from_db()
    assert draft.necessity != "DSO" and draft.status == "draft"


def test_a_submitted_version_is_locked_until_withdrawn(client_for):
    draft = decisions.submit(kvi01(), officer())
    client = client_for("officer")
    page = client.get(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/")
    assert page.status_code == 302  # back to the document, with the reason
    response = client.post(f"/efterlevnad/intresseavvagningar/{draft.pk}/andra/", {"necessity": "Ändrad"}, follow=True)
    assert "är skickad för beslut och kan inte ändras" in response.content.decode()
    draft.refresh_from_db()
    draft.necessity = "Ändrad"
    with pytest.raises(ValidationError, match="skickad för beslut"):
        draft.save()
    with pytest.raises(ValidationError), transaction.atomic():
        draft.incidents.add(Incident.objects.filter(site=draft.camera.site).first())
    dpia = decisions.submit(_complete_dpia(), officer())
    with pytest.raises(ValidationError), transaction.atomic():
        DpiaRisk.objects.create(assessment=dpia, title="Ny", severity=1, likelihood=1)
    # The officer takes it back; then it can be changed again.
    assert client.post(f"/efterlevnad/intresseavvagningar/{draft.pk}/aterkalla/").status_code == 302
    draft = SurveillanceAssessment.objects.get(pk=draft.pk)
    assert draft.status == "draft" and draft.submitted_at is None
    assert len(events(draft, "assessment.withdrawn")) == 1
    draft.necessity = "Ändrad"
    draft.save()


def _complete_dpia() -> ImpactAssessment:
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    dpia.planned_measures, dpia.residual_risk = "Maskering av skolgården.", "low"
    dpia.save()
    return dpia


def test_submission_is_refused_while_something_is_missing_and_lists_it_with_links(client_for):
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    client = client_for("officer")
    detail = client.get(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/").content.decode()
    assert "saker saknas innan versionen kan skickas för beslut" in detail
    edit = f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/"
    assert f'href="{edit}#id_residual_risk"' in detail and f'href="{edit}#id_planned_measures"' in detail
    assert "Skicka för beslut</button>" not in detail
    response = client.post(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/skicka/", follow=True)
    assert "Fyll i ”kvarstående risk”" in response.content.decode()
    dpia.refresh_from_db()
    assert dpia.status == "draft"


def test_a_decision_needs_confirmation(client_for):
    draft = decisions.submit(kvi01(), officer())
    response = client_for("dpo").post(decision_url(draft), {**APPROVE, "confirm": ""})
    assert response.status_code == 400
    assert "Bekräfta beslutet genom att kryssa i rutan" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted" and not events(draft, "assessment.approved")


def test_rejection_needs_a_reason_and_comes_back_to_the_officer(client_for):
    draft = decisions.submit(kvi01(), officer())
    client = client_for("dpo")
    reject = {
        "decision": "reject",
        "approved_on": "2025-05-02",
        "decision_delegation": "KS delegationsordning 4.2",
        "confirm": "on",
        "rejection_reason": " ",
    }
    response = client.post(decision_url(draft), reject)
    assert response.status_code == 400 and "Ange skälet för avslaget." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"
    response = client.post(decision_url(draft), {**reject, "rejection_reason": "Incidenterna efter 22 saknas."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "rejected" and draft.rejected_by.username == "dataskydd"
    assert events(draft, "assessment.rejected")[0].postchange_data["reason"] == "Incidenterna efter 22 saknas."
    html = client_for("officer").get("/").content.decode()
    assert "Återkommet med avslag" in html and "Incidenterna efter 22 saknas." in html


def test_the_case_number_follows_the_organisations_pattern(client_for):
    draft = decisions.submit(kvi01(), officer())
    response = client_for("dpo").post(decision_url(draft), {**APPROVE, "case_number": "2025-42"})
    assert response.status_code == 400
    assert "Diarienumret 2025-42 följer inte mönstret, t.ex. KS 2024/0123." in response.content.decode()
    missing = client_for("dpo").post(decision_url(draft), {**APPROVE, "case_number": ""})
    assert "Ange ärendets diarienummer" in missing.content.decode()
    draft.refresh_from_db()
    assert draft.status == "submitted"


def test_the_delegation_defaults_from_the_organisation():
    organisation = Organisation.current()
    draft = decisions.submit(kvi01(), officer())
    decided = decisions.approve(draft, dpo(), D(2025, 5, 2), case_number=CASE_NUMBER)
    assert decided.decision_delegation == organisation.decision_delegation != ""
    Organisation.objects.filter(pk=organisation.pk).update(decision_delegation="")
    other = decisions.submit(SurveillanceAssessment.objects.get(camera__identifier="KVI-02"), officer())
    with pytest.raises(ValidationError) as error:
        decisions.approve(other, dpo(), D(2025, 5, 2), case_number=CASE_NUMBER)
    assert "decision_delegation" in error.value.message_dict


def test_an_admin_decides_only_as_the_dpo_and_it_is_recorded(client_for):
    draft = decisions.submit(kvi01(), officer())
    client = client_for("admin")
    page = client.get(decision_url(draft)).content.decode()
    assert "i dataskyddsombudets ställe" in page and 'name="acting_as_dpo"' in page
    refused = client.post(decision_url(draft), APPROVE)
    assert refused.status_code == 400 and "bekräfta att du beslutar i dataskyddsombudets ställe" in (
        refused.content.decode()
    )
    assert client.post(decision_url(draft), {**APPROVE, "acting_as_dpo": "on"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.decided_as_admin and draft.approver.username == "admin"
    assert events(draft, "assessment.approved")[0].postchange_data["acting_as_dpo"] is True
    html = client_for("officer").get(f"/efterlevnad/intresseavvagningar/{draft.pk}/").content.decode()
    assert "systemförvaltare i dataskyddsombudets ställe" in html
    # A DPO's decision is never marked so; the DPO sees no such box.
    assert 'name="acting_as_dpo"' not in client_for("dpo").get(decision_url(draft)).content.decode()


def test_the_dpo_advises_without_deciding(client_for):
    dpia = _complete_dpia()
    url = f"/efterlevnad/beslut/konsekvensbedomningar/{dpia.pk}/"
    response = client_for("dpo").post(
        url + "rad/", {"dpo_advice": "Maskera skolgården.", "dpo_advice_on": "2025-04-01"}
    )
    assert response.status_code == 302
    dpia.refresh_from_db()
    assert (dpia.dpo_advice, dpia.dpo_advice_on, dpia.dpo_advice_by) == ("Maskera skolgården.", D(2025, 4, 1), dpo())
    assert dpia.status == "draft" and len(events(dpia, "assessment.advised")) == 1
    # The advice is the DPO's own: it is not on the officer's form and never copied to a new version.
    edit = client_for("officer").get(f"/efterlevnad/konsekvensbedomningar/{dpia.pk}/andra/").content.decode()
    assert 'name="dpo_advice"' not in edit and "Maskera skolgården." in edit


def test_each_label_on_the_decision_page_names_its_own_field(client_for):
    """The advice form and the decision form both have a field "dpo_advice": their ids must differ, or the
    decision form's label points at the (folded) advice form's field."""
    import re

    dpia = decisions.submit(_complete_dpia(), officer())
    html = client_for("dpo").get(f"/efterlevnad/beslut/konsekvensbedomningar/{dpia.pk}/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert html.count('name="dpo_advice"') == 2
    for target in re.findall(r'<label for="([^"]+)"', html):
        assert target in ids


def test_saving_never_starts_a_new_version_the_button_does(client_for):
    approved = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    client = client_for("officer")
    # A decided version cannot be edited: the edit page sends the officer back to the document.
    assert client.post(f"/efterlevnad/intresseavvagningar/{approved.pk}/andra/", {"necessity": "x"}).status_code == 302
    assert SurveillanceAssessment.objects.filter(series=approved.series).count() == 1
    detail = client.get(f"/efterlevnad/intresseavvagningar/{approved.pk}/").content.decode()
    assert "Starta en ny version</button>" in detail
    response = client.post(f"/efterlevnad/intresseavvagningar/{approved.pk}/ny-version/", follow=True)
    copy = SurveillanceAssessment.objects.get(series=approved.series, version=2)
    assert response.redirect_chain[-1][0] == f"/efterlevnad/intresseavvagningar/{copy.pk}/andra/"
    assert "Version 2 är skapad som en kopia av version 1" in response.content.decode()
    assert copy.status == "draft" and copy.author.username == "handlaggare" and copy.case_number == ""
    approved.refresh_from_db()
    assert approved.status == "approved"
    # Only one open version at a time.
    again = client.post(f"/efterlevnad/intresseavvagningar/{approved.pk}/ny-version/", follow=True)
    assert "Det finns redan en version som inte är beslutad" in again.content.decode()
    assert SurveillanceAssessment.objects.filter(series=approved.series).count() == 2


def test_the_dpo_cannot_start_a_new_version():
    approved = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    with pytest.raises(PermissionDenied):
        decisions.new_version(approved, dpo())


def test_a_decided_version_cannot_be_decided_again():
    draft = decisions.submit(kvi01(), officer())
    decisions.approve(draft, dpo(), D(2025, 5, 2), case_number=CASE_NUMBER)
    with pytest.raises(ValidationError, match="Bara en version som är skickad för beslut"):
        decisions.reject(draft, dpo(), "Ångrar mig.")


def test_named_events_are_registered():
    from trygg.core.audit import EVENTS

    for name in ("submitted", "withdrawn", "advised", "approved", "rejected", "new_version"):
        assert f"assessment.{name}" in EVENTS


def test_the_admin_user_without_dpo_group_is_not_a_dpo():
    admin = get_user_model().objects.get(username="admin")
    assert decisions.may_decide(admin) and decisions.acts_for_dpo(admin)
    assert decisions.may_decide(dpo()) and not decisions.acts_for_dpo(dpo())
    assert not decisions.may_decide(officer())
