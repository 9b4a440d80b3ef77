"""Facts about one camera as of one date: the input of the rules engine (plain data, no Django).

The Django layer fills a `CameraFacts` from its models (camera, site, assessments, DPIA, child-rights
assessment, signs, permit) *as of* the date it evaluates, and the engine never looks anything up.
The vocabularies below are the values of the model choices; a value outside them raises
`ValueError` at once, so a mismatch between models and engine fails loudly instead of silently
passing a check.

Descriptive fields (where the camera is and what it does) have no default: the caller must say.
Documentation fields default to "nothing documented", so a forgotten field fails its check rather
than passing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

from trygg.cameras.schedule import MINUTES_PER_WEEK, Schedule
from trygg.compliance.engine.i18n import _

# Dates on which the law changed (sources in reference/legal.md).
GDPR_APPLIES_FROM = dt.date(2018, 5, 25)  # art. 99.2 dataskyddsförordningen
KBL_2018_IN_FORCE = dt.date(2018, 8, 1)  # kamerabevakningslagen (2018:1200)
BARNKONVENTIONEN_IN_FORCE = dt.date(2020, 1, 1)  # lag (2018:1197)
OLD_TRANSPORT_PHARMACY_EXEMPTION_FROM = dt.date(2020, 8, 1)  # SFS 2020:519
PERMITS_LAPSED_ON = dt.date(2025, 3, 31)  # övergångsbestämmelse 2 till SFS 2025:220
NEW_REGIME_FROM = dt.date(2025, 4, 1)  # SFS 2025:220, tillståndsplikten slopad

SITE_KINDS: dict[str, str] = {
    "school": _("skola"),
    "preschool": _("förskola"),
    "upper_secondary_school": _("gymnasieskola"),
    "public_place": _("allmän plats (gata, torg)"),
    "park": _("park"),
    "municipal_building": _("kommunal byggnad"),
    "sports_facility": _("idrottsanläggning"),
    "parking": _("parkering"),
    "other": _("övrigt"),
}

# Sites where children are the main data subjects. Upper-secondary schools count: their pupils are
# mostly under 18, so Barnkonventionen and IMY's school practice apply to them as to other schools.
SCHOOL_KINDS = frozenset({"school", "preschool", "upper_secondary_school"})

CAMERA_TYPES: dict[str, str] = {
    "fixed": _("fast kamera"),
    "dome": _("domkamera"),
    "ptz": _("styrbar kamera (PTZ)"),
    "thermal": _("värmekamera"),
}

PRIVACY_MASKINGS: dict[str, str] = {
    "none": _("ingen"),
    "static_mask": _("statisk maskering"),
    "pixelation": _("pixelering"),
    "thermal_only": _("endast värmebild"),
}

SCHEDULE_TEMPLATES = frozenset({"always", "imy_school_facade", "custom"})

CAMERA_STATES: dict[str, str] = {
    "planned": _("planerad"),
    "designed": _("projekterad"),
    "installed": _("installerad"),
    "in_operation": _("i drift"),
    "paused": _("pausad"),
    "decommissioned": _("avvecklad"),
}
# States in which the camera hangs on the wall, whether or not it records at the moment.
MOUNTED_STATES = frozenset({"installed", "in_operation", "paused"})

RESIDUAL_RISKS: dict[str, str] = {"low": _("låg"), "medium": _("medel"), "high": _("hög")}
PRIOR_CONSULTATION_STATUSES: dict[str, str] = {
    "not_needed": _("behövs inte"),
    "required": _("krävs men inte påbörjat"),
    "ongoing": _("pågår"),
    "closed": _("avslutat"),
}

# 11–13 §§ kamerabevakningslagen (lydelse SFS 2025:220): surveillance to which 8–10 §§ do not apply.
EXEMPTIONS_11_13: dict[str, str] = {
    "protected_object": _("skyddsobjekt"),
    "armed_forces": _("Försvarsmakten"),
    "road_authority": _("Trafikverket – väg, bro, trängselskatt eller vägavgift"),
    "road_tunnel": _("annan väghållare – vägtunnel"),
    "public_transport": _("kollektivtrafik – fordon, station, hållplats eller spårområde"),
    "airport": _("flygplats"),
    "postal_premises": _("postverksamhetens lokaler"),
    "parking_garage_crime": _("parkeringsgarage – för att förebygga, förhindra eller upptäcka brott"),
    "vehicle_visibility": _("sikt för fordon eller maskiner"),
    "pharmacy": _("apotek"),
    "border_area": _("brottsbekämpande myndighet i gränsområde"),
    "rescue_or_police_short_term": _("räddningsledare eller polis, högst en månad (13 §)"),
}
# Before 2025-04-01 the permit exemptions a municipality could meet were these (old 9 §, SFS 2020:519).
OLD_PERMIT_EXEMPTIONS = frozenset({"public_transport", "airport", "pharmacy"})

# Rules of zones a camera must keep its view out of (the values of the Zone model's rule). Zones that
# may be watched ("may_monitor") never reach the engine.
PROTECTED_ZONE_RULES: dict[str, str] = {
    "must_not_monitor": _("får inte bevakas"),
    "only_outside_school_hours": _("får bevakas endast utanför skoltid"),
}
DEFAULT_INTRUSION_TOLERANCE_M2 = 1.0  # Organisation.intrusion_tolerance_m2 has the same default

# The nine EDPB criteria (WP248 rev.01, taken over by EDPB); IMY requires a DPIA when two or more hold.
DPIA_CRITERIA: dict[str, str] = {
    "evaluation_scoring": _("utvärdering eller poängsättning"),
    "automated_decision": _("automatiserat beslutsfattande med rättslig eller liknande betydande verkan"),
    "systematic_monitoring": _("systematisk övervakning"),
    "sensitive_data": _("känsliga uppgifter eller uppgifter av mycket personlig karaktär"),
    "large_scale": _("behandling i stor omfattning"),
    "matching_datasets": _("matchning eller sammanförande av datamängder"),
    "vulnerable_subjects": _("sårbara registrerade (barn, anställda)"),
    "innovative_technology": _("innovativ användning eller ny teknik"),
    "prevents_rights": _("behandlingen hindrar de registrerade att utöva en rättighet eller använda en tjänst"),
}


def _require(value: str, allowed: Collection[str], name: str) -> None:
    if value not in allowed:
        raise ValueError(f"{name}={value!r} is not one of {sorted(allowed)!r}")


def _require_non_negative(value: int, name: str) -> None:
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


@dataclass(frozen=True, kw_only=True)
class LegacyPermit:
    """An IMY (earlier Datainspektionen or länsstyrelse) permit under the regime before 2025-04-01.

    Every such permit lapsed at the end of 2025-03-31 (övergångsbestämmelse 2 till SFS 2025:220),
    whatever `expires_on` says. `hours` are the hours the permit allowed, when it limited them.
    """

    imy_case_number: str
    decision_date: dt.date
    conditions: str = ""
    hours: Schedule | None = None
    expires_on: dt.date = PERMITS_LAPSED_ON

    def valid_on(self, day: dt.date) -> bool:
        """Whether the permit covered `day`."""
        return self.decision_date <= day <= min(self.expires_on, PERMITS_LAPSED_ON)


@dataclass(frozen=True, kw_only=True)
class AssessmentFacts:
    """The documented 9 § assessment (intresseavvägning) and what it relies on.

    `approved_on` is the date of the latest *approved* assessment. A change that increases intrusion
    (field of view, hours, sound, analytics, retention) needs a new assessment before it is made:
    give the date of the latest such change in `last_intrusion_increase_on` and the engine decides
    staleness per date, or set `stale` when the caller already knows the assessment is outdated.

    `incident_week_minutes` are the minutes of the week (0 = Monday 00:00) at which documented
    incidents happened, or the minutes of weekly ranges the incidents are summarised in; None means
    the times are not known. A scheduled minute counts as documented when an incident happened in
    the same clock hour on any weekday: IMY grants "the hours" with documented problems (evenings,
    nights), not exact weekdays.
    """

    approved_on: dt.date | None = None
    last_intrusion_increase_on: dt.date | None = None
    stale: bool = False
    alternatives_considered: int = 0
    incidents_relied_on: int = 0
    incident_week_minutes: frozenset[int] | None = None

    def __post_init__(self) -> None:
        _require_non_negative(self.alternatives_considered, "alternatives_considered")
        _require_non_negative(self.incidents_relied_on, "incidents_relied_on")
        minutes = self.incident_week_minutes
        # min/max rather than a loop: thousands of minutes per camera, built for every camera in the register.
        if minutes and not (min(minutes) >= 0 and max(minutes) < MINUTES_PER_WEEK):
            raise ValueError("incident_week_minutes must lie in 0..10079 (minutes of a week)")

    def approved_by(self, day: dt.date) -> bool:
        """Whether an approved assessment exists on `day`."""
        return self.approved_on is not None and self.approved_on <= day

    def is_stale(self, day: dt.date) -> bool:
        """Whether an intrusion-increasing change on or before `day` came after the approval."""
        if self.stale:
            return True
        return (
            self.approved_on is not None
            and self.last_intrusion_increase_on is not None
            and self.approved_on < self.last_intrusion_increase_on <= day
        )


def incident_minutes_from_ranges(ranges: tuple[tuple[int, int], ...]) -> frozenset[int]:
    """Turn weekly minute ranges `(start, end)` (end exclusive, may wrap past Sunday) into a minute set."""
    minutes: set[int] = set()
    for start, end in ranges:
        length = (end - start) % MINUTES_PER_WEEK
        minutes.update((start + offset) % MINUTES_PER_WEEK for offset in range(length))
    return frozenset(minutes)


@dataclass(frozen=True, kw_only=True)
class DpiaFacts:
    """The data protection impact assessment (konsekvensbedömning, art. 35 GDPR) and its follow-up.

    `criteria` are the EDPB criteria the officer ticked (codes of `DPIA_CRITERIA`); the engine adds
    the ones that follow from the camera itself (see `dpia.derived_dpia_criteria`).
    """

    criteria: frozenset[str] = frozenset()
    approved_on: dt.date | None = None
    dpo_advice_recorded: bool = False
    residual_risk: str | None = None
    prior_consultation_status: str = "not_needed"

    def __post_init__(self) -> None:
        for criterion in self.criteria:
            _require(criterion, DPIA_CRITERIA, "dpia criterion")
        if self.residual_risk is not None:
            _require(self.residual_risk, RESIDUAL_RISKS, "residual_risk")
        _require(self.prior_consultation_status, PRIOR_CONSULTATION_STATUSES, "prior_consultation_status")


# Documents made for one site, which cover a camera only while it is at that site (legal.md R1.4, R3.5).
SITE_BOUND_DOCUMENTS: dict[str, str] = {
    "assessment": _("intresseavvägningen (9 §)"),
    "dpia": _("konsekvensbedömningen (art. 35)"),
}


@dataclass(frozen=True, kw_only=True)
class OtherSiteDocument:
    """An approved assessment or DPIA that names the camera but was made for another site than the camera's now.

    A 9 § assessment weighs the surveillance of one place (its crime, its surroundings, who is filmed there)
    and a DPIA the processing at one site, so neither covers the camera once it belongs to another site.
    `kind` is a key of SITE_BOUND_DOCUMENTS; `site_name` the site the document was made for.
    """

    kind: str
    site_name: str
    approved_on: dt.date

    def __post_init__(self) -> None:
        _require(self.kind, SITE_BOUND_DOCUMENTS, "site-bound document kind")


@dataclass(frozen=True, kw_only=True)
class SignFacts:
    """The signs (skyltning, 15 § KBL) for the camera: layer 1 on site, layer 2 full information.

    `includes_controller_contact` and `includes_dpo_contact` say whether the signs give the contact
    details of the controller and of the data protection officer (art. 13.1 a–b GDPR, IMY's layer 1);
    the caller sets them only when every sign that is up gives them.
    """

    installed_count: int = 0
    mentions_sound: bool = False
    mentions_retention: bool = False
    includes_controller_contact: bool = False
    includes_dpo_contact: bool = False
    layer2_available: bool = False
    installed_on: dt.date | None = None
    last_inspected_on: dt.date | None = None

    def __post_init__(self) -> None:
        _require_non_negative(self.installed_count, "installed_count")


@dataclass(frozen=True, kw_only=True)
class ZoneInView:
    """A zone of the site that must not be watched (always, or during school hours) in the camera's view.

    `area_m2` is the zone's area inside the camera's computed visible coverage (buildings, walls and
    fences taken into account), `share` that area over the visible coverage (0–1). `unmasked_m2` is
    the part of `area_m2` that the recorded privacy mask does not cover, or None when no mask was
    compared (then the whole area counts).
    """

    name: str
    rule: str
    area_m2: float
    share: float
    unmasked_m2: float | None = None

    def __post_init__(self) -> None:
        _require(self.rule, PROTECTED_ZONE_RULES, "zone rule")
        if self.area_m2 < 0 or (self.unmasked_m2 is not None and self.unmasked_m2 < 0):
            raise ValueError(f"zone {self.name!r}: areas must not be negative")
        if not 0 <= self.share <= 1:
            raise ValueError(f"zone {self.name!r}: share must lie in 0..1, got {self.share}")


@dataclass(frozen=True, kw_only=True)
class PrivacyMaskFacts:
    """A privacy mask (maskering) recorded on the camera: confirmed on a date, with images from the camera.

    Only a mask confirmed on or before the date and shown by at least one image of the camera's own
    picture counts; the areas it leaves open are in `ZoneInView.unmasked_m2`.
    """

    confirmed_on: dt.date
    image_count: int = 0

    def __post_init__(self) -> None:
        _require_non_negative(self.image_count, "image_count")

    def counts_on(self, day: dt.date) -> bool:
        """Whether the mask was confirmed with an image by `day`."""
        return self.confirmed_on <= day and self.image_count > 0


@dataclass(frozen=True, kw_only=True)
class CameraFacts:
    """Everything the rules need to know about one camera, as of the date being evaluated."""

    # The place.
    site_kind: str
    site_name: str = ""
    is_parking_garage: bool = False
    is_indoor: bool
    public_access: bool  # a place the public has access to (IMY: school facades + 2 m count)
    covers_toilet_or_changing_room: bool
    captures_staff_workplace: bool
    address: str = ""  # 10 § 1: address or comparable description of the location
    purpose: str = ""  # 10 § 3: the purpose of the surveillance

    # The equipment.
    camera_type: str
    records_sound: bool
    uses_anpr: bool = False
    uses_analytics: bool = False
    uses_face_recognition: bool = False
    is_ptz: bool = False
    identifies_persons: bool
    privacy_masking: str = "none"

    # What it sees: the protected zones its computed view reaches into. None means the view is not
    # computed while the site has protected zones, so whether it intrudes is unknown (the check fails).
    zones_in_view: tuple[ZoneInView, ...] | None = None
    privacy_mask_record: PrivacyMaskFacts | None = None
    intrusion_tolerance_m2: float = DEFAULT_INTRUSION_TOLERANCE_M2

    # When it records and for how long it keeps recordings.
    schedule: Schedule
    schedule_template: str = "custom"
    schedule_deviation_reason: str = ""
    retention_hours: int
    retention_justification: str = ""

    # 11–13 §§ exemption, if the controller claims one.
    exemption_11_13: str | None = None
    exemption_justification: str = ""

    # Life cycle on the date.
    state: str
    installed_on: dt.date | None = None
    operation_started_on: dt.date | None = None
    legacy_permit: LegacyPermit | None = None
    # The date the yearly review ("är bevakningen fortfarande motiverad?") is due as of the date
    # evaluated (trygg.evaluation.review_due); None when no review is due (never in operation, decommissioned).
    review_due_on: dt.date | None = None

    # Documentation.
    legal_task_reference: str = ""
    necessity_justification: str = ""
    controller_board: str = ""  # the nämnd that is personuppgiftsansvarig
    dpo_name: str = ""  # the dataskyddsombud
    assessment: AssessmentFacts = field(default_factory=AssessmentFacts)
    dpia: DpiaFacts = field(default_factory=DpiaFacts)
    # The latest approved assessment and DPIA made for another site, when none is approved for this one:
    # the camera changed site since (they are not in `assessment` and `dpia`, which cover this site only).
    other_site_documents: tuple[OtherSiteDocument, ...] = ()
    child_rights_assessment_completed_on: dt.date | None = None
    signs: SignFacts = field(default_factory=SignFacts)
    external_operator: bool = False
    processor_agreement_valid: bool = False
    mbl_negotiation_recorded: bool = False
    serious_incident_basis: str = ""

    def __post_init__(self) -> None:
        _require(self.site_kind, SITE_KINDS, "site_kind")
        _require(self.camera_type, CAMERA_TYPES, "camera_type")
        _require(self.privacy_masking, PRIVACY_MASKINGS, "privacy_masking")
        _require(self.schedule_template, SCHEDULE_TEMPLATES, "schedule_template")
        _require(self.state, CAMERA_STATES, "state")
        _require_non_negative(self.retention_hours, "retention_hours")
        if self.intrusion_tolerance_m2 < 0:
            raise ValueError(f"intrusion_tolerance_m2 must not be negative, got {self.intrusion_tolerance_m2}")

    @property
    def is_school(self) -> bool:
        """Whether the site is a school, preschool or upper-secondary school."""
        return self.site_kind in SCHOOL_KINDS

    def is_mounted_on(self, day: dt.date) -> bool:
        """Whether the camera hung on the wall on `day` (from its state, or its installation date)."""
        if self.state in MOUNTED_STATES:
            return True
        return self.state != "decommissioned" and self.installed_on is not None and self.installed_on <= day

    def special_technology(self) -> tuple[str, ...]:
        """Sound and special technology, as the 10 § register names them (Swedish labels)."""
        labels = []
        if self.records_sound:
            labels.append(_("ljud"))
        if self.uses_anpr:
            labels.append(_("registreringsskyltsläsning (ANPR)"))
        if self.uses_face_recognition:
            labels.append(_("ansiktsigenkänning/biometri"))
        if self.uses_analytics:
            labels.append(_("rörelse- eller beteendeanalys"))
        if self.is_ptz or self.camera_type == "ptz":
            labels.append(_("styrbar kamera (PTZ)"))
        if self.camera_type == "thermal":
            labels.append(_("värmekamera"))
        return tuple(labels)
