"""Versions: decided versions are frozen, a new version copies the latest, approvals are logged."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from trygg.compliance import decisions
from trygg.compliance.models import DpiaRisk, ImpactAssessment, SurveillanceAssessment
from trygg.core.models import ObjectChange

from .helpers import CASE_NUMBER, approve_addendum, approve_dpia, dpo, officer, submit_and_approve

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_approved_assessment_cannot_be_edited():
    assessment = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    assert assessment.status == "approved"
    assessment.necessity = "Ändrad i efterhand."
    with pytest.raises(ValidationError) as error:
        assessment.save()
    assert error.value.messages == [
        "Version 1 av intresseavvägningen är godkänd och kan inte ändras. Skapa en ny version som ersätter den."
    ]
    with pytest.raises(ValidationError):
        assessment.full_clean()
    assessment.refresh_from_db()
    assert assessment.necessity != "Ändrad i efterhand."


def test_frozen_links_and_rows_cannot_change_either():
    assessment = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    with pytest.raises(ValidationError), transaction.atomic():
        assessment.alternatives.clear()
    assert assessment.alternatives.exists()
    dpia = ImpactAssessment.objects.get(site__name="Stora torget")
    with pytest.raises(ValidationError), transaction.atomic():
        DpiaRisk.objects.create(assessment=dpia, title="Ny risk", severity=1, likelihood=1)
    with pytest.raises(ValidationError), transaction.atomic():
        dpia.risks.first().delete()
    assert dpia.risks.count() == 2


def test_new_version_copies_the_latest_and_approval_supersedes_it():
    old = SurveillanceAssessment.objects.get(camera__identifier="TORG-01")
    draft = decisions.new_version(old)
    assert (draft.version, draft.status, draft.series, draft.supersedes_id) == (2, "draft", old.series, old.pk)
    assert draft.necessity == old.necessity and draft.camera_id == old.camera_id
    assert list(draft.alternatives.all()) == list(old.alternatives.all())
    with pytest.raises(ValidationError, match="redan en version som inte är beslutad"):
        decisions.new_version(old)
    draft.retention_note = None  # unknown attribute: ignored by the model
    draft.necessity = "Ny bedömning inför längre lagringstid."
    draft.save()
    submit_and_approve(draft, D(2025, 5, 1))
    old.refresh_from_db()
    draft.refresh_from_db()
    assert old.status == "superseded" and draft.status == "approved"
    assert draft.snapshot["retention_hours"] == 72
    event = ObjectChange.objects.filter(event="assessment.approved", changed_object_id=str(draft.pk)).get()
    assert event.postchange_data["version"] == 2 and event.postchange_data["superseded"] == [1]


def test_dpia_revision_copies_risks_and_measures():
    dpia = ImpactAssessment.objects.get(site__name="Stora torget")
    revision = decisions.new_version(dpia)
    assert revision.risks.count() == dpia.risks.count() == 2
    assert revision.measures.count() == 2
    assert all(m.risk is None or m.risk.assessment_id == revision.pk for m in revision.measures.all())
    assert set(revision.cameras.all()) == set(dpia.cameras.all())


def test_submission_lists_what_the_officer_must_write_naming_each_field():
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    with pytest.raises(ValidationError) as error:
        decisions.submit(dpia, officer())
    messages = error.value.message_dict
    # The DPO's own advice is not the officer's to write: it is asked for at approval, not submission.
    assert set(messages) == {"planned_measures", "residual_risk"}
    assert messages["residual_risk"] == [
        "Fyll i ”kvarstående risk” innan konsekvensbedömningen kan skickas för beslut och godkännas."
    ]
    dpia.refresh_from_db()
    assert dpia.status == "draft"


def test_approval_needs_the_dpos_advice_on_a_dpia():
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    dpia.planned_measures, dpia.residual_risk = "Maskering.", "low"
    dpia.save()
    decisions.submit(dpia, officer())
    with pytest.raises(ValidationError) as error:
        decisions.approve(dpia, dpo(), D(2025, 5, 1), case_number=CASE_NUMBER)
    assert set(error.value.message_dict) == {"dpo_advice", "dpo_advice_on"}
    approved = decisions.approve(dpia, dpo(), D(2025, 5, 1), case_number=CASE_NUMBER, advice="Maskera skolgården.")
    assert approved.dpo_advice == "Maskera skolgården." and approved.dpo_advice_by == dpo()


def test_an_addendum_needs_an_approved_template_and_fitting_camera():
    addendum = SurveillanceAssessment.objects.get(camera__identifier="KVI-01")
    assert addendum.effective("necessity") == addendum.template.necessity  # inherited
    addendum.camera.schedule_template = "always"
    with pytest.raises(ValidationError) as error:
        addendum.full_clean()
    assert "IMY:s tider för skolfasader" in error.value.message_dict["template"][0]


def test_rejection_needs_a_reason_and_freezes_the_version():
    dpia = ImpactAssessment.objects.get(site__name="Kvisthamraskolan")
    dpia.planned_measures, dpia.residual_risk = "Maskering.", "low"
    dpia.save()
    decisions.submit(dpia, officer())
    with pytest.raises(ValidationError) as error:
        decisions.reject(dpia, dpo(), "  ")
    assert error.value.message_dict == {"rejection_reason": ["Ange skälet för avslaget."]}
    decisions.reject(dpia, dpo(), "Riskerna för barnen är inte bedömda fullt ut.")
    dpia.refresh_from_db()
    assert dpia.status == "rejected" and dpia.rejected_by == dpo()
    dpia.title = "Ny rubrik"
    with pytest.raises(ValidationError, match="avslagen och kan inte ändras"):
        dpia.save()
    assert decisions.new_version(dpia).status == "draft"


def test_approval_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        approve_addendum(on=D(2999, 1, 1))
    assert error.value.message_dict == {"approved_on": ["Godkännandedatumet kan inte ligga i framtiden."]}


def test_approve_dpia_helper_sets_everything():
    assert approve_dpia().status == "approved"


def test_compensating_measures_are_asked_for_only_when_the_conclusion_needs_them():
    from trygg.compliance.choices import ChildRightsConclusion
    from trygg.compliance.models import ChildRightsAssessment

    assessment = ChildRightsAssessment.objects.filter(site__name="Kvisthamraskolan").first()
    assessment.conclusion_reasoning = ""
    assessment.conclusion = ChildRightsConclusion.COMPATIBLE
    assert "conclusion_reasoning" not in assessment.approval_problems()
    for conclusion in (
        ChildRightsConclusion.COMPATIBLE_WITH_MEASURES,
        ChildRightsConclusion.NOT_COMPATIBLE_SPECIAL_REASONS,
    ):
        assessment.conclusion = conclusion
        assert assessment.approval_problems()["conclusion_reasoning"] == [
            "Fyll i ”motivering och kompenserande åtgärder” innan barnrättsprövningen kan skickas för beslut och "
            "godkännas."
        ]
