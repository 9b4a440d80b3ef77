"""The verdict and its warnings (pure, no database): method choice, words, and one test per warning.

Counts are hand-built monthly series; the expected RES and interval are computed by hand from
Farrington et al. (2007), appendix: RES = (a·d)/(b·c), VAR(ln RES) = 1/a + 1/b + 1/c + 1/d,
95 % CI = exp(ln RES ± 1.96·√VAR).
"""

from __future__ import annotations

import datetime as dt
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.evaluation import verdict

D = dt.date


def facts(before, after, *, history=(), control=None, gap=0, **extra):
    """Facts from per-month lists: `history`, `before`, `gap` months of zeros, `after`."""
    series_start = D(2020, 1, 1)
    start = _add(series_start, len(history))
    before_end = _add(start, len(before))
    after_start = _add(before_end, gap)
    treated = [*history, *before, *([0] * gap), *after]
    control_series = None
    if control is not None:
        c_history, c_before, c_after = control
        control_series = [*c_history, *c_before, *([0] * gap), *c_after]
    return verdict.EvaluationFacts(
        before_start=start,
        before_end=before_end,
        after_start=after_start,
        after_end=_add(after_start, len(after)),
        treated_series=treated,
        series_start=series_start,
        history_months=len(history),
        control_series=control_series,
        **extra,
    )


def _add(day, months):
    index = day.year * 12 + day.month - 1 + months
    return D(index // 12, index % 12 + 1, 1)


def codes(result_or_list):
    items = result_or_list.warnings if hasattr(result_or_list, "warnings") else result_or_list
    return [w.code for w in items]


FLAT_HISTORY = [3] * 12


def test_with_a_control_the_method_is_res_and_wdd_with_the_hand_computed_interval():
    # a = 36, b = 12, c = 36, d = 36: RES = 3, VAR = 1/36 + 1/12 + 1/36 + 1/36 = 1/6; constant months give no
    # overdispersion (φ floored at 1), so CI = exp(ln 3 ± 1.96·√(1/6)) = 1.35 … 6.67.
    result = verdict.evaluate(facts([3] * 12, [1] * 12, history=FLAT_HISTORY, control=([3] * 12, [3] * 12, [3] * 12)))
    assert result.method == "res_wdd"
    assert math.isclose(result.res.value, 3.0)
    half = 1.959963984540054 * math.sqrt(1 / 36 + 1 / 12 + 1 / 36 + 1 / 36)
    assert math.isclose(result.res.ci_low, 3 * math.exp(-half), rel_tol=1e-9)
    assert math.isclose(result.res.ci_high, 3 * math.exp(half), rel_tol=1e-9)
    # WDD = (12 − 36) − (36 − 36) = −24 with Var = 36 + 12 + 36 + 36 = 120 (Wheeler & Ratcliffe 2018).
    assert math.isclose(result.wdd.value, -24.0)
    assert math.isclose(result.wdd.ci_low, -24 - 1.959963984540054 * math.sqrt(120), rel_tol=1e-9)
    assert result.direction == "fewer"
    assert result.verdict.startswith("Färre än väntat")
    # 1 − 1/3 = 67 % fewer; the interval 1 − 1/1.35 … 1 − 1/6.67 = 26 … 85 %.
    assert "67 % färre" in result.verdict and "26 till 85 % färre" in result.verdict
    assert codes(result) == []


def test_more_than_expected_when_the_interval_lies_below_one():
    result = verdict.evaluate(facts([1] * 12, [3] * 12, history=[1] * 12, control=([3] * 12, [3] * 12, [3] * 12)))
    assert result.direction == "more" and result.verdict.startswith("Fler än väntat")
    assert "konfidensintervall" in result.verdict


def test_an_interval_spanning_one_cannot_be_told_from_chance():
    result = verdict.evaluate(facts([3] * 12, [2] * 12, history=FLAT_HISTORY, control=([3] * 12, [3] * 12, [3] * 12)))
    assert result.res.ci_low < 1 < result.res.ci_high
    assert result.direction == "indistinguishable"
    assert result.verdict.startswith("Förändringen kan inte skiljas från slumpen")
    assert "konfidensintervallet går från" in result.verdict


def test_without_a_control_the_e_test_is_used_and_says_it_cannot_attribute():
    result = verdict.evaluate(facts([3] * 12, [1] * 12, history=FLAT_HISTORY))
    assert result.method == "e_test" and result.res is None and result.e_test is not None
    assert result.verdict.startswith("Utan kontroll: förändringen kan inte tillskrivas kamerorna.")
    assert "no_control" in codes(result)


def test_few_events_warns_below_twenty_before_and_not_at_twenty():
    control = ([3] * 12, [3] * 12, [3] * 12)
    nineteen = [2] * 9 + [1] + [0] * 2  # 19
    twenty = [2] * 10 + [0] * 2  # 20
    assert "few_events" in codes(verdict.evaluate(facts(nineteen, [1] * 12, history=[2] * 12, control=control)))
    assert "few_events" not in codes(verdict.evaluate(facts(twenty, [1] * 12, history=[2] * 12, control=control)))


def test_a_before_period_well_above_the_history_warns_of_regression_to_the_mean():
    control = ([3] * 12, [3] * 12, [3] * 12)
    peak = verdict.evaluate(facts([5] * 12, [2] * 12, history=[2] * 12, control=control))
    assert "peak" in codes(peak)
    text = next(w.text for w in peak.warnings if w.code == "peak")
    assert "5,0 händelser i månaden mot 2,0" in text
    steady = verdict.evaluate(facts([3] * 12, [1] * 12, history=[3] * 12, control=control))
    assert "peak" not in codes(steady)


def test_without_enough_history_the_peak_check_says_it_could_not_be_made():
    control = ([], [3] * 12, [3] * 12)
    result = verdict.evaluate(facts([3] * 12, [1] * 12, history=[], control=control))
    assert "peak_unchecked" in codes(result) and "peak" not in codes(result)


def test_measures_starting_or_ending_in_the_window_warn_and_older_ongoing_ones_do_not():
    base = facts([3] * 12, [1] * 12, history=FLAT_HISTORY, control=([3] * 12, [3] * 12, [3] * 12))
    window_start = base.before_start
    inside = verdict.MeasureSpan("Väktare (Sporthallen)", window_start + dt.timedelta(days=40))
    ends_inside = verdict.MeasureSpan("Belysning", D(2019, 1, 1), base.after_start + dt.timedelta(days=10))
    ongoing = verdict.MeasureSpan("Stängsel", D(2019, 1, 1))
    assert "overlapping_measures" not in codes(verdict.warnings_for(_with(base, measures=[ongoing]), 36))
    for measure in (inside, ends_inside):
        found = verdict.warnings_for(_with(base, measures=[measure]), 36)
        assert "overlapping_measures" in codes(found)
        assert measure.label in next(w.text for w in found if w.code == "overlapping_measures")


def test_a_source_starting_or_ending_in_the_window_warns_of_changed_recording():
    base = facts([3] * 12, [1] * 12, history=FLAT_HISTORY, control=([3] * 12, [3] * 12, [3] * 12))
    steady = verdict.SourceSpan("Skadeanmälningar", D(2015, 1, 1), base.after_end + dt.timedelta(days=300))
    starts = verdict.SourceSpan("Larmloggen", base.before_start + dt.timedelta(days=200), D(2030, 1, 1))
    ends = verdict.SourceSpan("Väktarrapporter", D(2015, 1, 1), base.after_start + dt.timedelta(days=20))
    assert "recording_changed" not in codes(verdict.warnings_for(_with(base, sources=[steady]), 36))
    for source in (starts, ends):
        found = verdict.warnings_for(_with(base, sources=[steady, source]), 36)
        assert "recording_changed" in codes(found)
        assert source.label in next(w.text for w in found if w.code == "recording_changed")


def test_the_words_go_through_the_callers_gettext():
    result = verdict.evaluate(facts([3] * 12, [1] * 12, history=FLAT_HISTORY), lambda text: "[en] " + text)
    assert result.verdict.startswith("[en] Utan kontroll")
    assert result.warnings and all(w.text.startswith("[en] ") for w in result.warnings)


def test_a_long_series_adds_an_interrupted_time_series_beside_the_main_method():
    months = 24
    result = verdict.evaluate(
        facts(
            [4, 5, 3, 4] * 3,
            [2, 1, 2, 1] * 3,
            history=[4, 3, 5, 4] * (months // 4),
            control=([3] * months, [3] * 12, [3] * 12),
        )
    )
    assert result.its is not None
    assert any("Avbruten tidsserie" in line.label for line in result.lines)


def _with(base, **changes):
    import dataclasses

    return dataclasses.replace(base, **changes)


counts = st.lists(st.integers(min_value=1, max_value=15), min_size=12, max_size=12)


@settings(max_examples=25, deadline=None)
@given(before=counts, after=counts, history=counts, control=st.one_of(st.none(), st.tuples(counts, counts, counts)))
def test_every_result_states_its_uncertainty_and_no_control_is_always_a_warning(before, after, history, control):
    result = verdict.evaluate(facts(before, after, history=history, control=control))
    assert "konfidensintervall" in result.verdict
    assert ("no_control" in codes(result)) == (control is None)
    assert ("few_events" in codes(result)) == (sum(before) < verdict.MIN_EVENTS)
    if result.res is not None:
        assert result.res.ci_low <= result.res.value <= result.res.ci_high


def test_harm_weighted_difference_comes_with_its_interval():
    # Two kinds with weights 1 and 5 (Wheeler 2020, WDD_harm = Σ w·WDD_k, Var = Σ w²·Var_k), by hand:
    # kind 1: (5 − 10) − (10 − 10) = −5, Var 10 + 5 + 10 + 10 = 35; kind 2: (1 − 2) − 0 = −1, Var 2 + 1 + 2 + 2 = 7.
    # WDD_harm = −5 + 5·(−1) = −10; Var = 35 + 25·7 = 210.
    harm = verdict.HarmCounts(
        weights=[1.0, 5.0], treated_before=[10, 2], treated_after=[5, 1], control_before=[10, 2], control_after=[10, 2]
    )
    result = verdict.evaluate(
        _with(facts([3] * 12, [1] * 12, history=FLAT_HISTORY, control=([3] * 12, [3] * 12, [3] * 12)), harm=harm)
    )
    line = next(line for line in result.lines if "skadeviktade" in line.label)
    half = 1.959963984540054 * math.sqrt(210)
    assert line.value == "−10,0"
    assert line.interval == f"{verdict.number(-10 - half, 1)} – {verdict.number(-10 + half, 1)}"
