"""Choosing the method, writing the verdict and the warnings of an effect evaluation. No Django.

`EvaluationFacts` holds the counts of one evaluation, already aggregated (a thin Django function,
`trygg.evaluation.services.facts_for`, builds it from the register). `evaluate` chooses the method,
computes the estimates with `trygg.evaluation.stats` and writes the verdict in plain Swedish through
`_`, the caller's gettext (plain identity by default), as `trygg.reports.drafting` does.

The method follows reference/evaluation.md §2 and the checklist in §5:

- with control sites: the relative effect size (RES, Farrington & Welsh; variance multiplied by the
  overdispersion estimated from the treated sites' monthly series) and the weighted
  difference-in-differences (WDD, Wheeler & Ratcliffe 2018) in incidents;
- without: the Poisson E-test (Krishnamoorthy & Thomson 2004), labelled as unable to attribute
  the change;
- an interrupted time series (§2.5) beside either, when the monthly series is long enough.

Warnings are part of every result (§5 points 5, 7, 8 and the 20-event inclusion rule of §1.1):
few events, selection after a peak (regression to the mean), no control, other measures starting
or ending in the window, and a change in how incidents were recorded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # scipy and statsmodels take seconds to import: loaded by the functions that compute, so a
    # process that never evaluates (the admin, an API worker) does not pay for them.
    from trygg.evaluation import stats

Translate = Callable[[str], str]

# The systematic reviews include only evaluations with at least 20 incidents before (§1.1).
MIN_EVENTS = 20
# Regression to the mean: the before period compared with the months before it (§5 point 5).
MIN_HISTORY_MONTHS = 6
PEAK_RATIO = 1.25
PEAK_P_VALUE = 0.05
# Interrupted time series: enough months for trend and season (Lopez Bernal et al. 2017 use 36 + 23).
ITS_MIN_BEFORE = 24
ITS_MIN_AFTER = 12
LEVEL = 0.95


def _noop(message: str) -> str:
    return message


@dataclass(frozen=True)
class MeasureSpan:
    """A measure tried at a treated site (sites.Measure), other than the one evaluated."""

    label: str
    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class SourceSpan:
    """One way incidents reach the register (an incident source, or manual entry) and the first and
    last incident it brought, over the whole register."""

    label: str
    first_on: dt.date
    last_on: dt.date


@dataclass(frozen=True)
class HarmCounts:
    """Counts per incident kind (same order in every list) and each kind's harm weight (> 0)."""

    weights: Sequence[float]
    treated_before: Sequence[int]
    treated_after: Sequence[int]
    control_before: Sequence[int]
    control_after: Sequence[int]


@dataclass(frozen=True)
class EvaluationFacts:
    """The counts of one evaluation.

    Periods are whole months: `*_start` is the first day, `*_end` the first day after. The monthly
    series run from `series_start` (the start of the history) to `after_end`, one count per month;
    `history_months` of them precede the before period. Counts are incidents (non-negative
    integers); `harm` holds the same before/after counts per incident kind with the kinds' harm
    weights (None when harm weighting is not asked for).
    """

    before_start: dt.date
    before_end: dt.date
    after_start: dt.date
    after_end: dt.date
    treated_series: Sequence[int]
    series_start: dt.date
    history_months: int
    control_series: Sequence[int] | None = None
    buffer_before: int | None = None
    buffer_after: int | None = None
    measures: Sequence[MeasureSpan] = ()
    sources: Sequence[SourceSpan] = ()
    harm: HarmCounts | None = None


@dataclass(frozen=True)
class Warning:
    code: str
    text: str
    title: str = ""


@dataclass(frozen=True)
class Line:
    """One number of the result with its label and interval, already formatted."""

    label: str
    value: str
    interval: str = ""


@dataclass(frozen=True)
class Result:
    method: str  # "res_wdd" or "e_test"
    method_text: str
    direction: str  # "fewer", "more" or "indistinguishable"
    verdict: str
    counts: dict[str, int]
    lines: tuple[Line, ...]
    warnings: tuple[Warning, ...]
    res: stats.Estimate | None = None
    wdd: stats.Estimate | None = None
    e_test: stats.Estimate | None = None
    displacement: stats.Displacement | None = None
    its: stats.TimeSeriesResult | None = None
    dispersion: float = 1.0
    notes: tuple[str, ...] = field(default_factory=tuple)


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from the month of `start` to the month of `end` (end exclusive)."""
    return (end.year - start.year) * 12 + end.month - start.month


def number(value: float, decimals: int = 0) -> str:
    """A number the Swedish way: decimal comma, a proper minus sign, a space between thousands."""
    text = f"{abs(value):,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return ("−" if value < 0 and text.strip("0,\u00a0") else "") + text


def _slices(facts: EvaluationFacts) -> tuple[slice, slice, slice]:
    """Index ranges of history, before and after in the monthly series."""
    history_end = months_between(facts.series_start, facts.before_start)
    before_end = months_between(facts.series_start, facts.before_end)
    after_from = months_between(facts.series_start, facts.after_start)
    after_to = months_between(facts.series_start, facts.after_end)
    return slice(0, history_end), slice(history_end, before_end), slice(after_from, after_to)


def signed(value: float, decimals: int = 0) -> str:
    """`number` with a plus sign on positive values (a change, not a level)."""
    text = number(value, decimals)
    return "+" + text if value > 0 and text.strip("0,") else text


def _percent_change(ratio: float) -> float:
    """Observed relative to expected, in per cent: 1/RES − 1 (negative = fewer than expected)."""
    return (1.0 / ratio - 1.0) * 100.0


def warnings_for(facts: EvaluationFacts, treated_before: int, _: Translate = _noop) -> list[Warning]:
    """Every warning that applies to `facts`, in the order of the checklist (never empty-by-choice:
    each condition is checked on every evaluation)."""
    from trygg.evaluation import stats

    found: list[Warning] = []
    if treated_before < MIN_EVENTS:
        found.append(
            Warning(
                "few_events",
                _(
                    "Få händelser: %(count)s i föreperioden på de utvärderade platserna, färre än %(minimum)s. "
                    "Resultatet blir mycket osäkert, och forskningsöversikterna tar bara med utvärderingar "
                    "med minst %(minimum)s händelser före."
                )
                % {"count": treated_before, "minimum": MIN_EVENTS},
            )
        )
    history, _before, _after = _slices(facts)
    history_counts = list(facts.treated_series[history])
    before_months = months_between(facts.before_start, facts.before_end)
    if len(history_counts) < MIN_HISTORY_MONTHS:
        found.append(
            Warning(
                "peak_unchecked",
                _(
                    "Regression mot medelvärdet kan inte prövas: det finns bara %(months)s månaders historik "
                    "före föreperioden (minst %(minimum)s behövs). Platser väljs ofta efter en topp, och då "
                    "sjunker antalet ofta av sig självt."
                )
                % {"months": len(history_counts), "minimum": MIN_HISTORY_MONTHS},
            )
        )
    else:
        history_total = sum(history_counts)
        history_rate = history_total / len(history_counts)
        before_rate = treated_before / before_months
        if before_rate > PEAK_RATIO * history_rate:
            test = stats.poisson_e_test(treated_before, history_total, before_months, len(history_counts))
            if test.p_value < PEAK_P_VALUE:
                found.append(
                    Warning(
                        "peak",
                        _(
                            "Urval efter en topp: föreperioden hade %(before)s händelser i månaden mot %(history)s "
                            "under de %(months)s månaderna innan. En minskning efteråt kan vara en återgång till "
                            "det vanliga (regression mot medelvärdet), inte en effekt av insatsen."
                        )
                        % {
                            "before": number(before_rate, 1),
                            "history": number(history_rate, 1),
                            "months": len(history_counts),
                        },
                    )
                )
    if facts.control_series is None:
        found.append(
            Warning(
                "no_control",
                _(
                    "Ingen kontroll: förändringen kan inte tillskrivas insatsen. Trender, säsong och regression "
                    "mot medelvärdet kan lika gärna förklara den. Välj liknande platser utan kameror som kontroll."
                ),
            )
        )
    window = (facts.before_start, facts.after_end)
    overlapping = [
        measure
        for measure in facts.measures
        if window[0] <= measure.started_on < window[1]
        or (measure.ended_on is not None and window[0] <= measure.ended_on < window[1])
    ]
    if overlapping:
        found.append(
            Warning(
                "overlapping_measures",
                _("Andra åtgärder under perioden: %(measures)s. Effekten av insatsen kan inte skiljas från deras.")
                % {"measures": "; ".join(_measure_text(measure, _) for measure in overlapping)},
            )
        )
    changes = []
    for source in facts.sources:
        if window[0] < source.first_on < window[1]:
            changes.append(
                _("%(source)s har sin första händelse %(date)s") % {"source": source.label, "date": source.first_on}
            )
        # A source still in use has its last incident near today; only an ending inside the window counts.
        if window[0] <= source.last_on < window[1] and months_between(source.last_on, window[1]) >= 1:
            changes.append(
                _("%(source)s har sin sista händelse %(date)s") % {"source": source.label, "date": source.last_on}
            )
    if changes:
        found.append(
            Warning(
                "recording_changed",
                _(
                    "Sättet att registrera händelser ändrades under perioden: %(changes)s. Fler eller färre "
                    "registrerade händelser kan bero på det, inte på insatsen."
                )
                % {"changes": "; ".join(changes)},
            )
        )
    titles = {
        "few_events": _("Få händelser"),
        "peak_unchecked": _("Regression mot medelvärdet kan inte prövas"),
        "peak": _("Urval efter en topp"),
        "no_control": _("Ingen kontroll"),
        "overlapping_measures": _("Andra åtgärder under perioden"),
        "recording_changed": _("Ändrad registrering"),
    }
    return [Warning(w.code, w.text, titles[w.code]) for w in found]


def _measure_text(measure: MeasureSpan, _: Translate) -> str:
    if measure.ended_on is None:
        return _("%(measure)s från %(start)s") % {"measure": measure.label, "start": measure.started_on}
    return _("%(measure)s %(start)s–%(end)s") % {
        "measure": measure.label,
        "start": measure.started_on,
        "end": measure.ended_on,
    }


def _span(estimate: stats.Estimate, decimals: int) -> str:
    return f"{number(estimate.ci_low, decimals)} – {number(estimate.ci_high, decimals)}"


def evaluate(facts: EvaluationFacts, _: Translate = _noop) -> Result:
    """The result of one evaluation: method, estimates with intervals, verdict and warnings.

    Raises `stats.StatsError` when the counts do not allow an estimate (e.g. zero incidents in a
    cell of the RES); the caller shows its message.
    """
    from trygg.evaluation import stats

    history, before, after = _slices(facts)
    series = list(facts.treated_series)
    a, b = sum(series[before]), sum(series[after])
    before_months = months_between(facts.before_start, facts.before_end)
    after_months = months_between(facts.after_start, facts.after_end)
    counts = {"treated_before": a, "treated_after": b}
    warnings = warnings_for(facts, a, _)
    # Overdispersion from the treated sites' own history and before period (§2.1: Pearson χ²/df).
    pre_series = series[: before.stop]
    lines: list[Line] = []
    notes: list[str] = []
    try:
        dispersion = stats.dispersion_from_series(pre_series)
    except stats.StatsError:
        dispersion = 1.0
        notes.append(
            _(
                "Överspridningen kunde inte skattas (för kort eller tom månadsserie före insatsen); "
                "intervallen bygger på Poissonantagandet och kan vara för smala."
            )
        )
    res = wdd = e_test = None
    displacement = None
    if facts.control_series is not None:
        control = list(facts.control_series)
        c, d = sum(control[before]), sum(control[after])
        counts |= {"control_before": c, "control_after": d}
        res = stats.relative_effect_size(a, b, c, d, dispersion=dispersion, level=LEVEL)
        # The WDD of the treated sites alone: the buffer has no control of its own here, and subtracting
        # the control's change twice (once for the buffer) would count it against the treated sites.
        # Displacement is reported separately, as WDQ and TNE (Bowers & Johnson 2003).
        wdd = stats.weighted_difference_in_differences(a, b, c, d, level=LEVEL)
        change = _percent_change(res.value)
        high_change, low_change = _percent_change(res.ci_low), _percent_change(res.ci_high)
        if res.ci_low > 1.0:
            direction = "fewer"
            verdict = _(
                "Färre än väntat: jämfört med kontrollplatserna hade de utvärderade platserna %(percent)s %% "
                "färre händelser än väntat efter insatsen (95 %% konfidensintervall %(low)s till %(high)s %% färre)."
            ) % {"percent": number(-change), "low": number(-high_change), "high": number(-low_change)}
        elif res.ci_high < 1.0:
            direction = "more"
            verdict = _(
                "Fler än väntat: jämfört med kontrollplatserna hade de utvärderade platserna %(percent)s %% "
                "fler händelser än väntat efter insatsen (95 %% konfidensintervall %(low)s till %(high)s %% fler)."
            ) % {"percent": number(change), "low": number(low_change), "high": number(high_change)}
        else:
            direction = "indistinguishable"
            verdict = _(
                "Förändringen kan inte skiljas från slumpen: skattningen är %(percent)s %% jämfört med vad "
                "kontrollplatserna ger anledning att vänta, men 95 %% konfidensintervallet går från %(low)s till "
                "%(high)s %% och rymmer både färre och fler händelser."
            ) % {"percent": signed(change), "low": signed(low_change), "high": signed(high_change)}
        method = "res_wdd"
        method_text = _(
            "Jämförelse med kontrollplatser: relativ effektstorlek (RES, Farrington och Welsh) med varians "
            "korrigerad för överspridning, och skillnad i skillnader i antal händelser (WDD, Wheeler och "
            "Ratcliffe 2018)."
        )
        lines += [
            Line(_("Relativ effektstorlek (RES, över 1 = färre än väntat)"), number(res.value, 2), _span(res, 2)),
            Line(_("Skillnad i antal mot väntat (WDD, negativt = färre)"), number(wdd.value, 1), _span(wdd, 1)),
        ]
        if facts.buffer_before is not None and facts.buffer_after is not None:
            counts |= {"buffer_before": facts.buffer_before, "buffer_after": facts.buffer_after}
            if c > 0 and d > 0:
                displacement = stats.displacement(a, b, c, d, facts.buffer_before, facts.buffer_after)
                if displacement.meaningful:
                    lines.append(
                        Line(
                            _(
                                "Förflyttningskvot (WDQ; över 0 = nyttan spreds till bufferten, under 0 = händelser flyttade dit)"
                            ),
                            number(displacement.wdq, 2),
                        )
                    )
                    lines.append(
                        Line(
                            _("Total nettoeffekt med bufferten (TNE, undvikna händelser)"), number(displacement.tne, 1)
                        )
                    )
                else:
                    notes.append(
                        _(
                            "Förflyttning (WDQ och nettoeffekt) redovisas inte: de har bara mening när de "
                            "utvärderade platserna gått bättre än kontrollen."
                        )
                    )
        if facts.harm is not None and facts.harm.weights:
            # Harm-weighted WDD: Σ w·WDD per kind, Var = Σ w²·Var (Wheeler 2020, via stats).
            harm = facts.harm
            weighted = stats.weighted_difference_in_differences(
                harm.treated_before,
                harm.treated_after,
                harm.control_before,
                harm.control_after,
                [0] * len(harm.weights),
                [0] * len(harm.weights),
                [0] * len(harm.weights),
                [0] * len(harm.weights),
                harm_weights=harm.weights,
                level=LEVEL,
            )
            lines.append(
                Line(
                    _("Skillnad i skadeviktade händelser mot väntat (negativt = mindre skada)"),
                    number(weighted.value, 1),
                    _span(weighted, 1),
                )
            )
    else:
        e_test = stats.poisson_e_test(a, b, before_months, after_months)
        change = (e_test.value - 1.0) * 100.0
        distinguishable = e_test.p_value < 1.0 - LEVEL
        if distinguishable and b / after_months < a / before_months:
            direction = "fewer"
            template = _(
                "Utan kontroll: förändringen kan inte tillskrivas kamerorna. Färre än före: %(percent)s %% "
                "färre händelser i månaden efter insatsen (95 %% konfidensintervall för kvoten efter/före %(low)s till "
                "%(high)s, p = %(p)s)."
            )
        elif distinguishable:
            direction = "more"
            template = _(
                "Utan kontroll: förändringen kan inte tillskrivas kamerorna. Fler än före: %(percent)s %% "
                "fler händelser i månaden efter insatsen (95 %% konfidensintervall för kvoten efter/före %(low)s till "
                "%(high)s, p = %(p)s)."
            )
        else:
            direction = "indistinguishable"
            template = _(
                "Utan kontroll: förändringen kan inte tillskrivas kamerorna. Skillnaden mellan före och efter "
                "(%(percent)s %%) kan inte skiljas från slumpen (95 %% konfidensintervall för kvoten efter/före "
                "%(low)s till %(high)s, p = %(p)s)."
            )
        verdict = template % {
            "percent": number(abs(change)) if direction != "indistinguishable" else signed(change),
            "p": number(e_test.p_value, 3),
            "low": number(e_test.ci_low, 2),
            "high": number(e_test.ci_high, 2),
        }
        method = "e_test"
        method_text = _(
            "Före och efter på samma plats utan kontroll: Poissons E-test (Krishnamoorthy och Thomson 2004). "
            "Utan kontroll: förändringen kan inte tillskrivas kamerorna."
        )
        lines.append(Line(_("Kvot efter/före per månad (under 1 = färre)"), number(e_test.value, 2), _span(e_test, 2)))
        lines.append(Line(_("p-värde (E-test)"), number(e_test.p_value, 3)))
    its = None
    if history.stop + (before.stop - before.start) >= ITS_MIN_BEFORE and after.stop - after.start >= ITS_MIN_AFTER:
        control_series = list(facts.control_series[: after.stop]) if facts.control_series is not None else None
        try:
            its = stats.interrupted_time_series(
                series[: after.stop], before.stop, control=control_series, gap=after.start - before.stop, level=LEVEL
            )
        except stats.StatsError:
            notes.append(_("Avbruten tidsserie kunde inte skattas för den här serien."))
        else:
            lines.append(
                Line(
                    _("Avbruten tidsserie: nivåförändring (kvot, under 1 = färre)"),
                    number(its.level_change.value, 2),
                    _span(its.level_change, 2),
                )
            )
    return Result(
        method=method,
        method_text=method_text,
        direction=direction,
        verdict=verdict,
        counts=counts,
        lines=tuple(lines),
        warnings=tuple(warnings),
        res=res,
        wdd=wdd,
        e_test=e_test,
        displacement=displacement,
        its=its,
        dispersion=dispersion,
        notes=tuple(notes),
    )
