"""The rule book: every legal duty a municipal camera has, as data with the dates it is in force.

A `Rule` is a record: a stable code, the dates it is valid, a severity, the legal reference, a
Swedish message with named placeholders and a one-sentence "why", plus two functions over the
facts: `applies` (is the duty relevant to this camera at all) and `predicate` (is it met). The
sources are in reference/legal.md; each rule below cites its source in one line.

Rules never conclude anything from a camera being outdoors or indoors alone ("exterior = no
permit" is not law): they read the facts the officer recorded (`public_access`, `identifies_persons`
…) and, where the law leaves a judgement, they ask the DPO rather than decide.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from trygg.cameras.schedule import IMY_SCHOOL_FACADE, MINUTES_PER_DAY, SCHOOL_HOURS
from trygg.compliance.engine.dpia import dpia_criteria, dpia_required
from trygg.compliance.engine.facts import (
    BARNKONVENTIONEN_IN_FORCE,
    DPIA_CRITERIA,
    EXEMPTIONS_11_13,
    GDPR_APPLIES_FROM,
    KBL_2018_IN_FORCE,
    NEW_REGIME_FROM,
    OLD_PERMIT_EXEMPTIONS,
    OLD_TRANSPORT_PHARMACY_EXEMPTION_FROM,
    PERMITS_LAPSED_ON,
    PRIOR_CONSULTATION_STATUSES,
    PRIVACY_MASKINGS,
    PROTECTED_ZONE_RULES,
    SITE_BOUND_DOCUMENTS,
    SITE_KINDS,
    CameraFacts,
    OtherSiteDocument,
    ZoneInView,
)
from trygg.compliance.engine.i18n import _
from trygg.compliance.engine.messages import joined, number, percent, render, swedish_number, text, week

RETENTION_RULE_OF_THUMB_HOURS = 72  # EDPB 3/2019 and IMY: "en bra tumregel"
RETENTION_ON_SIGN_ABOVE_HOURS = 7 * 24  # IMY via SäkerhetsBranschen: over 7 days belongs on the sign
SIGN_INSPECTION_MONTHS = 6  # Trygg's routine (reference/legal.md §7, [I])


class Severity(StrEnum):
    """How a failing rule weighs: a blocker stops activation, a warning and info do not."""

    BLOCKER = "blocker"
    WARNING = "warning"
    INFO = "info"


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.BLOCKER: _("hinder"),
    Severity.WARNING: _("varning"),
    Severity.INFO: _("information"),
}

# How sure the research behind the rule is (the tags [V], [S], [I] of reference/legal.md).
CERTAINTIES: dict[str, str] = {
    "verified": _("verifierad i författning eller myndighetskälla"),
    "secondary": _("verifierad endast i sekundärkälla"),
    "inferred": _("tolkning – bekräftas av jurist eller dataskyddsombud"),
}

Predicate = Callable[[CameraFacts, dt.date], bool]
# Parameter values are message parts (`trygg.compliance.engine.messages`): plain strings, or texts, numbers
# and lists translated and formatted when the message is shown.
Params = Callable[[CameraFacts, dt.date], Mapping[str, Any]]


def _no_params(facts: CameraFacts, on_date: dt.date) -> Mapping[str, Any]:
    return {}


def _always(facts: CameraFacts, on_date: dt.date) -> bool:
    return True


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One legal duty as data.

    `predicate` returns True when the duty is met. `applies` returns False when the duty does not
    concern this camera (no sound, so no sound notice). `skipped_when_exempt` marks the duties of
    8–10 §§ kamerabevakningslagen that a valid 11–13 §§ exemption lifts; signage and GDPR stay.
    `message`, `title`, `why` and `legal_reference` are Swedish source strings marked for translation;
    `message` may use the named placeholders that `params` returns, as message parts
    (`trygg.compliance.engine.messages`) so that the Django layer can show them in the reader's language.
    """

    code: str
    title: str
    severity: Severity
    valid_from: dt.date | None
    valid_to: dt.date | None
    legal_reference: str
    message: str
    why: str
    predicate: Predicate
    applies: Predicate = _always
    params: Params = _no_params
    skipped_when_exempt: bool = False
    certainty: str = "verified"

    def __post_init__(self) -> None:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise ValueError(f"{self.code}: valid_from after valid_to")
        if self.certainty not in CERTAINTIES:
            raise ValueError(f"{self.code}: unknown certainty {self.certainty!r}")

    def in_force(self, on_date: dt.date) -> bool:
        """Whether the rule is valid on `on_date` (both ends inclusive; None = open)."""
        return (self.valid_from is None or self.valid_from <= on_date) and (
            self.valid_to is None or on_date <= self.valid_to
        )

    def render(self, facts: CameraFacts, on_date: dt.date) -> tuple[str, dict[str, Any]]:
        """The message in Swedish with its placeholders filled, and the placeholder values used."""
        params = dict(self.params(facts, on_date))
        return render(self.message, params), params


# --- helpers the predicates share -------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months, clamped to the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def format_hours(minutes: int) -> str:
    """Minutes per week as hours in Swedish notation: 180 → "3", 90 → "1,5"."""
    return swedish_number(minutes / 60, 1)


def hours_part(minutes: int) -> dict[str, Any]:
    """Minutes per week as hours, a number shown in the reader's notation (`format_hours` in Swedish)."""
    return number(minutes / 60, 1)


def _hour_of_day(minute_of_week: int) -> int:
    return minute_of_week % MINUTES_PER_DAY // 60


def undocumented_minutes(minutes: frozenset[int], incident_minutes: frozenset[int] | None) -> frozenset[int]:
    """The scheduled `minutes` in clock hours when no incident is documented on any day.

    None for `incident_minutes` means the incident times are unknown, so no minute is documented.
    """
    if incident_minutes is None:
        return minutes
    documented_hours = {_hour_of_day(minute) for minute in incident_minutes}
    return frozenset(minute for minute in minutes if _hour_of_day(minute) not in documented_hours)


_IMY_SCHOOL_FACADE_MINUTES = IMY_SCHOOL_FACADE.weekly_minutes()
_SCHOOL_HOURS_MINUTES = SCHOOL_HOURS.weekly_minutes()


def exemption_problem(facts: CameraFacts) -> str | None:
    """Why the claimed 11–13 §§ exemption cannot be accepted, or None when it can (or none is claimed)."""
    code = facts.exemption_11_13
    if not code:
        return None
    if code not in EXEMPTIONS_11_13:
        return _("okänd undantagsgrund")
    if not facts.exemption_justification.strip():
        return _("motivering saknas")
    if code == "parking_garage_crime" and not facts.is_parking_garage:
        return _("platsen är inte ett parkeringsgarage")
    return None


def exemption_applies(facts: CameraFacts, on_date: dt.date) -> bool:
    """Whether a valid 11–13 §§ exemption lifts the 8–10 §§ duties on `on_date`."""
    return on_date >= NEW_REGIME_FROM and bool(facts.exemption_11_13) and exemption_problem(facts) is None


def _old_permit_exempt(facts: CameraFacts, on_date: dt.date) -> bool:
    # Old 9 § (SFS 2020:519): public transport, airports and pharmacies needed no permit from 2020-08-01.
    return (
        facts.exemption_11_13 in OLD_PERMIT_EXEMPTIONS
        and on_date >= OLD_TRANSPORT_PHARMACY_EXEMPTION_FROM
        and bool(facts.exemption_justification.strip())
    )


def _permit_required(facts: CameraFacts, on_date: dt.date) -> bool:
    # Old 7 §: an authority filming a place the public has access to needed a permit.
    return facts.public_access and not _old_permit_exempt(facts, on_date)


def _has_valid_permit(facts: CameraFacts, on_date: dt.date) -> bool:
    return facts.legacy_permit is not None and facts.legacy_permit.valid_on(on_date)


def _date_param(facts: CameraFacts, on_date: dt.date) -> Mapping[str, str]:
    return {"date": on_date.isoformat()}


def _text(value: str) -> bool:
    return bool(value.strip())


def _school_outdoor(facts: CameraFacts) -> bool:
    return facts.is_school and not facts.is_indoor


def _facade_extra_minutes(facts: CameraFacts) -> frozenset[int]:
    return facts.schedule.weekly_minutes() - _IMY_SCHOOL_FACADE_MINUTES


def school_hours_recorded(facts: CameraFacts) -> frozenset[int]:
    """Minutes of an ordinary week when the camera records during school hours (mån–fre 07–17)."""
    return facts.schedule.weekly_minutes() & _SCHOOL_HOURS_MINUTES


@dataclass(frozen=True)
class ZoneIntrusion:
    """A protected zone the camera's view reaches into by more than the tolerance on a date.

    `counted_m2` is what counts against the tolerance: the area the recorded mask leaves open when
    a mask counts, else the whole area seen. `school_minutes` are, for a zone watched only outside
    school hours, the minutes of school hours in which the camera records (empty for other zones).
    """

    zone: ZoneInView
    counted_m2: float
    masked: bool
    school_minutes: frozenset[int] = frozenset()


def zone_intrusions(facts: CameraFacts, on_date: dt.date) -> list[ZoneIntrusion]:
    """The zones that must not be watched which the camera's view reaches into on `on_date`.

    A zone with rule "must_not_monitor" counts always; one with "only_outside_school_hours" only
    when the camera's schedule records during school hours. A privacy mask counts when it was
    confirmed with an image by `on_date`; then only the area it leaves open counts. An area up to
    the organisation's tolerance (m² per zone) is drawing noise, not intrusion.
    """
    if not facts.zones_in_view:
        return []
    mask = facts.privacy_mask_record
    masked = mask is not None and mask.counts_on(on_date)
    recorded_in_school_hours: frozenset[int] | None = None
    found = []
    for zone in facts.zones_in_view:
        school_minutes: frozenset[int] = frozenset()
        if zone.rule == "only_outside_school_hours":
            if recorded_in_school_hours is None:
                recorded_in_school_hours = school_hours_recorded(facts)
            if not recorded_in_school_hours:
                continue
            school_minutes = recorded_in_school_hours
        counts_mask = masked and zone.unmasked_m2 is not None
        counted = zone.unmasked_m2 if counts_mask and zone.unmasked_m2 is not None else zone.area_m2
        if counted > facts.intrusion_tolerance_m2:
            found.append(ZoneIntrusion(zone, counted, counts_mask, school_minutes))
    return found


def _zone_text(item: ZoneIntrusion) -> dict[str, Any]:
    parts: list[Any] = [
        text(
            _("”%(zone)s” (%(rule)s): %(area)s m², %(share)s av det kameran ser"),
            zone=item.zone.name,
            rule=text(PROTECTED_ZONE_RULES[item.zone.rule]),
            area=number(item.zone.area_m2),
            share=percent(item.zone.share),
        )
    ]
    if item.school_minutes:
        parts.append(text(_(", under skoltid då kameran spelar in %(hours)s"), hours=week(item.school_minutes)))
    if item.masked:
        parts.append(text(_(", varav %(open)s m² utanför maskeringen"), open=number(item.counted_m2)))
    return joined(parts, "")


def _intrusion_params(facts: CameraFacts, on_date: dt.date) -> Mapping[str, Any]:
    if facts.zones_in_view is None:
        problem = text(
            _(
                "Kamerans synfält är inte beräknat, så det går inte att se om den ser in i platsens områden som inte "
                "får bevakas. Ange läge, riktning och bildvinkel och spara kameran."
            )
        )
    else:
        problem = text(
            _("Kamerans beräknade synfält når in i områden som inte får bevakas: %(zones)s."),
            zones=joined((_zone_text(item) for item in zone_intrusions(facts, on_date)), "; "),
        )
    mask = facts.privacy_mask_record
    note: Any = ""
    if mask is not None and mask.confirmed_on <= on_date:
        if mask.image_count == 0:
            note = text(
                _(" Maskeringen från %(date)s räknas inte: bild från kamerans egen bild saknas."),
                date=mask.confirmed_on.isoformat(),
            )
        else:
            note = text(_(" Maskeringen från %(date)s täcker inte hela intrånget."), date=mask.confirmed_on.isoformat())
    return {"problem": problem, "tolerance": number(facts.intrusion_tolerance_m2), "mask": note}


def documents_for_other_sites(facts: CameraFacts, on_date: dt.date) -> list[OtherSiteDocument]:
    """The approved documents made for another site that the camera needs for its own site on `on_date`.

    A 9 § assessment counts from 2025-04-01 unless a valid 11–13 §§ exemption lifts 9 §; a DPIA counts
    when the camera needs one. Nothing counts before its approval.
    """
    needed = []
    for document in facts.other_site_documents:
        if document.approved_on > on_date:
            continue
        if document.kind == "assessment":
            if on_date >= NEW_REGIME_FROM and not exemption_applies(facts, on_date):
                needed.append(document)
        elif dpia_required(facts):
            needed.append(document)
    return needed


def _other_site_params(facts: CameraFacts, on_date: dt.date) -> Mapping[str, Any]:
    documents = (
        text(
            _("%(document)s godkänd %(date)s gäller %(other_site)s"),
            document=text(SITE_BOUND_DOCUMENTS[document.kind]),
            date=document.approved_on.isoformat(),
            other_site=document.site_name,
        )
        for document in documents_for_other_sites(facts, on_date)
    )
    return {"site": facts.site_name, "documents": joined(documents, text(_(" och ")))}


def _register_missing(facts: CameraFacts, on_date: dt.date) -> list[str]:
    missing = []
    if not _text(facts.address):
        missing.append(_("adress"))
    if not _text(facts.purpose):
        missing.append(_("ändamål"))
    if not facts.assessment.approved_by(on_date):
        missing.append(_("datum för senaste intresseavvägning"))
    return missing


def _sign_inspection_due(facts: CameraFacts) -> dt.date | None:
    last = facts.signs.last_inspected_on or facts.signs.installed_on
    return None if last is None else add_months(last, SIGN_INSPECTION_MONTHS)


# --- the rules ----------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    Rule(
        # Source: art. 4.7 and 24 GDPR; each nämnd is controller for its own processing (legal.md R4.4, §7 #1).
        code="GDPR-24-CONTROLLER",
        title=_("Personuppgiftsansvarig nämnd angiven"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 4.7 och 24 dataskyddsförordningen (EU) 2016/679"),
        message=_("Ange vilken nämnd som är personuppgiftsansvarig för kameran."),
        why=_(
            "Utan en utpekad personuppgiftsansvarig bär ingen ansvaret för bevakningen, och skylten kan inte säga "
            "vem som filmar."
        ),
        predicate=lambda f, d: _text(f.controller_board),
    ),
    Rule(
        # Source: art. 37.1 a GDPR (a public authority must have a DPO); legal.md R4.7, §7 #1.
        code="GDPR-37-DPO",
        title=_("Dataskyddsombud angivet"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 37.1 a och 38 dataskyddsförordningen (EU) 2016/679"),
        message=_("Ange dataskyddsombudet för den personuppgiftsansvariga nämnden."),
        why=_(
            "Dataskyddsombudet ska ge råd om konsekvensbedömningen, och ombudets kontaktuppgifter ska stå på skylten."
        ),
        predicate=lambda f, d: _text(f.dpo_name),
    ),
    Rule(
        # Source: 9 § KBL (SFS 2025:220): a new assessment when the conditions at the place change; IMY: an
        # assessment for each place; art. 35 GDPR: the DPIA of the processing at a site (legal.md R1.4, R3.5).
        # First of the documentation checks: the checks after it read only this site's documents.
        code="KBL-9-SITE",
        title=_("Bedömningarna gäller kamerans nuvarande plats"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_(
            "9 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220; art. 35 dataskyddsförordningen "
            "(EU) 2016/679; IMY: en bedömning för varje plats"
        ),
        message=_(
            "Kameran hör nu till %(site)s, men %(documents)s. En bedömning gäller bara bevakningen på den plats den "
            "gjordes för: en ny bedömning för %(site)s måste godkännas, och skyltar sitta uppe där, innan kameran "
            "får vara i drift vid platsen."
        ),
        why=_(
            "Bevakning på en annan plats är en ny bevakning: intresseavvägningen och konsekvensbedömningen vägde "
            "den gamla platsens brott, omgivning och de som filmas där, inte den nya platsens."
        ),
        applies=lambda f, d: bool(documents_for_other_sites(f, d)),
        predicate=lambda f, d: False,
        params=_other_site_params,
    ),
    Rule(
        # Source: art. 6.1 e GDPR; DSL 2 kap. 2 §; 2023:196 14 § / skollagen 5 kap. 3 § (legal.md R1.2).
        code="GDPR-6-LEGAL-TASK",
        title=_("Uppgift av allmänt intresse angiven"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 6.1 e dataskyddsförordningen (EU) 2016/679; 2 kap. 2 § dataskyddslagen (2018:218)"),
        message=_(
            "Ange vilken uppgift av allmänt intresse bevakningen utför, till exempel 14 § lagen (2023:196) "
            "för allmän plats eller 5 kap. 3 § skollagen för skolmiljön."
        ),
        why=_(
            "En kommun får behandla personuppgifter med kamera bara när det behövs för en uppgift den har enligt lag."
        ),
        predicate=lambda f, d: _text(f.legal_task_reference),
    ),
    Rule(
        # Source: 7 § KBL as amended by SFS 2025:220: public-interest surveillance only if necessary (legal.md R1.2).
        code="KBL-7-NECESSITY",
        title=_("Nödvändigheten motiverad"),
        severity=Severity.BLOCKER,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_("7 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220"),
        message=_("Motivera varför kamerabevakningen är nödvändig för att utföra uppgiften."),
        why=_("Utan tillståndsprövning måste kommunen själv kunna visa att bevakningen är nödvändig för uppgiften."),
        predicate=lambda f, d: _text(f.necessity_justification),
    ),
    Rule(
        # Source: 3–5 §§ KBL (scope: monitoring of persons); RÅ 2010 not 132; legal.md R1.1: flag, never auto-exempt.
        code="KBL-3-SCOPE-IDENTIFICATION",
        title=_("Kameran kan identifiera personer"),
        severity=Severity.WARNING,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=None,
        legal_reference=_("3–5 §§ kamerabevakningslagen (2018:1200); RÅ 2010 not 132"),
        message=_(
            "KBL ev. ej tillämplig – dataskyddsombudet bekräftar. Kameran är angiven som att den inte kan "
            "identifiera personer (maskering: %(masking)s). Alla kontroller gäller tills dataskyddsombudet "
            "har bekräftat bedömningen."
        ),
        why=_(
            "En kamera som inte kan identifiera personer kan falla utanför kamerabevakningslagen, men det "
            "avgörs av utrustningens förmåga, inte bara av inställningarna, och GDPR kan gälla ändå."
        ),
        predicate=lambda f, d: f.identifies_persons,
        params=lambda f, d: {"masking": text(PRIVACY_MASKINGS[f.privacy_masking])},
    ),
    Rule(
        # Source: old 7 § KBL (before SFS 2025:220): permit for authorities filming public places (legal.md R1.7).
        code="KBL-OLD-7-PERMIT",
        title=_("Tillstånd från IMY (före 2025-04-01)"),
        severity=Severity.BLOCKER,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=PERMITS_LAPSED_ON,
        legal_reference=_("7 § kamerabevakningslagen (2018:1200), i lydelse före SFS 2025:220"),
        message=_(
            "Kameran ska filma en plats dit allmänheten har tillträde. Före 2025-04-01 krävdes tillstånd från "
            "IMY innan en kommun startade sådan bevakning, och inget giltigt tillstånd är registrerat för %(date)s."
        ),
        why=_(
            "Tillståndet var då beviset på att IMY hade prövat att bevakningsintresset vägde tyngre än "
            "integritetsintresset."
        ),
        applies=lambda f, d: _permit_required(f, d) and not f.is_mounted_on(d),
        predicate=_has_valid_permit,
        params=_date_param,
    ),
    Rule(
        # Source: old 7 § KBL and transitional provision 2 to SFS 2025:220; legal.md R1.7: flag for DPO review.
        code="KBL-OLD-7-HISTORICAL-DEVIATION",
        title=_("Tillstånd från IMY för uppsatt kamera (före 2025-04-01)"),
        severity=Severity.WARNING,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=PERMITS_LAPSED_ON,
        legal_reference=_(
            "7 § kamerabevakningslagen (2018:1200), i lydelse före SFS 2025:220; övergångsbestämmelse 2 till SFS "
            "2025:220"
        ),
        message=_(
            "Historisk avvikelse – granskas. Den %(date)s satt kameran uppe på en plats dit allmänheten har "
            "tillträde, utan registrerat tillstånd från IMY. Dataskyddsombudet granskar om tillstånd krävdes, "
            "till exempel om kameran bara täckte tak eller inte kunde identifiera personer."
        ),
        why=_(
            "IMY räknade då bland annat skolfasader och två meter ut som platser dit allmänheten har tillträde; "
            "om det gällde just den här kameran avgörs vid granskningen, inte automatiskt."
        ),
        applies=lambda f, d: _permit_required(f, d) and f.is_mounted_on(d),
        predicate=_has_valid_permit,
        params=_date_param,
    ),
    Rule(
        # Source: old 7, 13–14 §§ KBL: permits were granted with conditions, often limited hours (legal.md R1.7, §9).
        code="KBL-OLD-7-PERMIT-HOURS",
        title=_("Bevakningstider inom tillståndets tider (före 2025-04-01)"),
        severity=Severity.WARNING,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=PERMITS_LAPSED_ON,
        legal_reference=_("7 och 13–14 §§ kamerabevakningslagen (2018:1200), i lydelse före SFS 2025:220"),
        message=_(
            "Historisk avvikelse – granskas. Bevakningstiderna gick %(extra_hours)s timmar per vecka utöver de "
            "tider som tillståndet %(case_number)s medgav."
        ),
        why=_(
            "IMY gav ofta tillstånd bara för de tider då problem var dokumenterade, och tillståndets villkor styrde "
            "bevakningen."
        ),
        applies=lambda f, d: (
            _has_valid_permit(f, d) and f.legacy_permit is not None and f.legacy_permit.hours is not None
        ),
        predicate=lambda f, d: (
            f.legacy_permit is None or f.legacy_permit.hours is None or f.schedule.within(f.legacy_permit.hours)
        ),
        params=lambda f, d: {
            "extra_hours": hours_part(
                len(f.schedule.weekly_minutes() - f.legacy_permit.hours.weekly_minutes())
                if f.legacy_permit is not None and f.legacy_permit.hours is not None
                else 0
            ),
            "case_number": f.legacy_permit.imy_case_number if f.legacy_permit is not None else "",
        },
    ),
    Rule(
        # Source: 11–13 §§ KBL as amended by SFS 2025:220: listed surveillance exempt from 8–10 §§ (legal.md R1.6).
        code="KBL-11-13-EXEMPTION",
        title=_("Undantag enligt 11–13 §§ styrkt"),
        severity=Severity.BLOCKER,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_("11–13 §§ kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220"),
        message=_(
            "Undantaget ”%(exemption)s” kan inte godtas: %(problem)s. Tills det är rättat gäller kraven i 8–10 §§."
        ),
        why=_(
            "Ett undantag befriar från dokumenterad intresseavvägning och förteckning, så grunden måste vara en av "
            "lagens och vara motiverad; en öppen parkeringsplats är till exempel inte ett parkeringsgarage."
        ),
        applies=lambda f, d: bool(f.exemption_11_13),
        predicate=lambda f, d: exemption_problem(f) is None,
        params=lambda f, d: {
            "exemption": (
                text(EXEMPTIONS_11_13[f.exemption_11_13])
                if f.exemption_11_13 in EXEMPTIONS_11_13
                else f.exemption_11_13 or ""
            ),
            "problem": text(exemption_problem(f) or ""),
        },
    ),
    Rule(
        # Source: 8 § KBL; IMY refuses or cuts back where crime is not documented (legal.md R1.3, §9 p. 2).
        code="KBL-8-INCIDENTS",
        title=_("Brott och incidenter på platsen dokumenterade"),
        severity=Severity.WARNING,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_(
            "8 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220; IMY:s vägledning om kamerabevakning"
        ),
        message=_("Intresseavvägningen bygger inte på några dokumenterade brott eller incidenter på platsen."),
        why=_(
            "IMY:s vanligaste skäl att avslå eller begränsa bevakning var att brottsligheten på platsen inte var "
            "dokumenterad."
        ),
        predicate=lambda f, d: f.assessment.incidents_relied_on > 0,
        skipped_when_exempt=True,
    ),
    Rule(
        # Source: 8 § KBL; IMY lists lighting, locks, alarms, guards as first-line measures (legal.md R1.3).
        code="KBL-8-ALTERNATIVES",
        title=_("Mindre ingripande åtgärder prövade"),
        severity=Severity.WARNING,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_(
            "8 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220; IMY:s vägledning för kommuner"
        ),
        message=_(
            "Inga andra åtgärder (belysning, växtlighet, lås, larm, väktare, vuxennärvaro) är dokumenterade "
            "som prövade eller övervägda."
        ),
        why=_("Kamera ska väljas först när mindre ingripande åtgärder inte räcker."),
        predicate=lambda f, d: f.assessment.alternatives_considered > 0,
        skipped_when_exempt=True,
    ),
    Rule(
        # Source: 8 § KBL; IMY grants only the hours with documented problems (legal.md R1.3). Schools: see facade rule.
        code="KBL-8-INCIDENT-HOURS",
        title=_("Bevakningstiderna motsvarar tider med dokumenterade incidenter"),
        severity=Severity.WARNING,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_(
            "8 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220; IMY:s vägledning om kamerabevakning"
        ),
        message=_(
            "Bevakningstiderna omfattar %(undocumented_hours)s timmar per vecka då inga incidenter är dokumenterade "
            "vid den tiden på dygnet. Begränsa tiderna eller koppla incidenter till dem."
        ),
        why=_(
            "Bevakningsintresset väger bara tungt de tider då problemen är dokumenterade; IMY beviljade ofta bara "
            "kvällar och nätter."
        ),
        applies=lambda f, d: not _school_outdoor(f) and bool(f.schedule.weekly_minutes()),
        predicate=lambda f, d: (
            not undocumented_minutes(f.schedule.weekly_minutes(), f.assessment.incident_week_minutes)
        ),
        params=lambda f, d: {
            "undocumented_hours": hours_part(
                len(undocumented_minutes(f.schedule.weekly_minutes(), f.assessment.incident_week_minutes))
            )
        },
        skipped_when_exempt=True,
    ),
    Rule(
        # Source: 9 § KBL as amended by SFS 2025:220: documented assessment before start (legal.md R1.4, §7 #4).
        code="KBL-9-ASSESSMENT",
        title=_("Dokumenterad intresseavvägning godkänd"),
        severity=Severity.BLOCKER,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_("9 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220"),
        message=_("Det finns ingen godkänd intresseavvägning enligt 9 § daterad senast %(date)s."),
        why=_(
            "Kommunen måste dokumentera att bevakningsintresset väger tyngre än integritetsintresset innan "
            "bevakningen startar; annars kan IMY ta ut sanktionsavgift."
        ),
        predicate=lambda f, d: f.assessment.approved_by(d),
        params=_date_param,
        skipped_when_exempt=True,
    ),
    Rule(
        # Source: 9 § second paragraph KBL (SFS 2025:220): new assessment before an intrusion-increasing change (R1.4).
        code="KBL-9-REASSESSMENT",
        title=_("Intresseavvägningen gäller efter senaste ändring"),
        severity=Severity.BLOCKER,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_("9 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220"),
        message=_(
            "Intresseavvägningen godkändes %(approved_on)s, men kameran har därefter ändrats så att intrånget "
            "ökat (%(changed_on)s). En ny intresseavvägning ska godkännas före en sådan ändring."
        ),
        why=_(
            "Större synfält, fler timmar, ljud, analys eller längre lagring kräver en ny bedömning innan ändringen "
            "görs."
        ),
        applies=lambda f, d: f.assessment.approved_by(d),
        predicate=lambda f, d: not f.assessment.is_stale(d),
        params=lambda f, d: {
            "approved_on": f.assessment.approved_on.isoformat() if f.assessment.approved_on else "",
            "changed_on": f.assessment.last_intrusion_increase_on.isoformat()
            if f.assessment.last_intrusion_increase_on
            else text(_("datum okänt")),
        },
        skipped_when_exempt=True,
    ),
    Rule(
        # Source: 9 § second paragraph KBL (SFS 2025:220), art. 35.11 GDPR; yearly review recommended (legal.md R1.4 [I]).
        code="KBL-9-YEARLY-REVIEW",
        title=_("Årlig omprövning av bevakningen gjord"),
        severity=Severity.WARNING,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_(
            "9 § andra stycket kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220; "
            "art. 35.11 dataskyddsförordningen (EU) 2016/679"
        ),
        message=_(
            "Den årliga omprövningen av om bevakningen fortfarande är motiverad skulle ha gjorts senast %(due)s."
        ),
        why=_(
            "Förhållandena på platsen ändras utan att någon märker det; IMY har kritiserat kameror som fått sitta "
            "kvar år efter år, och bevakning som inte längre behövs ska upphöra."
        ),
        applies=lambda f, d: f.state in ("in_operation", "paused") and f.review_due_on is not None,
        predicate=lambda f, d: f.review_due_on is not None and d <= f.review_due_on,
        params=lambda f, d: {"due": f.review_due_on.isoformat() if f.review_due_on else text(_("okänt"))},
        skipped_when_exempt=True,
        certainty="inferred",
    ),
    Rule(
        # Source: art. 35.1, 35.3 c, 35.4 GDPR; IMY's list: two or more EDPB criteria (legal.md R4.1, §7 #5).
        code="GDPR-35-DPIA",
        title=_("Konsekvensbedömning godkänd"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_(
            "art. 35.1 och 35.4 dataskyddsförordningen (EU) 2016/679; IMY:s förteckning över när en "
            "konsekvensbedömning ska göras"
        ),
        message=_(
            "En konsekvensbedömning krävs eftersom %(criteria_count)s riskkriterier är uppfyllda (%(criteria)s), "
            "men ingen är godkänd senast %(date)s."
        ),
        why=_(
            "När minst två riskkriterier är uppfyllda ska risken för de filmade bedömas och hanteras innan "
            "bevakningen startar."
        ),
        applies=lambda f, d: dpia_required(f),
        predicate=lambda f, d: f.dpia.approved_on is not None and f.dpia.approved_on <= d,
        params=lambda f, d: {
            "criteria_count": str(len(dpia_criteria(f))),
            "criteria": joined(text(DPIA_CRITERIA[c]) for c in sorted(dpia_criteria(f))),
            "date": d.isoformat(),
        },
    ),
    Rule(
        # Source: art. 35.2 GDPR: the controller seeks the DPO's advice on the DPIA (legal.md R4.2, §7 #5).
        code="GDPR-35-DPO-ADVICE",
        title=_("Dataskyddsombudets råd dokumenterat"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 35.2 dataskyddsförordningen (EU) 2016/679"),
        message=_("Dataskyddsombudets råd om konsekvensbedömningen är inte dokumenterat."),
        why=_("Den personuppgiftsansvarige ska inhämta dataskyddsombudets råd när en konsekvensbedömning görs."),
        applies=lambda f, d: dpia_required(f),
        predicate=lambda f, d: f.dpia.dpo_advice_recorded,
    ),
    Rule(
        # Source: art. 36 GDPR: prior consultation with IMY at high residual risk (legal.md R4.3, §7 #6).
        code="GDPR-36-PRIOR-CONSULTATION",
        title=_("Förhandssamråd med IMY avslutat"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 36 dataskyddsförordningen (EU) 2016/679"),
        message=_("Förhandssamråd med IMY krävs och är inte avslutat (status: %(status)s)."),
        why=_(
            "Visar konsekvensbedömningen en hög risk som inte kan begränsas får bevakningen inte starta förrän IMY "
            "har hörts."
        ),
        applies=lambda f, d: (
            f.dpia.residual_risk == "high" or f.dpia.prior_consultation_status in {"required", "ongoing"}
        ),
        predicate=lambda f, d: f.dpia.prior_consultation_status == "closed",
        params=lambda f, d: {"status": text(PRIOR_CONSULTATION_STATUSES[f.dpia.prior_consultation_status])},
    ),
    Rule(
        # Source: lag (2018:1197) art. 3, 12, 16 (law since 2020-01-01); legal.md R5.1–R5.3, §7 #7.
        # Upper-secondary schools are included: their pupils are mostly under 18.
        code="BK-3-CHILD-RIGHTS",
        title=_("Barnrättsprövning slutförd"),
        severity=Severity.BLOCKER,
        valid_from=BARNKONVENTIONEN_IN_FORCE,
        valid_to=None,
        legal_reference=_(
            "art. 3, 12 och 16 barnkonventionen; lag (2018:1197) om Förenta nationernas konvention om barnets "
            "rättigheter"
        ),
        message=_("Ingen barnrättsprövning är slutförd senast %(date)s för kameran vid %(site_kind)s."),
        why=_(
            "Barnets bästa ska vara ett primärt hänsynstagande i åtgärder som rör barn, och barnen har rätt att "
            "komma till tals."
        ),
        applies=lambda f, d: f.is_school,
        predicate=lambda f, d: (
            f.child_rights_assessment_completed_on is not None and f.child_rights_assessment_completed_on <= d
        ),
        params=lambda f, d: {"date": d.isoformat(), "site_kind": text(SITE_KINDS[f.site_kind])},
    ),
    Rule(
        # Source: IMY practice for school facades (FAQ 2023-03-27, blog 2023-12-20) under 8 § KBL (legal.md R3.2–R3.3).
        code="IMY-SCHOOL-FACADE-HOURS",
        title=_("Bevakningstider inom IMY:s praxistider för skolor"),
        severity=Severity.WARNING,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_(
            "8 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220; IMY:s praxis för skolfasader"
        ),
        message=_(
            "Bevakningstiderna går %(extra_hours)s timmar per vecka utöver IMY:s praxistider för skolor "
            "(vardagar 20–06, helger och lovdagar 17–07). Avvikelsen kräver ett dokumenterat skäl (%(reason)s) "
            "och dokumenterade incidenter för de extra tiderna (%(undocumented_hours)s timmar per vecka saknar sådana)."
        ),
        why=_(
            "På skolor väger barnens och personalens integritetsintresse mycket tungt; utanför praxistiderna "
            "behövs platsens egna skäl och incidenter."
        ),
        applies=lambda f, d: _school_outdoor(f),
        predicate=lambda f, d: (
            not _facade_extra_minutes(f)
            or (
                _text(f.schedule_deviation_reason)
                and not undocumented_minutes(_facade_extra_minutes(f), f.assessment.incident_week_minutes)
            )
        ),
        params=lambda f, d: {
            "extra_hours": hours_part(len(_facade_extra_minutes(f))),
            "reason": text(_("angivet") if _text(f.schedule_deviation_reason) else _("saknas")),
            "undocumented_hours": hours_part(
                len(undocumented_minutes(_facade_extra_minutes(f), f.assessment.incident_week_minutes))
            ),
        },
        skipped_when_exempt=True,
    ),
    Rule(
        # Source: 8 § KBL, art. 5.1 c GDPR; IMY Aspuddens skola 2023 and HFD on Bromma gymnasium (legal.md R3.4, §7 #9).
        code="IMY-SCHOOL-INDOOR-HOURS",
        title=_("Ingen inomhusbevakning i skolan under skoltid utan allvarligt skäl"),
        severity=Severity.BLOCKER,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=None,
        legal_reference=_(
            "8 § kamerabevakningslagen (2018:1200); art. 5.1 c dataskyddsförordningen (EU) 2016/679; "
            "IMY:s beslut om Aspuddens skola (2023)"
        ),
        message=_(
            "Kameran filmar inomhus i skolan %(overlap_hours)s timmar per vecka under skoltid utan dokumenterat "
            "allvarligt skäl, till exempel anlagda bränder."
        ),
        why=_(
            "IMY godtar inomhusbevakning under skoltid bara vid allvarliga problem och begränsad till platsen för dem; "
            "Stockholms utbildningsnämnd fick 800 000 kr i sanktionsavgift för Aspuddens skola."
        ),
        applies=lambda f, d: f.is_school and f.is_indoor,
        predicate=lambda f, d: not f.schedule.overlaps(SCHOOL_HOURS) or _text(f.serious_incident_basis),
        params=lambda f, d: {"overlap_hours": hours_part(len(f.schedule.weekly_minutes() & _SCHOOL_HOURS_MINUTES))},
    ),
    Rule(
        # Source: art. 5.1 c GDPR and the 8 § balancing; a general principle, not re-checked (legal.md R3.4 [I], §7 #9).
        code="IMY-TOILET-CHANGING-ROOM",
        title=_("Inga toaletter eller omklädningsrum i bild"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 5.1 c dataskyddsförordningen (EU) 2016/679; 8 § kamerabevakningslagen (2018:1200)"),
        message=_("Kamerans synfält omfattar en toalett eller ett omklädningsrum."),
        why=_(
            "Toaletter och omklädningsrum hör till de mest privata platser som finns; där kan bevakning aldrig vägas "
            "upp."
        ),
        predicate=lambda f, d: not f.covers_toilet_or_changing_room,
        certainty="inferred",
    ),
    Rule(
        # Source: 8–9 §§ KBL balancing (area covered), art. 5.1 c GDPR data minimisation, IMY school practice
        # "fasad + 2 m, ej skolgård" (legal.md R1.3, R3.1–R3.3, §7 #8–9); the m² tolerance is the organisation's.
        code="KBL-9-ZONE-INTRUSION",
        title=_("Synfältet håller sig utanför områden som inte får bevakas"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_(
            "8 och 9 §§ kamerabevakningslagen (2018:1200); art. 5.1 c dataskyddsförordningen (EU) 2016/679; "
            "IMY:s praxis för skolor (fasad och 2 m, ej skolgård)"
        ),
        message=_(
            "%(problem)s Ta bort intrånget genom att ändra riktning, bildvinkel, räckvidd eller bevakningstider, "
            "eller registrera en maskering som täcker det, bekräftad med datum och en bild från kameran "
            "(toleransen är %(tolerance)s m² per område).%(mask)s"
        ),
        why=_(
            "Kameran får bara se det som behövs för ändamålet, och intresseavvägningen bygger på att områden som "
            "skolgården eller grannens tomt inte filmas – kommunens löfte är ”ej skolgård”, och ingen roll kan "
            "göra undantag från det."
        ),
        predicate=lambda f, d: f.zones_in_view is not None and not zone_intrusions(f, d),
        params=_intrusion_params,
    ),
    Rule(
        # Source: 15 § KBL: clear signs or other effective notice (legal.md R2.1, §7 #10).
        code="KBL-15-SIGNS",
        title=_("Skyltar uppsatta"),
        severity=Severity.BLOCKER,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=None,
        legal_reference=_("15 § kamerabevakningslagen (2018:1200)"),
        message=_("Inga skyltar om kamerabevakningen är uppsatta."),
        why=_(
            "Den som filmas ska få veta det innan hen går in i området; brister i skyltningen ger den högre "
            "sanktionsavgiften."
        ),
        predicate=lambda f, d: f.signs.installed_count > 0,
    ),
    Rule(
        # Source: 15 § second sentence KBL: separate notice when sound is monitored or recorded (legal.md R2.1).
        code="KBL-15-SOUND-NOTICE",
        title=_("Särskild upplysning om ljud"),
        severity=Severity.BLOCKER,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=None,
        legal_reference=_("15 § kamerabevakningslagen (2018:1200)"),
        message=_("Kameran tar upp ljud men skyltningen saknar särskild upplysning om ljudupptagning."),
        why=_(
            "Lagen kräver en separat upplysning när ljud kan avlyssnas eller tas upp, och då gäller inga undantag "
            "från skyltningen."
        ),
        applies=lambda f, d: f.records_sound,
        predicate=lambda f, d: f.signs.mentions_sound,
    ),
    Rule(
        # Source: art. 12–13 GDPR; IMY's layered information, layer 2 also non-digital (legal.md R2.3, §7 #10).
        code="GDPR-13-LAYER2",
        title=_("Fullständig information (lager 2) tillgänglig"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 12–13 dataskyddsförordningen (EU) 2016/679; 15 § kamerabevakningslagen (2018:1200)"),
        message=_(
            "Fullständig information (lager 2) saknas: rättslig grund, lagringstid, rättigheter, mottagare och "
            "rätten att klaga till IMY."
        ),
        why=_(
            "Den som filmas har rätt till full information, och den ska gå att få även utan internet, till exempel "
            "per telefon."
        ),
        predicate=lambda f, d: f.signs.layer2_available,
    ),
    Rule(
        # Source: art. 13.1 a GDPR; IMY's layer 1 names the controller and its contacts (legal.md R2.2 [V]).
        code="GDPR-13-SIGN-CONTROLLER",
        title=_("Den personuppgiftsansvariges kontaktuppgifter på skylten"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 13.1 a dataskyddsförordningen (EU) 2016/679; 15 § kamerabevakningslagen (2018:1200)"),
        message=_("Skyltningen anger inte den personuppgiftsansvariges kontaktuppgifter."),
        why=_(
            "Den som filmas ska redan på skylten se vem som ansvarar för bevakningen och hur hen når den "
            "personuppgiftsansvarige, till exempel för att begära ut en inspelning."
        ),
        applies=lambda f, d: f.signs.installed_count > 0,
        predicate=lambda f, d: f.signs.includes_controller_contact,
    ),
    Rule(
        # Source: art. 13.1 b GDPR; IMY's layer 1 names the DPO's contacts too (legal.md R2.2 [V]).
        code="GDPR-13-SIGN-DPO",
        title=_("Dataskyddsombudets kontaktuppgifter på skylten"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 13.1 b dataskyddsförordningen (EU) 2016/679; 15 § kamerabevakningslagen (2018:1200)"),
        message=_("Skyltningen anger inte dataskyddsombudets kontaktuppgifter."),
        why=_(
            "En kommun måste ha ett dataskyddsombud, och den som filmas ska kunna vända sig direkt till ombudet "
            "med frågor om sina rättigheter."
        ),
        applies=lambda f, d: f.signs.installed_count > 0,
        predicate=lambda f, d: f.signs.includes_dpo_contact,
    ),
    Rule(
        # Source: 15 § KBL (signs must stay clear); inspection every 6 months is Trygg's routine (legal.md §7 [I]).
        code="KBL-15-SIGN-INSPECTION",
        title=_("Skyltarna inspekterade det senaste halvåret"),
        severity=Severity.WARNING,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=None,
        legal_reference=_("15 § kamerabevakningslagen (2018:1200); kommunens rutin för skyltinspektion"),
        message=_("Skyltarna skulle ha inspekterats senast %(due)s (senaste inspektion: %(last)s)."),
        why=_(
            "Skyltar försvinner, skadas eller blir inaktuella, och bevakningen förutsätter att den är tydligt skyltad."
        ),
        applies=lambda f, d: f.signs.installed_count > 0,
        predicate=lambda f, d: (due := _sign_inspection_due(f)) is not None and d <= due,
        params=lambda f, d: {
            "due": due.isoformat() if (due := _sign_inspection_due(f)) else text(_("okänt")),
            "last": (
                f.signs.last_inspected_on.isoformat() if f.signs.last_inspected_on else text(_("ingen registrerad"))
            ),
        },
        certainty="inferred",
    ),
    Rule(
        # Source: art. 5.1 e GDPR; EDPB 3/2019, IMY: 72 h rule of thumb, longer needs justification (legal.md R3.6).
        # A blocker: without the justification the retention is not shown to be necessary, and it is one field away.
        code="GDPR-5-RETENTION",
        title=_("Lagringstid högst 72 timmar eller motiverad"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_(
            "art. 5.1 e dataskyddsförordningen (EU) 2016/679; EDPB:s riktlinjer 3/2019; IMY:s vägledning om lagringstid"
        ),
        message=_("Lagringstiden är %(hours)s timmar, längre än tumregeln 72 timmar, och saknar motivering."),
        why=_(
            "Inspelningar får inte sparas längre än nödvändigt; ju längre lagringstid, desto utförligare motivering."
        ),
        applies=lambda f, d: f.retention_hours > RETENTION_RULE_OF_THUMB_HOURS,
        predicate=lambda f, d: _text(f.retention_justification),
        params=lambda f, d: {"hours": str(f.retention_hours)},
    ),
    Rule(
        # Source: art. 12–13 GDPR, EDPB 3/2019 (surprises on the sign); IMY via SäkerhetsBranschen (legal.md R2.4 [S]).
        code="GDPR-13-RETENTION-ON-SIGN",
        title=_("Lång lagringstid anges på skylten"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 12–13 dataskyddsförordningen (EU) 2016/679; EDPB:s riktlinjer 3/2019"),
        message=_("Lagringstiden är %(hours)s timmar, mer än sju dygn, men skylten upplyser inte om den."),
        why=_("En lång lagringstid är något den filmade inte räknar med och ska därför stå redan på skylten."),
        applies=lambda f, d: f.retention_hours > RETENTION_ON_SIGN_ABOVE_HOURS,
        predicate=lambda f, d: f.signs.mentions_retention,
        params=lambda f, d: {"hours": str(f.retention_hours)},
        certainty="secondary",
    ),
    Rule(
        # Source: art. 28 GDPR; IMY on security firms and alarm centres (legal.md R3.7, §7 #13).
        code="GDPR-28-PROCESSOR",
        title=_("Personuppgiftsbiträdesavtal med extern aktör"),
        severity=Severity.BLOCKER,
        valid_from=GDPR_APPLIES_FROM,
        valid_to=None,
        legal_reference=_("art. 28 dataskyddsförordningen (EU) 2016/679"),
        message=_(
            "En extern aktör, till exempel en larmcentral eller ett bevakningsföretag, hanterar materialet "
            "utan giltigt personuppgiftsbiträdesavtal."
        ),
        why=_(
            "Den som behandlar personuppgifter för kommunens räkning får bara göra det enligt skriftligt avtal och "
            "kommunens instruktioner."
        ),
        applies=lambda f, d: f.external_operator,
        predicate=lambda f, d: f.processor_agreement_valid,
    ),
    Rule(
        # Source: 21 § KBL: surveillance of a workplace triggers MBL 11–14 §§ negotiation (legal.md R1.9, §7 #14).
        code="KBL-21-MBL",
        title=_("MBL-förhandling om bevakning av arbetsplats"),
        severity=Severity.BLOCKER,
        valid_from=KBL_2018_IN_FORCE,
        valid_to=None,
        legal_reference=_(
            "21 § kamerabevakningslagen (2018:1200); 11–14 §§ lagen (1976:580) om medbestämmande i arbetslivet"
        ),
        message=_("Kameran filmar en arbetsplats, men ingen MBL-förhandling är registrerad."),
        why=_(
            "Arbetsgivaren ska förhandla med de anställdas organisation innan beslut om kamerabevakning av en "
            "arbetsplats."
        ),
        applies=lambda f, d: f.captures_staff_workplace,
        predicate=lambda f, d: f.mbl_negotiation_recorded,
    ),
    Rule(
        # Source: 10 § KBL as amended by SFS 2025:220: register of ongoing surveillance (legal.md R1.5, §7 #15).
        code="KBL-10-REGISTER",
        title=_("Post i förteckningen över pågående bevakning"),
        severity=Severity.INFO,
        valid_from=NEW_REGIME_FROM,
        valid_to=None,
        legal_reference=_("10 § kamerabevakningslagen (2018:1200), i lydelse enligt SFS 2025:220"),
        message=_("Förteckningsposten enligt 10 § skapas automatiskt men är ännu ofullständig: %(missing)s saknas."),
        why=_(
            "Förteckningen ska kunna lämnas till IMY på begäran, med adress, typ av plats, ändamål, ljud eller "
            "särskild teknik och datum för senaste intresseavvägning."
        ),
        predicate=lambda f, d: not _register_missing(f, d),
        params=lambda f, d: {"missing": joined(text(missing) for missing in _register_missing(f, d))},
        skipped_when_exempt=True,
    ),
)


def all_rules() -> tuple[Rule, ...]:
    """Every rule of the rule book, in force or not, in the order the checklist shows them."""
    return RULES


def rules_in_force(on_date: dt.date) -> tuple[Rule, ...]:
    """The rules valid on `on_date`."""
    return tuple(rule for rule in RULES if rule.in_force(on_date))


def rule_by_code(code: str) -> Rule:
    """The rule with this code; KeyError if there is none."""
    for rule in RULES:
        if rule.code == code:
            return rule
    raise KeyError(code)
