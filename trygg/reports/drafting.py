"""Drafting the board report's sections from the data, in plain Swedish. No Django.

`ReportContext` holds every fact the text needs, already counted and labelled, "as of" a date; a
thin Django function (`trygg.reports.context.build_context`) builds it from the database. The
functions here turn it into the sections of the tjänsteutlåtande in the seed's order. Nothing in
the text is written here that the context does not say: names, numbers, dates, reasons and
labels all come from the data.

Every sentence goes through `_`, the caller's gettext (plain identity by default), with named
placeholders, so the words can be translated like the rest of Trygg. The board report itself is
written in Swedish.

The context is also the frozen snapshot of a report: `to_data` and `from_data` turn it into JSON
and back, so a frozen version can be rendered again exactly as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from trygg.evaluation.verdict import number, signed
from trygg.programme import progress
from trygg.programme.money import format_kr, format_mkr

Translate = Callable[[str], str]


def _noop(message: str) -> str:
    return message


#
# The facts
#


@dataclass(frozen=True)
class CountLine:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ProjectFacts:
    name: str
    site: str
    site_kind: str
    is_school: bool
    scope: str
    target_min: int
    target_max: int
    target_date: dt.date
    forecast_date: dt.date | None
    status: str  # in_dialogue, designing, installing, completed, cancelled
    delay_reasons: tuple[str, ...] = ()  # labels, e.g. "Förseningar i förarbetet hos verksamheten"
    delay_description: str = ""
    cameras_planned: int = 0  # cameras of the project not decommissioned
    cameras_in_operation: int = 0
    all_in_operation_on: dt.date | None = None  # when the last of them went into operation
    measures_without_effect: tuple[str, ...] = ()  # labels of measures tried without the intended effect
    in_dialogue_during_year: bool = False
    area_kind: str = "urban"  # urban, rural, archipelago: the site's area kind
    delay_reason_codes: tuple[str, ...] = ()  # DelayReason codes, e.g. "delivery"; one sentence each
    measures_with_effect: tuple[str, ...] = ()  # labels of measures that had the intended effect
    last_dialogue_on: dt.date | None = None  # the latest dialogue note about the site, up to the report date
    last_dialogue: str = ""  # what was said then, in the officer's own words
    plan_year: int | None = None  # the verksamhetsplan year the project belongs to, as of the report date
    status_since: dt.date | None = None  # the day the status as of the report date was recorded


@dataclass(frozen=True)
class DialogueFacts:
    site: str
    area_kind: str
    concerns_year: int
    held_on: dt.date


@dataclass(frozen=True)
class BudgetFacts:
    year: int
    has_allocation: bool
    allocated: Decimal
    carried_in: Decimal
    committed: Decimal
    spent: Decimal
    planned: Decimal
    default_per_year: Decimal
    # The part of `planned` already booked (spent or committed) on those projects, so it is in `used` too.
    planned_booked: Decimal = Decimal("0")

    @property
    def planned_not_committed(self) -> Decimal:
        """What the planned projects are estimated to cost beyond what is already booked on them."""
        return max(self.planned - self.planned_booked, Decimal("0"))

    @property
    def available(self) -> Decimal:
        return self.allocated + self.carried_in

    @property
    def used(self) -> Decimal:
        return self.committed + self.spent

    @property
    def remaining(self) -> Decimal:
        return self.available - self.used


@dataclass(frozen=True)
class ChildFacts:
    compliance_available: bool
    school_sites: tuple[str, ...] = ()  # school sites with cameras (planned or running)
    school_cameras: int = 0  # not decommissioned
    school_cameras_in_operation: int = 0
    school_cameras_assessed: int = 0  # at a site with an approved child-rights assessment
    assessments_in_progress: tuple[str, ...] = ()  # sites whose child-rights assessment is being written
    approved_sites: tuple[str, ...] = ()  # school sites with an approved child-rights assessment


@dataclass(frozen=True)
class DataProtectionFacts:
    cameras_in_operation: int
    with_approved_assessment: int
    dpia_sites_approved: tuple[str, ...] = ()
    dpia_sites_in_progress: tuple[str, ...] = ()


@dataclass(frozen=True)
class AreaSite:
    """A site outside the urban area with cameras in operation or on their way, as of the report date."""

    site: str
    area_kind: str  # rural or archipelago
    in_operation: int
    planned: int  # cameras planned, designed or installed, not yet in operation


@dataclass(frozen=True)
class Placement:
    """An exact camera position: only ever in the annex marked secret (OSL 18 kap. 8 §)."""

    identifier: str
    site: str
    address: str
    state: str
    longitude: float
    latitude: float
    bearing_deg: float
    coverage: str


@dataclass(frozen=True)
class SiteEffect:
    """One camera site in the programme evaluation (`trygg.evaluation.programme`), as of the report date.

    `change`, `change_low`, `change_high`: incidents after the cameras relative to what the control
    sites give reason to expect, in per cent (−30 = 30 % fewer; from the RES as 100·(1/RES − 1), the
    interval from the RES interval). None when the site is left out of the pooling; `reason` says
    why (the programme page's words). `warnings` are the codes of `trygg.evaluation.verdict.Warning`.
    """

    site: str
    included: bool
    reason: str = ""
    change: float | None = None
    change_low: float | None = None
    change_high: float | None = None
    treated_before: int = 0
    treated_after: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class PooledEffect:
    """The camera sites pooled by inverse variance (`trygg.evaluation.stats.pool_inverse_variance`).

    `change*` as in `SiteEffect` (per cent against expected, 95 % interval); `i_squared` in [0, 1];
    `model` "fixed" or "random"; `distinguishable` when the interval excludes no change. `avoided*`:
    incidents avoided (the sites' WDD summed, sign turned) with its 95 % interval. `cost_per_avoided`
    (kr) only when the programme evaluation gives one, i.e. a reduction distinguishable from zero
    with costs booked; `cost_total` the costs it divides.
    """

    change: float
    change_low: float
    change_high: float
    sites: int
    i_squared: float
    model: str
    distinguishable: bool
    avoided: float | None = None
    avoided_low: float | None = None
    avoided_high: float | None = None
    cost_total: Decimal | None = None
    cost_per_avoided: Decimal | None = None


@dataclass(frozen=True)
class ReviewYear:
    """The yearly reviews (årlig omprövning) of the reported year, up to the report date.

    `due`: cameras with a review due date (an anniversary of operation start) in the year, on or
    before `as_of`. `reviewed`: reviews decided in the year up to `as_of`, split by outcome.
    `overdue`: cameras in operation or paused whose review is overdue on `as_of`.
    """

    due: int = 0
    reviewed: int = 0
    keep: int = 0
    change: int = 0
    remove: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class EffectFacts:
    """The facts of the optional section "Effekt och omprövning"."""

    sites: tuple[SiteEffect, ...] = ()
    pooled: PooledEffect | None = None
    reviews: ReviewYear = field(default_factory=ReviewYear)
    min_events: int = 20  # trygg.evaluation.verdict.MIN_EVENTS


@dataclass(frozen=True)
class ReportContext:
    municipality: str
    as_of: dt.date
    report_date: dt.date
    year: int
    case_number: str
    title: str
    recipient_body: str
    proposing_body: str
    office: str
    unit: str
    assignment_title: str
    assignment_origin: str  # political, operational, other
    plan_year: int
    followed_up_since: int | None
    indicator_name: str
    in_operation: int
    in_operation_previous_year_end: int
    work_since: int | None = None  # first year a camera went into operation
    target_this_year: int | None = None
    board_meeting: dt.date | None = None
    submission_due: dt.date | None = None
    series: tuple[tuple[dt.date, int], ...] = ()
    targets: tuple[tuple[int, int], ...] = ()
    by_site_kind: tuple[CountLine, ...] = ()
    by_area_kind: tuple[CountLine, ...] = ()
    runs_at_premises: bool = False  # some camera in operation is at the municipality's own premises
    projects: tuple[ProjectFacts, ...] = ()
    dialogues: tuple[DialogueFacts, ...] = ()
    consulted: tuple[str, ...] = ()  # administrations and others the matter was prepared with
    budget: BudgetFacts | None = None
    children: ChildFacts = field(default_factory=lambda: ChildFacts(compliance_available=False))
    data_protection: DataProtectionFacts | None = None
    placements: tuple[Placement, ...] = ()
    outside_urban: tuple[AreaSite, ...] = ()
    # The earliest verksamhetsplan year the same uppdrag (by title) was in; None: this plan year is its first.
    first_plan_year: int | None = None
    effect: EffectFacts | None = None  # only when the report includes "Effekt och omprövning"


#
# Snapshot: JSON and back
#


def to_data(value: Any) -> Any:
    """The context as JSON-ready data (dates as ISO text, money as decimal text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [to_data(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _decode(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [k for k in typing.get_args(kind) if k is not type(None)]
        return _decode(options[0], value)
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_decode(args[0], item) for item in value)
        return tuple(_decode(arg, item) for arg, item in zip(args, value, strict=True))
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        names = {f.name for f in dataclasses.fields(kind)}
        return kind(**{name: _decode(hints[name], item) for name, item in value.items() if name in names})
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    return value


def from_data(data: dict[str, Any]) -> ReportContext:
    """The context back from `to_data`'s output (a frozen version's snapshot)."""
    return _decode(ReportContext, data)


#
# Words
#

SECTION_KEYS = (
    "proposal",
    "summary",
    "matter",
    "preparation",
    "economy",
    "children",
    "rural",
    "effect",
    "data_protection",
)
OPTIONAL_SECTIONS = frozenset({"data_protection", "effect"})


def section_titles(_: Translate = _noop) -> dict[str, str]:
    return {
        "proposal": _("Förslag till beslut"),
        "summary": _("Sammanfattning"),
        "matter": _("Ärendet"),
        "preparation": _("Ärendets beredning"),
        "economy": _("Ekonomiska konsekvenser"),
        "children": _("Konsekvenser för barn"),
        "rural": _("Landsbygds- och skärgårdsperspektiv"),
        "effect": _("Effekt och omprövning"),
        "data_protection": _("Dataskydd"),
    }


def section_keys(include_data_protection: bool, include_effect: bool = False) -> list[str]:
    """The keys of the report's sections in order; the optional ones only when switched on."""
    chosen = {"data_protection": include_data_protection, "effect": include_effect}
    return [k for k in SECTION_KEYS if k not in OPTIONAL_SECTIONS or chosen[k]]


def month_names(_: Translate = _noop) -> list[str]:
    return [
        _("januari"),
        _("februari"),
        _("mars"),
        _("april"),
        _("maj"),
        _("juni"),
        _("juli"),
        _("augusti"),
        _("september"),
        _("oktober"),
        _("november"),
        _("december"),
    ]


def long_date(day: dt.date, _: Translate = _noop, with_year: bool = True) -> str:
    """`2024-12-02` → `2 december 2024`, as the board writes dates in running text."""
    text = f"{day.day} {month_names(_)[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def when_text(day: dt.date, _: Translate = _noop) -> str:
    """A forecast as the board says it: `Q1 2025` for the end of a quarter, otherwise the date."""
    quarter_ends = {(3, 31): 1, (6, 30): 2, (9, 30): 3, (12, 31): 4}
    if (day.month, day.day) in quarter_ends:
        return _("Q%(quarter)s %(year)s") % {"quarter": quarter_ends[(day.month, day.day)], "year": day.year}
    return long_date(day, _)


def join_words(items: Sequence[str], _: Translate = _noop) -> str:
    """`a`, `a och b`, `a, b och c`."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s och %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?")) else text + "."


def cameras(n: int, _: Translate = _noop) -> str:
    return (_("%(n)s kamera") if n == 1 else _("%(n)s kameror")) % {"n": n}


def target_text(project: ProjectFacts) -> str:
    if project.target_min == project.target_max:
        return str(project.target_min)
    return f"{project.target_min}–{project.target_max}"


def target_cameras(project: ProjectFacts, _: Translate = _noop) -> str:
    """The target with its noun: `1 kamera`, `3 kameror`, `2–3 kameror`."""
    if project.target_min == project.target_max:
        return cameras(project.target_min, _)
    return _("%(target)s kameror") % {"target": target_text(project)}


def area_phrase(code: str, _: Translate = _noop) -> str:
    return {
        "urban": _("i tätort"),
        "rural": _("på landsbygden"),
        "archipelago": _("i skärgården"),
    }.get(code, code)


def paragraphs(text: str) -> list[str]:
    """A section's text as paragraphs: blank lines separate them."""
    blocks = [
        " ".join(line.strip() for line in block.splitlines() if line.strip())
        for block in text.replace("\r\n", "\n").split("\n\n")
    ]
    return [block for block in blocks if block.strip()]


#
# The sections
#


def draft_proposal(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    return [
        _("%(body)s föreslår:") % {"body": ctx.proposing_body},
        _("%(board)s beslutar att anse uppdraget återrapporterat i enlighet med tjänsteutlåtande daterat den %(date)s.")
        % {"board": ctx.recipient_body, "date": long_date(ctx.report_date, _)},
    ]


def count_word(n: int, _: Translate = _noop) -> str:
    """Numbers in running text; none is "ingen" (a board report does not say "0 i drift")."""
    return _("ingen") if n == 0 else str(n)


def target_sentence(year: int, target: int, in_operation: int, as_of: dt.date, _: Translate = _noop) -> str:
    """The year's target against the count on `as_of`, in the present tense of the report's date.

    On the last day of the year the outcome is settled: the target "nås inte" with how many are missing,
    or "är nått". Before it, how many more must go into operation before the turn of the year. `target`
    and `in_operation` are numbers of cameras.
    """
    values = {"year": year, "target": cameras(target, _), "missing": cameras(target - in_operation, _)}
    values["over"] = cameras(in_operation - target, _)
    if in_operation > target:
        return _("Målvärdet för %(year)s är %(target)s och är nått, med %(over)s över målet.") % values
    if in_operation == target:
        return _("Målvärdet för %(year)s är %(target)s och är nått.") % values
    if as_of >= dt.date(year, 12, 31):
        return _("Målvärdet för %(year)s är %(target)s och nås inte: vid årets slut saknas %(missing)s.") % values
    return (
        _(
            "Målvärdet för %(year)s är %(target)s; för att nå det behöver ytterligare %(missing)s tas i drift "
            "före årsskiftet."
        )
        % values
    )


def _indicator_sentence(ctx: ReportContext, _: Translate) -> str:
    return _(
        "Den %(date)s är %(count)s bevakningskameror i drift, jämfört med %(before)s vid utgången av %(previous)s."
    ) % {
        "date": long_date(ctx.as_of, _),
        "count": ctx.in_operation,
        "before": ctx.in_operation_previous_year_end,
        "previous": ctx.year - 1,
    }


def draft_summary(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    first = []
    if ctx.work_since is not None:
        where = _("på utsatta platser och i kommunens lokaler") if ctx.runs_at_premises else _("på utsatta platser")
        first.append(
            _("Arbetet med att upprätta kamerabevakning %(where)s har pågått sedan år %(year)s.")
            % {"where": where, "year": ctx.work_since}
        )
    first.append(
        _(
            "%(unit)s vid %(office)s analyserar behoven i samverkan med berörda förvaltningar och bistår i "
            "projektering av ny bevakning."
        )
        % {"unit": ctx.unit, "office": ctx.office}
    )
    values = {"plan_year": ctx.plan_year, "first": ctx.first_plan_year, "since": ctx.followed_up_since}
    if ctx.first_plan_year is not None and ctx.first_plan_year < ctx.plan_year:
        # A later year's plan: the uppdrag was written in earlier, so "först <this year>" would be untrue.
        if ctx.followed_up_since is not None and ctx.followed_up_since < ctx.first_plan_year:
            first.append(
                _(
                    "Uppdraget skrevs in i den kommunala verksamhetsplanen första gången %(first)s och finns även i "
                    "verksamhetsplanen %(plan_year)s. Antalet upprättade bevakningskameror följs upp med en indikator "
                    "sedan %(since)s."
                )
                % values
            )
        else:
            first.append(
                _(
                    "Uppdraget skrevs in i den kommunala verksamhetsplanen första gången %(first)s och finns även i "
                    "verksamhetsplanen %(plan_year)s. Det följs upp med en indikator."
                )
                % values
            )
    elif ctx.followed_up_since is not None and ctx.followed_up_since < ctx.plan_year:
        first.append(
            _(
                "Uppdraget skrevs in i den kommunala verksamhetsplanen först %(plan_year)s men har sedan tidigare "
                "funnits med som indikator där antalet upprättade bevakningskameror följs upp."
            )
            % {"plan_year": ctx.plan_year}
        )
    else:
        first.append(
            _("Uppdraget finns i den kommunala verksamhetsplanen %(plan_year)s och följs upp med en indikator.")
            % {"plan_year": ctx.plan_year}
        )
    result = [" ".join(first), _indicator_sentence(ctx, _)]
    states = [text for text in (_summary_sentence(ctx, p, _) for p in ctx.projects) if text]
    if states:
        result[-1] += " " + " ".join(states)
    return result


#
# A project's state on the report date
#

ON_TRACK = "on_track"  # running, the target date not passed, the forecast (if any) within it
FORECAST_LATE = "forecast_late"  # running, the target date not passed, the forecast after it
OVERDUE = "overdue"  # running, the target date passed: late, by the days since it
DELIVERED_ON_TIME = "delivered_on_time"
DELIVERED_LATE = "delivered_late"
DELIVERED = "delivered"  # delivered, the day all cameras ran unknown
CANCELLED = "cancelled"
DELIVERED_STATES = frozenset({DELIVERED_ON_TIME, DELIVERED_LATE, DELIVERED})


def is_delivered(project: ProjectFacts) -> bool:
    """Marked done, or every camera of the project in operation and the target's lower end reached."""
    if project.status == progress.DELIVERED:
        return True
    if project.status == progress.CANCELLED or not project.cameras_planned:
        return False
    return project.cameras_in_operation >= max(project.cameras_planned, project.target_min)


def project_state(project: ProjectFacts, as_of: dt.date) -> str:
    """Where the project stands on `as_of`: one of the states above.

    Before the target date a running project is on track or forecast late (its forecast lies after
    the target date, `progress.is_delayed`); after it, it is overdue. A delivered project is on time
    when its last camera went into operation on or before the target date.
    """
    if project.status == progress.CANCELLED:
        return CANCELLED
    if is_delivered(project):
        if project.all_in_operation_on is None:
            return DELIVERED
        return DELIVERED_LATE if project.all_in_operation_on > project.target_date else DELIVERED_ON_TIME
    if as_of > project.target_date:
        return OVERDUE
    if _is_late(project):
        return FORECAST_LATE
    return ON_TRACK


def _is_late(project: ProjectFacts) -> bool:
    """Late in the one sense Trygg uses everywhere: running, with a forecast after the target date."""
    return progress.is_delayed(project.status, project.target_date, project.forecast_date)


def days_text(n: int, _: Translate = _noop) -> str:
    return (_("%(n)s dag") if n == 1 else _("%(n)s dagar")) % {"n": n}


def when_phrase(day: dt.date, _: Translate = _noop) -> str:
    """A forecast in running text: `Q1 2025` at a quarter's end, otherwise `den 15 mars 2025`."""
    text = when_text(day, _)
    return text if text.startswith("Q") or not text[:1].isdigit() else _("den %(date)s") % {"date": text}


def reason_sentences(project: ProjectFacts, _: Translate = _noop, past: bool = False) -> list[str]:
    """One whole sentence per ticked delay reason (a reason's label is never used as a noun in a sentence).

    Present tense while the project runs, past tense once it is delivered. "Annat" has no sentence of
    its own: the officer's description says it (the form requires one). Old snapshots with labels only
    (no codes) give the labels as a list after "Orsaker till förseningen:".
    """
    present = {
        "operation_preparation": _("Det förekommer förseningar i förarbetet hos verksamheten"),
        "assessment": _("Bedömningen eller dokumentationen är ännu inte klar"),
        "procurement": _("Upphandlingen är försenad"),
        "delivery": _("Leveransen av utrustningen är försenad"),
        "installation": _("Installationen är försenad"),
        "property_owner": _("Besked från fastighetsägarens sida dröjer"),
        "funding": _("Finansieringen är ännu inte klar"),
    }
    earlier = {
        "operation_preparation": _("Förarbetet hos verksamheten blev försenat"),
        "assessment": _("Bedömningen eller dokumentationen blev klar senare än planerat"),
        "procurement": _("Upphandlingen blev försenad"),
        "delivery": _("Leveransen av utrustningen blev försenad"),
        "installation": _("Installationen blev försenad"),
        "property_owner": _("Besked från fastighetsägarens sida dröjde"),
        "funding": _("Finansieringen blev klar senare än planerat"),
    }
    table = earlier if past else present
    if project.delay_reason_codes:
        return [table[code] for code in project.delay_reason_codes if code in table]
    if project.delay_reasons:
        return [_("Orsaker till förseningen: %(reasons)s") % {"reasons": ", ".join(project.delay_reasons)}]
    return []


def camera_progress_sentence(project: ProjectFacts, _: Translate = _noop) -> str:
    """`Av målbildens 3–4 kameror är 1 i drift och 2 återstår.` (remaining: up to the lower end)."""
    counted = progress.camera_progress(
        [progress.IN_OPERATION] * project.cameras_in_operation, project.target_min, project.target_max
    )
    values = {"cameras": target_cameras(project, _), "n": counted.in_operation, "k": counted.remaining}
    if counted.in_operation == 0:
        return _("Av målbildens %(cameras)s är ingen i drift ännu.") % values
    if counted.reached:
        return _("Av målbildens %(cameras)s är %(n)s i drift, så målbildens lägsta antal är nått.") % values
    return _("Av målbildens %(cameras)s är %(n)s i drift och %(k)s återstår.") % values


def _summary_sentence(ctx: ReportContext, project: ProjectFacts, _: Translate) -> str:
    state = project_state(project, ctx.as_of)
    values = {"site": project.site}
    if state == FORECAST_LATE and project.forecast_date is not None:
        values["when"] = when_phrase(project.forecast_date, _)
        return _("Kamerorna vid %(site)s beräknas vara på plats först %(when)s.") % values
    if state == OVERDUE:
        values["late"] = days_text((ctx.as_of - project.target_date).days, _)
        if project.forecast_date is not None and project.forecast_date > ctx.as_of:
            values["when"] = when_phrase(project.forecast_date, _)
            return (
                _(
                    "Projekteringen vid %(site)s är %(late)s försenad och kamerorna där beräknas vara på plats först "
                    "%(when)s."
                )
                % values
            )
        return _("Projekteringen vid %(site)s är %(late)s försenad.") % values
    if state in (DELIVERED_ON_TIME, DELIVERED_LATE) and project.all_in_operation_on.year == ctx.year:
        values["since"] = long_date(project.all_in_operation_on, _)
        return _("Kamerorna vid %(site)s är i drift sedan den %(since)s.") % values
    if state == CANCELLED:
        if project.measures_with_effect:
            return _("Projekteringen vid %(site)s har avbrutits eftersom andra åtgärder haft avsedd effekt.") % values
        return _("Projekteringen vid %(site)s har avbrutits.") % values
    return ""


def _target_when(ctx: ReportContext, project: ProjectFacts, _: Translate) -> str:
    if (project.target_date.month, project.target_date.day) == (12, 31):
        if project.target_date.year == ctx.year:
            return _("före årsskiftet")
        return _("före utgången av %(year)s") % {"year": project.target_date.year}
    return _("senast den %(date)s") % {"date": long_date(project.target_date, _)}


def _officer_words(project: ProjectFacts) -> list[str]:
    # The officer's own words are kept beside the reasons ticked, never dropped for them.
    return [sentence(project.delay_description)] if project.delay_description.strip() else []


def _cancelled(project: ProjectFacts, _: Translate) -> list[str]:
    """The proportionality argument: why cameras are no longer needed, from the measures and the dialogue."""
    parts = []
    if project.measures_with_effect:
        parts.append(
            _(
                "Projekteringen har avbrutits eftersom andra åtgärder (%(measures)s) haft avsedd effekt. Kamerabevakning "
                "bedöms därför inte längre vara nödvändig för ändamålet."
            )
            % {"measures": join_words([lower_first(m) for m in project.measures_with_effect], _)}
        )
    else:
        parts.append(_("Projekteringen har avbrutits."))
    if project.last_dialogue.strip() and project.last_dialogue_on is not None:
        parts.append(
            _("Vid dialogen den %(date)s framkom följande: %(words)s")
            % {"date": long_date(project.last_dialogue_on, _), "words": sentence(project.last_dialogue)}
        )
    return parts


def _delivered(ctx: ReportContext, project: ProjectFacts, state: str, values: dict, _: Translate) -> list[str]:
    done = {**values, "count": cameras(project.cameras_in_operation, _)}
    parts = [_("Målbilden var %(cameras)s %(when)s.") % done]
    if state == DELIVERED:
        parts.append(_("Projekteringen är klar och %(count)s är i drift.") % done)
        return parts
    done["since"] = long_date(project.all_in_operation_on, _)
    if state == DELIVERED_ON_TIME:
        parts.append(_("Projekteringen levererades i tid. Nu är %(count)s i drift sedan den %(since)s.") % done)
        return parts
    done["late"] = days_text((project.all_in_operation_on - project.target_date).days, _)
    parts.append(
        _("Projekteringen levererades %(late)s efter måldatum. Nu är %(count)s i drift sedan den %(since)s.") % done
    )
    parts.extend(sentence(r) for r in reason_sentences(project, _, past=True))
    if project.delay_description.strip():
        # The officer's words were written while the project ran: quoted, so their tense does not mislead.
        parts.append(
            _("Under arbetet beskrevs förseningen så här: ”%(words)s”") % {"words": sentence(project.delay_description)}
        )
    return parts


def _running(ctx: ReportContext, project: ProjectFacts, state: str, values: dict, _: Translate) -> list[str]:
    parts = []
    if state == OVERDUE:
        late = {**values, "date": long_date(ctx.as_of, _), "late": days_text((ctx.as_of - project.target_date).days, _)}
        parts.append(
            _(
                "Målbilden var att %(cameras)s skulle vara på plats på %(site)s %(when)s. Den %(date)s är "
                "projekteringen %(late)s försenad."
            )
            % late
        )
        parts.append(camera_progress_sentence(project, _))
        parts.extend(sentence(r) for r in reason_sentences(project, _))
        parts.extend(_officer_words(project))
        if project.forecast_date is not None and project.forecast_date > ctx.as_of:
            parts.append(
                _("Kamerorna beräknas nu vara på plats %(when)s.") % {"when": when_phrase(project.forecast_date, _)}
            )
        else:
            parts.append(_("Någon ny prognos för när kamerorna är på plats finns inte."))
        return parts
    parts.append(_("Målbilden är att %(cameras)s ska vara på plats på %(site)s %(when)s.") % values)
    parts.append(camera_progress_sentence(project, _))
    if state == FORECAST_LATE:
        reasons = reason_sentences(project, _)
        late = {"when": when_phrase(project.forecast_date, _)}
        if len(reasons) == 1 and project.delay_reason_codes:
            late["reason"] = reasons[0]
            parts.append(
                _(
                    "%(reason)s, vilket kan innebära att uppdraget försenas och att kamerorna kommer vara på plats "
                    "först %(when)s."
                )
                % late
            )
        elif reasons:
            parts.extend(sentence(r) for r in reasons)
            parts.append(
                _("Det kan innebära att uppdraget försenas och att kamerorna kommer vara på plats först %(when)s.")
                % late
            )
        else:
            parts.append(_("Kamerorna beräknas vara på plats först %(when)s.") % late)
        parts.extend(_officer_words(project))
    return parts


def draft_project(ctx: ReportContext, project: ProjectFacts, _: Translate = _noop) -> str:
    """The paragraph on one project, in the tense and state of `project_state` on the report date."""
    state = project_state(project, ctx.as_of)
    values = {
        "unit": ctx.unit,
        "year": ctx.year,
        "site": project.site,
        "scope": lower_first(project.scope.strip().rstrip(".")),
        "target": target_text(project),
        "cameras": target_cameras(project, _),
        "when": _target_when(ctx, project, _),
    }
    parts = []
    if project.scope.strip():
        if project.in_dialogue_during_year:
            parts.append(
                _(
                    "%(unit)s har under år %(year)s arbetat i dialog med %(site)s om att sätta upp kameror för %(scope)s."
                )
                % values
            )
        else:
            parts.append(
                _("%(unit)s har under år %(year)s arbetat med att sätta upp kameror vid %(site)s för %(scope)s.")
                % values
            )
    else:
        parts.append(_("%(unit)s har under år %(year)s arbetat med kamerabevakning vid %(site)s.") % values)
    if state == CANCELLED:
        return " ".join(parts + _cancelled(project, _))
    if project.measures_without_effect:
        parts.append(
            _("Kameror anses vara aktuella då övriga åtgärder (%(measures)s) inte haft avsedd effekt.")
            % {"measures": join_words([lower_first(m) for m in project.measures_without_effect], _)}
        )
    if state in DELIVERED_STATES:
        parts.extend(_delivered(ctx, project, state, values, _))
    else:
        parts.extend(_running(ctx, project, state, values, _))
    return " ".join(parts)


def draft_dialogues(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    by_year: dict[int, list[str]] = {}
    for dialogue in sorted(ctx.dialogues, key=lambda d: (d.concerns_year, d.held_on, d.site)):
        names = by_year.setdefault(dialogue.concerns_year, [])
        if dialogue.site not in names:
            names.append(dialogue.site)
    return [
        _("Fortsatta dialoger om kamerabevakning som kan vara aktuella %(year)s förs för närvarande med %(sites)s.")
        % {"year": year, "sites": join_words(sites, _)}
        for year, sites in sorted(by_year.items())
    ]


def draft_matter(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    origin = {
        "political": _("ett politiskt framtaget uppdrag"),
        "operational": _("ett uppdrag från verksamheten"),
    }.get(ctx.assignment_origin, _("ett uppdrag"))
    first = _(
        "Uppdraget ”%(title)s” är %(origin)s som är dokumenterat i verksamhetsplan %(plan_year)s. Uppdraget följs "
        "upp via indikator som mäter antalet bevakningskameror i drift."
    ) % {"title": ctx.assignment_title, "origin": origin, "plan_year": ctx.plan_year}
    if ctx.board_meeting is not None:
        meeting = {"board": lower_first(ctx.recipient_body), "date": long_date(ctx.board_meeting, _)}
        if ctx.submission_due is not None:
            meeting["due"] = long_date(
                ctx.submission_due, _, with_year=ctx.submission_due.year != ctx.board_meeting.year
            )
            first += (
                " "
                + _(
                    "Uppdraget kommer att redovisas i form av en skriftlig rapport till %(board)s den %(date)s med "
                    "inlämning till nämndsekretariatet senast den %(due)s."
                )
                % meeting
            )
        else:
            first += (
                " "
                + _("Uppdraget kommer att redovisas i form av en skriftlig rapport till %(board)s den %(date)s.")
                % meeting
            )
    result = [first]
    values = {
        "date": long_date(ctx.as_of, _),
        "count": ctx.in_operation,
        "kinds": join_words([f"{lower_first(line.label)} ({line.count})" for line in ctx.by_site_kind], _),
    }
    if ctx.by_site_kind:
        numbers = (
            _("Enligt indikatorn är %(count)s bevakningskameror i drift den %(date)s, fördelade på %(kinds)s.") % values
        )
    else:
        numbers = _("Enligt indikatorn är %(count)s bevakningskameror i drift den %(date)s.") % values
    if ctx.target_this_year is not None:
        numbers += " " + target_sentence(ctx.year, ctx.target_this_year, ctx.in_operation, ctx.as_of, _)
    result.append(numbers)
    result.extend(draft_project(ctx, project, _) for project in ctx.projects)
    result.extend(draft_dialogues(ctx, _))
    return result


def draft_preparation(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    values = {"unit": ctx.unit, "year": ctx.year, "with": join_words([lower_first(c) for c in ctx.consulted], _)}
    if ctx.consulted:
        return [_("%(unit)s har år %(year)s handlagt ärendet tillsammans med %(with)s.") % values]
    return [_("%(unit)s har år %(year)s handlagt ärendet.") % values]


def draft_economy(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    """Spent, committed and planned-not-yet-committed, each counted once.

    The planned projects' estimated cost includes what is already booked on them; only the part not
    yet booked (`BudgetFacts.planned_not_committed`) is set against what is left of the year's money.
    """
    budget = ctx.budget
    if budget is None or not budget.has_allocation:
        return _economy_without_allocation(ctx, budget, _)
    per_year = budget.allocated == budget.default_per_year
    frame = (
        _("särskilt tilldelade medel för kamerabevakning, %(amount)s per år")
        if per_year
        else _("särskilt tilldelade medel för kamerabevakning, %(amount)s för %(year)s")
    ) % {"amount": format_mkr(budget.allocated), "year": budget.year}
    ahead = budget.planned_not_committed
    outlook = budget.remaining - ahead
    values = {
        "frame": frame,
        "year": budget.year,
        "date": long_date(ctx.as_of, _),
        "allocated": format_kr(budget.allocated),
        "available": format_kr(budget.available),
        "carried": format_kr(budget.carried_in),
        "spent": format_kr(budget.spent),
        "committed": format_kr(budget.committed),
        "used": format_kr(budget.used),
        "remaining": format_kr(budget.remaining),
        "over": format_kr(-budget.remaining),
        "planned": format_kr(budget.planned),
        "booked": format_kr(min(budget.planned_booked, budget.planned)),
        "ahead": format_kr(ahead),
        "outlook": format_kr(outlook),
        "short": format_kr(-outlook),
    }
    result = []
    if outlook >= 0:
        result.append(_("Uppdraget ryms inom ramen för %(frame)s.") % values)
    else:
        result.append(_("Uppdraget ryms inte inom ramen för %(frame)s.") % values)
    numbers = _("För %(year)s är %(allocated)s tilldelade.") % values
    if budget.carried_in:
        numbers += (
            " "
            + _("Därtill har %(carried)s förts över från föregående år, så %(available)s finns att använda.") % values
        )
    numbers += (
        " "
        + _("Per den %(date)s har %(spent)s förbrukats och %(committed)s är beställda men ännu inte bokförda.") % values
    )
    if budget.remaining >= 0:
        numbers += " " + _("Kvar av årets medel är %(remaining)s.") % values
    else:
        numbers += (
            " "
            + _(
                "Kostnaderna för %(year)s (%(used)s) överstiger de medel som finns för året (%(available)s) med %(over)s."
            )
            % values
        )
    result.append(numbers)
    if budget.planned:
        plan = _("De planerade projekteringarna för %(year)s beräknas kosta %(planned)s sammanlagt.") % values
        if budget.planned_booked:
            plan += (
                " "
                + _(
                    "Av det är %(booked)s redan förbrukat eller beställt och ingår i beloppen ovan, så %(ahead)s återstår "
                    "att beställa."
                )
                % values
            )
        if ahead and outlook == 0:
            plan += " " + _("Det ryms precis i det som finns kvar av årets medel.")
        elif ahead and outlook > 0:
            plan += " " + _("När det är beställt finns %(outlook)s kvar av årets medel.") % values
        elif ahead:
            plan += " " + _("Det ryms inte i det som finns kvar av årets medel; det saknas %(short)s.") % values
        result.append(plan)
    return result


def _economy_without_allocation(ctx: ReportContext, budget: BudgetFacts | None, _: Translate) -> list[str]:
    """No money set aside for the year: say so, and still state what was booked and what is planned."""
    result = [_("Inga särskilda medel för kamerabevakning är tilldelade för %(year)s.") % {"year": ctx.year}]
    if budget is None:
        return result
    values = {
        "year": budget.year,
        "date": long_date(ctx.as_of, _),
        "spent": format_kr(budget.spent),
        "committed": format_kr(budget.committed),
        "planned": format_kr(budget.planned),
        "booked": format_kr(min(budget.planned_booked, budget.planned)),
        "ahead": format_kr(budget.planned_not_committed),
    }
    if budget.used:
        result[0] += (
            " "
            + _("Per den %(date)s har %(spent)s förbrukats och %(committed)s är beställda men ännu inte bokförda.")
            % values
        )
    if budget.planned:
        plan = _("De planerade projekteringarna för %(year)s beräknas kosta %(planned)s sammanlagt.") % values
        if budget.planned_booked:
            plan += " " + _(
                "Av det är %(booked)s redan förbrukat eller beställt, så %(ahead)s återstår att beställa."
            ) % (values)
        result.append(plan)
    return result


def draft_children(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    """The school sites by name and the state of their child-rights assessments (approved, in progress, none)."""
    facts = ctx.children
    school_projects = [p for p in ctx.projects if p.is_school and p.status != progress.CANCELLED]
    if not facts.school_cameras and not school_projects:
        return [_("Inga kameror finns eller planeras i skolmiljö.")]
    result = [
        _(
            "Särskilda konsekvensbedömningar görs för varje enskild kamera som ska tas i bruk utifrån ett "
            "integritetsperspektiv för dem som bevakas i skolmiljö."
        )
    ]
    if not facts.school_cameras:
        sites = sorted({p.site for p in school_projects})
        result.append(
            _("Kamerabevakning i skolmiljö planeras vid %(sites)s; ännu finns inga kameror där.")
            % {"sites": join_words(sites, _)}
        )
        return result
    not_started = [
        s for s in facts.school_sites if s not in facts.approved_sites and s not in facts.assessments_in_progress
    ]
    values = {
        "count": cameras(facts.school_cameras, _),
        "sites": join_words(list(facts.school_sites), _),
        "running": count_word(facts.school_cameras_in_operation, _),
        "assessed": facts.school_cameras_assessed,
        "approved": join_words(list(facts.approved_sites), _),
        "in_progress": join_words(list(facts.assessments_in_progress), _),
        "not_started": join_words(not_started, _),
    }
    text = _("I skolmiljö finns %(count)s (%(sites)s), varav %(running)s i drift.") % values
    if facts.compliance_available:
        if facts.school_cameras_assessed == facts.school_cameras:
            text += " " + _("Samtliga omfattas av en godkänd barnrättsprövning.")
        elif facts.school_cameras_assessed:
            text += " " + _("%(assessed)s av dem omfattas av en godkänd barnrättsprövning.") % values
        else:
            text += " " + _("Ingen av dem omfattas ännu av en godkänd barnrättsprövning.")
        if facts.approved_sites and facts.school_cameras_assessed != facts.school_cameras:
            text += " " + _("Barnrättsprövningen är godkänd för %(approved)s.") % values
        if facts.assessments_in_progress:
            text += (
                " "
                + _("Barnrättsprövningen för %(in_progress)s pågår och ska vara godkänd innan kamerorna tas i drift.")
                % values
            )
        if not_started:
            text += (
                " "
                + _(
                    "För %(not_started)s har barnrättsprövningen ännu inte påbörjats; den ska vara godkänd innan "
                    "kamerorna tas i drift."
                )
                % values
            )
    else:
        text += " " + _("Barnrättsprövning görs för varje skola innan kamerorna tas i drift.")
    result.append(text)
    return result


def _site_counts(site: AreaSite, _: Translate) -> str:
    values = {"site": site.site, "running": site.in_operation, "planned": site.planned}
    one = site.planned == 1  # "1 planerad", "2 planerade"
    if site.in_operation and site.planned:
        if one:
            return _("%(site)s (%(running)s i drift, %(planned)s planerad)") % values
        return _("%(site)s (%(running)s i drift, %(planned)s planerade)") % values
    if site.in_operation:
        return _("%(site)s (%(running)s i drift)") % values
    if one:
        return _("%(site)s (%(planned)s planerad)") % values
    return _("%(site)s (%(planned)s planerade)") % values


def draft_rural(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    """Cameras outside the urban area, named by site; "Ej tillämplig" only when there are none at all.

    Counts sites with cameras in operation or planned (`ReportContext.outside_urban`), projects and
    dialogues at sites in rural or archipelago areas.
    """
    counts = {line.code: line.count for line in ctx.by_area_kind}
    outside = {code: n for code, n in counts.items() if code != "urban" and n}
    planned_outside = [d for d in ctx.dialogues if d.area_kind != "urban"]
    projects_outside = [p for p in ctx.projects if p.area_kind != "urban" and p.status != progress.CANCELLED]
    if not outside and not planned_outside and not ctx.outside_urban and not projects_outside:
        return [_("Ej tillämplig. Samtliga kameror i drift finns i tätort.")]
    spread = [
        f"{counts[code]} {area_phrase(code, _)}" for code in ("urban", "rural", "archipelago") if counts.get(code)
    ]
    result = []
    if ctx.in_operation:
        result.append(
            _("Av de %(count)s kameror som är i drift den %(date)s finns %(spread)s.")
            % {"count": ctx.in_operation, "date": long_date(ctx.as_of, _), "spread": join_words(spread, _)}
        )
    for area in ("rural", "archipelago"):
        sites = [s for s in ctx.outside_urban if s.area_kind == area]
        if sites:
            result.append(
                _("Kameror %(area)s finns vid %(sites)s.")
                % {"area": area_phrase(area, _), "sites": join_words([_site_counts(s, _) for s in sites], _)}
            )
        named = {s.site for s in sites}
        waiting = sorted({p.site for p in projects_outside if p.area_kind == area and p.site not in named})
        if waiting:
            result.append(
                _("Projektering av kamerabevakning %(area)s pågår vid %(sites)s.")
                % {"area": area_phrase(area, _), "sites": join_words(waiting, _)}
            )
        talked = sorted({d.site for d in planned_outside if d.area_kind == area})
        if talked:
            result.append(
                _("Dialogen med %(sites)s gäller kamerabevakning %(area)s.")
                % {"sites": join_words(talked, _), "area": area_phrase(area, _)}
            )
    return result


def draft_data_protection(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    facts = ctx.data_protection
    result = []
    if facts is not None:
        text = _(
            "Av de %(running)s kameror som är i drift den %(date)s har %(approved)s en godkänd intresseavvägning "
            "enligt 9 § kamerabevakningslagen."
        ) % {
            "running": facts.cameras_in_operation,
            "date": long_date(ctx.as_of, _),
            "approved": facts.with_approved_assessment,
        }
        if facts.dpia_sites_approved:
            text += " " + _(
                "Konsekvensbedömningar enligt artikel 35 i dataskyddsförordningen är godkända för %(count)s platser."
            ) % {"count": len(facts.dpia_sites_approved)}
        if facts.dpia_sites_in_progress:
            text += " " + _("För %(sites)s pågår konsekvensbedömningen.") % {
                "sites": join_words(list(facts.dpia_sites_in_progress), _)
            }
        result.append(text)
    result.append(
        _(
            "Uppgifterna i tjänsteutlåtandet redovisas som antal per typ av plats och område. Kamerornas exakta "
            "placeringar redovisas i en bilaga som kan omfattas av sekretess enligt 18 kap. 8 § offentlighets- och "
            "sekretesslagen."
        )
    )
    return result


#
# Effect and yearly reviews (optional section, issue 14 item 5)
#


def _direction(change_low: float, change_high: float) -> str:
    """ "fewer", "more" or "indistinguishable": whether the interval of the change excludes no change."""
    if change_high < 0:
        return "fewer"
    if change_low > 0:
        return "more"
    return "indistinguishable"


def warning_phrase(code: str, site: SiteEffect, min_events: int, _: Translate = _noop) -> str:
    """A warning of the evaluation (`trygg.evaluation.verdict.warnings_for` codes) in plain words."""
    phrases = {
        "few_events": _(
            "bara %(count)s händelser före kamerorna, färre än %(minimum)s, så resultatet är mycket osäkert"
        ),
        "peak": _(
            "platsen valdes efter en topp i antalet händelser, så en minskning efteråt kan vara en återgång till "
            "det vanliga (regression mot medelvärdet) och inte en effekt av kamerorna"
        ),
        "peak_unchecked": _(
            "för kort historik för att pröva om platsen valdes efter en topp (regression mot medelvärdet)"
        ),
        "no_control": _("ingen jämförbar plats utan kameror, så förändringen kan inte tillskrivas kamerorna"),
        "overlapping_measures": _(
            "andra åtgärder infördes under samma tid, och deras effekt kan inte skiljas från kamerornas"
        ),
        "recording_changed": _(
            "sättet att registrera händelser ändrades under perioden, vilket i sig kan ändra antalet"
        ),
    }
    return phrases.get(code, code) % {"count": site.treated_before, "minimum": min_events}


def _site_effect_sentence(site: SiteEffect, min_events: int, _: Translate) -> str:
    """One included site's effect with its interval and warnings (`change*` must be set)."""
    direction = _direction(site.change_low, site.change_high)
    values = {
        "site": site.site,
        "before": site.treated_before,
        "after": site.treated_after,
    }
    if direction == "fewer":
        values |= {"percent": number(-site.change), "low": number(-site.change_high), "high": number(-site.change_low)}
        text = (
            _(
                "%(site)s: %(percent)s %% färre händelser än väntat (95 %% konfidensintervall %(low)s till %(high)s %% "
                "färre; %(before)s händelser året före och %(after)s året efter)."
            )
            % values
        )
    elif direction == "more":
        values |= {"percent": number(site.change), "low": number(site.change_low), "high": number(site.change_high)}
        text = (
            _(
                "%(site)s: %(percent)s %% fler händelser än väntat (95 %% konfidensintervall %(low)s till %(high)s %% "
                "fler; %(before)s händelser året före och %(after)s året efter)."
            )
            % values
        )
    else:
        values |= {"percent": signed(site.change), "low": signed(site.change_low), "high": signed(site.change_high)}
        text = (
            _(
                "%(site)s: förändringen kan inte skiljas från slumpen (%(percent)s %% jämfört med väntat, 95 %% "
                "konfidensintervall %(low)s till %(high)s %%; %(before)s händelser året före och %(after)s året efter)."
            )
            % values
        )
    if site.warnings:
        phrases = [warning_phrase(code, site, min_events, _) for code in site.warnings]
        text += " " + sentence(_("Varning: %(warnings)s") % {"warnings": "; ".join(phrases)})
    return text


def _pooled_paragraph(pooled: PooledEffect, _: Translate) -> str:
    direction = _direction(pooled.change_low, pooled.change_high)
    where = (
        _("Sammanvägt för %(sites)s platser") % {"sites": pooled.sites}
        if pooled.sites > 1
        else _("För den enda utvärderade platsen")
    )
    values: dict[str, Any] = {"where": where}
    if not pooled.distinguishable:
        direction = "indistinguishable"
    if direction == "fewer":
        values |= {
            "percent": number(-pooled.change),
            "low": number(-pooled.change_high),
            "high": number(-pooled.change_low),
        }
        text = (
            _(
                "%(where)s blev det %(percent)s %% färre händelser än "
                "kontrollplatserna ger anledning att vänta (95 %% konfidensintervall %(low)s till %(high)s %% färre)."
            )
            % values
        )
        text += " " + _(
            "Skillnaden kan skiljas från slumpen, men visar inte ensam att kamerorna orsakat den; varningarna för "
            "platserna nedan anger andra möjliga förklaringar."
        )
    elif direction == "more":
        values |= {
            "percent": number(pooled.change),
            "low": number(pooled.change_low),
            "high": number(pooled.change_high),
        }
        text = (
            _(
                "%(where)s blev det %(percent)s %% fler händelser än "
                "kontrollplatserna ger anledning att vänta (95 %% konfidensintervall %(low)s till %(high)s %% fler)."
            )
            % values
        )
        text += " " + _("Kameror kan också göra att fler händelser upptäcks och anmäls.")
    else:
        values |= {
            "percent": signed(pooled.change),
            "low": signed(pooled.change_low),
            "high": signed(pooled.change_high),
        }
        text = _("%(where)s kan förändringen inte skiljas från slumpen.") % values
        text += (
            " "
            + _(
                "Skattningen är %(percent)s %% jämfört med vad kontrollplatserna ger anledning att vänta, men 95 %% "
                "konfidensintervallet går från %(low)s till %(high)s %% och rymmer både färre och fler händelser."
            )
            % values
        )
    if pooled.sites == 1:
        text += " " + _("Bara en plats kan utvärderas ännu, så något sammanvägt resultat för programmet finns inte.")
    else:
        i2 = pooled.i_squared
        # Higgins et al. 2003 (BMJ 327:557): I² of 25, 50 and 75 % as low, moderate and high.
        if i2 < 0.25:
            spread = _("Resultaten skiljer sig lite mellan platserna (heterogenitet I² = %(i2)s %%).")
        elif i2 < 0.5:
            spread = _("Resultaten skiljer sig måttligt mellan platserna (heterogenitet I² = %(i2)s %%).")
        else:
            spread = _(
                "Resultaten skiljer sig mycket mellan platserna (heterogenitet I² = %(i2)s %%); det sammanvägda "
                "talet säger därför mindre om varje enskild plats."
            )
        text += " " + spread % {"i2": number(i2 * 100)}
    return text


def _cost_sentence(pooled: PooledEffect, _: Translate) -> str:
    """Cost per avoided incident only when the effect is a reduction distinguishable from zero (§5 point 3)."""
    fewer = pooled.distinguishable and _direction(pooled.change_low, pooled.change_high) == "fewer"
    if not pooled.distinguishable:
        return _("Någon kostnad per undviken händelse redovisas inte, eftersom effekten inte kan skiljas från noll.")
    if not fewer:
        return _("Någon kostnad per undviken händelse redovisas inte, eftersom effekten inte är en minskning.")
    if pooled.cost_per_avoided is not None and pooled.avoided is not None:
        return _(
            "Kostnaden per undviken händelse är omkring %(cost)s: de kostnader som är bokförda för de utvärderade "
            "platsernas kameror och deras andel av gemensamma kostnader under efterperioderna, %(total)s, "
            "delat med %(avoided)s undvikna händelser (95 %% konfidensintervall för antalet %(low)s till "
            "%(high)s)."
        ) % {
            "cost": format_kr(pooled.cost_per_avoided),
            "total": format_kr(pooled.cost_total),
            "avoided": number(pooled.avoided),
            "low": number(pooled.avoided_low or 0),
            "high": number(pooled.avoided_high or 0),
        }
    if not pooled.cost_total:
        return _("Kostnad per undviken händelse kan inte räknas: inga kostnader för kamerorna är bokförda.")
    return _(
        "Någon kostnad per undviken händelse redovisas inte, eftersom antalet undvikna händelser inte kan skiljas "
        "från noll."
    )


def _reviews_paragraph(ctx: ReportContext, reviews: ReviewYear, _: Translate) -> str:
    values = {
        "year": ctx.year,
        "date": long_date(ctx.as_of, _),
        "day": long_date(ctx.as_of, _, with_year=ctx.as_of.year != ctx.year),
        "due": cameras(reviews.due, _),
        "reviewed": reviews.reviewed,
        "keep": reviews.keep,
        "change": reviews.change,
        "remove": reviews.remove,
        "overdue": cameras(reviews.overdue, _),
    }
    if reviews.due:
        text = (
            _(
                "Varje kamera omprövas ett år efter att den togs i drift och därefter varje år: är bevakningen "
                "fortfarande motiverad? Under %(year)s fram till den %(day)s skulle %(due)s omprövas."
            )
            % values
        )
    else:
        text = (
            _(
                "Varje kamera omprövas ett år efter att den togs i drift och därefter varje år: är bevakningen "
                "fortfarande motiverad? Under %(year)s fram till den %(day)s skulle ingen kamera omprövas."
            )
            % values
        )
    if reviews.reviewed == 1:
        text += (
            " "
            + _("En omprövning har beslutats under året (behålla: %(keep)s, ändra: %(change)s, avveckla: %(remove)s).")
            % values
        )
    elif reviews.reviewed:
        text += (
            " "
            + _(
                "Under året har %(reviewed)s omprövningar beslutats (behålla: %(keep)s, ändra: %(change)s, "
                "avveckla: %(remove)s)."
            )
            % values
        )
    else:
        text += " " + _("Ingen omprövning har beslutats under året.")
    if reviews.overdue:
        text += " " + _("Den %(date)s är omprövningen försenad för %(overdue)s.") % values
    else:
        text += " " + _("Den %(date)s är ingen omprövning försenad.") % values
    return text


def draft_effect(ctx: ReportContext, _: Translate = _noop) -> list[str]:
    """ "Effekt och omprövning": the programme evaluation as of the report date and the year's reviews.

    States every effect with its 95 % interval, says "kan inte skiljas från slumpen" when the
    interval spans no change, names each site's warnings in plain words, gives a cost per avoided
    incident only for a reduction distinguishable from zero, and says plainly when nothing could be
    evaluated (the reviews are reported either way). Reference: reference/evaluation.md §5.
    """
    facts = ctx.effect or EffectFacts()
    result = [
        _(
            "Effekten utvärderas för varje plats med kameror i drift: antalet händelser under tolv månader före "
            "och tolv månader efter att kamerorna togs i drift jämförs med liknande platser utan kameror "
            "(kontrollplatser). Ett konfidensintervall anger hur osäker skattningen är: rymmer intervallet både "
            "färre och fler händelser går förändringen inte att skilja från slumpen."
        )
    ]
    included = [s for s in facts.sites if s.included and s.change is not None]
    left_out = [s for s in facts.sites if not s.included]
    if facts.pooled is None or not included:
        if not facts.sites:
            result.append(
                _(
                    "Per den %(date)s finns ingen utvärdering av kamerornas effekt: ingen plats har haft kameror i "
                    "drift."
                )
                % {"date": long_date(ctx.as_of, _)}
            )
        else:
            result.append(
                _(
                    "Per den %(date)s finns ingen utvärdering av kamerornas effekt: ingen plats har ännu tillräckliga "
                    "uppgifter (%(sites)s). Något påstående om effekten kan därför inte göras."
                )
                % {
                    "date": long_date(ctx.as_of, _),
                    "sites": "; ".join(f"{s.site}: {_(s.reason)}" for s in left_out),
                }
            )
    else:
        result.append(_pooled_paragraph(facts.pooled, _) + " " + _cost_sentence(facts.pooled, _))
        result.extend(_site_effect_sentence(s, facts.min_events, _) for s in included)
        if left_out:
            result.append(
                _("Inte med i sammanvägningen: %(sites)s.")
                % {"sites": "; ".join(f"{s.site} ({_(s.reason)})" for s in left_out)}
            )
    result.append(_reviews_paragraph(ctx, facts.reviews, _))
    return result


DRAFTERS: dict[str, Callable[[ReportContext, Translate], list[str]]] = {
    "proposal": draft_proposal,
    "summary": draft_summary,
    "matter": draft_matter,
    "preparation": draft_preparation,
    "economy": draft_economy,
    "children": draft_children,
    "rural": draft_rural,
    "effect": draft_effect,
    "data_protection": draft_data_protection,
}


def draft_sections(
    ctx: ReportContext, include_data_protection: bool = False, _: Translate = _noop, include_effect: bool = False
) -> dict[str, str]:
    """Every section's text, drafted from the context; paragraphs are separated by a blank line."""
    keys = section_keys(include_data_protection, include_effect)
    return {key: "\n\n".join(DRAFTERS[key](ctx, _)) for key in keys}
