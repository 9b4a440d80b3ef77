"""Ranking sites by need, honestly: weighted incident rates shrunk toward the municipal mean.

Pure: takes counts of incidents per site (any grouping: per incident, day or month), returns the
ranking; no Django.

The method, step by step (the ranking page explains it in Swedish):
1. Each incident in the window (default the last 5 years) counts with a *harm weight* for its kind
   (optional; arson weighs more than graffiti) times a *recency weight* 0.5^(age / half-life), so an
   incident two half-lives ago counts a quarter.
2. A site's *exposure* is the time it was observed, in the same recency-weighted years, so a rate is
   weighted incidents per (weighted) year.
3. Empirical Bayes (Gamma–Poisson): the rates of all sites give a prior, Gamma(α, β) with the
   municipal mean rate m = α/β and the spread between sites beyond chance (method of moments,
   Marshall 1991). Each site's posterior is Gamma(α + y, β + E): its estimate is
   (α + y) / (β + E) = w·(y/E) + (1 − w)·m with w = E / (E + β), pulled toward the mean most where
   there is least to go on. Sites are ranked by this estimate; its 90 % interval gives a range of
   plausible ranks.
4. Weights make the numbers no longer plain counts; the uncertainty is computed on an "effective
   number" of incidents y/φ, φ = Σw² / Σw over all incidents (a quasi-Poisson scaling), which is 1
   when every weight is 1.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import NormalDist

DAYS_PER_YEAR = 365.25

# Default harm per kind: how much one incident of the kind weighs compared with graffiti.
# A municipality changes these in the register (HarmWeight); they are a value judgement, not law.
DEFAULT_HARM_WEIGHTS: dict[str, float] = {
    "arson": 5.0,
    "threat_or_violence": 4.0,
    "break_in": 3.0,
    "vandalism": 2.0,
    "theft": 2.0,
    "graffiti": 1.0,
    "disorder": 1.0,
    "other": 1.0,
}
SMALL_NUMBERS = 20  # below this many incidents a site's rate is too uncertain to rank on its own
MIN_PRIOR_VARIANCE_SHARE = 0.01  # the spread between sites is at least 10 % of the mean (α ≤ 100)


@dataclass(frozen=True)
class Count:
    """`count` incidents of `kind` at `site` on (or around) `on`, costing `cost` kronor together."""

    site: Hashable
    kind: str
    on: dt.date
    count: int = 1
    cost: Decimal = Decimal("0")


@dataclass(frozen=True)
class Settings:
    as_of: dt.date
    years: float = 5.0
    half_life_years: float | None = 2.0  # None: every year counts the same
    harm_weights: Mapping[str, float] | None = None  # None: every kind weighs 1
    level: float = 0.90
    small_numbers: int = SMALL_NUMBERS

    @property
    def window_start(self) -> dt.date:
        return self.as_of - dt.timedelta(days=round(self.years * DAYS_PER_YEAR))

    def recency(self, on: dt.date) -> float:
        if not self.half_life_years:
            return 1.0
        age = max(0.0, (self.as_of - on).days / DAYS_PER_YEAR)
        return 0.5 ** (age / self.half_life_years)

    def harm(self, kind: str) -> float:
        if self.harm_weights is None:
            return 1.0
        return float(self.harm_weights.get(kind, 1.0))

    def exposure(self, observed_from: dt.date | None) -> float:
        """Recency-weighted years from `observed_from` (at the earliest the window start) to `as_of`."""
        start = max(observed_from or self.window_start, self.window_start)
        years = max(0.0, (self.as_of - start).days / DAYS_PER_YEAR)
        if not self.half_life_years:
            return years
        h = self.half_life_years
        return h / math.log(2) * (1 - 0.5 ** (years / h))


@dataclass(frozen=True)
class SiteInput:
    site: Hashable
    observed_from: dt.date | None = None  # when incidents began to be recorded; None = the window start


@dataclass(frozen=True)
class Prior:
    shape: float  # α
    rate: float  # β
    mean: float  # m = α/β
    phi: float  # the quasi-Poisson scale Σw²/Σw


@dataclass(frozen=True)
class SiteRank:
    site: Hashable
    rank: int
    rank_best: int
    rank_worst: int
    count: int  # incidents in the window, unweighted
    weighted: float  # y: harm- and recency-weighted incidents
    exposure: float  # E: weighted years observed
    raw_rate: float  # y / E
    rate: float  # the shrunk estimate (posterior mean)
    low: float  # the interval of the rate
    high: float
    weight_on_own_data: float  # w = E / (E + β): 1 = own data only, 0 = the municipal mean only
    cost: Decimal
    cost_per_year: Decimal
    per_year: dict[int, int] = field(default_factory=dict)
    small_numbers: bool = False


@dataclass(frozen=True)
class Ranking:
    settings: Settings
    prior: Prior
    sites: list[SiteRank]


def rank_sites(sites: Iterable[Hashable | SiteInput], counts: Iterable[Count], settings: Settings) -> Ranking:
    """Rank `sites` (every site to be ranked, also those without incidents) by shrunk weighted rate."""
    inputs = [s if isinstance(s, SiteInput) else SiteInput(s) for s in sites]
    known = {s.site for s in inputs}
    start = settings.window_start
    weighted: dict[Hashable, float] = defaultdict(float)
    counted: dict[Hashable, int] = defaultdict(int)
    costs: dict[Hashable, Decimal] = defaultdict(Decimal)
    per_year: dict[Hashable, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    sum_w = sum_w2 = 0.0
    weights: dict[tuple[str, dt.date], float] = {}  # the same few kinds and months recur for every site
    for c in counts:
        if c.site not in known or not (start < c.on <= settings.as_of) or c.count <= 0:
            continue
        w = weights.get((c.kind, c.on))
        if w is None:
            w = weights[(c.kind, c.on)] = settings.harm(c.kind) * settings.recency(c.on)
        weighted[c.site] += c.count * w
        counted[c.site] += c.count
        costs[c.site] += c.cost
        per_year[c.site][c.on.year] += c.count
        sum_w += c.count * w
        sum_w2 += c.count * w * w
    phi = sum_w2 / sum_w if sum_w > 0 else 1.0

    exposures = {s.site: settings.exposure(s.observed_from) for s in inputs}
    prior = fit_prior([(weighted[s.site], exposures[s.site]) for s in inputs], phi)

    rows = []
    for s in inputs:
        y, exposure = weighted[s.site], exposures[s.site]
        raw = y / exposure if exposure > 0 else 0.0
        shape, rate = prior.shape + y / phi, prior.rate + exposure / phi
        if prior.mean == 0 or rate == 0:
            mean = low = high = 0.0
            w = 1.0
        else:
            mean = shape / rate
            tail = (1 - settings.level) / 2
            low = gamma_quantile(tail, shape) / rate
            high = gamma_quantile(1 - tail, shape) / rate
            w = (exposure / phi) / rate
        observed_years = _plain_years(s.observed_from, settings)
        cost = costs[s.site]
        cost_per_year = (cost / Decimal(str(observed_years))).quantize(Decimal("1")) if observed_years > 0 else cost
        rows.append(
            SiteRank(
                site=s.site,
                rank=0,
                rank_best=0,
                rank_worst=0,
                count=counted[s.site],
                weighted=y,
                exposure=exposure,
                raw_rate=raw,
                rate=mean,
                low=low,
                high=high,
                weight_on_own_data=w,
                cost=cost,
                cost_per_year=cost_per_year,
                per_year=dict(sorted(per_year[s.site].items())),
                small_numbers=counted[s.site] < settings.small_numbers,
            )
        )
    # Highest estimate first; ties by the site's key, so the order never depends on the input order.
    # Rounded, so that two sites with the same data tie whatever order the sums were added in.
    rows.sort(key=lambda r: (-round(r.rate, 9), str(r.site)))
    # Plausible ranks: 1 + the sites surely above (low above this one's high), and the last rank less
    # the sites surely below (high under this one's low). Counted by bisection in the sorted bounds;
    # a site never counts itself, since its low is never above its high.
    lows = sorted(r.low for r in rows)
    highs = sorted(r.high for r in rows)
    ranked = []
    for position, row in enumerate(rows, start=1):
        best = 1 + len(lows) - bisect_right(lows, row.high)
        worst = len(rows) - bisect_left(highs, row.low)
        ranked.append(_replace_rank(row, position, best, worst))
    return Ranking(settings=settings, prior=prior, sites=ranked)


def _plain_years(observed_from: dt.date | None, settings: Settings) -> float:
    start = max(observed_from or settings.window_start, settings.window_start)
    return max(0.0, (settings.as_of - start).days / DAYS_PER_YEAR)


def _replace_rank(row: SiteRank, rank: int, best: int, worst: int) -> SiteRank:
    from dataclasses import replace

    return replace(row, rank=rank, rank_best=best, rank_worst=worst)


def fit_prior(data: Sequence[tuple[float, float]], phi: float = 1.0) -> Prior:
    """Gamma(α, β) for the sites' rates from (weighted count y, exposure E) pairs, by moments.

    On the effective scale (y/φ, E/φ): m = Σy/ΣE; s² = Σ E(r − m)² / ΣE; the spread beyond chance
    is V = s² − m/Ē (Ē the mean effective exposure), at least 1 % of m² so that a municipality whose
    sites differ no more than chance still gets a finite prior; α = m²/V, β = m/V.
    """
    pairs = [(y / phi, e / phi) for y, e in data if e > 0]
    total_y = sum(y for y, _e in pairs)
    total_e = sum(e for _y, e in pairs)
    if not pairs or total_y <= 0 or total_e <= 0:
        return Prior(shape=0.0, rate=0.0, mean=0.0, phi=phi)
    mean = total_y / total_e
    s2 = sum(e * (y / e - mean) ** 2 for y, e in pairs) / total_e
    mean_exposure = total_e / len(pairs)
    variance = max(s2 - mean / mean_exposure, MIN_PRIOR_VARIANCE_SHARE * mean * mean)
    return Prior(shape=mean * mean / variance, rate=mean / variance, mean=mean, phi=phi)


#
# The gamma distribution, without SciPy
#


def gamma_cdf(x: float, shape: float) -> float:
    """The regularised lower incomplete gamma function P(shape, x) (Gamma with rate 1)."""
    if x <= 0:
        return 0.0
    if shape <= 0:
        return 1.0
    log_front = -x + shape * math.log(x) - math.lgamma(shape)
    if x < shape + 1:  # series
        term = total = 1.0 / shape
        n = 0
        while abs(term) > abs(total) * 1e-15 and n < 10_000:
            n += 1
            term *= x / (shape + n)
            total += term
        return min(1.0, total * math.exp(log_front))
    # continued fraction for the upper tail (modified Lentz)
    tiny = 1e-300
    b = x + 1 - shape
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10_000):
        a = -i * (i - shape)
        b += 2
        d = a * d + b
        d = tiny if abs(d) < tiny else d
        c = b + a / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-15:
            break
    return max(0.0, 1.0 - math.exp(log_front) * h)


def gamma_quantile(p: float, shape: float) -> float:
    """x with P(shape, x) = p (Gamma with rate 1), to 1e-12 · max(1, x) (relative above 1, absolute below).

    Newton's method from the Wilson–Hilferty approximation, kept inside the bracket of the values
    seen so far (a bisection step whenever Newton would leave it); a handful of evaluations of the
    distribution function instead of bisection's forty or more. `gamma_quantile_by_bisection` is the
    plain method it is tested against.
    """
    if shape <= 0 or p <= 0:
        return 0.0
    if not p < 1:
        return math.inf
    z = NormalDist().inv_cdf(p)
    c = 1 / (9 * shape)
    x = shape * max(1 - c + z * math.sqrt(c), 0.05) ** 3
    low, high = 0.0, math.inf
    log_norm = math.lgamma(shape)
    for _ in range(200):
        f = gamma_cdf(x, shape) - p
        if f < 0:
            low = x
        else:
            high = x
        density = math.exp(-x + (shape - 1) * math.log(x) - log_norm) if x > 0 else 0.0
        following = x - f / density if density > 0 else math.nan
        if not low < following < high:  # also when NaN
            following = (low + high) / 2 if high < math.inf else 2 * x
        if abs(following - x) <= 1e-12 * max(1.0, following):
            return following
        x = following
    return x


def gamma_quantile_by_bisection(p: float, shape: float) -> float:
    """x with P(shape, x) = p, by bisection (Gamma with rate 1): slow and plain."""
    if shape <= 0 or p <= 0:
        return 0.0
    low, high = 0.0, max(1.0, shape)
    while gamma_cdf(high, shape) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if gamma_cdf(middle, shape) < p:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * max(1.0, high):
            break
    return (low + high) / 2
