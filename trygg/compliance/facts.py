"""A camera's compliance facts as of a date: its life cycle, its documents and what the rules engine needs.

The rules live in the pure engine (`trygg.compliance.engine`); this module fills its `CameraFacts`
from the database (`facts_for`, `compliance_for`, `compliance_for_many`). Bulk functions load
everything in a fixed number of queries, whatever the number of cameras.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from trygg.cameras.history import CURRENT, SettingsAsOf, cameras_as_of
from trygg.cameras.lifecycle import State
from trygg.cameras.masks import MaskedView, views_on
from trygg.cameras.models import Camera, CameraTransition
from trygg.compliance import intrusion
from trygg.compliance.choices import (
    ALLOWING_OUTCOMES,
    EVER_APPROVED_STATUSES,
)
from trygg.compliance.engine import (
    AssessmentFacts,
    CameraFacts,
    Check,
    DpiaFacts,
    OtherSiteDocument,
    PrivacyMaskFacts,
    SignFacts,
    ZoneInView,
    activation_checklist,
)
from trygg.compliance.engine import (
    LegacyPermit as PermitFacts,
)
from trygg.compliance.models import (
    ChildRightsAssessment,
    ImpactAssessment,
    LegacyPermit,
    Sign,
    SurveillanceAssessment,
    VersionedDocument,
)
from trygg.core.models import Organisation
from trygg.sites.models import Site

# States in which surveillance is ongoing (the register lists them; the public sees them counted).
ONGOING_STATES = frozenset({State.IN_OPERATION.value, State.PAUSED.value})


#
# Facts as of a date
#


def document_site_id(document: Any) -> int | None:
    """The site a document was made for, or None when it is not bound to one yet.

    A DPIA belongs to its site. A 9 § assessment weighs the camera at the site it had when the assessment
    was approved (kept in its `snapshot`); an undecided one follows the camera. Other documents: None.
    """
    if isinstance(document, ImpactAssessment):
        return document.site_id
    if isinstance(document, SurveillanceAssessment):
        return (document.snapshot or {}).get("site_id")
    return None


@dataclass
class CameraDocuments:
    """The documents that concern one camera, as loaded from the database (all versions).

    `assessments` are all the camera's 9 § assessments, whatever site they were approved for (a new version
    continues the series); `site_assessments()` are those that may cover the camera at its site `site_id`.
    `impact_assessments` are the DPIAs naming the camera made for its site, `other_site_dpias` those made
    for another site; `site_names` names the other sites (legal.md R3.5: an assessment for each place).
    """

    assessments: list[SurveillanceAssessment] = field(default_factory=list)
    impact_assessments: list[ImpactAssessment] = field(default_factory=list)
    child_rights: list[ChildRightsAssessment] = field(default_factory=list)
    signs: list[Sign] = field(default_factory=list)
    permits: list[LegacyPermit] = field(default_factory=list)
    site_id: int | None = None
    other_site_dpias: list[ImpactAssessment] = field(default_factory=list)
    site_names: dict[int, str] = field(default_factory=dict)

    def site_assessments(self) -> list[SurveillanceAssessment]:
        """The 9 § assessments not approved for another site than the camera's."""
        return [a for a in self.assessments if document_site_id(a) in (None, self.site_id)]

    def other_site_assessments(self) -> list[SurveillanceAssessment]:
        """The 9 § assessments approved for another site than the camera's."""
        return [a for a in self.assessments if document_site_id(a) not in (None, self.site_id)]


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


def _latest_allowing(assessments: Iterable[SurveillanceAssessment], on_date: dt.date) -> SurveillanceAssessment | None:
    allowing = [a for a in assessments if a.effective("outcome") in ALLOWING_OUTCOMES]
    return _latest(allowing, on_date)  # type: ignore[return-value]


def approved_assessment(documents: CameraDocuments, on_date: dt.date) -> SurveillanceAssessment | None:
    """The camera's latest 9 § assessment approved by `on_date` that allows surveillance at its site."""
    return _latest_allowing(documents.site_assessments(), on_date)


def other_site_documents(
    documents: CameraDocuments, on_date: dt.date, approved: SurveillanceAssessment | None
) -> tuple[OtherSiteDocument, ...]:
    """The latest assessment and DPIA approved by `on_date` for another site, of each kind none covers the site."""
    found = []
    if approved is None:
        elsewhere = _latest_allowing(documents.other_site_assessments(), on_date)
        if elsewhere is not None:
            site_name = documents.site_names.get(document_site_id(elsewhere), "?")
            found.append(OtherSiteDocument(kind="assessment", site_name=site_name, approved_on=elsewhere.approved_on))
    if _latest(documents.impact_assessments, on_date) is None:
        dpia = _latest(documents.other_site_dpias, on_date)
        if dpia is not None:
            found.append(OtherSiteDocument(kind="dpia", site_name=dpia.site.name, approved_on=dpia.approved_on))
    return tuple(found)


def load_documents(cameras: Sequence[Camera]) -> dict[int, CameraDocuments]:
    """Every compliance document of `cameras`, in six queries whatever their number.

    Documents made for another site than a camera's (it changed site since) are kept apart: they do not
    cover the camera (`CameraDocuments`).
    """
    documents: dict[int, CameraDocuments] = {camera.pk: CameraDocuments(site_id=camera.site_id) for camera in cameras}
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
        "impactassessment__site"
    ):
        docs = documents[row.camera_id]
        dpia = row.impactassessment
        (docs.impact_assessments if dpia.site_id == docs.site_id else docs.other_site_dpias).append(dpia)
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
    # The names of the sites that assessments were approved for, where the camera is no longer.
    elsewhere = {document_site_id(a) for docs in documents.values() for a in docs.other_site_assessments()}
    if elsewhere:
        names = dict(Site.objects.filter(pk__in=elsewhere).values_list("pk", "name"))
        for docs in documents.values():
            docs.site_names = names
    return documents


def zones_in_view(view: MaskedView | None) -> tuple[ZoneInView, ...] | None:
    """The engine's zones in view from a camera's masked view (None: unknown)."""
    if view is None or view.zones is None:
        return None
    return tuple(
        ZoneInView(name=z.name, rule=z.rule, area_m2=z.area_m2, share=z.share, unmasked_m2=z.unmasked_m2)
        for z in view.zones
    )


def mask_facts(view: MaskedView | None) -> PrivacyMaskFacts | None:
    """The engine's facts about the camera's privacy mask (None without one)."""
    if view is None or view.mask is None:
        return None
    return PrivacyMaskFacts(confirmed_on=view.mask.confirmed_on, image_count=len(view.images))


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
        # Each sign is what someone at that entrance reads, so every sign that is up must give the contacts.
        includes_controller_contact=all(s.includes_controller_contact for s in up),
        includes_dpo_contact=all(s.includes_dpo_contact for s in up),
        layer2_available=any(s.layer2_available for s in up),
        installed_on=min(s.installed_on for s in up),  # type: ignore[type-var]
        last_inspected_on=min(checked),  # type: ignore[type-var]
    )


def _dpia_facts(
    impact_assessments: list[ImpactAssessment], on_date: dt.date, elsewhere: Sequence[ImpactAssessment] = ()
) -> DpiaFacts:
    """The DPIA facts from the DPIAs made for the camera's site.

    Without one, a DPIA of the camera made for another site still tells the risk criteria it ticked (a
    large-scale programme, say): they describe the processing, which a change of site does not change, so
    the camera still needs a DPIA, now for its own site.
    """
    approved = _latest(impact_assessments, on_date)
    current = approved or _newest(impact_assessments)
    if current is None:
        before = _latest(elsewhere, on_date)
        return DpiaFacts(criteria=frozenset(before.criteria or [])) if before is not None else DpiaFacts()
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
    view: MaskedView | None = None,
    review_due_on: dt.date | None = None,
) -> CameraFacts:
    """The engine's facts for `camera` on `on_date` from already loaded rows (no queries).

    `approved` and `increases` may be passed when the caller has them already. `view` (from
    `trygg.cameras.masks.views_on`) gives the protected zones in view and the mask; without it the
    view is unknown (and the zone check fails). `review_due_on` is the yearly review's due date
    (`trygg.evaluation.review_services.review_due_dates`).
    """
    if increases is None:
        approved = approved_assessment(documents, on_date)
        increases = staleness(camera, approved)
    working = approved or _newest(documents.site_assessments())
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
        site_name=site.name,
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
        zones_in_view=zones_in_view(view),
        privacy_mask_record=mask_facts(view),
        intrusion_tolerance_m2=organisation.intrusion_tolerance_m2,
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
        review_due_on=review_due_on,
        legacy_permit=_permit_facts(documents.permits, on_date),
        legal_task_reference=working.legal_task_text() if working else "",
        necessity_justification=working.effective("necessity") if working else "",
        controller_board=organisation.controller_board,
        dpo_name=organisation.dpo_name,
        assessment=assessment,
        dpia=_dpia_facts(documents.impact_assessments, on_date, documents.other_site_dpias),
        other_site_documents=other_site_documents(documents, on_date, approved),
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
    view: MaskedView | None = None
    settings: SettingsAsOf = field(default_factory=lambda: SettingsAsOf(CURRENT))

    def checklist(self) -> list[Check]:
        return activation_checklist(self.facts, self.on_date)


def cameras_for_compliance(queryset: QuerySet[Camera] | None = None) -> QuerySet[Camera]:
    """Cameras with what the facts need, in two queries (cameras with sites, transitions)."""
    queryset = queryset if queryset is not None else Camera.objects.all()
    return queryset.select_related("site").prefetch_related(
        Prefetch("transitions", queryset=CameraTransition.objects.order_by("occurred_on", "sequence"))
    )


def compliance_for_many(
    cameras: Iterable[Camera], on_date: dt.date, as_it_was: bool = False, judge_staleness: bool = True
) -> list[CameraCompliance]:
    """Facts for many cameras in a fixed number of queries (cameras loaded by `cameras_for_compliance`).

    With `as_it_was`, a camera changed since a past `on_date` is judged with its settings on that
    date, read from the change log (`trygg.cameras.history.cameras_as_of`; the instances are
    changed in place), and its view recomputed with today's zones. Otherwise the cameras are judged
    as they are. Without `judge_staleness` (the 10 § register, which does not show it) the comparison of
    each camera with its approved assessment's snapshot is skipped and `increases` stays empty.
    """
    cameras = list(cameras)
    settings = cameras_as_of(cameras, on_date) if as_it_was else {}
    documents = load_documents(cameras)
    views = views_on(cameras, on_date)
    organisation = Organisation.current()
    # The yearly review (trygg.evaluation) builds on compliance, so it is imported here, not at the top.
    from trygg.evaluation.review_services import review_due_dates

    review_due = review_due_dates(cameras, on_date)
    result = []
    for camera in cameras:
        lifecycle = lifecycle_on(list(camera.transitions.all()), on_date)
        docs = documents[camera.pk]
        approved = approved_assessment(docs, on_date)
        increases = staleness(camera, approved) if judge_staleness else []
        view = views[camera.pk]
        result.append(
            CameraCompliance(
                camera=camera,
                on_date=on_date,
                lifecycle=lifecycle,
                documents=docs,
                facts=build_facts(
                    camera, on_date, docs, organisation, lifecycle, approved, increases, view, review_due[camera.pk]
                ),
                approved_assessment=approved,
                increases=increases,
                view=view,
                settings=settings.get(camera.pk, SettingsAsOf(CURRENT)),
            )
        )
    return result


def compliance_for(camera: Camera, on_date: dt.date, as_it_was: bool = False) -> CameraCompliance:
    """Facts and documents of one camera on `on_date` (as it was then, with `as_it_was`)."""
    loaded = cameras_for_compliance(Camera.objects.filter(pk=camera.pk)).get()
    # Unsaved edits of the caller's instance (a change being checked) take part in the facts.
    for name in [f.attname for f in Camera._meta.concrete_fields]:
        setattr(loaded, name, getattr(camera, name))
    return compliance_for_many([loaded], on_date, as_it_was=as_it_was)[0]


def facts_for(camera: Camera, on_date: dt.date) -> CameraFacts:
    """The rules engine's facts about `camera` as of `on_date`, built from its documents."""
    return compliance_for(camera, on_date).facts
