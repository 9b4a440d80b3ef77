"""The programme evaluation for the board: every camera site, pooled by inverse variance.

Each site that has had a camera in operation is evaluated with the default design (12 months before, a
month's gap, 12 months after, suggested controls); sites whose after period has not ended, or whose
before period lies before the site's first recorded incident, are listed with the reason and left
out. The log RES of the included sites are pooled (`stats.pool_inverse_variance`, random effects when
heterogeneous), with Q, I² and τ² shown. A cost per avoided incident is given only when the pooled
effect is distinguishable from no effect (reference/evaluation.md §5 point 3).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from trygg.cameras.models import CameraTransition
from trygg.evaluation import services, verdict
from trygg.evaluation.models import Evaluation, add_months
from trygg.programme.models import CostEntry
from trygg.sites.models import Site

if TYPE_CHECKING:
    from trygg.evaluation import stats  # imported where used: scipy takes seconds to load


PROGRESS_EVERY = 50  # sites between two calls of `evaluate_programme`'s progress


@dataclass(frozen=True)
class SiteRow:
    site: Site
    started: dt.date
    periods: services.Periods | None
    controls: list[Site]
    counts: dict[str, int]
    res: stats.Estimate | None
    wdd: stats.Estimate | None
    reason: str
    # Left out only because its after period has not ended (or is not yet in the register).
    waiting: bool = False
    warnings: tuple[verdict.Warning, ...] = ()
    # Waiting although its after period has ended: the incident register has no whole months up to its end yet.
    register_behind: bool = False


@dataclass(frozen=True)
class Summary:
    rows: list[SiteRow]
    pooled: stats.Pooled | None
    pooled_percent: tuple[str, str, str] | None
    distinguishable: bool
    avoided: stats.Estimate | None
    cost: Decimal | None
    cost_per_avoided: str | None
    cost_text: str

    @property
    def included_count(self) -> int:
        return sum(row.res is not None for row in self.rows)

    @property
    def waiting_count(self) -> int:
        return sum(row.waiting for row in self.rows)

    @property
    def register_behind_count(self) -> int:
        """Waiting sites whose after period has ended but is not yet covered by the incident register."""
        return sum(row.register_behind for row in self.rows)

    @property
    def other_count(self) -> int:
        return len(self.rows) - self.included_count - self.waiting_count


def _not_ended(_: Callable[[str], str], after_end: dt.date, until: dt.date, today: dt.date) -> str:
    """Why a site waits, as a sentence with the date: the after period runs on, or is not yet in the register."""
    last_day = after_end - dt.timedelta(days=1)
    if after_end > today:
        return _("efterperioden pågår till och med %(date)s; platsen vägs in när den är slut") % {
            "date": last_day.isoformat()
        }
    # `until` is the first day after the register's last whole month: name that month's last day.
    return _("efterperioden slutade %(date)s, men händelseregistret har hela månader bara till och med %(until)s") % {
        "date": last_day.isoformat(),
        "until": (until - dt.timedelta(days=1)).isoformat(),
    }


def evaluate_programme(
    _: Callable[[str], str],
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Summary:
    """Every camera site evaluated and the included ones pooled; a fixed number of queries (the register
    is read once, `services.snapshot`), whatever the number of sites. Seconds at thousands of sites:
    the programme page reads the result stored by `programme_store` instead.

    `progress(done, total)` is called every `PROGRESS_EVERY` sites and once at the end; `total` is the
    number of sites that have had cameras in operation, the rows of the result (a job's progress bar;
    it may raise to stop the evaluation).
    """
    from trygg.evaluation import stats

    until = min(today, services.data_until()) if today else services.data_until()
    today = today or timezone.localdate()
    register = services.snapshot()
    starts: dict[int, dt.date] = {}
    for site_id, on in register.operation_starts:
        starts[site_id] = min(on, starts.get(site_id, on))
    rows: list[SiteRow] = []
    # The sites that have had cameras in operation, in the register's order: those listed, and counted.
    evaluated = [site for site in register.sites if site.pk in starts]
    for index, site in enumerate(evaluated):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index, len(evaluated))
        started = starts[site.pk]
        periods = services.default_periods(started)
        after_end = add_months(periods.after_start, periods.after_months)
        first = register.first_incident.get(site.pk)
        if after_end > until:
            reason = _not_ended(_, after_end, until, today)
            behind = after_end <= today
            rows.append(SiteRow(site, started, periods, [], {}, None, None, reason, True, register_behind=behind))
            continue
        if first is None or first.replace(day=1) > periods.before_start:
            rows.append(
                SiteRow(site, started, periods, [], {}, None, None, _("inga registrerade händelser före insatsen"))
            )
            continue
        controls = services.suggest_controls([site], periods.before_start, after_end, snapshot=register)
        if not controls:
            rows.append(SiteRow(site, started, periods, [], {}, None, None, _("ingen kontrollplats utan kameror")))
            continue
        evaluation = Evaluation(
            title=site.name,
            intervention_on=started,
            before_start=periods.before_start,
            before_months=periods.before_months,
            after_start=periods.after_start,
            after_months=periods.after_months,
        )
        facts, _series, _used = services.facts_for(evaluation, [site], controls, snapshot=register)
        try:
            result = verdict.evaluate(facts, _)
        except stats.StatsError:
            rows.append(SiteRow(site, started, periods, controls, {}, None, None, _("en räknesiffra är 0")))
            continue
        rows.append(
            SiteRow(site, started, periods, controls, result.counts, result.res, result.wdd, "", False, result.warnings)
        )
    if progress is not None:
        progress(len(evaluated), len(evaluated))
    included = [row for row in rows if row.res is not None]
    pooled = None
    percent = None
    distinguishable = False
    avoided = None
    cost = None
    per_avoided = None
    cost_text = _("Kostnad per undviken händelse visas inte: effekten kan inte skiljas från noll.")
    if included:
        pooled = stats.pool_inverse_variance(
            [math.log(row.res.value) for row in included], [row.res.variance for row in included]
        )
        estimate = pooled.estimate
        percent = (
            verdict.signed((1 / estimate.value - 1) * 100),
            verdict.signed((1 / estimate.ci_high - 1) * 100),
            verdict.signed((1 / estimate.ci_low - 1) * 100),
        )
        distinguishable = estimate.excludes_null
        total_wdd = sum(row.wdd.value for row in included)
        total_var = sum(row.wdd.variance for row in included)
        z = 1.959963984540054
        avoided = stats.Estimate(
            -total_wdd,
            -total_wdd - z * math.sqrt(total_var),
            -total_wdd + z * math.sqrt(total_var),
            0.95,
            None,
            None,
            "wdd",
            total_var,
        )
        cost = programme_cost([row.site for row in included], [row.periods for row in included])
        if distinguishable and estimate.value > 1 and avoided.ci_low > 0:
            if cost:
                per_avoided = verdict.number(float(cost) / avoided.value)
                cost_text = _(
                    "Kostnad per undviken händelse: omkring %(cost)s kr (kostnader bokförda i Trygg för de "
                    "ingående platsernas kameror fram till efterperiodens slut, installation inräknad, och deras "
                    "andel av gemensamma kostnader under efterperioderna, %(total)s kr, delat med %(avoided)s "
                    "undvikna händelser; intervallet för antalet är %(low)s till %(high)s)."
                ) % {
                    "cost": per_avoided,
                    "total": verdict.number(float(cost)),
                    "avoided": verdict.number(avoided.value),
                    "low": verdict.number(avoided.ci_low),
                    "high": verdict.number(avoided.ci_high),
                }
            else:
                cost_text = _("Kostnad per undviken händelse kan inte räknas: inga bokförda kostnader för kamerorna.")
        elif distinguishable:
            cost_text = _("Kostnad per undviken händelse visas inte: effekten är inte en minskning.")
    return Summary(rows, pooled, percent, distinguishable, avoided, cost, per_avoided, cost_text)


def programme_cost(sites: list[Site], periods: list[services.Periods]) -> Decimal:
    """Spent costs for the cameras at `sites` (cost entries linked to them) booked up to the end of each
    site's after period (installation included, later running costs not: they buy no avoided incident of
    the period), plus their share of shared costs (linked to no camera and no project) booked during
    their after periods; the share is the sites' cameras over all cameras with a day in operation.
    `sites` and `periods` pair up. Four queries, whatever the number of sites (the entries are summed here)."""
    spent = CostEntry.objects.filter(status="spent")
    ends = {
        site.pk: add_months(period.after_start, period.after_months)
        for site, period in zip(sites, periods, strict=True)
    }
    own = sum(
        (
            amount
            for site_id, booked_on, amount in spent.filter(camera__site__in=sites).values_list(
                "camera__site_id", "booked_on", "amount"
            )
            if booked_on < ends[site_id]
        ),
        Decimal(0),
    )
    cameras = CameraTransition.objects.filter(to_state="in_operation").values("camera_id").distinct()
    all_cameras = cameras.count()
    site_cameras = cameras.filter(camera__site__in=sites).count()
    shared_entries = list(spent.filter(camera__isnull=True, project__isnull=True).values_list("booked_on", "amount"))
    shared = Decimal(0)
    for period in periods:
        end = add_months(period.after_start, period.after_months)
        shared += sum((amount for on, amount in shared_entries if period.after_start <= on < end), Decimal(0))
    share = Decimal(site_cameras) / Decimal(all_cameras) if all_cameras else Decimal(0)
    return own + (shared * share).quantize(Decimal("1"))
