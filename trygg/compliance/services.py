"""The Django side of compliance: facts from the models, the gate, versions, registers and exports.

The rules themselves live in the pure engine (`trygg.compliance.engine`); this module fills its
`CameraFacts` from the database as of a date (`facts_for`, `facts_for_many`), hooks the gate into the
camera's life cycle (`activation_gate`) and its edits (`intrusion_change_check`), decides versions
(`approve`, `reject`, `new_version`) and generates the 10 § register and the art. 30 record.
Bulk functions load everything in a fixed number of queries, whatever the number of cameras.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.signals import m2m_changed
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance import intrusion
from trygg.compliance.choices import (
    ALLOWING_OUTCOMES,
    EVER_APPROVED_STATUSES,
    DocumentStatus,
    FactorFor,
)
from trygg.compliance.engine import (
    AssessmentFacts,
    CameraFacts,
    Check,
    DpiaFacts,
    RegisterEntry,
    Severity,
    SignFacts,
    activation_checklist,
    dpia_criteria,
    dpia_required,
    register_entry,
)
from trygg.compliance.engine import (
    LegacyPermit as PermitFacts,
)
from trygg.compliance.engine.facts import NEW_REGIME_FROM, SITE_KINDS
from trygg.compliance.models import (
    RETENTION_YEARS,
    ChildRightsAssessment,
    DpiaMeasure,
    DpiaRisk,
    ImpactAssessment,
    LegacyPermit,
    ProcessingRecord,
    Sign,
    SurveillanceAssessment,
    VersionedDocument,
    add_years,
)
from trygg.core.audit import current_context, record_event
from trygg.core.models import Organisation

# Sources of moves made by a person; other sources (the demo, imports) record history.
INTERACTIVE_SOURCES = frozenset({"web", "admin", "api"})
# From this date Trygg's gate is the control that a camera may start. Before it IMY's permit was,
# so loading history dated earlier is recorded as it happened and reviewed on the checklist instead.
GATE_FROM = NEW_REGIME_FROM
ONGOING_STATES = frozenset({State.IN_OPERATION.value, State.PAUSED.value})
SECRECY_MARKING_TEXT = "Kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och sekretesslagen"


def secrecy_marking() -> str:
    """The marking every register export carries (OSL 18 kap. 8 §; legal.md §6.3)."""
    return gettext("Kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och sekretesslagen")


#
# Facts as of a date
#


@dataclass
class CameraDocuments:
    """The documents that concern one camera, as loaded from the database (all versions)."""

    assessments: list[SurveillanceAssessment] = field(default_factory=list)
    impact_assessments: list[ImpactAssessment] = field(default_factory=list)
    child_rights: list[ChildRightsAssessment] = field(default_factory=list)
    signs: list[Sign] = field(default_factory=list)
    permits: list[LegacyPermit] = field(default_factory=list)


@dataclass
class Lifecycle:
    """A camera's life-cycle dates, from its transition rows."""

    state: str | None
    installed_on: dt.date | None
    operation_started_on: dt.date | None
    ended_on: dt.date | None


def lifecycle_on(transitions: Sequence[CameraTransition], on_date: dt.date) -> Lifecycle:
    """State and key dates of a camera at the end of `on_date` from its (prefetched) transitions."""
    rows = sorted((t for t in transitions if t.occurred_on <= on_date), key=lambda t: (t.occurred_on, t.sequence))

    def first(state: str) -> dt.date | None:
        return next((t.occurred_on for t in rows if t.to_state == state), None)

    state = rows[-1].to_state if rows else None
    return Lifecycle(
        state=state,
        installed_on=first(State.INSTALLED.value),
        operation_started_on=first(State.IN_OPERATION.value),
        ended_on=rows[-1].occurred_on if state == State.DECOMMISSIONED.value else None,
    )


def _latest(documents: Iterable[VersionedDocument], on_date: dt.date | None = None) -> VersionedDocument | None:
    """The latest version approved on or before `on_date` (any approved one when None)."""
    approved = [
        d
        for d in documents
        if d.status in EVER_APPROVED_STATUSES and d.approved_on and (on_date is None or d.approved_on <= on_date)
    ]
    return max(approved, key=lambda d: (d.approved_on, d.version, d.pk), default=None)


def _newest(documents: Iterable[VersionedDocument]) -> VersionedDocument | None:
    return max(documents, key=lambda d: (d.created_at, d.version, d.pk), default=None)


def approved_assessment(documents: CameraDocuments, on_date: dt.date) -> SurveillanceAssessment | None:
    """The camera's latest 9 § assessment approved by `on_date` that allows surveillance."""
    allowing = [a for a in documents.assessments if a.effective("outcome") in ALLOWING_OUTCOMES]
    return _latest(allowing, on_date)  # type: ignore[return-value]


def load_documents(cameras: Sequence[Camera]) -> dict[int, CameraDocuments]:
    """Every compliance document of `cameras`, in five queries whatever their number."""
    documents: dict[int, CameraDocuments] = {camera.pk: CameraDocuments() for camera in cameras}
    camera_ids = list(documents)
    site_ids = {camera.site_id for camera in cameras}
    for assessment in (
        SurveillanceAssessment.objects.filter(camera_id__in=camera_ids)
        .select_related("template")
        .annotate(n_alternatives=Count("alternatives", distinct=True))
        .prefetch_related("incidents")
    ):
        documents[assessment.camera_id].assessments.append(assessment)
    for row in ImpactAssessment.cameras.through.objects.filter(camera_id__in=camera_ids).select_related(
        "impactassessment"
    ):
        documents[row.camera_id].impact_assessments.append(row.impactassessment)
    by_site_cra: dict[int, list[ChildRightsAssessment]] = defaultdict(list)
    for cra in ChildRightsAssessment.objects.filter(site_id__in=site_ids):
        by_site_cra[cra.site_id].append(cra)
    by_site_signs: dict[int, list[Sign]] = defaultdict(list)
    for sign in Sign.objects.filter(site_id__in=site_ids):
        by_site_signs[sign.site_id].append(sign)
    for row in LegacyPermit.cameras.through.objects.filter(camera_id__in=camera_ids).select_related("legacypermit"):
        documents[row.camera_id].permits.append(row.legacypermit)
    for camera in cameras:
        docs = documents[camera.pk]
        docs.child_rights = by_site_cra[camera.site_id]
        docs.signs = [s for s in by_site_signs[camera.site_id] if s.camera_id in (None, camera.pk)]
    return documents


def _permit_facts(permits: list[LegacyPermit], on_date: dt.date) -> PermitFacts | None:
    candidates = [p for p in permits if p.decision_date <= on_date]
    if not candidates:
        return None
    permit = max(candidates, key=lambda p: (p.decision_date, p.pk))
    return PermitFacts(
        imy_case_number=permit.imy_case_number,
        decision_date=permit.decision_date,
        conditions=permit.conditions,
        hours=intrusion.parse(permit.hours_rules) if permit.hours_rules else None,
        expires_on=permit.expires_on,
    )


def _sign_facts(signs: list[Sign], on_date: dt.date) -> SignFacts:
    up = [
        s
        for s in signs
        if s.installed_on and s.installed_on <= on_date and (s.removed_on is None or s.removed_on > on_date)
    ]
    if not up:
        return SignFacts()
    # The sign checked longest ago decides whether an inspection is overdue.
    checked = [
        s.last_inspected_on if s.last_inspected_on and s.last_inspected_on <= on_date else s.installed_on for s in up
    ]
    return SignFacts(
        installed_count=len(up),
        mentions_sound=any(s.mentions_sound for s in up),
        mentions_retention=any(s.mentions_retention for s in up),
        layer2_available=any(s.layer2_available for s in up),
        installed_on=min(s.installed_on for s in up),  # type: ignore[type-var]
        last_inspected_on=min(checked),  # type: ignore[type-var]
    )


def _dpia_facts(impact_assessments: list[ImpactAssessment], on_date: dt.date) -> DpiaFacts:
    approved = _latest(impact_assessments, on_date)
    current = approved or _newest(impact_assessments)
    if current is None:
        return DpiaFacts()
    return DpiaFacts(
        criteria=frozenset(current.criteria or []),
        approved_on=approved.approved_on if approved else None,
        dpo_advice_recorded=current.dpo_advice_recorded and current.dpo_advice_on <= on_date,
        residual_risk=current.residual_risk or None,
        prior_consultation_status=current.prior_consultation,
    )


def staleness(camera: Camera, assessment: SurveillanceAssessment | None) -> list[intrusion.Increase]:
    """How the camera now intrudes more than `assessment` approved (empty when it does not)."""
    if assessment is None or not assessment.snapshot:
        return []
    return intrusion.increases(assessment.snapshot, intrusion.snapshot(camera))


def place_description(camera: Camera) -> str:
    """Address or comparable description of the location (10 § 1 KBL): the site, not the camera's spot."""
    site = camera.site
    if site.address and site.name.lower() not in site.address.lower():
        return f"{site.name}, {site.address}"
    return site.address or site.name


def incident_week_minutes(incidents: Iterable[Any]) -> frozenset[int]:
    """Minutes of the week (0 = Monday 00:00) in the hours when any of `incidents` happened.

    Time ranges count in every hour they span (the heat map spreads them), so a break-in found on
    Monday morning after a weekend marks the whole weekend as a time with a documented incident.
    """
    from trygg.incidents.profile import heat_map

    cells = heat_map([incident.as_row() for incident in incidents]).cells
    return frozenset(
        weekday * 1440 + hour * 60 + minute
        for weekday in range(7)
        for hour in range(24)
        if cells[weekday][hour] > 1e-9
        for minute in range(60)
    )


def incident_coverage(assessment: SurveillanceAssessment, camera: Camera | None = None) -> Any:
    """How much of the assessment's chosen incidents fall inside the camera's hours (None without any)."""
    from trygg.incidents.profile import schedule_coverage

    chosen = list(assessment.incidents.all()) if assessment.pk else []
    camera = camera or assessment.camera
    if not chosen or camera is None:
        return None
    return schedule_coverage(camera.get_schedule(), [incident.as_row() for incident in chosen])


def build_facts(
    camera: Camera,
    on_date: dt.date,
    documents: CameraDocuments,
    organisation: Organisation,
    lifecycle: Lifecycle,
    approved: SurveillanceAssessment | None = None,
    increases: list[intrusion.Increase] | None = None,
) -> CameraFacts:
    """The engine's facts for `camera` on `on_date` from already loaded rows (no queries).

    `approved` and `increases` may be passed when the caller has them already.
    """
    if increases is None:
        approved = approved_assessment(documents, on_date)
        increases = staleness(camera, approved)
    working = approved or _newest(documents.assessments)
    site = camera.site
    incident_minutes = None
    incident_count = working.incident_count if working else 0
    chosen = list(working.incidents.all()) if working is not None and working.pk else []
    if chosen:
        # Incidents chosen from the register decide both the count and the hours (R1.3).
        incident_count = max(incident_count, len(chosen))
        incident_minutes = incident_week_minutes(chosen)
    elif working is not None and working.incident_hours:
        incident_minutes = intrusion.parse(working.incident_hours).weekly_minutes()
    assessment = AssessmentFacts(
        approved_on=approved.approved_on if approved else None,
        stale=bool(increases),
        last_intrusion_increase_on=(
            max(timezone.localdate(camera.updated_at), approved.approved_on) if increases and approved else None
        ),
        alternatives_considered=getattr(working, "n_alternatives", 0) if working else 0,
        incidents_relied_on=incident_count,
        incident_week_minutes=incident_minutes,
    )
    child_rights = _latest(documents.child_rights, on_date)
    processor_ok = bool(
        working
        and working.processor_agreement.strip()
        and (working.processor_agreement_valid_to is None or working.processor_agreement_valid_to >= on_date)
    )
    return CameraFacts(
        site_kind=site.kind,
        # A garage is indoor parking; an open parking lot is not exempt (12 § KBL, legal.md R1.6).
        is_parking_garage=site.kind == "parking" and camera.is_indoor,
        is_indoor=camera.is_indoor,
        public_access=camera.public_access,
        covers_toilet_or_changing_room=camera.covers_toilet_or_changing_room,
        captures_staff_workplace=camera.captures_staff_workplace,
        address=place_description(camera),
        purpose=camera.purpose,
        camera_type=camera.camera_type,
        records_sound=camera.records_sound,
        uses_anpr=camera.uses_anpr,
        uses_analytics=camera.uses_analytics,
        uses_face_recognition=camera.uses_face_recognition,
        is_ptz=camera.is_ptz,
        identifies_persons=camera.identifies_persons,
        privacy_masking=camera.privacy_masking,
        schedule=intrusion.memo_schedule(camera.get_schedule()),
        schedule_template=camera.schedule_template,
        schedule_deviation_reason=camera.schedule_deviation_reason,
        retention_hours=camera.retention_hours,
        retention_justification=camera.retention_justification,
        exemption_11_13=camera.exemption or None,
        exemption_justification=camera.exemption_justification,
        state=lifecycle.state or State.PLANNED.value,
        installed_on=lifecycle.installed_on,
        operation_started_on=lifecycle.operation_started_on,
        legacy_permit=_permit_facts(documents.permits, on_date),
        legal_task_reference=working.legal_task_text() if working else "",
        necessity_justification=working.effective("necessity") if working else "",
        controller_board=organisation.controller_board,
        dpo_name=organisation.dpo_name,
        assessment=assessment,
        dpia=_dpia_facts(documents.impact_assessments, on_date),
        child_rights_assessment_completed_on=child_rights.approved_on if child_rights else None,
        signs=_sign_facts(documents.signs, on_date),
        external_operator=bool(working and working.external_operator),
        processor_agreement_valid=processor_ok,
        mbl_negotiation_recorded=bool(working and working.mbl_negotiation.strip()),
        serious_incident_basis=camera.serious_incident_basis,
    )


@dataclass
class CameraCompliance:
    """A camera with its life cycle, documents and facts on a date."""

    camera: Camera
    on_date: dt.date
    lifecycle: Lifecycle
    documents: CameraDocuments
    facts: CameraFacts
    approved_assessment: SurveillanceAssessment | None
    increases: list[intrusion.Increase]

    def checklist(self) -> list[Check]:
        return activation_checklist(self.facts, self.on_date)


def cameras_for_compliance(queryset: QuerySet[Camera] | None = None) -> QuerySet[Camera]:
    """Cameras with what the facts need, in two queries (cameras with sites, transitions)."""
    queryset = queryset if queryset is not None else Camera.objects.all()
    return queryset.select_related("site").prefetch_related(
        Prefetch("transitions", queryset=CameraTransition.objects.order_by("occurred_on", "sequence"))
    )


def compliance_for_many(cameras: Iterable[Camera], on_date: dt.date) -> list[CameraCompliance]:
    """Facts for many cameras in a fixed number of queries (cameras loaded by `cameras_for_compliance`)."""
    cameras = list(cameras)
    documents = load_documents(cameras)
    organisation = Organisation.current()
    result = []
    for camera in cameras:
        lifecycle = lifecycle_on(list(camera.transitions.all()), on_date)
        docs = documents[camera.pk]
        approved = approved_assessment(docs, on_date)
        increases = staleness(camera, approved)
        result.append(
            CameraCompliance(
                camera=camera,
                on_date=on_date,
                lifecycle=lifecycle,
                documents=docs,
                facts=build_facts(camera, on_date, docs, organisation, lifecycle, approved, increases),
                approved_assessment=approved,
                increases=increases,
            )
        )
    return result


def compliance_for(camera: Camera, on_date: dt.date) -> CameraCompliance:
    """Facts and documents of one camera on `on_date`."""
    loaded = cameras_for_compliance(Camera.objects.filter(pk=camera.pk)).get()
    # Unsaved edits of the caller's instance (a change being checked) take part in the facts.
    for name in [f.attname for f in Camera._meta.concrete_fields]:
        setattr(loaded, name, getattr(camera, name))
    return compliance_for_many([loaded], on_date)[0]


def facts_for(camera: Camera, on_date: dt.date) -> CameraFacts:
    """The rules engine's facts about `camera` as of `on_date`, built from its documents."""
    return compliance_for(camera, on_date).facts


#
# Presenting checks
#


def check_message(check: Check) -> str:
    """The check's message in the user's language: gettext(template) % params."""
    if check.passed:
        return ""
    return gettext(check.message_template) % check.params


def check_as_dict(check: Check) -> dict[str, Any]:
    return {
        "code": check.code,
        "severity": str(check.severity),
        "title": gettext(check.title),
        "passed": check.passed,
        "reason": check_message(check),
        "legal_reference": gettext(check.legal_reference),
        "why": gettext(check.why),
    }


def gate_reason(check: Check) -> str:
    """One line of a refusal: what is missing, the legal reference and why it matters."""
    return gettext("%(title)s: %(reason)s (%(reference)s) Varför: %(why)s") % {
        "title": gettext(check.title),
        "reason": check_message(check),
        "reference": gettext(check.legal_reference),
        "why": gettext(check.why),
    }


def increase_text(increase: intrusion.Increase) -> str:
    label = gettext(increase.label)
    if increase.approved or increase.now:
        return gettext("%(change)s (godkänt: %(approved)s, nu: %(now)s)") % {
            "change": label,
            "approved": increase.approved or "–",
            "now": increase.now or "–",
        }
    return label


def checklist_data(compliance: CameraCompliance) -> dict[str, Any]:
    """The checklist as JSON-ready data: every check with pass/fail, reason and legal reference."""
    checks = compliance.checklist()
    return {
        "camera": compliance.camera.identifier,
        "date": compliance.on_date.isoformat(),
        "state": compliance.lifecycle.state,
        "activation_allowed": all(c.passed for c in checks if c.severity is Severity.BLOCKER),
        "dpia_required": dpia_required(compliance.facts),
        "dpia_criteria": sorted(dpia_criteria(compliance.facts)),
        "assessment_stale": bool(compliance.increases),
        "intrusion_increases": [increase_text(i) for i in compliance.increases],
        "checks": [check_as_dict(c) for c in checks],
    }


#
# Hooks into the camera's life
#


def activation_gate(camera: Camera, target: State, on: dt.date) -> list[str]:
    """Pre-move check: the Swedish reasons why `camera` may not enter "i drift" on `on` (empty: it may)."""
    if target is not State.IN_OPERATION:
        return []
    if on < GATE_FROM and current_context().source not in INTERACTIVE_SOURCES:
        return []
    compliance = compliance_for(camera, on)
    failing = [c for c in compliance.checklist() if c.severity is Severity.BLOCKER and not c.passed]
    if not failing:
        return []
    header = gettext("Kameran %(camera)s kan inte tas i drift %(date)s. Detta saknas:") % {
        "camera": camera.identifier,
        "date": on.isoformat(),
    }
    reasons = [header, *(gate_reason(c) for c in failing)]
    if compliance.increases:
        reasons.append(
            gettext("Ändringar som ökat intrånget sedan intresseavvägningen godkändes: %(changes)s.")
            % {"changes": "; ".join(increase_text(i) for i in compliance.increases)}
        )
    return reasons


def _current_assessment(camera: Camera) -> SurveillanceAssessment | None:
    return (
        SurveillanceAssessment.objects.filter(camera=camera, status=DocumentStatus.APPROVED)
        .order_by("-approved_on", "-version")
        .first()
    )


def intrusion_change_check(stored: Camera | None, edited: Camera) -> dict[str, list[str]]:
    """Change check: refuse an edit that intrudes more while the camera is in operation (9 § KBL).

    For a camera not in operation the edit is allowed; its assessment turns stale and the gate
    blocks activation until a new one is approved.
    """
    if stored is None or stored.state != State.IN_OPERATION.value:
        return {}
    assessment = _current_assessment(stored)
    before = intrusion.snapshot(stored)
    baseline = assessment.snapshot if assessment is not None and assessment.snapshot else before
    now = intrusion.snapshot(edited)
    found: dict[str, list[str]] = {}
    for increase in intrusion.increases(baseline, now):
        key = "schedule_rules" if increase.field == "schedule_template" else increase.field
        if before.get(key) == now.get(key) and increase.field != "schedule_template":
            continue  # not changed by this edit
        if increase.field == "schedule_template" and before["schedule_rules"] == now["schedule_rules"]:
            continue
        target = increase.field if increase.field in {f.name for f in Camera._meta.fields} else "__all__"
        found.setdefault(target, []).append(
            gettext(
                "Kameran är i drift och ändringen ökar intrånget: %(change)s. En ny intresseavvägning enligt 9 § "
                "kamerabevakningslagen måste godkännas innan ändringen görs, eller så pausas kameran först."
            )
            % {"change": increase_text(increase)}
        )
    return found


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


#
# The DPIA's risk matrix
#


@dataclass
class MatrixCell:
    severity: int
    likelihood: int
    risks: list[DpiaRisk]

    @property
    def level(self) -> str:
        score = self.severity * self.likelihood
        return "high" if score >= 9 else "medium" if score >= 4 else "low"


def risk_matrix(risks: Iterable[DpiaRisk]) -> list[list[MatrixCell]]:
    """Rows of severity 4 down to 1, columns of likelihood 1 to 4, each cell with its risks."""
    grid = {(s, li): MatrixCell(s, li, []) for s in range(1, 5) for li in range(1, 5)}
    for risk in risks:
        grid[(risk.severity, risk.likelihood)].risks.append(risk)
    return [[grid[(s, li)] for li in range(1, 5)] for s in range(4, 0, -1)]


#
# The 10 § register
#


@dataclass
class RegisterRow:
    """One line of the register of surveillance (10 § KBL): the five items plus status."""

    camera: str
    entry: RegisterEntry
    status: str
    ended_on: dt.date | None

    @property
    def complete(self) -> bool:
        e = self.entry
        return bool(e.address and e.place_type and e.purpose and e.latest_assessment_on)

    def as_list(self) -> list[str]:
        e = self.entry
        return [
            self.camera,
            e.address,
            e.place_type,
            e.purpose or gettext("saknas"),
            ", ".join(e.special_technology) or gettext("nej"),
            e.latest_assessment_on.isoformat() if e.latest_assessment_on else gettext("saknas"),
            self.status,
            self.ended_on.isoformat() if self.ended_on else "",
        ]


def register_columns() -> list[str]:
    return [
        gettext("Kamera"),
        gettext("Adress eller plats"),
        gettext("Typ av plats"),
        gettext("Ändamål"),
        gettext("Ljud eller annan särskild teknik"),
        gettext("Senaste intresseavvägning (9 §)"),
        gettext("Status"),
        gettext("Avslutad"),
    ]


def register_rows(on_date: dt.date) -> list[RegisterRow]:
    """The register as of `on_date`: ongoing surveillance and surveillance ended in the last five years.

    Generated from cameras, their transitions and latest approved assessments (never kept by hand),
    in a fixed number of queries. Cameras exempted under 11–13 §§ have no entry.
    """
    rows = []
    for item in compliance_for_many(cameras_for_compliance().order_by("identifier"), on_date):
        lifecycle = item.lifecycle
        if lifecycle.state in ONGOING_STATES:
            status = (
                gettext("pågående") if lifecycle.state == State.IN_OPERATION.value else gettext("pågående (pausad)")
            )
        elif (
            lifecycle.state == State.DECOMMISSIONED.value
            and lifecycle.operation_started_on is not None
            and on_date < add_years(lifecycle.ended_on, RETENTION_YEARS)
        ):
            status = gettext("avslutad")
        else:
            continue
        # 10 § applies from 2025-04-01; for earlier dates the register shows what it would have held.
        entry = register_entry(item.facts, max(on_date, NEW_REGIME_FROM))
        if entry is None:
            continue
        entry = RegisterEntry(
            address=entry.address,
            place_type=gettext(entry.place_type),
            purpose=entry.purpose,
            special_technology=tuple(gettext(t) for t in entry.special_technology),
            latest_assessment_on=entry.latest_assessment_on,
        )
        rows.append(RegisterRow(item.camera.identifier, entry, status, lifecycle.ended_on))
    return rows


def register_csv(on_date: dt.date) -> str:
    """The register as semicolon-separated CSV (Swedish spreadsheets), with the secrecy marking first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([secrecy_marking()])
    writer.writerow(
        [
            gettext("Förteckning över kamerabevakning enligt 10 § kamerabevakningslagen, per %(date)s")
            % {"date": on_date.isoformat()}
        ]
    )
    writer.writerow(register_columns())
    for row in register_rows(on_date):
        writer.writerow(row.as_list())
    return "\ufeff" + buffer.getvalue()


def render_pdf(template: str, context: dict[str, Any], base_url: str | None = None) -> bytes:
    """A PDF from an HTML template with WeasyPrint."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html, base_url=base_url).write_pdf()


def register_context(on_date: dt.date) -> dict[str, Any]:
    organisation = Organisation.current()
    return {
        "organisation": organisation,
        "on_date": on_date,
        "rows": register_rows(on_date),
        "columns": register_columns(),
        "marking": secrecy_marking(),
        "before_regime": on_date < NEW_REGIME_FROM,
        "regime_from": NEW_REGIME_FROM,
        "generated_on": timezone.localdate(),
    }


def register_pdf(on_date: dt.date, imy_case_number: str = "") -> bytes:
    return render_pdf("compliance/register_pdf.html", {**register_context(on_date), "imy_case_number": imy_case_number})


def log_register_export(kind: str, on_date: dt.date, user: Any = None, imy_case_number: str = "") -> None:
    """Record an export of the register in the change log (the IMY request export names IMY's case)."""
    record = ProcessingRecord.objects.order_by("pk").first()
    subject = record or Organisation.objects.order_by("pk").first()
    if subject is None:
        return
    event = "register.imy_request" if imy_case_number else "register.exported"
    record_event(
        subject,
        event,
        {"format": kind, "as_of": on_date.isoformat(), "imy_case_number": imy_case_number},
        message=imy_case_number,
    )


#
# The art. 30 record of processing
#


@dataclass
class ProcessingSummary:
    """The art. 30 record for camera surveillance: what people decided and what the cameras say."""

    record: ProcessingRecord | None
    organisation: Organisation
    on_date: dt.date
    camera_count: int
    purposes: list[str]
    data_subjects: list[str]
    data_categories: list[str]
    retention: str

    def as_rows(self) -> list[tuple[str, str]]:
        record = self.record
        missing = gettext("ej angivet")
        organisation = self.organisation
        dpo = ", ".join(v for v in (organisation.dpo_name, organisation.dpo_email, organisation.dpo_phone) if v)
        return [
            (gettext("Behandling"), record.name if record else gettext("Kamerabevakning – trygghetskameror")),
            (
                gettext("a) Personuppgiftsansvarig och kontaktuppgifter"),
                "; ".join(
                    v
                    for v in (
                        organisation.controller_board,
                        organisation.municipality_name,
                        record.controller_contact if record else missing,
                    )
                    if v
                ),
            ),
            (gettext("Gemensamt personuppgiftsansvariga"), (record.joint_controllers if record else "") or "–"),
            (gettext("Dataskyddsombud"), dpo or missing),
            (gettext("b) Ändamål"), "; ".join(self.purposes) or missing),
            (gettext("Rättslig grund"), record.legal_basis if record else missing),
            (gettext("c) Kategorier av registrerade"), ", ".join(self.data_subjects) or missing),
            (gettext("c) Kategorier av personuppgifter"), ", ".join(self.data_categories)),
            (gettext("d) Mottagare"), record.recipients if record else missing),
            (gettext("e) Överföring till tredjeland"), record.third_country_transfers if record else missing),
            (gettext("f) Tidsfrister för radering"), self.retention),
            (
                gettext("g) Tekniska och organisatoriska säkerhetsåtgärder"),
                record.security_measures if record else missing,
            ),
            (gettext("Antal kameror i drift eller pausade"), str(self.camera_count)),
        ]


def processing_summary(on_date: dt.date) -> ProcessingSummary:
    """The art. 30 record for camera surveillance on `on_date`, generated from the cameras (R4.4)."""
    from trygg.cameras.services import cameras_with_state_on

    organisation = Organisation.current()
    record = ProcessingRecord.objects.filter(controller_board=organisation.controller_board).first()
    cameras = list(
        cameras_with_state_on(on_date, Camera.objects.select_related("site")).filter(state_on_date__in=ONGOING_STATES)
    )
    purposes = sorted({c.purpose.strip() for c in cameras if c.purpose.strip()})
    subjects = [gettext("allmänheten och besökare")]
    if any(c.site.is_school for c in cameras):
        subjects.append(gettext("elever och barn"))
    if any(c.captures_staff_workplace or c.site.kind == "municipal_building" for c in cameras):
        subjects.append(gettext("personal"))
    categories = [gettext("bild"), gettext("tid och plats för inspelningen")]
    if any(c.records_sound for c in cameras):
        categories.insert(1, gettext("ljud"))
    hours = sorted({c.retention_hours for c in cameras})
    if not hours:
        retention = gettext("inga kameror i drift")
    elif len(hours) == 1:
        retention = gettext("inspelningar raderas efter %(hours)s timmar") % {"hours": hours[0]}
    else:
        retention = gettext("inspelningar raderas efter %(low)s–%(high)s timmar beroende på kamera") % {
            "low": hours[0],
            "high": hours[-1],
        }
    return ProcessingSummary(
        record=record,
        organisation=organisation,
        on_date=on_date,
        camera_count=len(cameras),
        purposes=purposes,
        data_subjects=subjects,
        data_categories=categories,
        retention=retention,
    )


def processing_csv(on_date: dt.date) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([gettext("Uppgift enligt art. 30 dataskyddsförordningen"), gettext("Innehåll")])
    for label, value in processing_summary(on_date).as_rows():
        writer.writerow([label, value])
    return "\ufeff" + buffer.getvalue()


#
# Public information (layer 2) and signs
#


@dataclass
class PublicSiteInformation:
    """What anyone may read about surveillance at a site: counts and purposes, never positions."""

    site_name: str
    site_kind: str
    on_date: dt.date
    cameras_in_operation: int
    purposes: list[str]
    records_sound: bool
    special_technology: list[str]
    retention_hours: list[int]
    latest_assessment_on: dt.date | None
    legal_bases: list[str]


def public_site_information(site: Any, on_date: dt.date) -> PublicSiteInformation:
    """Art. 13 information for one site (legal.md R2.3), aggregated so no camera can be located.

    Cameras with a secret placement (OSL 18 kap. 8 §) are only counted: what their signs say is
    already public, where they hang is not, so nothing per camera is shown for any camera.
    """
    items = [
        item
        for item in compliance_for_many(cameras_for_compliance(Camera.objects.filter(site=site)), on_date)
        if item.lifecycle.state in ONGOING_STATES
    ]
    open_items = [item for item in items if not item.camera.secret_placement]
    purposes = sorted({item.camera.purpose.strip() for item in items if item.camera.purpose.strip()})
    technology = sorted({gettext(t) for item in open_items for t in item.facts.special_technology()})
    approved = [item.approved_assessment.approved_on for item in items if item.approved_assessment]
    bases = sorted({item.facts.legal_task_reference for item in items if item.facts.legal_task_reference})
    return PublicSiteInformation(
        site_name=site.name,
        site_kind=str(SITE_KINDS.get(site.kind, site.kind)),
        on_date=on_date,
        cameras_in_operation=sum(1 for item in items if item.lifecycle.state == State.IN_OPERATION.value),
        purposes=purposes,
        records_sound=any(item.camera.records_sound for item in items),
        special_technology=technology,
        retention_hours=sorted({item.camera.retention_hours for item in items}),
        latest_assessment_on=max(approved, default=None),
        legal_bases=[gettext(b) for b in bases],
    )


def sign_context(camera: Camera, paper: str, information_url: str) -> dict[str, Any]:
    """What a printed sign says (15 § KBL; IMY's layer 1, legal.md R2.2), from organisation and camera."""
    organisation = Organisation.current()
    record = ProcessingRecord.objects.filter(controller_board=organisation.controller_board).first()
    from trygg.compliance.engine.rules import RETENTION_ON_SIGN_ABOVE_HOURS

    return {
        "paper": paper,
        "organisation": organisation,
        "record": record,
        "camera": camera,
        "site": camera.site,
        "purpose": camera.purpose.strip(),
        "records_sound": camera.records_sound,
        "retention_days": camera.retention_hours / 24,
        "show_retention": camera.retention_hours > RETENTION_ON_SIGN_ABOVE_HOURS,
        "information_url": information_url,
        "information_phone": (record.information_phone if record else "") or organisation.dpo_phone,
    }


def sign_pdf(camera: Camera, paper: str, information_url: str) -> bytes:
    return render_pdf("compliance/sign_pdf.html", sign_context(camera, paper, information_url))


def factor_labels(codes: Iterable[str]) -> list[str]:
    return [str(FactorFor(code).label) for code in codes if code in FactorFor.values]
