"""Effect statistics for camera evaluation: pure Python (scipy/statsmodels), no Django.

What is here (sources in each docstring; background in ``shared/reference/evaluation.md`` §2)
    ``relative_effect_size``               RES/LRES of Farrington & Welsh, with an overdispersion factor.
    ``dispersion_from_series``             Pearson χ²/df of a quasi-Poisson fit to a monthly series.
    ``weighted_difference_in_differences`` WDD of Wheeler & Ratcliffe (2018), time/area/harm weights.
    ``displacement``                       GE, NE, SM, BDM, WDQ and TNE of Bowers & Johnson (2003).
    ``poisson_e_test``                     E-test of Krishnamoorthy & Thomson (2004) with an exact ratio CI.
    ``interrupted_time_series``            segmented quasi-Poisson / negative-binomial regression
                                           (Lopez Bernal, Cummins & Gasparrini 2017), optional control.
    ``pool_inverse_variance``              fixed / DerSimonian–Laird random-effects pooling of log ratios.

Conventions
    * Counts are non-negative event counts (incidents) per period; periods are months unless a
      docstring says otherwise. ``a, b`` / ``t0, t1`` are before/after at the treated (camera) site,
      ``c, d`` / ``ct0, ct1`` before/after at the control site.
    * Every estimate comes with its uncertainty (:class:`Estimate`); there is no point estimate alone.
    * Ratios are built and pooled on the log scale; ``Estimate.variance`` is on the scale the CI was
      built on (log scale for ratios, count scale for WDD).
    * Nothing is guessed: a zero cell where a ratio needs a count, a too-short series or a bad
      argument raises :class:`StatsError` with a stable English ``code`` that the Django layer
      translates into a Swedish message. No silent 0.5 continuity correction.
"""

from __future__ import annotations

import math
import operator
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats as sps
from scipy.optimize import minimize_scalar
from statsmodels.genmod.families import NegativeBinomial as NegativeBinomialFamily
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.rates import etest_poisson_2indep
from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning
from statsmodels.tsa.stattools import acf

from trygg.evaluation.errors import StatsError

__all__ = [
    "MIN_PRE_PERIOD_EVENTS",
    "Displacement",
    "Estimate",
    "Pooled",
    "StatsError",
    "TimeSeriesResult",
    "dispersion_from_series",
    "displacement",
    "interrupted_time_series",
    "percent_reduction",
    "poisson_e_test",
    "pool_inverse_variance",
    "relative_effect_size",
    "weighted_difference_in_differences",
]

#: Minimum number of months for a series model (seasonality needs at least a year).
MIN_SERIES_MONTHS = 12
#: Minimum number of months on each side of an intervention in a time series.
MIN_SEGMENT_MONTHS = 3
#: Inclusion rule of the CCTV reviews (Welsh & Farrington 2009; Piza et al. 2019): at least 20
#: crimes in the pre-period. Fewer is a warning the evaluation pages must show.
MIN_PRE_PERIOD_EVENTS = 20


@dataclass(frozen=True)
class Estimate:
    """One estimate with its uncertainty.

    ``value`` is on the natural scale (a rate ratio for ``res``, ``e-test``, ``its-*``, ``pooled``;
    a count difference for ``wdd``); ``ci_low``/``ci_high`` bound the two-sided ``level`` CI
    (e.g. 0.95). ``z`` is the Wald statistic and ``p_value`` the two-sided p-value of "no effect"
    (``z`` is None for the E-test, whose p-value is exact). ``variance`` is on the scale the CI was
    built on (log scale for ratios). ``method`` is one of ``"res"``, ``"wdd"``, ``"e-test"``,
    ``"its-level"``, ``"its-slope"``, ``"pooled"``.
    """

    value: float
    ci_low: float
    ci_high: float
    level: float
    z: float | None
    p_value: float | None
    method: str
    variance: float | None

    @property
    def standard_error(self) -> float | None:
        """√variance on the CI scale, or None when the CI is not a Wald interval."""
        return None if self.variance is None else math.sqrt(self.variance)

    @property
    def excludes_null(self) -> bool:
        """True when the CI excludes "no effect" (ratio 1, or difference 0 for WDD)."""
        null = 0.0 if self.method == "wdd" else 1.0
        return self.ci_high < null or self.ci_low > null


def percent_reduction(estimate: Estimate) -> tuple[float, float, float]:
    """The estimate as a percentage reduction (value, CI low, CI high); positive = fewer incidents.

    For ``res`` (and a pooled RES) the reduction relative to the control is 100·(1 − 1/RES)
    (Welsh & Farrington 2009); for ratios after/before (``e-test``, ``its-*``) it is
    100·(1 − ratio). The CI limits are transformed with the same monotone map, so (low, high) is
    again an interval. ``pooled`` is read as a pooled RES (pool ln RES). Not for ``wdd``
    (a count difference): raises :class:`StatsError` ``"bad-family"``.
    """
    if estimate.method == "wdd":
        raise StatsError("bad-family", "WDD is a count difference, not a ratio", field="estimate")
    if estimate.method in ("res", "pooled"):

        def f(x: float) -> float:
            return -math.inf if x == 0 else 100.0 * (1.0 - 1.0 / x)

        return f(estimate.value), f(estimate.ci_low), f(estimate.ci_high)
    return (
        100.0 * (1.0 - estimate.value),
        100.0 * (1.0 - estimate.ci_high),
        100.0 * (1.0 - estimate.ci_low),
    )


# --------------------------------------------------------------------------- helpers


def _check_level(level: float) -> float:
    if not (isinstance(level, int | float) and math.isfinite(level) and 0.0 < level < 1.0):
        raise StatsError("bad-level", f"level must be in (0, 1), got {level!r}", field="level")
    return float(level)


def _check_count(value: float, field: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise StatsError("not-integer", f"{field} is not a number: {value!r}", field=field) from None
    if not math.isfinite(x):
        raise StatsError("not-integer", f"{field} is not finite", field=field)
    if x < 0:
        raise StatsError("negative-count", f"{field} is negative: {x}", field=field)
    if x != math.floor(x):
        raise StatsError("not-integer", f"{field} is not a whole count: {x}", field=field)
    return x


def _check_positive(value: float, field: str, code: str = "bad-weight") -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise StatsError(code, f"{field} is not a number: {value!r}", field=field) from None
    if not (math.isfinite(x) and x > 0):
        raise StatsError(code, f"{field} must be positive and finite, got {value!r}", field=field)
    return x


def _check_dispersion(dispersion: float) -> None:
    ok = isinstance(dispersion, int | float) and not isinstance(dispersion, bool)
    if not (ok and math.isfinite(dispersion) and dispersion >= 1.0):
        raise StatsError("bad-dispersion", f"dispersion must be ≥ 1, got {dispersion!r}", field="dispersion")


def _z_crit(level: float) -> float:
    return float(sps.norm.ppf(0.5 + level / 2.0))


def _p_two_sided(z: float) -> float:
    return float(2.0 * sps.norm.sf(abs(z)))


def _log_ratio_estimate(log_value: float, variance: float, level: float, method: str) -> Estimate:
    """Wald estimate built on the log scale and reported as a ratio."""
    se = math.sqrt(variance)
    q = _z_crit(level)
    z = log_value / se
    return Estimate(
        value=math.exp(log_value),
        ci_low=math.exp(log_value - q * se),
        ci_high=math.exp(log_value + q * se),
        level=level,
        z=z,
        p_value=_p_two_sided(z),
        method=method,
        variance=variance,
    )


# --------------------------------------------------------------------------- RES


def relative_effect_size(
    a: float, b: float, c: float, d: float, *, dispersion: float = 1.0, level: float = 0.95
) -> Estimate:
    """Relative effect size RES = (a·d)/(b·c) of Farrington & Welsh, with a log-scale Wald CI.

    Arguments are counts (incidents) in one before and one after period of equal length:
    ``a``/``b`` treated (camera) site before/after, ``c``/``d`` control before/after.
    RES > 1 means the treated site did better than the control; the reduction relative to the
    control is ``1 − 1/RES``. Under a Poisson assumption VAR(ln RES) = 1/a + 1/b + 1/c + 1/d
    (the log odds-ratio variance of the 2×2 table, computed with statsmodels ``Table2x2``);
    ``dispersion`` D ≥ 1 multiplies it for overdispersed counts (e.g. from
    :func:`dispersion_from_series`). CI = exp(ln RES ± z·√(D·VAR)).

    Source: Farrington, Gill, Waples & Argomaniz (2007), J Exp Criminol 3:21–38, appendix;
    Welsh & Farrington (2009), Justice Quarterly 26(4).

    Returns an :class:`Estimate` with ``method="res"``, ``value`` = RES, ``variance`` = D·VAR(ln RES).

    Raises :class:`StatsError`: ``"zero-count"`` if any cell is 0 (RES and its variance are
    undefined; no continuity correction is applied), ``"negative-count"``, ``"not-integer"``,
    ``"bad-dispersion"`` (D not finite or < 1), ``"bad-level"``.
    """
    level = _check_level(level)
    cells = [_check_count(x, n) for x, n in ((a, "a"), (b, "b"), (c, "c"), (d, "d"))]
    for x, name in zip(cells, "abcd", strict=True):
        if x == 0:
            raise StatsError("zero-count", f"{name} is 0: RES is undefined", field=name)
    _check_dispersion(dispersion)
    table = Table2x2(np.array([[cells[0], cells[1]], [cells[2], cells[3]]]), shift_zeros=False)
    log_res = float(table.log_oddsratio)
    variance = float(table.log_oddsratio_se) ** 2 * float(dispersion)
    return _log_ratio_estimate(log_res, variance, level, "res")


def dispersion_from_series(counts: Sequence[float], *, harmonics: int = 1, trend: bool = True) -> float:
    """Overdispersion factor φ of a monthly count series, floored at 1.

    Fits a Poisson GLM (statsmodels) with intercept, a linear trend in months (if ``trend``) and
    ``harmonics`` sine/cosine pairs of period 12 months, and returns φ = Pearson χ²/df_resid,
    the quasi-Poisson scale (McCullagh & Nelder 1989, §4.5; used for ITS by Lopez Bernal et al.
    2017). Values below 1 are returned as 1.0, so multiplying a Poisson variance by φ never
    narrows an interval. Use the pre-period of the site being evaluated.

    ``counts``: monthly counts, at least 12 months (:data:`MIN_SERIES_MONTHS`).
    Raises :class:`StatsError`: ``"too-short"``, ``"zero-count"`` (all months 0: the rate is 0 and
    φ undefined), ``"negative-count"``, ``"not-integer"``, ``"bad-index"`` (harmonics < 0).
    """
    y = np.array([_check_count(x, "counts") for x in counts], dtype=float)
    if len(y) < MIN_SERIES_MONTHS:
        raise StatsError("too-short", f"need ≥ {MIN_SERIES_MONTHS} months, got {len(y)}", field="counts")
    if harmonics < 0:
        raise StatsError("bad-index", "harmonics must be ≥ 0", field="harmonics")
    if y.sum() == 0:
        raise StatsError("zero-count", "all months are 0", field="counts")
    t = np.arange(len(y), dtype=float)
    cols = [np.ones_like(t)]
    if trend:
        cols.append(t)
    cols.extend(_harmonic_columns(t, harmonics))
    x = np.column_stack(cols)
    if len(y) - x.shape[1] < 1:
        raise StatsError("too-short", "not enough months for the model", field="counts")
    res = _fit_poisson(y, x, None)
    return max(1.0, float(res.pearson_chi2 / res.df_resid))


# --------------------------------------------------------------------------- WDD


def _as_counts(value: float | Sequence[float], field: str, k: int | None) -> np.ndarray:
    if k is None:
        return np.array([_check_count(value, field)])  # type: ignore[arg-type]
    if isinstance(value, int | float):
        raise StatsError("length-mismatch", f"{field} must have one count per harm weight", field=field)
    arr = np.array([_check_count(x, field) for x in value])
    if len(arr) != k:
        raise StatsError("length-mismatch", f"{field} has {len(arr)} counts, expected {k}", field=field)
    return arr


def weighted_difference_in_differences(
    t0: float | Sequence[float],
    t1: float | Sequence[float],
    ct0: float | Sequence[float],
    ct1: float | Sequence[float],
    d0: float | Sequence[float] = 0,
    d1: float | Sequence[float] = 0,
    cd0: float | Sequence[float] = 0,
    cd1: float | Sequence[float] = 0,
    *,
    lengths: Sequence[float] | None = None,
    areas: Sequence[float] | None = None,
    harm_weights: Sequence[float] | None = None,
    dispersion: float = 1.0,
    level: float = 0.95,
) -> Estimate:
    """Weighted displacement difference WDD with its Poisson-normal CI (Wheeler & Ratcliffe 2018).

    Counts: ``t0``/``t1`` treated before/after, ``ct0``/``ct1`` its control, ``d0``/``d1`` the
    displacement (buffer) zone, ``cd0``/``cd1`` the buffer's control (leave 0 without a buffer).
    WDD = ΔT − ΔCt + ΔD − ΔCd with Δ = after − before; negative = fewer incidents than expected.
    Var = sum of all eight counts (normal approximation to the Poisson); CI = WDD ± z·√Var.

    Weights (as in the ptools ``wdd``/``wdd_harm`` functions of A. P. Wheeler, implemented from
    the formulas, not ported): ``lengths`` = (before, after) period lengths (e.g. months);
    ``areas`` = (treated, control, buffer, buffer control) areas. A count x over length ℓ and area
    A contributes x/(ℓ·A) to WDD and x/(ℓ·A)² to Var, so WDD is then a change in incidents per
    unit time and/or area (parallel trends are then assumed for rates/densities).
    ``harm_weights`` = (w_1..w_k): each count argument is then a sequence of k counts, one per
    incident type, and WDD_harm = Σ w_j·WDD_j with Var = Σ w_j²·Var_j (Wheeler 2020, "Amending
    the WDD test to incorporate harm weights").
    ``dispersion`` D ≥ 1 multiplies Var for overdispersed counts (as for RES; the paper's Var is
    the Poisson one, D = 1).

    Returns an :class:`Estimate` with ``method="wdd"`` (count scale; ``variance`` = Var).
    Raises :class:`StatsError`: ``"negative-count"``, ``"not-integer"``, ``"bad-weight"``,
    ``"length-mismatch"``, ``"bad-level"``, ``"bad-dispersion"``, ``"zero-count"`` (all counts 0:
    no variance).
    """
    level = _check_level(level)
    _check_dispersion(dispersion)
    k = None
    hw = np.array([1.0])
    if harm_weights is not None:
        hw = np.array([_check_positive(w, "harm_weights") for w in harm_weights])
        if len(hw) == 0:
            raise StatsError("bad-weight", "harm_weights is empty", field="harm_weights")
        k = len(hw)
    names = ("t0", "t1", "ct0", "ct1", "d0", "d1", "cd0", "cd1")
    values = (t0, t1, ct0, ct1, d0, d1, cd0, cd1)
    arrs = {n: _as_counts(v, n, k) for n, v in zip(names, values, strict=True)}
    if lengths is None:
        lengths = (1.0, 1.0)
    if len(lengths) != 2:
        raise StatsError("bad-weight", "lengths must be (before, after)", field="lengths")
    lb, la = (_check_positive(x, "lengths") for x in lengths)
    if areas is None:
        areas = (1.0, 1.0, 1.0, 1.0)
    if len(areas) != 4:
        raise StatsError("bad-weight", "areas must be (treated, control, buffer, buffer control)", field="areas")
    at, ac, ad, acd = (_check_positive(x, "areas") for x in areas)
    # divisor ℓ·A for each of the eight cells, and the sign of each cell in WDD
    divisors = {
        "t0": lb * at, "t1": la * at, "ct0": lb * ac, "ct1": la * ac,
        "d0": lb * ad, "d1": la * ad, "cd0": lb * acd, "cd1": la * acd,
    }  # fmt: skip
    signs = {"t0": -1, "t1": 1, "ct0": 1, "ct1": -1, "d0": -1, "d1": 1, "cd0": 1, "cd1": -1}
    est = np.zeros_like(hw)
    var = np.zeros_like(hw)
    for n in names:
        est = est + signs[n] * arrs[n] / divisors[n]
        var = var + arrs[n] / divisors[n] ** 2
    value = float(np.sum(hw * est))
    variance = float(np.sum(hw**2 * var)) * float(dispersion)
    if variance <= 0:
        raise StatsError("zero-count", "all counts are 0: WDD has no variance", field="t0")
    se = math.sqrt(variance)
    q = _z_crit(level)
    z = value / se
    return Estimate(
        value=value,
        ci_low=value - q * se,
        ci_high=value + q * se,
        level=level,
        z=z,
        p_value=_p_two_sided(z),
        method="wdd",
        variance=variance,
    )


# --------------------------------------------------------------------------- WDQ / TNE


@dataclass(frozen=True)
class Displacement:
    """Displacement measures of Bowers & Johnson (2003), formulas as in Guerette (2009), App. B.

    ``gross_effect`` GE = Rb − Ra (incidents). ``net_effect`` NE = Rb/Cb − Ra/Ca,
    ``success_measure`` SM = Ra/Ca − Rb/Cb (negative = success), ``buffer_displacement``
    BDM = Da/Ca − Db/Cb (positive = possible displacement, negative = diffusion of benefits);
    these three are None when a control count is 0. ``wdq`` = BDM/SM and ``tne`` (total net
    effect, incidents prevented in response area + buffer) = [Rb·Ca/Cb − Ra] + [Db·Ca/Cb − Da]
    are set only when ``meaningful``: SM < 0 and no control count is 0. Otherwise ``reason`` is
    ``"zero-control"`` or ``"no-success"`` (SM ≥ 0). The WDQ has no standard error: report it
    next to the WDD and its CI.
    """

    gross_effect: float
    net_effect: float | None
    success_measure: float | None
    buffer_displacement: float | None
    wdq: float | None
    tne: float | None
    meaningful: bool
    reason: str | None


def displacement(rb: float, ra: float, cb: float, ca: float, db: float, da: float) -> Displacement:
    """WDQ, TNE and their parts from before (b) / after (a) counts.

    ``rb``/``ra`` response (camera) area, ``cb``/``ca`` control area, ``db``/``da`` buffer
    (displacement) area; counts over periods of equal length.
    Source: Bowers & Johnson (2003), J Quant Criminol 19(3):275–301; formulas and reading table in
    Guerette (2009), POP Center Problem-Solving Tool Guide 10, Appendices B and C.
    Interpretation of ``wdq``: > 1 diffusion larger than the direct effect; 0..1 some diffusion;
    0 none; −1..0 displacement smaller than the gain; < −1 displacement cancels the gain.

    Raises :class:`StatsError` for negative or non-integer counts; a zero control count is not an
    error but gives ``meaningful=False, reason="zero-control"``.
    """
    rb, ra, cb, ca, db, da = (
        _check_count(x, n) for x, n in ((rb, "rb"), (ra, "ra"), (cb, "cb"), (ca, "ca"), (db, "db"), (da, "da"))
    )
    gross = rb - ra
    if cb == 0 or ca == 0:
        return Displacement(gross, None, None, None, None, None, False, "zero-control")
    net = rb / cb - ra / ca
    sm = ra / ca - rb / cb
    bdm = da / ca - db / cb
    if not sm < 0:
        return Displacement(gross, net, sm, bdm, None, None, False, "no-success")
    ratio = ca / cb
    tne = (rb * ratio - ra) + (db * ratio - da)
    return Displacement(gross, net, sm, bdm, bdm / sm, tne, True, None)


# --------------------------------------------------------------------------- E-test


def poisson_e_test(k1: float, k2: float, n1: float = 1.0, n2: float = 1.0, *, level: float = 0.95) -> Estimate:
    """Single site before/after without control: rate ratio with exact CI and E-test p-value.

    ``k1`` incidents before over exposure ``n1`` (e.g. months), ``k2`` after over ``n2``.
    ``value`` = (k2/n2)/(k1/n1), the rate ratio after/before (< 1 = fewer after).
    ``p_value``: E-test of equal rates, Krishnamoorthy & Thomson (2004), J Stat Plan Inference
    119:23–35 (statsmodels ``etest_poisson_2indep``, score statistic: the rate difference over
    its SE at the pooled rate, which orders outcomes exactly as the ptools ``e_test`` statistic
    and, for equal exposures, as K&T's own statistic). CI: exact conditional (Clopper–Pearson) interval for k2 | k1+k2 ~ Bin(k1+k2, π),
    transformed to the rate ratio (n1/n2)·π/(1−π) (Ederer & Mantel 1974; scipy ``binomtest``).
    The CI and the E-test are different procedures, so at the margin one may exclude 1 while the
    other does not. ``z`` and ``variance`` are None (nothing here is a Wald interval).

    This ignores trend, seasonality and regression to the mean: label it "no control".
    Raises :class:`StatsError`: ``"zero-count"`` if ``k1`` is 0 (no rate before: ratio undefined),
    ``"negative-count"``, ``"not-integer"``, ``"bad-exposure"``, ``"bad-level"``.
    """
    level = _check_level(level)
    k1 = _check_count(k1, "k1")
    k2 = _check_count(k2, "k2")
    n1 = _check_positive(n1, "n1", "bad-exposure")
    n2 = _check_positive(n2, "n2", "bad-exposure")
    if k1 == 0:
        raise StatsError("zero-count", "no incidents before: the rate ratio is undefined", field="k1")
    _, p = etest_poisson_2indep(k1, n1, k2, n2, method="score", compare="diff")
    total = int(k1 + k2)
    ci = sps.binomtest(int(k2), total).proportion_ci(confidence_level=level, method="exact")

    def to_ratio(pi: float) -> float:
        return math.inf if pi >= 1.0 else (n1 / n2) * pi / (1.0 - pi)

    return Estimate(
        value=(k2 / n2) / (k1 / n1),
        ci_low=to_ratio(ci.low),
        ci_high=to_ratio(ci.high),
        level=level,
        z=None,
        p_value=float(min(1.0, max(0.0, p))),
        method="e-test",
        variance=None,
    )


# --------------------------------------------------------------------------- ITS


@dataclass(frozen=True)
class TimeSeriesResult:
    """Result of :func:`interrupted_time_series`.

    ``level_change``: rate ratio of the immediate step at the intervention (``its-level``).
    ``slope_change``: ratio per month of the change in trend (``its-slope``); None only with
    ``impact="level"``. With a control series both are relative to the control's change.
    ``dispersion``: φ = Pearson χ²/df of the Poisson fit of the same design (≥ 1 is used).
    ``family``: ``"quasipoisson"`` or ``"negativebinomial"``. ``fitted`` / ``counterfactual``:
    expected counts per month of the treated series with / without the intervention terms
    (same length as ``counts``). ``residual_autocorrelation``: lag-1 autocorrelation of the
    treated series' Pearson residuals (None if it cannot be computed). ``nb_alpha``: NB2
    α (Var = μ + α·μ²), None for quasi-Poisson.
    """

    level_change: Estimate
    slope_change: Estimate | None
    dispersion: float
    family: str
    fitted: list[float]
    counterfactual: list[float]
    residual_autocorrelation: float | None
    nb_alpha: float | None = None


def _harmonic_columns(t: np.ndarray, harmonics: int) -> list[np.ndarray]:
    cols = []
    for k in range(1, harmonics + 1):
        cols.append(np.sin(2 * np.pi * k * t / 12.0))
        cols.append(np.cos(2 * np.pi * k * t / 12.0))
    return cols


def _fit_poisson(y: np.ndarray, x: np.ndarray, offset: np.ndarray | None, scale: float | None = None):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        # A perfect fit (e.g. a constant series) is not an error for a Poisson model; an
        # unidentifiable effect (all-zero segment) is caught before fitting.
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        try:
            model = GLM(y, x, family=Poisson(), offset=offset)
            res = model.fit(scale=scale) if scale is not None else model.fit()
        except (ConvergenceWarning, np.linalg.LinAlgError) as exc:
            raise StatsError("no-convergence", str(exc)) from exc
    if not np.all(np.isfinite(res.params)):
        raise StatsError("no-convergence", "the model could not be estimated")
    return res


#: Search range for the NB2 α (Var = μ + α·μ²); the lower end is the Poisson boundary.
_NB_ALPHA_RANGE = (1e-8, 1e3)


def _fit_negative_binomial(y: np.ndarray, x: np.ndarray, offset: np.ndarray | None):
    """NB2 GLM with α by maximum (profile) likelihood, SEs conditional on α (as R's MASS::glm.nb).

    α is found with scipy's bounded scalar minimiser over ln α of the statsmodels GLM
    log-likelihood; at the lower bound the data show no overdispersion and the fit is the
    Poisson one (NB with α → 0).
    """

    def fit(alpha: float):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            warnings.simplefilter("error", ConvergenceWarning)
            return GLM(y, x, family=NegativeBinomialFamily(alpha=alpha), offset=offset).fit()

    def negative_llf(log_alpha: float) -> float:
        try:
            llf = fit(math.exp(log_alpha)).llf
        except (ConvergenceWarning, np.linalg.LinAlgError, ValueError):
            return math.inf
        return -llf if math.isfinite(llf) else math.inf

    lo, hi = (math.log(a) for a in _NB_ALPHA_RANGE)
    opt = minimize_scalar(negative_llf, bounds=(lo, hi), method="bounded", options={"xatol": 1e-4})
    if not (opt.success and math.isfinite(opt.fun)):
        raise StatsError("no-convergence", "negative binomial fit did not converge")
    alpha = math.exp(float(opt.x))
    try:
        res = fit(alpha)
    except (ConvergenceWarning, np.linalg.LinAlgError) as exc:
        raise StatsError("no-convergence", str(exc)) from exc
    return res, alpha


def _series(values: Sequence[float] | None, n: int, field: str, *, counts: bool) -> np.ndarray | None:
    if values is None:
        return None
    if counts:
        arr = np.array([_check_count(v, field) for v in values], dtype=float)
    else:
        arr = np.array([_check_positive(v, field, "bad-exposure") for v in values], dtype=float)
    if len(arr) != n:
        raise StatsError("length-mismatch", f"{field} has {len(arr)} months, expected {n}", field=field)
    return arr


def interrupted_time_series(
    counts: Sequence[float],
    intervention_index: int,
    *,
    control: Sequence[float] | None = None,
    exposure: Sequence[float] | None = None,
    control_exposure: Sequence[float] | None = None,
    harmonics: int = 1,
    family: str = "quasipoisson",
    impact: str = "level-slope",
    gap: int = 0,
    level: float = 0.95,
) -> TimeSeriesResult:
    """Segmented (interrupted time series) regression of monthly counts.

    Model (Lopez Bernal, Cummins & Gasparrini 2017, IJE 46(1):348–355, and their published R code,
    github.com/gasparrini/2017_lopezbernal_IJE_codedata), with month number t = 1..n:

        log E[Y_t] = β0 + β1·t + β2·X_t + β3·(t − T0)·X_t + Σ_k [γ_k sin(2πkt/12) + δ_k cos(2πkt/12)]
                     + log(exposure_t)

    where X_t = 1 from the first month after the intervention on and T0 = the number of months
    before it, so (t − T0)·X_t = 1 in the first post month. exp(β2) is ``level_change``, exp(β3)
    ``slope_change`` (per month). ``impact="level"`` drops β3 (the step-only model of the paper).

    ``counts``: monthly counts (0-based list). ``intervention_index``: index of the first month
    after the intervention (= months before it). ``gap``: months from ``intervention_index`` on
    left out of the fit (installation); the post period then starts at ``intervention_index+gap``.
    ``exposure``: optional positive monthly exposure (offset), e.g. days open or population.
    ``control``: optional monthly counts of comparable sites without the intervention (same
    length); the two series are stacked with a group indicator and its interactions with t, X and
    (t − T0)·X (controlled ITS, Lopez Bernal, Cummins & Gasparrini 2018, IJE 47(6):2082–2093); the
    reported effects are then the treated-minus-control interactions. Seasonality is shared.
    ``family``: ``"quasipoisson"`` (Poisson GLM, SEs scaled by √φ, φ = Pearson χ²/df floored at 1)
    or ``"negativebinomial"`` (NB2 GLM, α by profile maximum likelihood with scipy, SEs given α as
    in R's ``MASS::glm.nb``; α at its lower bound 1e-8 means no overdispersion, i.e. Poisson).
    CIs are Wald intervals on the log scale with normal quantiles (as ``Epi::ci.exp`` in the
    paper's code).

    Raises :class:`StatsError`: ``"too-short"`` (fewer than 12 months, or fewer than 3 months
    before or after), ``"bad-index"``, ``"zero-count"`` (no incidents before or after: the ratio
    is undefined), ``"length-mismatch"``, ``"bad-exposure"``, ``"bad-family"``,
    ``"no-convergence"``, ``"negative-count"``, ``"not-integer"``, ``"bad-level"``.
    """
    level = _check_level(level)
    if family not in ("quasipoisson", "negativebinomial"):
        raise StatsError("bad-family", f"unknown family {family!r}", field="family")
    if impact not in ("level-slope", "level"):
        raise StatsError("bad-family", f"unknown impact model {impact!r}", field="impact")
    y = np.array([_check_count(v, "counts") for v in counts], dtype=float)
    n = len(y)
    if n < MIN_SERIES_MONTHS:
        raise StatsError("too-short", f"need ≥ {MIN_SERIES_MONTHS} months, got {n}", field="counts")
    try:
        intervention_index, gap, harmonics = (operator.index(v) for v in (intervention_index, gap, harmonics))
    except TypeError:
        raise StatsError("bad-index", "intervention_index, gap and harmonics must be whole numbers") from None
    if gap < 0 or harmonics < 0:
        raise StatsError("bad-index", "gap and harmonics must be ≥ 0")
    start = intervention_index + gap
    if intervention_index < MIN_SEGMENT_MONTHS or n - start < MIN_SEGMENT_MONTHS:
        raise StatsError(
            "too-short", f"need ≥ {MIN_SEGMENT_MONTHS} months before and after", field="intervention_index"
        )
    expo = _series(exposure, n, "exposure", counts=False)
    ctrl = _series(control, n, "control", counts=True)
    cexpo = _series(control_exposure, n, "control_exposure", counts=False)
    keep = np.ones(n, dtype=bool)
    keep[intervention_index:start] = False
    pre = keep & (np.arange(n) < intervention_index)
    post = np.arange(n) >= start
    if y[pre].sum() == 0 or y[post].sum() == 0:
        raise StatsError("zero-count", "no incidents before or after the intervention", field="counts")
    if ctrl is not None and (ctrl[pre].sum() == 0 or ctrl[post].sum() == 0):
        raise StatsError("zero-count", "no control incidents before or after", field="control")

    t = np.arange(1, n + 1, dtype=float)
    step = (np.arange(n) >= start).astype(float)
    slope = (t - start) * step
    seasonal = _harmonic_columns(t, harmonics)
    with_slope = impact == "level-slope"

    def design(group: float, effects_on: bool) -> np.ndarray:
        """Columns for one series; ``effects_on=False`` zeroes the treated intervention terms."""
        s = step if effects_on else np.zeros(n)
        sl = slope if effects_on else np.zeros(n)
        if ctrl is None:
            cols = [np.ones(n), t, s] + ([sl] if with_slope else []) + seasonal
        else:
            g = np.full(n, group)
            cols = [np.ones(n), t, step] + ([slope] if with_slope else [])
            cols += [g, g * t, g * s] + ([g * sl] if with_slope else []) + seasonal
        return np.column_stack(cols)

    if ctrl is None:
        x_fit, y_fit = design(1.0, True)[keep], y[keep]
        off = None if expo is None else np.log(expo)[keep]
        level_col, slope_col = 2, 3
    else:
        x_fit = np.vstack([design(1.0, True)[keep], design(0.0, True)[keep]])
        y_fit = np.concatenate([y[keep], ctrl[keep]])
        e_t = np.ones(n) if expo is None else expo
        e_c = np.ones(n) if cexpo is None else cexpo
        off = None if expo is None and cexpo is None else np.log(np.concatenate([e_t[keep], e_c[keep]]))
        level_col = 6 if with_slope else 5
        slope_col = 7
    x_all = design(1.0, True)
    x_cf = design(1.0, False)
    off_all = np.zeros(n) if expo is None else np.log(expo)

    pois = _fit_poisson(y_fit, x_fit, off)
    phi = float(pois.pearson_chi2 / pois.df_resid) if pois.df_resid > 0 else math.nan
    if not math.isfinite(phi):
        raise StatsError("too-short", "no residual degrees of freedom", field="counts")
    nb_alpha = None
    if family == "quasipoisson":
        res = _fit_poisson(y_fit, x_fit, off, scale=max(1.0, phi))
        params, cov = np.asarray(res.params), np.asarray(res.cov_params())
        resid_treated = (y - np.exp(x_all @ params + off_all))[keep] / np.sqrt(np.exp(x_all @ params + off_all)[keep])
    else:
        nb, nb_alpha = _fit_negative_binomial(y_fit, x_fit, off)
        params, cov = np.asarray(nb.params), np.asarray(nb.cov_params())
        mu = np.exp(x_all @ params + off_all)
        resid_treated = ((y - mu) / np.sqrt(mu + nb_alpha * mu**2))[keep]
    if not (np.all(np.isfinite(params)) and np.all(np.isfinite(np.diag(cov)))):
        raise StatsError("no-convergence", "the model could not be estimated")

    def coef(col: int, method: str) -> Estimate:
        var = float(cov[col, col])
        if not var > 0:
            raise StatsError("no-convergence", "zero variance for an effect")
        return _log_ratio_estimate(float(params[col]), var, level, method)

    fitted = np.exp(x_all @ params + off_all)
    counterfactual = np.exp(x_cf @ params + off_all)
    autocorr = None
    if len(resid_treated) >= 4 and np.std(resid_treated) > 0:
        autocorr = float(acf(resid_treated, nlags=1, fft=False)[1])
    return TimeSeriesResult(
        level_change=coef(level_col, "its-level"),
        slope_change=coef(slope_col, "its-slope") if with_slope else None,
        dispersion=max(1.0, phi),
        family=family,
        fitted=[float(v) for v in fitted],
        counterfactual=[float(v) for v in counterfactual],
        residual_autocorrelation=autocorr,
        nb_alpha=nb_alpha,
    )


# --------------------------------------------------------------------------- pooling


@dataclass(frozen=True)
class Pooled:
    """Inverse-variance pooled ratio across sites.

    ``estimate``: pooled ratio (``method="pooled"``, variance on the log scale). ``q``: Cochran's Q;
    ``df`` = k − 1; ``i_squared`` = max(0, (Q − df)/Q) in [0, 1]; ``tau_squared``: DerSimonian–Laird
    between-site variance (log scale); ``model``: ``"random"`` when τ² > 0, else ``"fixed"``.
    """

    estimate: Estimate
    q: float
    df: int
    i_squared: float
    tau_squared: float
    model: str


def pool_inverse_variance(log_estimates: Sequence[float], variances: Sequence[float], *, level: float = 0.95) -> Pooled:
    """Pool log ratios (e.g. ln RES per site) by inverse-variance weighting.

    ``log_estimates``: k log ratios; ``variances``: their variances (log scale, > 0), e.g.
    ``Estimate.variance`` of :func:`relative_effect_size`. Fixed effect when the DerSimonian–Laird
    τ² is 0, otherwise DL random effects, weights 1/(vᵢ + τ²) (DerSimonian & Laird 1986, Control
    Clin Trials 7:177–188; statsmodels ``combine_effects(method_re="dl")``), as in the CCTV
    meta-analyses (Welsh & Farrington 2009; Piza et al. 2019). Heterogeneity: Cochran's Q and
    I² = (Q − df)/Q (Higgins & Thompson 2002). The pooled ratio is exp(mean) with a Wald CI.
    One site gives that site's estimate with Q = 0, df = 0.

    Raises :class:`StatsError`: ``"too-few"`` (no estimates), ``"length-mismatch"``,
    ``"bad-variance"`` (a variance not positive and finite), ``"bad-level"``.
    """
    level = _check_level(level)
    eff = np.array([float(x) for x in log_estimates], dtype=float)
    var = np.array([_check_positive(v, "variances", "bad-variance") for v in variances], dtype=float)
    if len(eff) == 0:
        raise StatsError("too-few", "nothing to pool", field="log_estimates")
    if len(eff) != len(var):
        raise StatsError("length-mismatch", "one variance per estimate", field="variances")
    if not np.all(np.isfinite(eff)):
        raise StatsError("bad-variance", "an estimate is not finite", field="log_estimates")
    if len(eff) == 1:
        est = _log_ratio_estimate(float(eff[0]), float(var[0]), level, "pooled")
        return Pooled(est, 0.0, 0, 0.0, 0.0, "fixed")
    with np.errstate(all="ignore"), warnings.catch_warnings():
        # Q = 0 (identical estimates) makes statsmodels' own H² and I² divide by zero; we compute I².
        warnings.simplefilter("ignore", RuntimeWarning)
        res = combine_effects(eff, var, method_re="dl")
    q = float(res.q)
    df = len(eff) - 1
    tau2 = max(0.0, float(res.tau2))
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    if tau2 > 0:
        mean, variance, model = float(res.mean_effect_re), float(res.var_eff_w_re), "random"
    else:
        mean, variance, model = float(res.mean_effect_fe), float(res.var_eff_w_fe), "fixed"
    return Pooled(_log_ratio_estimate(mean, variance, level, "pooled"), q, df, i2, tau2, model)
