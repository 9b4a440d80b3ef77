"""Versions of the assessments and the decisions on them, by role.

The officer writes a draft and submits it (`submit`) once nothing is missing; a submitted version is
locked, and the officer may take it back (`withdraw`). The DPO — or an admin acting as DPO, recorded
so — gives advice (`advise`) and approves or rejects it (`approve`, `reject`) under a delegation and
with a case number (diarienummer). A decided version is frozen; the work goes on in a new version
(`new_version`), which is always its own explicit step. Every step is a named audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext

from trygg.compliance import intrusion
from trygg.compliance.choices import DocumentStatus
from trygg.compliance.models import (
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core import roles
from trygg.core.audit import record_event
from trygg.core.models import Organisation


def _refuse_m2m_on_frozen(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if not reverse and isinstance(instance, VersionedDocument) and instance.is_locked:
        raise ValidationError(instance.frozen_message())


def connect_signals() -> None:
    for through in (
        SurveillanceAssessment.alternatives.through,
        SurveillanceAssessment.incidents.through,
        ImpactAssessment.cameras.through,
    ):
        m2m_changed.connect(_refuse_m2m_on_frozen, sender=through, dispatch_uid=f"trygg_frozen_{through.__name__}")


#
# Who may do what
#


def may_write(user: Any) -> bool:
    """Whether `user` writes assessments and submits them (officer, admin)."""
    return roles.writes_assessments.test(user)


def may_decide(user: Any) -> bool:
    """Whether `user` advises on and decides assessments (the DPO, or an admin acting as DPO)."""
    return roles.decides_assessments.test(user)


def acts_for_dpo(user: Any) -> bool:
    """Whether a decision by `user` is an admin's decision in the DPO's stead (the user is not a DPO)."""
    return may_decide(user) and roles.Role.DPO not in roles.roles_of(user)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _locked(model: type[VersionedDocument], document: VersionedDocument) -> VersionedDocument:
    return model.objects.select_for_update(of=("self",)).get(pk=document.pk)


def _event_data(document: VersionedDocument, **extra: Any) -> dict[str, Any]:
    return {"document": str(document.document_label), "version": document.version, **extra}


def _status_label(document: VersionedDocument) -> str:
    return str(DocumentStatus(document.status).label).lower()


#
# The officer: submit and withdraw
#


@transaction.atomic
def submit(document: VersionedDocument, user: Any, at: dt.datetime | None = None) -> VersionedDocument:
    """Send a draft for the DPO's advice and decision; it is locked from now on.

    Raises PermissionDenied unless `user` writes assessments, and ValidationError keyed by field
    (Swedish) when something the officer must fill in is missing (`submission_problems`).
    """
    _require(may_write(user), gettext("Bara handläggare kan skicka en bedömning för beslut."))
    document = _locked(type(document), document)
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError(
            gettext("Bara en version under arbete kan skickas för beslut; version %(version)s är %(status)s.")
            % {"version": document.version, "status": _status_label(document)}
        )
    problems = document.submission_problems()
    if problems:
        raise ValidationError(problems)
    document.status = DocumentStatus.SUBMITTED
    document.submitted_by = user
    document.submitted_at = at or timezone.now()
    document.save()
    record_event(document, "assessment.submitted", _event_data(document))
    return document


@transaction.atomic
def withdraw(document: VersionedDocument, user: Any) -> VersionedDocument:
    """Take a submitted version back to draft so that the officer may change it again."""
    _require(may_write(user), gettext("Bara handläggare kan återkalla en bedömning som skickats för beslut."))
    document = _locked(type(document), document)
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError(
            gettext("Bara en version som är skickad för beslut kan återkallas; version %(version)s är %(status)s.")
            % {"version": document.version, "status": _status_label(document)}
        )
    document.status = DocumentStatus.DRAFT
    document.submitted_by = None
    document.submitted_at = None
    document.save()
    record_event(document, "assessment.withdrawn", _event_data(document))
    return document


#
# The DPO: advice and decisions
#


def _advise(document: VersionedDocument, user: Any, advice: str, on: dt.date) -> None:
    if document.status not in {DocumentStatus.DRAFT, DocumentStatus.SUBMITTED}:
        raise ValidationError(gettext("Råd kan bara lämnas på en version som inte är beslutad."))
    if on > timezone.localdate():
        raise ValidationError({"dpo_advice_on": gettext("Datumet för rådet kan inte ligga i framtiden.")})
    document.dpo_advice = advice.strip()
    document.dpo_advice_on = on if document.dpo_advice else None
    document.dpo_advice_by = user if document.dpo_advice else None


@transaction.atomic
def advise(document: VersionedDocument, user: Any, advice: str, on: dt.date | None = None) -> VersionedDocument:
    """Record the DPO's advice (art. 35.2 GDPR for the DPIA) on a version that is not yet decided."""
    _require(may_decide(user), gettext("Bara dataskyddsombudet lämnar råd om bedömningar."))
    document = _locked(type(document), document)
    if not advice.strip():
        raise ValidationError({"dpo_advice": gettext("Skriv rådet innan det sparas.")})
    _advise(document, user, advice, on or timezone.localdate())
    document.save()
    record_event(document, "assessment.advised", _event_data(document, acting_as_dpo=acts_for_dpo(user)))
    return document


def _decision_record(
    document: VersionedDocument,
    user: Any,
    *,
    case_number: str,
    delegation: str | None,
    acting_as_dpo: bool,
    case_number_required: bool,
) -> dict[str, list[str]]:
    """Store who decides, as what, under which delegation and case number; return what is wrong (Swedish)."""
    _require(may_decide(user), gettext("Bara dataskyddsombudet beslutar om bedömningar."))
    errors: dict[str, list[str]] = {}
    as_admin = acts_for_dpo(user)
    if as_admin and not acting_as_dpo:
        errors["acting_as_dpo"] = [
            gettext("Du är inte dataskyddsombud: bekräfta att du beslutar i dataskyddsombudets ställe.")
        ]
    organisation = Organisation.current()
    delegation = (organisation.decision_delegation if delegation is None else delegation).strip()
    if not delegation:
        errors["decision_delegation"] = [
            gettext("Ange enligt vilken punkt i delegationsordningen beslutet fattas (fältet ”delegation”).")
        ]
    case_number = case_number.strip()
    if case_number:
        try:
            organisation.validate_case_number(case_number)
        except ValidationError as error:
            errors["case_number"] = error.messages
    elif case_number_required:
        errors["case_number"] = [
            gettext("Ange ärendets diarienummer, t.ex. %(example)s.") % {"example": organisation.case_number_example}
        ]
    document.decision_delegation = delegation
    document.case_number = case_number
    document.decided_as_admin = as_admin
    return errors


def _series_to_supersede(document: VersionedDocument) -> QuerySet:
    model = type(document)
    approved = model.objects.filter(status=DocumentStatus.APPROVED).exclude(pk=document.pk)
    if isinstance(document, SurveillanceAssessment) and document.camera_id:
        return approved.filter(camera_id=document.camera_id)
    return approved.filter(series=document.series)


@transaction.atomic
def approve(
    document: VersionedDocument,
    user: Any,
    on: dt.date | None = None,
    *,
    case_number: str = "",
    delegation: str | None = None,
    acting_as_dpo: bool = False,
    advice: str | None = None,
) -> VersionedDocument:
    """Approve a submitted version on `on` (today by default), freeze it and supersede the previous one.

    Only the DPO decides, or an admin who confirms acting in the DPO's stead (`acting_as_dpo`; stored
    as `decided_as_admin`). The delegation defaults to `Organisation.decision_delegation`; the case
    number is required and must follow the organisation's pattern. `advice`, when given, is recorded
    as the DPO's advice on the same day. A 9 § assessment of a camera stores the camera's parameters
    it approved. Raises PermissionDenied, or ValidationError with Swedish messages keyed by field.
    """
    model = type(document)
    document = _locked(model, document)
    today = timezone.localdate()
    on = on or today
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError(
            gettext("Bara en version som är skickad för beslut kan godkännas; version %(version)s är %(status)s.")
            % {"version": document.version, "status": _status_label(document)}
        )
    errors = _decision_record(
        document,
        user,
        case_number=case_number,
        delegation=delegation,
        acting_as_dpo=acting_as_dpo,
        case_number_required=True,
    )
    if on > today:
        errors["approved_on"] = [gettext("Godkännandedatumet kan inte ligga i framtiden.")]
    if errors:
        raise ValidationError(errors)
    if advice is not None and advice.strip() != document.dpo_advice:
        _advise(document, user, advice, on)
    problems = document.approval_problems()
    if problems:
        raise ValidationError(problems)
    previous = list(_series_to_supersede(document))
    latest_previous = max((p.approved_on for p in previous if p.approved_on), default=None)
    if latest_previous and on < latest_previous:
        raise ValidationError(
            {
                "approved_on": gettext("Godkännandedatumet kan inte vara före förra versionens (%(date)s).")
                % {"date": latest_previous.isoformat()}
            }
        )
    if isinstance(document, SurveillanceAssessment) and document.camera_id:
        document.snapshot = intrusion.snapshot(document.camera)
    document.status = DocumentStatus.APPROVED
    document.approver = user
    document.approved_on = on
    document.save()
    for old in previous:
        old.status = DocumentStatus.SUPERSEDED
        old.save()
    record_event(
        document,
        "assessment.approved",
        _event_data(
            document,
            approved_on=on.isoformat(),
            superseded=[p.version for p in previous],
            case_number=document.case_number,
            delegation=document.decision_delegation,
            acting_as_dpo=document.decided_as_admin,
        ),
    )
    return document


@transaction.atomic
def reject(
    document: VersionedDocument,
    user: Any,
    reason: str = "",
    *,
    case_number: str = "",
    delegation: str | None = None,
    acting_as_dpo: bool = False,
    advice: str | None = None,
) -> VersionedDocument:
    """Reject a submitted version with a reason; it is frozen, and the work goes on in a new version.

    The same people decide as for `approve`; a case number is optional but must follow the pattern.
    """
    model = type(document)
    document = _locked(model, document)
    if document.status != DocumentStatus.SUBMITTED:
        raise ValidationError(
            gettext("Bara en version som är skickad för beslut kan avslås; version %(version)s är %(status)s.")
            % {"version": document.version, "status": _status_label(document)}
        )
    errors = _decision_record(
        document,
        user,
        case_number=case_number,
        delegation=delegation,
        acting_as_dpo=acting_as_dpo,
        case_number_required=False,
    )
    if not reason.strip():
        errors["rejection_reason"] = [gettext("Ange skälet för avslaget.")]
    if errors:
        raise ValidationError(errors)
    if advice is not None and advice.strip() != document.dpo_advice:
        _advise(document, user, advice, timezone.localdate())
    document.status = DocumentStatus.REJECTED
    document.rejected_by = user
    document.rejected_on = timezone.localdate()
    document.rejection_reason = reason.strip()
    document.save()
    record_event(
        document,
        "assessment.rejected",
        _event_data(
            document,
            reason=reason.strip(),
            case_number=document.case_number,
            delegation=document.decision_delegation,
            acting_as_dpo=document.decided_as_admin,
        ),
    )
    return document


#
# A new version
#


@transaction.atomic
def new_version(document: VersionedDocument, user: Any = None) -> VersionedDocument:
    """A new draft version that starts as a copy of the series' latest version (never the DPO's advice).

    Refused while a version of the series is under work or waiting for a decision.
    """
    if user is not None:
        _require(may_write(user), gettext("Bara handläggare kan starta en ny version."))
    model = type(document)
    series = model.objects.select_for_update(of=("self",)).filter(series=document.series)
    open_version = series.filter(status__in=[DocumentStatus.DRAFT, DocumentStatus.SUBMITTED]).first()
    if open_version is not None:
        raise ValidationError(
            gettext(
                "Det finns redan en version som inte är beslutad (version %(version)s, %(status)s); fortsätt med den."
            )
            % {"version": open_version.version, "status": _status_label(open_version)}
        )
    latest = series.order_by("-version").first()
    copy = model(**latest.content_values())
    copy.series = latest.series
    copy.version = latest.version + 1
    copy.status = DocumentStatus.DRAFT
    copy.supersedes = latest
    copy.author = user if getattr(user, "is_authenticated", False) else latest.author
    copy.save()
    if isinstance(latest, SurveillanceAssessment):
        copy.alternatives.set(latest.alternatives.all())
        copy.incidents.set(latest.incidents.all())
    if isinstance(latest, ImpactAssessment):
        copy.cameras.set(latest.cameras.all())
        risk_map = {}
        for risk in latest.risks.all():
            risk_map[risk.pk] = DpiaRisk.objects.create(
                assessment=copy,
                title=risk.title,
                description=risk.description,
                severity=risk.severity,
                likelihood=risk.likelihood,
            )
        for measure in latest.measures.all():
            DpiaMeasure.objects.create(
                assessment=copy,
                risk=risk_map.get(measure.risk_id),
                description=measure.description,
                owner=measure.owner,
                due_on=measure.due_on,
                done_on=measure.done_on,
            )
    record_event(copy, "assessment.new_version", _event_data(copy, copied_from=latest.version))
    return copy
