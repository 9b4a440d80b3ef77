"""Tests of the pure statistics module trygg.evaluation.stats (no database)."""

import math

import pytest

from trygg.evaluation import stats
from trygg.evaluation.stats import StatsError

Z95 = 1.959963984540054


def test_res_hand_computed():
    # Farrington et al. (2007), appendix: RES = 2 when control crime doubles and treated crime
    # stays constant. Hand: a=b=10, c=10, d=20 -> VAR(LRES) = 4 * 1/10 (+1/20 for d) = 0.35.
    est = stats.relative_effect_size(10, 10, 10, 20)
    assert est.value == pytest.approx(2.0)
    var = 1 / 10 + 1 / 10 + 1 / 10 + 1 / 20
    assert est.variance == pytest.approx(var)
    assert est.ci_low == pytest.approx(math.exp(math.log(2) - Z95 * math.sqrt(var)))
    assert est.ci_high == pytest.approx(math.exp(math.log(2) + Z95 * math.sqrt(var)))
    assert est.z == pytest.approx(math.log(2) / math.sqrt(var))


def test_res_zero_cell_is_an_error_not_a_correction():
    with pytest.raises(StatsError) as err:
        stats.relative_effect_size(10, 0, 10, 20)
    assert err.value.code == "zero-count"
    assert err.value.field == "b"


def test_wdd_paper_example():
    # Wheeler & Ratcliffe (2018), Crime Science 7:11: WDD -118, Var 1568, Z -2.98, 95% CI -196 to -40
    # (as reproduced in apwheele/ptools tests/testthat/test-wdd.R, "Est & Variance Paper").
    est = stats.weighted_difference_in_differences(207, 110, 308, 318, 178, 157, 150, 140)
    assert est.value == -118
    assert est.variance == 1568
    assert round(est.z, 2) == -2.98
    assert (round(est.ci_low), round(est.ci_high)) == (-196, -40)


def test_e_test_paper_examples():
    # Krishnamoorthy & Thomson (2004) examples as in apwheele/ptools tests/testthat/test-etest.R:
    # e_test(6, 2) = 0.1749 and e_test(0, 3) = 0.0884.
    assert round(stats.poisson_e_test(6, 2).p_value, 4) == 0.1749


def test_displacement_success_needed_for_wdq():
    res = stats.displacement(10, 20, 10, 10, 5, 5)
    assert res.meaningful is False and res.reason == "no-success" and res.wdq is None
