"""Tests of the pure statistics module trygg.evaluation.stats (no database, no Django).

Sources of the published examples are cited at each test. Where a worked example with counts was
not reachable (RES, WDQ/TNE), the test is a hand computation from the published formula.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.evaluation import stats
from trygg.evaluation.stats import StatsError

Z95 = 1.959963984540054  # Φ⁻¹(0.975)

# Lopez Bernal, Cummins & Gasparrini (2017), IJE 46(1):348–355: sicily.csv from
# github.com/gasparrini/2017_lopezbernal_IJE_codedata (columns aces and stdpop, Jan 2002–Nov 2006,
# smoking ban from month 37 = index 36).
SICILY_ACES = [
    728, 659, 791, 734, 757, 726, 760, 740, 720, 814, 795, 858,
    887, 766, 851, 769, 781, 756, 766, 752, 765, 831, 879, 928,
    914, 808, 937, 840, 916, 828, 845, 818, 860, 839, 887, 886,
    831, 796, 833, 820, 877, 758, 767, 738, 781, 843, 850, 908,
    1021, 859, 976, 888, 962, 838, 810, 876, 843, 936, 912,
]  # fmt: skip
SICILY_STDPOP = [
    379875.3, 376495.5, 377040.8, 377116.4, 377383.4, 374113.1, 379513.3, 376295.5, 374653.2,
    378485.6, 375955.5, 378349.7, 376762.4, 379032.3, 379360.4, 376162.0, 377972.4, 381830.7,
    379888.6, 380872.2, 380966.9, 381240.4, 382104.9, 381802.7, 381656.3, 383680.0, 383504.2,
    386462.9, 383783.1, 380836.8, 383483.0, 380906.2, 382926.8, 384052.4, 384449.6, 383428.4,
    388153.2, 388373.2, 386470.1, 386033.2, 383686.4, 385509.3, 385901.9, 386516.6, 388436.5,
    383255.2, 390148.7, 385874.9, 391613.6, 391750.4, 394005.6, 391364.9, 391664.6, 389022.3,
    391878.5, 388575.3, 392989.0, 390018.8, 390712.3,
]  # fmt: skip
SICILY_BAN = 36

counts = st.integers(min_value=1, max_value=500)
levels = st.sampled_from([0.8, 0.9, 0.95, 0.99])


def _covers(est: stats.Estimate) -> bool:
    return est.ci_low <= est.value <= est.ci_high


# --------------------------------------------------------------------------- RES


def test_res_hand_computed_from_the_appendix_formula():
    # Farrington, Gill, Waples & Argomaniz (2007), J Exp Criminol 3:21–38, appendix: RES = ad/bc,
    # VAR(LRES) = 1/a + 1/b + 1/c + 1/d; "RES = 2 ... if crimes doubled in the control area and
    # stayed constant in the experimental area".
    est = stats.relative_effect_size(10, 10, 10, 20)
    var = 1 / 10 + 1 / 10 + 1 / 10 + 1 / 20  # = 0.35
    assert est.value == pytest.approx(2.0)
    assert est.method == "res"
    assert est.variance == pytest.approx(0.35)
    assert est.ci_low == pytest.approx(math.exp(math.log(2) - Z95 * math.sqrt(var)))
    assert est.ci_high == pytest.approx(math.exp(math.log(2) + Z95 * math.sqrt(var)))
    # hand: √0.35 = 0.59161; 1.95996·0.59161 = 1.15953; exp(0.69315 ∓ 1.15953) = 0.6273, 6.377
    assert est.ci_low == pytest.approx(0.6273, abs=5e-4)
    assert est.ci_high == pytest.approx(6.377, abs=5e-3)
    assert est.z == pytest.approx(1.1716, abs=5e-4)  # 0.69315 / 0.59161
    assert est.p_value == pytest.approx(2 * (1 - 0.87932), abs=1e-3)  # Φ(1.1716) from a table


def test_res_jonkoping_percentages():
    # evaluation.md §1.3 [computed]: camera schools −83 %, comparison schools −68 % gives
    # RES = 0.32/0.17 = 1.88, i.e. a 47 % relative reduction (not 83 %). Counts scaled to 100 before.
    est = stats.relative_effect_size(100, 17, 100, 32)
    assert est.value == pytest.approx(32 / 17)
    value, low, high = stats.percent_reduction(est)
    assert value == pytest.approx(100 * (1 - 17 / 32))
    assert round(value) == 47
    assert low < value < high


@pytest.mark.filterwarnings(
    "ignore::RuntimeWarning", "ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning"
)
def test_res_equals_inverse_of_the_poisson_glm_interaction():
    # evaluation.md §2.2: a log-link Poisson GLM y ~ post + treat + post:treat on the four cells
    # gives exp(β_post:treat) = 1/RES with SE = √(1/a+1/b+1/c+1/d). Independent route via statsmodels.
    import statsmodels.api as sm

    a, b, c, d = 57, 31, 44, 49
    y = np.array([a, b, c, d], dtype=float)
    post = np.array([0, 1, 0, 1.0])
    treat = np.array([1, 1, 0, 0.0])
    x = np.column_stack([np.ones(4), post, treat, post * treat])
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit()
    est = stats.relative_effect_size(a, b, c, d)
    assert est.value == pytest.approx(1 / math.exp(fit.params[3]), rel=1e-8)
    assert math.sqrt(est.variance) == pytest.approx(fit.bse[3], rel=1e-6)


def test_res_dispersion_scales_variance():
    plain = stats.relative_effect_size(40, 25, 38, 41)
    wide = stats.relative_effect_size(40, 25, 38, 41, dispersion=2.5)
    assert wide.value == plain.value
    assert wide.variance == pytest.approx(2.5 * plain.variance)
    assert wide.ci_low < plain.ci_low and wide.ci_high > plain.ci_high
    assert wide.p_value > plain.p_value


@pytest.mark.parametrize(
    "cells, field", [((0, 5, 5, 5), "a"), ((5, 0, 5, 5), "b"), ((5, 5, 0, 5), "c"), ((5, 5, 5, 0), "d")]
)
def test_res_zero_cell_is_an_error_not_a_continuity_correction(cells, field):
    with pytest.raises(StatsError) as err:
        stats.relative_effect_size(*cells)
    assert err.value.code == "zero-count"
    assert err.value.field == field


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"a": -1}, "negative-count"),
        ({"a": 2.5}, "not-integer"),
        ({"dispersion": 0.5}, "bad-dispersion"),
        ({"dispersion": math.nan}, "bad-dispersion"),
        ({"level": 1.0}, "bad-level"),
        ({"level": 0}, "bad-level"),
    ],
)
def test_res_bad_input(kwargs, code):
    args = {"a": 10, "b": 10, "c": 10, "d": 10} | kwargs
    level = args.pop("level", 0.95)
    dispersion = args.pop("dispersion", 1.0)
    with pytest.raises(StatsError) as err:
        stats.relative_effect_size(**args, dispersion=dispersion, level=level)
    assert err.value.code == code


@settings(max_examples=200, deadline=None)
@given(counts, counts, counts, counts, levels)
def test_res_swapping_treated_and_control_inverts(a, b, c, d, level):
    est = stats.relative_effect_size(a, b, c, d, level=level)
    swapped = stats.relative_effect_size(c, d, a, b, level=level)
    assert swapped.value == pytest.approx(1 / est.value)
    assert swapped.ci_low == pytest.approx(1 / est.ci_high)
    assert swapped.ci_high == pytest.approx(1 / est.ci_low)
    assert swapped.p_value == pytest.approx(est.p_value)
    assert _covers(est)
    assert est.ci_low > 0


@settings(max_examples=200, deadline=None)
@given(counts, counts, counts, counts, st.integers(min_value=2, max_value=50))
def test_res_scaling_counts_keeps_res_and_shrinks_ci(a, b, c, d, k):
    est = stats.relative_effect_size(a, b, c, d)
    big = stats.relative_effect_size(k * a, k * b, k * c, k * d)
    assert big.value == pytest.approx(est.value)
    width = math.log(est.ci_high) - math.log(est.ci_low)
    assert math.log(big.ci_high) - math.log(big.ci_low) == pytest.approx(width / math.sqrt(k))


@settings(max_examples=100, deadline=None)
@given(counts, counts, counts, counts, st.floats(min_value=1.0, max_value=20.0))
def test_res_ci_covers_estimate_and_grows_with_level(a, b, c, d, disp):
    narrow = stats.relative_effect_size(a, b, c, d, dispersion=disp, level=0.8)
    wide = stats.relative_effect_size(a, b, c, d, dispersion=disp, level=0.99)
    assert _covers(narrow) and _covers(wide)
    assert wide.ci_low <= narrow.ci_low and wide.ci_high >= narrow.ci_high
    assert 0.0 <= narrow.p_value <= 1.0


# --------------------------------------------------------------------------- dispersion


def test_dispersion_of_sicily_pre_period_matches_a_direct_pearson_computation():
    # φ = Pearson χ²/df of a Poisson GLM with trend and one harmonic pair (McCullagh & Nelder §4.5).
    import statsmodels.api as sm

    y = np.array(SICILY_ACES[:SICILY_BAN], dtype=float)
    t = np.arange(len(y), dtype=float)
    x = np.column_stack([np.ones_like(t), t, np.sin(2 * np.pi * t / 12), np.cos(2 * np.pi * t / 12)])
    fit = sm.GLM(y, x, family=sm.families.Poisson()).fit()
    mu = fit.fittedvalues
    by_hand = float(np.sum((y - mu) ** 2 / mu) / (len(y) - 4))
    assert by_hand > 1
    assert stats.dispersion_from_series(SICILY_ACES[:SICILY_BAN]) == pytest.approx(by_hand)


def test_dispersion_is_floored_at_one_and_rejects_bad_series():
    # A perfectly regular series is underdispersed relative to the Poisson: φ < 1 is reported as 1.
    assert stats.dispersion_from_series([10] * 24) == 1.0
    with pytest.raises(StatsError) as err:
        stats.dispersion_from_series([3] * 11)
    assert err.value.code == "too-short"
    with pytest.raises(StatsError) as err:
        stats.dispersion_from_series([0] * 24)
    assert err.value.code == "zero-count"


def test_dispersion_of_a_clustered_series_is_large():
    # Events that come in bursts (0 most months, 12 in some) are strongly overdispersed.
    series = [0, 0, 12, 0, 1, 0, 0, 11, 0, 0, 13, 0] * 2
    assert stats.dispersion_from_series(series) > 5


# --------------------------------------------------------------------------- WDD


def test_wdd_paper_example():
    # Wheeler & Ratcliffe (2018), Crime Science 7:11: WDD = −118, Var = 1568, Z = −2.98,
    # 95 % CI −196 to −40 (as reproduced in apwheele/ptools tests/testthat/test-wdd.R,
    # "Est & Variance Paper"; ptools order is control, treated, disp_control, disp_treated).
    est = stats.weighted_difference_in_differences(207, 110, 308, 318, 178, 157, 150, 140)
    assert est.value == -118
    assert est.variance == 1568  # = 140 + 150 + ..., not 140·(1 + 150): see evaluation.md §2.2
    assert round(est.z, 2) == -2.98
    assert (round(est.ci_low), round(est.ci_high)) == (-196, -40)
    assert est.method == "wdd"


def test_wdd_local_and_displacement_parts():
    # apwheele/ptools tests/testthat/test-wdd.R: local −10, displacement −10, total −20.
    assert stats.weighted_difference_in_differences(20, 10, 20, 20).value == -10
    assert stats.weighted_difference_in_differences(20, 20, 20, 20, 20, 10, 20, 20).value == -10
    assert stats.weighted_difference_in_differences(20, 10, 20, 20, 20, 10, 20, 20).value == -20


def test_wdd_time_weights():
    # Wheeler (2021), "The WDD test with different pre/post time periods" (andrewpwheeler.com,
    # 2021-01-09), as in ptools test-wdd.R "Time Weights": estimate −20, SE √115.
    est = stats.weighted_difference_in_differences(80, 20, 100, 50, lengths=(2, 1))
    assert est.value == pytest.approx(-20)
    assert est.variance == pytest.approx(115)


def test_wdd_area_weights():
    # Wheeler (2021), "The WDD test with different area sizes" (andrewpwheeler.com, 2021-02-23), as
    # in ptools test-wdd.R "Area Weights" (ptools area order control, treated, disp_control,
    # disp_treated = 0.9, 1.2, 1.6, 1.5; ours is treated, control, buffer, buffer control).
    est = stats.weighted_difference_in_differences(207, 110, 308, 318, 178, 157, 150, 140, areas=(1.2, 0.9, 1.5, 1.6))
    assert est.value == pytest.approx(-99.69444444)
    assert math.sqrt(est.variance) == pytest.approx(35.4280755)
    assert est.z == pytest.approx(-2.813995483)
    assert est.ci_low == pytest.approx(-169.1321965)
    assert est.ci_high == pytest.approx(-30.25669241)


def test_wdd_harm_weights():
    # Wheeler (2020), "Amending the WDD test to incorporate harm weights" (andrewpwheeler.com,
    # 2020-11-19), as in ptools test-wdd.R "Cumulative Harm": motor vehicle theft, theft, burglary,
    # robbery, assault with weights 3, 2, 5, 7, 10 → −1721 (SE 304.1036), 95 % CI −2317.03 to −1124.97.
    treated_before = [130, 327, 398, 144, 183]
    treated_after = [74, 202, 190, 92, 96]
    control_before = [133, 388, 148, 86, 94]
    control_after = [91, 305, 97, 64, 67]
    est = stats.weighted_difference_in_differences(
        treated_before, treated_after, control_before, control_after,
        [0] * 5, [0] * 5, [0] * 5, [0] * 5, harm_weights=[3, 2, 5, 7, 10],
    )  # fmt: skip
    assert est.value == pytest.approx(-1721.0)
    assert math.sqrt(est.variance) == pytest.approx(304.10360077, rel=1e-7)
    assert est.z == pytest.approx(-5.65925558, rel=1e-7)
    assert est.ci_low == pytest.approx(-2317.03210507, rel=1e-7)
    assert est.ci_high == pytest.approx(-1124.96789493, rel=1e-7)


def test_wdd_harm_weights_need_one_count_per_type():
    with pytest.raises(StatsError) as err:
        stats.weighted_difference_in_differences(
            [1, 2], [1, 2], [1, 2], [1], [0, 0], [0, 0], [0, 0], [0, 0], harm_weights=[1, 2]
        )
    assert err.value.code == "length-mismatch"
    assert err.value.field == "ct1"
    with pytest.raises(StatsError) as err:
        stats.weighted_difference_in_differences(1, 2, 3, 4, harm_weights=[1, 2])
    assert err.value.code == "length-mismatch"


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"lengths": (12, 0)}, "bad-weight"),
        ({"lengths": (12,)}, "bad-weight"),
        ({"areas": (1, 1, 1)}, "bad-weight"),
        ({"areas": (1, -1, 1, 1)}, "bad-weight"),
        ({"harm_weights": []}, "bad-weight"),
        ({"dispersion": 0.9}, "bad-dispersion"),
    ],
)
def test_wdd_bad_weights(kwargs, code):
    with pytest.raises(StatsError) as err:
        stats.weighted_difference_in_differences(10, 5, 10, 10, **kwargs)
    assert err.value.code == code


def test_wdd_all_zero_has_no_variance():
    with pytest.raises(StatsError) as err:
        stats.weighted_difference_in_differences(0, 0, 0, 0)
    assert err.value.code == "zero-count"


small = st.integers(min_value=0, max_value=300)


@settings(max_examples=200, deadline=None)
@given(small, small, small, small, small, small, small, small, levels)
def test_wdd_antisymmetry(t0, t1, ct0, ct1, d0, d1, cd0, cd1, level):
    if t0 + t1 + ct0 + ct1 + d0 + d1 + cd0 + cd1 == 0:
        return
    est = stats.weighted_difference_in_differences(t0, t1, ct0, ct1, d0, d1, cd0, cd1, level=level)
    roles = stats.weighted_difference_in_differences(ct0, ct1, t0, t1, cd0, cd1, d0, d1, level=level)
    time = stats.weighted_difference_in_differences(t1, t0, ct1, ct0, d1, d0, cd1, cd0, level=level)
    for other in (roles, time):
        assert other.value == pytest.approx(-est.value)
        assert other.variance == pytest.approx(est.variance)
        assert other.ci_low == pytest.approx(-est.ci_high)
        assert other.p_value == pytest.approx(est.p_value)
    assert _covers(est)
    assert est.variance == t0 + t1 + ct0 + ct1 + d0 + d1 + cd0 + cd1


@settings(max_examples=100, deadline=None)
@given(small, small, small, small, st.floats(min_value=0.5, max_value=5), st.floats(min_value=0.5, max_value=5))
def test_wdd_single_harm_type_with_weight_one_equals_plain(t0, t1, ct0, ct1, lb, la):
    if t0 + t1 + ct0 + ct1 == 0:
        return
    plain = stats.weighted_difference_in_differences(t0, t1, ct0, ct1, lengths=(lb, la))
    harm = stats.weighted_difference_in_differences(
        [t0], [t1], [ct0], [ct1], [0], [0], [0], [0], lengths=(lb, la), harm_weights=[1]
    )
    assert harm.value == pytest.approx(plain.value)
    assert harm.variance == pytest.approx(plain.variance)


# --------------------------------------------------------------------------- displacement


def test_displacement_hand_computed():
    # Guerette (2009), POP Center Tool Guide 10, Appendix B formulas; hand computation with
    # Rb=100, Ra=60 (camera site), Cb=200, Ca=180 (control), Db=50, Da=40 (buffer):
    # GE = 40; NE = 0.5 − 0.3333 = 0.1667; SM = −0.1667; BDM = 0.2222 − 0.25 = −0.0278;
    # WDQ = −0.0278/−0.1667 = 0.1667 (some diffusion); TNE = (90 − 60) + (45 − 40) = 35.
    res = stats.displacement(100, 60, 200, 180, 50, 40)
    assert res.gross_effect == 40
    assert res.net_effect == pytest.approx(1 / 2 - 1 / 3)
    assert res.success_measure == pytest.approx(-(1 / 2 - 1 / 3))
    assert res.buffer_displacement == pytest.approx(40 / 180 - 50 / 200)
    assert res.wdq == pytest.approx((40 / 180 - 50 / 200) / (60 / 180 - 100 / 200))
    assert res.wdq == pytest.approx(1 / 6)
    assert res.tne == pytest.approx(35)
    assert res.meaningful and res.reason is None


def test_displacement_with_displacement_into_buffer():
    # Buffer rose while the camera site fell: WDQ negative (displacement), TNE smaller than the
    # response-area gain. Rb=50, Ra=25, Cb=Ca=100, Db=20, Da=35: SM = −0.25, BDM = 0.15,
    # WDQ = −0.6 (displacement smaller than the gain), TNE = 25 + (−15) = 10.
    res = stats.displacement(50, 25, 100, 100, 20, 35)
    assert res.wdq == pytest.approx(-0.6)
    assert res.tne == pytest.approx(10)


def test_displacement_wdq_only_when_success():
    res = stats.displacement(10, 20, 10, 10, 5, 5)
    assert res.meaningful is False
    assert res.reason == "no-success"
    assert res.wdq is None and res.tne is None
    assert res.success_measure == pytest.approx(1.0)
    # SM exactly 0 is not a success either
    flat = stats.displacement(10, 10, 10, 10, 5, 7)
    assert flat.success_measure == 0 and flat.meaningful is False and flat.reason == "no-success"


@pytest.mark.parametrize("cb, ca", [(0, 10), (10, 0), (0, 0)])
def test_displacement_zero_control(cb, ca):
    res = stats.displacement(30, 10, cb, ca, 5, 5)
    assert res.meaningful is False
    assert res.reason == "zero-control"
    assert res.gross_effect == 20
    assert res.net_effect is None and res.wdq is None and res.tne is None


@settings(max_examples=200, deadline=None)
@given(small, small, st.integers(1, 300), st.integers(1, 300), small, small)
def test_displacement_meaning_conditions(rb, ra, cb, ca, db, da):
    res = stats.displacement(rb, ra, cb, ca, db, da)
    assert res.meaningful == (ra / ca - rb / cb < 0)
    if res.meaningful:
        assert res.wdq == pytest.approx(res.buffer_displacement / res.success_measure)
        assert res.net_effect == pytest.approx(-res.success_measure)
    else:
        assert res.wdq is None and res.tne is None


# --------------------------------------------------------------------------- E-test


def test_e_test_krishnamoorthy_thomson_examples():
    # Krishnamoorthy & Thomson (2004), J Stat Plan Inference 119:23–35, examples as reproduced in
    # apwheele/ptools tests/testthat/test-etest.R: e_test(0, 3) = 0.0884, e_test(6, 2) = 0.1749.
    assert round(stats.poisson_e_test(6, 2).p_value, 4) == 0.1749
    assert stats.poisson_e_test(2, 6).p_value == pytest.approx(stats.poisson_e_test(6, 2).p_value)
    # k1 = 0 has no ratio after/before, but the test itself is defined: k1 = 3, k2 = 0 is the
    # mirrored example (p = 0.0884).
    est = stats.poisson_e_test(3, 0)
    assert est.p_value == pytest.approx(0.0884, abs=5e-4)
    assert est.value == 0 and est.ci_low == 0 and est.ci_high > 0


def test_e_test_wheeler_example():
    # Wheeler, "Testing changes in short run crime patterns: the Poisson e-test" (Crime Analysis and
    # Crime Mapping blog): 16 robberies on average vs 25 this month, "p-value of approximately 0.165".
    assert stats.poisson_e_test(16, 25).p_value == pytest.approx(0.165, abs=5e-3)


def test_e_test_equal_rates_with_different_exposure():
    # ptools e_test(20, 10, 4, 2): the same rate (5 per unit) → p = 1, rate ratio 1.
    est = stats.poisson_e_test(20, 10, 4, 2)
    assert est.p_value == pytest.approx(1.0)
    assert est.value == pytest.approx(1.0)
    assert est.ci_low < 1 < est.ci_high


def test_e_test_unequal_exposure_against_the_formula():
    # evaluation.md §2.4: T = |k1/n1 − k2/n2| / √((k1+k2)/(n1+n2)); the p-value sums the Poisson
    # probabilities of all (x1, x2) with T(x) ≥ T(k), at the pooled rate λ = (k1+k2)/(n1+n2).
    # Direct enumeration with scipy (independent of statsmodels): 20 in 24 months vs 6 in 12 months.
    from scipy.stats import poisson

    k1, k2, n1, n2 = 20, 6, 24.0, 12.0
    lam = (k1 + k2) / (n1 + n2)
    x = np.arange(0, 80)
    x1, x2 = np.meshgrid(x, x, indexing="ij")
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.abs(x1 / n1 - x2 / n2) / np.sqrt((x1 + x2) / (n1 + n2))
    t_obs = abs(k1 / n1 - k2 / n2) / math.sqrt(lam)
    prob = poisson.pmf(x1, n1 * lam) * poisson.pmf(x2, n2 * lam)
    p = float(np.sum(prob[np.nan_to_num(t, nan=0.0) >= t_obs - 1e-12]))
    est = stats.poisson_e_test(k1, k2, n1, n2)
    assert est.p_value == pytest.approx(p, abs=1e-6)
    assert est.value == pytest.approx((6 / 12) / (20 / 24))


def test_e_test_exact_ci_by_hand():
    # Exact conditional CI: k2 | k1+k2 ~ Bin(k1+k2, π), Clopper–Pearson limits from the beta
    # quantiles, ratio = (n1/n2)·π/(1−π). Hand with scipy.stats.beta: k1 = 30 (12 months), k2 = 12
    # (12 months) → π_low = B⁻¹(0.025; 12, 31), π_high = B⁻¹(0.975; 13, 30).
    from scipy.stats import beta

    est = stats.poisson_e_test(30, 12, 12, 12)
    lo, hi = beta.ppf(0.025, 12, 31), beta.ppf(0.975, 13, 30)
    assert est.value == pytest.approx(0.4)
    assert est.ci_low == pytest.approx(lo / (1 - lo))
    assert est.ci_high == pytest.approx(hi / (1 - hi))
    assert est.ci_high < 1  # distinguishable from no change
    assert est.z is None and est.variance is None and est.method == "e-test"


def test_e_test_bad_input():
    for args, code in [
        ((0, 5), "zero-count"),
        ((0, 0), "zero-count"),
        ((-1, 5), "negative-count"),
        ((5, 5, 0, 1), "bad-exposure"),
    ]:
        with pytest.raises(StatsError) as err:
            stats.poisson_e_test(*args)
        assert err.value.code == code


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.integers(1, 60), levels)
def test_e_test_p_in_unit_interval_and_symmetric(k1, k2, level):
    est = stats.poisson_e_test(k1, k2, level=level)
    back = stats.poisson_e_test(k2, k1, level=level)
    assert 0.0 <= est.p_value <= 1.0
    assert est.p_value == pytest.approx(back.p_value, abs=1e-9)
    assert back.value == pytest.approx(1 / est.value)
    assert back.ci_low == pytest.approx(1 / est.ci_high)
    assert _covers(est)


# --------------------------------------------------------------------------- ITS


def test_its_sicily_step_change_quasipoisson():
    # Lopez Bernal, Cummins & Gasparrini (2017), their R code (Rcode.R, model2):
    # glm(aces ~ offset(log(stdpop)) + smokban + time, family = quasipoisson). evaluation.md §2.5
    # [computed] RR 0.894. The article's own printed RR/CI was not reachable in text form; this
    # reproduces their model specification to 3 decimals.
    res = stats.interrupted_time_series(SICILY_ACES, SICILY_BAN, exposure=SICILY_STDPOP, harmonics=0, impact="level")
    assert round(res.level_change.value, 3) == 0.894
    assert res.slope_change is None
    assert res.dispersion > 1  # quasi-Poisson scale of these data
    assert res.level_change.excludes_null


def test_its_sicily_with_seasonality():
    # Same source, model3: ... + harmonic(month, 2, 12), quasipoisson. evaluation.md [computed] 0.885.
    res = stats.interrupted_time_series(SICILY_ACES, SICILY_BAN, exposure=SICILY_STDPOP, harmonics=2, impact="level")
    assert round(res.level_change.value, 3) == 0.885
    assert _covers(res.level_change)


def test_its_matches_an_independent_formula_fit():
    # The design (1-based time, ban step, (time − 36)·ban, 2 harmonic pairs, offset) rebuilt with a
    # patsy formula as in the authors' model4 and fitted with GLM(scale="X2"): same coefficients.
    import pandas as pd
    import statsmodels.formula.api as smf
    from statsmodels.genmod.families import Poisson

    df = pd.DataFrame({"aces": SICILY_ACES, "stdpop": SICILY_STDPOP})
    df["time"] = np.arange(1, len(df) + 1)
    df["ban"] = (df["time"] > SICILY_BAN).astype(float)
    df["month"] = (df["time"] - 1) % 12 + 1
    formula = (
        "aces ~ ban + time + I((time - 36) * ban) + np.sin(2*np.pi*month/12) + np.cos(2*np.pi*month/12)"
        " + np.sin(4*np.pi*month/12) + np.cos(4*np.pi*month/12)"
    )
    fit = smf.glm(formula, df, family=Poisson(), offset=np.log(df["stdpop"])).fit(scale="X2")
    res = stats.interrupted_time_series(SICILY_ACES, SICILY_BAN, exposure=SICILY_STDPOP, harmonics=2)
    assert res.level_change.value == pytest.approx(math.exp(fit.params["ban"]), rel=1e-6)
    assert res.slope_change.value == pytest.approx(math.exp(fit.params["I((time - 36) * ban)"]), rel=1e-6)
    assert math.sqrt(res.level_change.variance) == pytest.approx(fit.bse["ban"], rel=1e-5)
    assert res.dispersion == pytest.approx(fit.scale, rel=1e-6)
    assert res.fitted == pytest.approx(list(fit.fittedvalues), rel=1e-6)


def _synthetic(level=0.6, slope=1.0, base=80.0, trend=1.005, n=48, start=24, season=0.15):
    t = np.arange(1, n + 1)
    mu = base * trend**t * np.exp(season * np.sin(2 * np.pi * t / 12))
    post = t > start
    mu = mu * np.where(post, level * slope ** (t - start), 1.0)
    return np.round(mu).astype(int).tolist(), mu


def test_its_recovers_a_known_step_and_slope():
    # Noise-free construction (counts rounded from a known model): level 0.6, slope 1.01 per month.
    series, _ = _synthetic(level=0.6, slope=1.01)
    res = stats.interrupted_time_series(series, 24)
    assert res.level_change.value == pytest.approx(0.6, rel=0.02)
    assert res.slope_change.value == pytest.approx(1.01, abs=0.002)
    assert res.dispersion == 1.0  # rounding noise is far below Poisson noise: φ floored at 1
    assert len(res.fitted) == len(res.counterfactual) == len(series)
    # before the intervention the counterfactual is the fit; after it is the no-camera path
    assert res.counterfactual[:24] == pytest.approx(res.fitted[:24])
    assert res.counterfactual[30] == pytest.approx(res.fitted[30] / (0.6 * 1.01**7), rel=0.03)


def test_its_control_series_removes_a_common_shock():
    # A shock at the intervention month hits both series (e.g. a change in police recording):
    # without a control the camera site shows a "level change" 0.7; with the control, none.
    treated, _ = _synthetic(level=0.7, slope=1.0, base=60)
    control, _ = _synthetic(level=0.7, slope=1.0, base=90)
    alone = stats.interrupted_time_series(treated, 24)
    assert alone.level_change.value == pytest.approx(0.7, rel=0.03)
    both = stats.interrupted_time_series(treated, 24, control=control)
    assert both.level_change.value == pytest.approx(1.0, abs=0.03)
    assert both.slope_change.value == pytest.approx(1.0, abs=0.003)
    assert both.level_change.ci_low < 1 < both.level_change.ci_high
    # and a camera effect on top of the shock is found relative to the control
    treated_effect, _ = _synthetic(level=0.7 * 0.5, slope=1.0, base=60)
    effect = stats.interrupted_time_series(treated_effect, 24, control=control)
    assert effect.level_change.value == pytest.approx(0.5, rel=0.05)
    assert effect.level_change.excludes_null


def test_its_negative_binomial_on_overdispersed_counts():
    rng = np.random.default_rng(20261201)
    t = np.arange(1, 61)
    mu = 8.0 * np.where(t > 30, 0.5, 1.0)
    alpha = 0.4  # Var = μ + α μ²
    counts = rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu)).tolist()
    nb = stats.interrupted_time_series(counts, 30, family="negativebinomial", impact="level")
    qp = stats.interrupted_time_series(counts, 30, family="quasipoisson", impact="level")
    assert nb.family == "negativebinomial" and nb.nb_alpha > 0
    assert qp.dispersion > 1.5
    for res in (nb, qp):
        assert _covers(res.level_change)
        assert res.level_change.ci_low < 0.5 < res.level_change.ci_high
    assert nb.residual_autocorrelation is not None and -1 <= nb.residual_autocorrelation <= 1


def test_its_negative_binomial_without_overdispersion_is_poisson():
    # Poisson data: the NB2 α sits at its lower bound and the estimate equals the Poisson one.
    rng = np.random.default_rng(7)
    counts = rng.poisson(np.where(np.arange(36) >= 18, 3.0, 6.0)).tolist()
    nb = stats.interrupted_time_series(counts, np.int64(18), family="negativebinomial")
    qp = stats.interrupted_time_series(counts, 18)
    assert nb.nb_alpha < 1e-6
    assert nb.level_change.value == pytest.approx(qp.level_change.value, rel=1e-4)
    assert _covers(nb.level_change) and _covers(nb.slope_change)


def test_its_gap_excludes_installation_months():
    series, _ = _synthetic(level=0.5, slope=1.0, n=40, start=22)
    # months 20 and 21 are installation: the post period starts at 22
    polluted = list(series)
    polluted[20], polluted[21] = 500, 500
    res = stats.interrupted_time_series(polluted, 20, gap=2)
    assert res.level_change.value == pytest.approx(0.5, rel=0.03)


@pytest.mark.parametrize(
    "series, index, kwargs, code",
    [
        ([5] * 11, 5, {}, "too-short"),
        ([5] * 24, 2, {}, "too-short"),
        ([5] * 24, 22, {}, "too-short"),
        ([0] * 12 + [5] * 12, 12, {}, "zero-count"),
        ([5] * 12 + [0] * 12, 12, {}, "zero-count"),
        ([5] * 24, 12, {"family": "poisson"}, "bad-family"),
        ([5] * 24, 12, {"exposure": [1] * 23}, "length-mismatch"),
        ([5] * 24, 12, {"exposure": [0] * 24}, "bad-exposure"),
        ([5] * 24, 12, {"control": [0] * 24}, "zero-count"),
        ([5] * 24, 12.0, {}, "bad-index"),
    ],
)
def test_its_bad_input(series, index, kwargs, code):
    with pytest.raises(StatsError) as err:
        stats.interrupted_time_series(series, index, **kwargs)
    assert err.value.code == code


# --------------------------------------------------------------------------- pooling


BCG = [  # metafor dat.bcg (Colditz et al. 1994, JAMA 271:698–702): tpos, tneg, cpos, cneg
    (4, 119, 11, 128), (6, 300, 29, 274), (3, 228, 11, 209), (62, 13536, 248, 12619),
    (33, 5036, 47, 5761), (180, 1361, 372, 1079), (8, 2537, 10, 619), (505, 87886, 499, 87892),
    (29, 7470, 45, 7232), (17, 1699, 65, 1600), (186, 50448, 141, 27197), (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]  # fmt: skip


def _bcg_log_rr():
    y = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in BCG]
    v = [1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for a, b, c, d in BCG]
    return y, v


def test_pool_dersimonian_laird_bcg():
    # metafor tests/testthat/test_misc_metan_vs_rma.uni_with_dat.bcg.r, checked against Stata metan:
    # DL random effects on log RR: −0.7141, 95 % CI −1.0644 to −0.3638; Q = 152.2330 (df 12).
    y, v = _bcg_log_rr()
    res = stats.pool_inverse_variance(y, v)
    assert res.model == "random"
    assert math.log(res.estimate.value) == pytest.approx(-0.7141, abs=5e-5)
    assert math.log(res.estimate.ci_low) == pytest.approx(-1.0644, abs=5e-5)
    assert math.log(res.estimate.ci_high) == pytest.approx(-0.3638, abs=5e-5)
    assert res.q == pytest.approx(152.2330, abs=5e-5)
    assert res.df == 12
    assert res.i_squared == pytest.approx((152.2330 - 12) / 152.2330, abs=1e-6)  # 92.12 %
    assert res.tau_squared > 0
    assert res.estimate.method == "pooled"


def test_pool_fixed_effect_when_homogeneous():
    # Same source, EE model: −0.4303 (−0.5097, −0.3509), z = −10.6247. Our fixed effect uses the same
    # weights; with identical studies τ² = 0 and the model is "fixed".
    y, v = _bcg_log_rr()
    w = [1 / x for x in v]
    mean = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    assert mean == pytest.approx(-0.4303, abs=5e-5)
    same = stats.pool_inverse_variance([0.2, 0.2, 0.2], [0.05, 0.1, 0.2])
    assert same.model == "fixed" and same.tau_squared == 0 and same.i_squared == 0
    assert same.estimate.value == pytest.approx(math.exp(0.2))
    assert same.estimate.variance == pytest.approx(1 / (20 + 10 + 5))


def test_pool_single_site_and_errors():
    one = stats.pool_inverse_variance([math.log(1.5)], [0.04])
    assert one.estimate.value == pytest.approx(1.5) and one.df == 0 and one.model == "fixed"
    for args, code in [
        (([], []), "too-few"),
        (([0.1], [0.0]), "bad-variance"),
        (([0.1, 0.2], [0.1]), "length-mismatch"),
    ]:
        with pytest.raises(StatsError) as err:
            stats.pool_inverse_variance(*args)
        assert err.value.code == code


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(min_value=-3, max_value=3), st.floats(min_value=1e-3, max_value=4)),
        min_size=1,
        max_size=12,
    ),
    levels,
)
def test_pool_between_min_and_max_and_covering(pairs, level):
    y = [p[0] for p in pairs]
    v = [p[1] for p in pairs]
    res = stats.pool_inverse_variance(y, v, level=level)
    log_value = math.log(res.estimate.value)
    assert min(y) - 1e-9 <= log_value <= max(y) + 1e-9
    assert _covers(res.estimate)
    assert 0.0 <= res.i_squared <= 1.0
    assert res.tau_squared >= 0
    assert res.df == len(y) - 1


def test_pool_of_res_estimates_from_sites():
    # Programme use: pool ln RES with Estimate.variance of each site.
    sites = [stats.relative_effect_size(*c) for c in [(40, 22, 35, 33), (25, 20, 30, 29), (60, 31, 55, 50)]]
    res = stats.pool_inverse_variance([math.log(s.value) for s in sites], [s.variance for s in sites])
    assert min(s.value for s in sites) <= res.estimate.value <= max(s.value for s in sites)
    assert res.estimate.ci_high - res.estimate.ci_low < min(s.ci_high - s.ci_low for s in sites)


# --------------------------------------------------------------------------- percent reduction


def test_percent_reduction_orientation():
    res = stats.relative_effect_size(50, 25, 50, 50)  # treated halved, control flat: RES 2 → 50 %
    value, low, high = stats.percent_reduction(res)
    assert value == pytest.approx(50)
    assert low < value < high
    ratio = stats.poisson_e_test(40, 10)  # ratio 0.25 → 75 % fewer
    value, low, high = stats.percent_reduction(ratio)
    assert value == pytest.approx(75)
    assert low < value < high
    with pytest.raises(StatsError):
        stats.percent_reduction(stats.weighted_difference_in_differences(1, 2, 3, 4))
