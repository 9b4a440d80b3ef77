"""From the database to the pure need modules: a site's profile and the ranking of sites.

Each function reads with a fixed number of queries, whatever the number of incidents or sites, and
reads the stored counts (`trygg.incidents.stored`) rather than every incident.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from trygg.cameras import schedule as schedules
from trygg.cameras.models import Camera
from trygg.core.dbfunctions import Month, Year
from trygg.incidents import counts
from trygg.incidents import profile as pure_profile
from trygg.incidents import ranking as pure_ranking
from trygg.incidents.models import HarmWeight, Incident, IncidentMonthCount, IncidentRangeCount, IncidentWeekCount
from trygg.sites.models import Measure, Site

ROW_FIELDS = ("kind", "occurred_on", "occurred_time", "until_on", "until_time", "cost")


def site_rows(site: Site) -> list[pure_profile.IncidentRow]:
    return [
        pure_profile.row_from_parts(*values)
        for values in Incident.objects.filter(site=site).values_list(*ROW_FIELDS).iterator(chunk_size=5000)
    ]


def schedules_for(site: Site) -> dict[str, schedules.Schedule]:
    """IMY's school-facade hours, and each distinct schedule of the site's cameras."""
    result = {
        gettext("IMY:s praxis för skolfasader (vardagar 20–06, helger och lov 17–07)"): schedules.IMY_SCHOOL_FACADE
    }
    seen = {schedules.IMY_SCHOOL_FACADE}
    for camera in Camera.objects.filter(site=site).order_by("identifier"):
        schedule = camera.get_schedule()
        if schedule not in seen and schedule.rules:
            seen.add(schedule)
            result[gettext("Bevakningstiderna för kamera %(camera)s") % {"camera": camera.identifier}] = schedule
        elif schedule in seen:
            continue
    return result


def site_summary(site: Site) -> pure_profile.Summary:
    """The site's incidents as the stored counts have them (`trygg.incidents.stored`): three queries
    reading a few hundred rows at most, however many incidents the site has.

    Dates and times are local wall-clock values, so year, weekday and hour need no time-zone
    conversion, as `profile.row_from_parts` does; ranges are spread hour by hour in Python, one per
    distinct start and end.
    """
    tallies: dict[tuple[int, str], list[int]] = {}
    for month, kind, n, cost_ore, with_cost in IncidentMonthCount.objects.filter(site=site).values_list(
        "month", "kind", "count", "cost_ore", "with_cost"
    ):
        found = tallies.setdefault((month.year, kind), [0, 0, 0])
        found[0] += n
        found[1] += cost_ore
        found[2] += with_cost
    moments: dict[tuple[int, int], int] = {}
    days: dict[int, int] = {}
    for weekday, hour, n in IncidentWeekCount.objects.filter(site=site).values_list("weekday", "hour", "count"):
        if hour == counts.DATE_ONLY:
            days[weekday] = n
        else:
            moments[(weekday, hour)] = n
    ranges = [
        (pure_profile.row_from_parts("", on, counts.time_of(start), until, counts.time_of(end)), n)
        for on, start, until, end, n in IncidentRangeCount.objects.filter(site=site).values_list(
            "occurred_on", "start_second", "until_on", "until_second", "count"
        )
    ]
    return pure_profile.Summary(
        {key: pure_profile.Tally(n, counts.kronor(ore), with_cost) for key, (n, ore, with_cost) in tallies.items()},
        moments,
        days,
        ranges,
    )


def measure_counts(site: Site, as_of: dt.date) -> list[pure_profile.BeforeAfter]:
    """The site's measures with the incidents before and after each counted in one SQL query."""
    measures = [
        pure_profile.MeasureInput(str(m.get_kind_display()), m.started_on, m.ended_on)
        for m in Measure.objects.filter(site=site).order_by("started_on")
    ]
    windows = pure_profile.measure_windows(measures, as_of)
    if not windows:
        return []
    tallies = {}
    for i, w in enumerate(windows):
        tallies[f"before_{i}"] = Count("pk", filter=Q(occurred_on__gte=w.before_from, occurred_on__lt=w.started_on))
        tallies[f"after_{i}"] = Count("pk", filter=Q(occurred_on__gte=w.started_on, occurred_on__lt=w.after_to))
    # Only the days of the windows, read through the index on (site, occurred_on).
    found = Incident.objects.filter(
        site=site,
        occurred_on__gte=min(w.before_from for w in windows),
        occurred_on__lt=max(w.after_to for w in windows),
    ).aggregate(**tallies)
    return [replace(w, before=found[f"before_{i}"], after=found[f"after_{i}"]) for i, w in enumerate(windows)]


def profile_for(site: Site, as_of: dt.date) -> pure_profile.Profile:
    """The site's need profile from counts grouped in SQL (a fixed number of queries)."""
    return pure_profile.profile_from_summary(site_summary(site), measure_counts(site, as_of), schedules_for(site))


def harm_weights() -> dict[str, float]:
    weights = dict(pure_ranking.DEFAULT_HARM_WEIGHTS)
    weights.update({kind: float(weight) for kind, weight in HarmWeight.objects.values_list("kind", "weight")})
    return weights


def ranking_settings(as_of: dt.date, years: float, half_life_years: float | None, harm: bool) -> pure_ranking.Settings:
    """The ranking's settings from the page's choices; `harm` uses the register's harm weights."""
    return pure_ranking.Settings(
        as_of=as_of, years=years, half_life_years=half_life_years, harm_weights=harm_weights() if harm else None
    )


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def ranking_for(sites: list[Site], settings: pure_ranking.Settings) -> pure_ranking.Ranking:
    """Rank `sites`; incidents are counted per site, kind and month (mid-month for the recency weight).

    The months wholly inside the window come from the stored counts (`IncidentMonthCount`); the days
    of the window in its first and last month, which only partly lie inside, are counted from the
    incidents (through the index on occurred_on). The counts are the same as grouping every incident
    in the window by month.
    """
    first_day = settings.window_start + dt.timedelta(days=1)  # the window is (window_start, as_of]
    past_end = settings.as_of + dt.timedelta(days=1)
    full_from = first_day if first_day.day == 1 else _next_month(first_day)
    full_to = past_end.replace(day=1)  # months from full_from up to (not including) this one are whole
    counts_: list[pure_ranking.Count] = []
    if full_from < full_to:
        edges = Q(occurred_on__gte=first_day, occurred_on__lt=full_from) | Q(
            occurred_on__gte=full_to, occurred_on__lt=past_end
        )
        stored = (
            IncidentMonthCount.objects.filter(month__gte=full_from, month__lt=full_to)
            .order_by()
            .values_list("site_id", "kind", "month", "count", "cost_ore", "with_cost")
        )
        for site_id, kind, month, n, cost_ore, with_cost in stored.iterator(chunk_size=10000):
            on = min(month.replace(day=15), settings.as_of)
            cost = counts.kronor(cost_ore) if with_cost else Decimal("0")
            counts_.append(pure_ranking.Count(site_id, kind, on, n, cost))
    else:
        edges = Q(occurred_on__gte=first_day, occurred_on__lt=past_end)
    rows = (
        Incident.objects.filter(edges)
        .annotate(year=Year("occurred_on"), month=Month("occurred_on"))
        .values("site_id", "kind", "year", "month")
        .annotate(n=Count("pk"), cost=Sum("cost"))
        .order_by()
    )
    for row in rows:
        on = min(dt.date(row["year"], row["month"], 15), settings.as_of)
        counts_.append(pure_ranking.Count(row["site_id"], row["kind"], on, row["n"], row["cost"] or Decimal("0")))
    # In the order of grouping every incident by site, kind and month, so the floating-point sums are
    # added in the same order and come out the same to the last bit.
    counts_.sort(key=lambda c: (c.site, c.kind, c.on))
    # Records begin with the first incident anywhere: before it, no site was observed.
    first = Incident.objects.aggregate(first=Min("occurred_on"))["first"]
    inputs = [pure_ranking.SiteInput(s.pk, first) for s in sites]
    return pure_ranking.rank_sites(inputs, counts_, settings)


def overview_sites(sites: Any, today: dt.date) -> Any:
    """`sites` with `last_year`, the incidents after the same day a year ago, ordered by it (most
    first), then by name. Per site: the stored counts of the whole months since, and the incidents
    of the first, partial month read through the index on (site, occurred_on)."""
    year_ago = today - dt.timedelta(days=365)
    whole_from = _next_month(year_ago)
    stored = (
        IncidentMonthCount.objects.filter(site=OuterRef("pk"), month__gte=whole_from)
        .order_by()
        .values("site")
        .annotate(n=Sum("count"))
        .values("n")
    )
    partial = (
        Incident.objects.filter(site=OuterRef("pk"), occurred_on__gt=year_ago, occurred_on__lt=whole_from)
        .order_by()
        .values("site")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return sites.annotate(
        last_year=Coalesce(Subquery(stored, output_field=IntegerField()), 0)
        + Coalesce(Subquery(partial, output_field=IntegerField()), 0)
    ).order_by("-last_year", "name")


def site_totals(site_ids: list[int]) -> dict[int, tuple[int, Decimal | None]]:
    """{site id: (incidents, their cost or None when none had a cost)} from the stored counts."""
    rows = (
        IncidentMonthCount.objects.filter(site_id__in=site_ids)
        .order_by()
        .values("site_id")
        .annotate(total=Sum("count"), cost=Sum("cost_ore"), with_cost=Sum("with_cost"))
    )
    return {row["site_id"]: (row["total"], counts.kronor(row["cost"]) if row["with_cost"] else None) for row in rows}


def profile_json(site: Site, result: pure_profile.Profile, details: bool) -> dict[str, Any]:
    """The profile as data, e.g. for the 9 § assessment or a spreadsheet."""
    weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return {
        "site": {"id": site.pk, "name": site.name},
        "count": result.count,
        "cost": str(result.cost),
        "incidents_with_cost": result.with_cost,
        "time_precision": result.precision,
        "by_kind": {k: {"count": t.count, "cost": str(t.cost)} for k, t in result.by_kind.items()},
        "by_year": {str(y): {"count": t.count, "cost": str(t.cost)} for y, t in result.by_year.items()},
        "heat_map": {
            "weekdays": weekdays,
            "hours": list(range(24)),
            "cells": [[round(v, 4) for v in row] for row in result.heat.cells],
            "note": "Incidents per weekday and hour (local time); ranges spread in proportion to time.",
        },
        "measures": [
            {
                "measure": m.label,
                "started_on": m.started_on.isoformat(),
                "window_days": m.window_days,
                "before": m.before,
                "after": m.after,
            }
            for m in result.measures
        ],
        "schedules": [
            {
                "schedule": name,
                "share_inside": None if c.share_inside is None else round(c.share_inside, 4),
                "uncovered_hours": [
                    {"weekday": weekdays[u.weekday], "hour": u.hour, "incidents": round(u.incidents, 4)}
                    for u in c.uncovered
                ],
                "recording_hours_without_incidents": c.hours_without_incidents,
            }
            for name, c in result.schedules.items()
        ],
        **({"details_included": True} if details else {}),
    }
