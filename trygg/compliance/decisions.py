"""Versions of the assessments: approve, reject and start a new version; decided versions stay frozen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed
from django.utils import timezone
from django.utils.translation import gettext

from trygg.compliance import intrusion
from trygg.compliance.choices import (
    DocumentStatus,
)
from trygg.compliance.models import (
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core.audit import record_event


def _refuse_m2m_on_frozen(sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any) -> None:
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if not reverse and isinstance(instance, VersionedDocument) and instance.is_frozen:
        raise ValidationError(instance.frozen_message())


def connect_signals() -> None:
    for through in (
        SurveillanceAssessment.alternatives.through,
        SurveillanceAssessment.incidents.through,
        ImpactAssessment.cameras.through,
    ):
        m2m_changed.connect(_refuse_m2m_on_frozen, sender=through, dispatch_uid=f"trygg_frozen_{through.__name__}")


#
# Versions: approve, reject, revise
#


def _series_to_supersede(document: VersionedDocument) -> QuerySet:
    model = type(document)
    approved = model.objects.filter(status=DocumentStatus.APPROVED).exclude(pk=document.pk)
    if isinstance(document, SurveillanceAssessment) and document.camera_id:
        return approved.filter(camera_id=document.camera_id)
    return approved.filter(series=document.series)


def _user_or_none(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def _event_data(document: VersionedDocument, **extra: Any) -> dict[str, Any]:
    return {"document": str(document.document_label), "version": document.version, **extra}


@transaction.atomic
def approve(document: VersionedDocument, user: Any = None, on: dt.date | None = None) -> VersionedDocument:
    """Approve a draft version on `on` (today by default), freeze it and supersede the previous one.

    A 9 § assessment of a camera stores the camera's parameters it approved. Raises ValidationError
    with Swedish messages keyed by field when something is missing.
    """
    model = type(document)
    document = model.objects.select_for_update(of=("self",)).get(pk=document.pk)
    today = timezone.localdate()
    on = on or today
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError(
            gettext("Bara en version under arbete kan godkännas; version %(version)s är %(status)s.")
            % {"version": document.version, "status": str(DocumentStatus(document.status).label).lower()}
        )
    if on > today:
        raise ValidationError({"approved_on": gettext("Godkännandedatumet kan inte ligga i framtiden.")})
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
    document.approver = _user_or_none(user)
    document.approved_on = on
    document.save()
    for old in previous:
        old.status = DocumentStatus.SUPERSEDED
        old.save()
    record_event(
        document,
        "assessment.approved",
        _event_data(document, approved_on=on.isoformat(), superseded=[p.version for p in previous]),
    )
    return document


@transaction.atomic
def reject(document: VersionedDocument, user: Any = None, reason: str = "") -> VersionedDocument:
    """Reject a draft version with a reason; it is frozen, and the work continues in a new version."""
    model = type(document)
    document = model.objects.select_for_update(of=("self",)).get(pk=document.pk)
    if document.status != DocumentStatus.DRAFT:
        raise ValidationError(gettext("Bara en version under arbete kan avslås."))
    if not reason.strip():
        raise ValidationError({"rejection_reason": gettext("Ange skälet för avslaget.")})
    document.status = DocumentStatus.REJECTED
    document.rejected_by = _user_or_none(user)
    document.rejected_on = timezone.localdate()
    document.rejection_reason = reason.strip()
    document.save()
    record_event(document, "assessment.rejected", _event_data(document, reason=reason.strip()))
    return document


@transaction.atomic
def new_version(document: VersionedDocument, user: Any = None) -> VersionedDocument:
    """A new draft version that starts as a copy of the series' latest version."""
    model = type(document)
    series = model.objects.select_for_update(of=("self",)).filter(series=document.series)
    draft = series.filter(status=DocumentStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            gettext("Det finns redan en version under arbete (version %(version)s); fortsätt med den.")
            % {"version": draft.version}
        )
    latest = series.order_by("-version").first()
    copy = model(**latest.content_values())
    copy.series = latest.series
    copy.version = latest.version + 1
    copy.status = DocumentStatus.DRAFT
    copy.supersedes = latest
    copy.author = _user_or_none(user) or latest.author
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
