"""The ranking: shrinkage toward the municipal mean computed by hand, intervals, and its properties."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.incidents.ranking import (
    Count,
    Settings,
    SiteInput,
    fit_prior,
    gamma_cdf,
    gamma_quantile,
    gamma_quantile_by_bisection,
    rank_sites,
)

AS_OF = dt.date(2024, 10, 29)
FOUR_YEARS_AGO = AS_OF - dt.timedelta(days=1461)  # 1461 days = 4.0 years of 365.25 days
PLAIN = Settings(as_of=AS_OF, years=4, half_life_years=None, harm_weights=None)


def incidents(site, n, on=dt.date(2024, 6, 1), kind="graffiti", cost="0"):
    return [Count(site, kind, on, n, Decimal(cost))]


def test_gamma_quantiles_match_known_values():
    assert gamma_quantile(0.95, 1.0) == pytest.approx(-math.log(0.05), rel=1e-9)  # exponential
    assert gamma_quantile(0.5, 2.0) == pytest.approx(1.678346990016661, rel=1e-9)
    # For a whole shape, P(3, x) = 1 − e^−x (1 + x + x²/2): series (x < 4) and continued fraction (x ≥ 4).
    for x in (0.5, 3.0, 20.0):
        assert gamma_cdf(x, 3.0) == pytest.approx(1 - math.exp(-x) * (1 + x + x * x / 2), rel=1e-12)


def test_prior_and_shrinkage_by_hand_for_equal_exposure():
    # Three sites observed 4 years: 40, 2 and 6 incidents, rates 10, 0.5 and 1.5 per year.
    # m = 48/12 = 4; s² = 4·(36 + 12.25 + 6.25)/12 = 18.1667; V = s² − m/Ē = 18.1667 − 1 = 17.1667;
    # α = m²/V = 0.932039, β = m/V = 0.233010.
    prior = fit_prior([(40, 4), (2, 4), (6, 4)])
    assert prior.mean == pytest.approx(4)
    assert prior.shape == pytest.approx(16 / (218 / 12 - 1))
    assert prior.rate == pytest.approx(4 / (218 / 12 - 1))
    ranking = rank_sites(["A", "B", "C"], incidents("A", 40) + incidents("B", 2) + incidents("C", 6), PLAIN)
    by_site = {r.site: r for r in ranking.sites}
    # A: (α + 40)/(β + 4) = 40.932039/4.233010 = 9.669714, the same as w·10 + (1 − w)·4 with w = 4/4.233010.
    assert by_site["A"].rate == pytest.approx(40.932039 / 4.233010, rel=1e-6)
    assert by_site["A"].weight_on_own_data == pytest.approx(4 / 4.233010, rel=1e-6)
    assert by_site["B"].rate == pytest.approx(2.932039 / 4.233010, rel=1e-6)  # 0.692661, up from 0.5
    assert [r.site for r in ranking.sites] == ["A", "C", "B"]


def test_two_incidents_in_a_short_time_do_not_outrank_forty():
    # B was observed 37 days only: 2 incidents give a raw rate of 19.74 per year, twice A's 10.
    # E_B = 37/365.25 = 0.101300; m = 54/12.101300 = 4.462330; s² = 18.057617;
    # V = 18.057617 − 4.462330/3.025325 = 16.582625; α = 1.200799; β = 0.269097.
    # A: (α + 40)/(β + 4) = 9.650940. B: (α + 2)/(β + 0.101300) = 8.641530, so A ranks above B.
    sites = [
        SiteInput("A", FOUR_YEARS_AGO),
        SiteInput("B", AS_OF - dt.timedelta(days=37)),
        SiteInput("C", FOUR_YEARS_AGO),
        SiteInput("D", FOUR_YEARS_AGO),
    ]
    counts = (
        incidents("A", 40) + incidents("B", 2, on=AS_OF - dt.timedelta(days=10)) + incidents("C", 4) + incidents("D", 8)
    )
    ranking = rank_sites(sites, counts, PLAIN)
    by_site = {r.site: r for r in ranking.sites}
    assert by_site["B"].raw_rate == pytest.approx(19.743243, rel=1e-6)
    assert ranking.prior.shape == pytest.approx(1.200799, rel=1e-5)
    assert ranking.prior.rate == pytest.approx(0.269097, rel=1e-5)
    assert by_site["A"].rate == pytest.approx(9.650940, rel=1e-6)
    assert by_site["B"].rate == pytest.approx(8.641530, rel=1e-6)
    assert [r.site for r in ranking.sites] == ["A", "B", "D", "C"]
    assert by_site["B"].small_numbers and not by_site["A"].small_numbers
    # B's interval (2.49–17.80) is wide and overlaps A's (7.32–12.25) and D's (1.13–3.44): B may be
    # anywhere from 1st to 3rd; A is 1st or 2nd (only B's interval reaches above A's).
    assert by_site["B"].high > by_site["A"].high and by_site["B"].low < by_site["D"].high
    assert (by_site["A"].rank_best, by_site["A"].rank_worst) == (1, 2)
    assert (by_site["B"].rank_best, by_site["B"].rank_worst) == (1, 3)
    assert (by_site["C"].rank_best, by_site["C"].rank_worst) == (3, 4)


def test_the_interval_is_the_posterior_gamma_interval():
    ranking = rank_sites(["A", "B", "C"], incidents("A", 40) + incidents("B", 2) + incidents("C", 6), PLAIN)
    a = next(r for r in ranking.sites if r.site == "A")
    shape, rate = ranking.prior.shape + 40, ranking.prior.rate + 4
    assert a.low == pytest.approx(gamma_quantile(0.05, shape) / rate)
    assert a.high == pytest.approx(gamma_quantile(0.95, shape) / rate)
    assert a.low < a.rate < a.high


def test_recency_and_harm_weights():
    settings_ = Settings(as_of=AS_OF, years=5, half_life_years=2, harm_weights={"arson": 5, "graffiti": 1})
    assert settings_.recency(AS_OF) == 1
    assert settings_.recency(AS_OF - dt.timedelta(days=1461)) == pytest.approx(0.25)  # two half-lives
    # exposure over 5 years with half-life 2: 2/ln 2 · (1 − 0.5^(5/2)) = 2.375 weighted years
    assert settings_.exposure(None) == pytest.approx(2 / math.log(2) * (1 - 0.5 ** (1826 / 365.25 / 2)))
    counts = [Count("fire", "arson", AS_OF, 1), Count("paint", "graffiti", AS_OF, 4)]
    ranking = rank_sites(["fire", "paint"], counts, settings_)
    weighted = {r.site: r.weighted for r in ranking.sites}
    assert weighted == {"fire": 5, "paint": 4}
    # φ = Σw²/Σw = (25 + 4)/(5 + 4): the uncertainty is computed on y/φ "effective" incidents.
    assert ranking.prior.phi == pytest.approx(29 / 9)


def test_incidents_outside_the_window_and_unknown_sites_are_left_out():
    counts = [
        Count("A", "graffiti", AS_OF + dt.timedelta(days=1), 5),
        Count("A", "graffiti", FOUR_YEARS_AGO, 5),  # the window is (as_of − 4 years, as_of]
        Count("A", "graffiti", AS_OF, 1, Decimal("1461")),
        Count("Z", "graffiti", AS_OF, 9),
    ]
    [a] = rank_sites(["A"], counts, PLAIN).sites
    assert a.count == 1 and a.per_year == {2024: 1}
    assert a.cost_per_year == Decimal("365")  # 1 461 kr over 4 years


def test_no_incidents_anywhere_ranks_without_error():
    ranking = rank_sites(["A", "B"], [], PLAIN)
    assert [r.rate for r in ranking.sites] == [0, 0] and all(r.small_numbers for r in ranking.sites)
    assert [r.site for r in ranking.sites] == ["A", "B"]


site_counts = st.lists(
    st.tuples(st.integers(min_value=0, max_value=200), st.integers(min_value=30, max_value=1461)),
    min_size=2,
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(site_counts)
def test_shrinkage_moves_every_estimate_toward_the_prior_mean(data):
    sites = [SiteInput(i, AS_OF - dt.timedelta(days=days)) for i, (_n, days) in enumerate(data)]
    counts = [Count(i, "graffiti", AS_OF, n) for i, (n, _d) in enumerate(data) if n]
    ranking = rank_sites(sites, counts, PLAIN)
    mean = ranking.prior.mean
    for row in ranking.sites:
        low, high = sorted((row.raw_rate, mean))
        assert low - 1e-9 <= row.rate <= high + 1e-9
        assert abs(row.rate - mean) <= abs(row.raw_rate - mean) + 1e-9


@settings(max_examples=100, deadline=None)
@given(site_counts, st.randoms(use_true_random=False), st.booleans())
def test_the_ranking_does_not_depend_on_the_order_of_sites_or_counts(data, rng, recency):
    settings_ = Settings(as_of=AS_OF, years=4, half_life_years=2 if recency else None, harm_weights={"arson": 3})
    sites = [SiteInput(f"s{i}", AS_OF - dt.timedelta(days=days)) for i, (_n, days) in enumerate(data)]
    counts = []
    for i, (n, days) in enumerate(data):
        for k in range(n % 7):
            counts.append(
                Count(f"s{i}", "arson" if k % 2 else "graffiti", AS_OF - dt.timedelta(days=k * days // 7), n // 7 + 1)
            )
    first = rank_sites(sites, counts, settings_)
    shuffled_sites, shuffled_counts = list(sites), list(counts)
    rng.shuffle(shuffled_sites)
    rng.shuffle(shuffled_counts)
    second = rank_sites(shuffled_sites, shuffled_counts, settings_)
    assert [(r.site, r.rank, r.rank_best, r.rank_worst) for r in first.sites] == [
        (r.site, r.rank, r.rank_best, r.rank_worst) for r in second.sites
    ]
    assert [r.rate for r in first.sites] == pytest.approx([r.rate for r in second.sites])


def test_order_invariance_with_a_plain_shuffle():
    rng = random.Random(7)
    names = [f"site{i}" for i in range(20)]
    counts = [
        Count(name, "vandalism", AS_OF - dt.timedelta(days=rng.randrange(1400)), rng.randrange(1, 5))
        for name in names
        for _ in range(rng.randrange(0, 30))
    ]
    first = [r.site for r in rank_sites(names, counts, PLAIN).sites]
    rng.shuffle(names)
    rng.shuffle(counts)
    assert [r.site for r in rank_sites(names, counts, PLAIN).sites] == first


@settings(max_examples=300, deadline=None)
@given(st.floats(1e-3, 1e6), st.sampled_from([0.05, 0.95, 0.5, 0.001, 0.999]) | st.floats(1e-6, 1 - 1e-6))
def test_the_quantile_by_newton_equals_plain_bisection(shape, p):
    # Each method stops within 1e-12 · max(1, x), so below 1 they may differ by twice that (hypothesis found
    # shape = p = 0.18367987130589822: 1.05e-12 apart at x = 6.35e-05).
    assert gamma_quantile(p, shape) == pytest.approx(gamma_quantile_by_bisection(p, shape), rel=1e-9, abs=2e-12)


def test_the_quantiles_agree_where_hypothesis_found_them_apart():
    x = gamma_quantile(0.18367987130589822, 0.18367987130589822)
    assert x == pytest.approx(6.3545186e-05, rel=1e-7)
    assert abs(x - gamma_quantile_by_bisection(0.18367987130589822, 0.18367987130589822)) <= 2e-12


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 40), st.sampled_from(["graffiti", "arson", "theft"])),
        max_size=80,
    ),
    st.integers(1, 40),
)
def test_plausible_ranks_count_the_sites_surely_above_and_below(data, n_sites):
    counts = [Count(site % n_sites, kind, AS_OF - dt.timedelta(days=days * 30), 1) for site, days, kind in data]
    result = rank_sites(range(n_sites), counts, Settings(as_of=AS_OF, harm_weights={"arson": 5.0}))
    rows = result.sites
    for row in rows:  # the definition, site by site
        assert row.rank_best == 1 + sum(1 for other in rows if other is not row and other.low > row.high)
        assert row.rank_worst == len(rows) - sum(1 for other in rows if other is not row and other.high < row.low)
