"""From the database to the pure need modules: a site's profile and the ranking of sites.

Each function reads with a fixed number of queries, whatever the number of incidents or sites.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext

from trygg.cameras import schedule as schedules
from trygg.cameras.models import Camera
from trygg.incidents import profile as pure_profile
from trygg.incidents import ranking as pure_ranking
from trygg.incidents.models import HarmWeight, Incident
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


#
# Parts of a stored date or time, computed by the database itself. Django's Extract on SQLite calls a
# Python function for every row (django_date_extract), which costs more than the whole GROUP BY; SQLite's
# own strftime gives the same numbers. Other databases use Django's EXTRACT unchanged. The fields are
# DateField/TimeField (local wall-clock values), so no time zone enters.
#


class _Year(ExtractYear):
    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


class _Month(ExtractMonth):
    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%m', {sql}) AS INTEGER)", params


class _IsoWeekDay(ExtractIsoWeekDay):
    """1 = Monday … 7 = Sunday."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"((CAST(strftime('%%w', {sql}) AS INTEGER) + 6) %% 7 + 1)", params


class _Hour(ExtractHour):
    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%H', {sql}) AS INTEGER)", params


def site_summary(site: Site) -> pure_profile.Summary:
    """The site's incidents counted in SQL (three GROUP BY queries, whatever their number).

    Dates and times are stored as local wall-clock values (DateField/TimeField), so year, ISO weekday
    and hour are read from them without any time-zone conversion, as `profile.row_from_parts` does.
    """
    incidents = Incident.objects.filter(site=site).order_by()
    tallies = {
        (row["year"], row["kind"]): pure_profile.Tally(row["n"], row["total_cost"] or Decimal("0"), row["with_cost"])
        for row in incidents.annotate(year=_Year("occurred_on"))
        .values("year", "kind")
        .annotate(n=Count("pk"), total_cost=Sum("cost"), with_cost=Count("cost"))
    }
    moments: dict[tuple[int, int], int] = {}
    days: dict[int, int] = {}
    single = (
        incidents.filter(until_on=None)
        .annotate(weekday=_IsoWeekDay("occurred_on"), hour=_Hour("occurred_time"))
        .values("weekday", "hour")
        .annotate(n=Count("pk"))
    )
    for row in single:
        if row["hour"] is None:
            days[row["weekday"] - 1] = row["n"]
        else:
            moments[(row["weekday"] - 1, row["hour"])] = row["n"]
    # Ranges ("found on Monday, happened since Friday") are spread hour by hour in Python, one per
    # distinct start and end: they are the reports that say least, usually few.
    ranges = [
        (pure_profile.row_from_parts("", *values[:4]), values[4])
        for values in incidents.exclude(until_on=None)
        .values_list("occurred_on", "occurred_time", "until_on", "until_time")
        .annotate(n=Count("pk"))
    ]
    return pure_profile.Summary(tallies, moments, days, ranges)


def measure_counts(site: Site, as_of: dt.date) -> list[pure_profile.BeforeAfter]:
    """The site's measures with the incidents before and after each counted in one SQL query."""
    measures = [
        pure_profile.MeasureInput(str(m.get_kind_display()), m.started_on, m.ended_on)
        for m in Measure.objects.filter(site=site).order_by("started_on")
    ]
    windows = pure_profile.measure_windows(measures, as_of)
    if not windows:
        return []
    counts = {}
    for i, w in enumerate(windows):
        counts[f"before_{i}"] = Count("pk", filter=Q(occurred_on__gte=w.before_from, occurred_on__lt=w.started_on))
        counts[f"after_{i}"] = Count("pk", filter=Q(occurred_on__gte=w.started_on, occurred_on__lt=w.after_to))
    found = Incident.objects.filter(site=site).aggregate(**counts)
    return [replace(w, before=found[f"before_{i}"], after=found[f"after_{i}"]) for i, w in enumerate(windows)]


def profile_for(site: Site, as_of: dt.date) -> pure_profile.Profile:
    """The site's need profile from counts grouped in SQL (a fixed number of queries)."""
    return pure_profile.profile_from_summary(site_summary(site), measure_counts(site, as_of), schedules_for(site))


def harm_weights() -> dict[str, float]:
    weights = dict(pure_ranking.DEFAULT_HARM_WEIGHTS)
    weights.update({kind: float(weight) for kind, weight in HarmWeight.objects.values_list("kind", "weight")})
    return weights


def ranking_for(sites: list[Site], settings: pure_ranking.Settings) -> pure_ranking.Ranking:
    """Rank `sites`; incidents are counted per site, kind and month (mid-month for the recency weight)."""
    window = Incident.objects.filter(
        site__in=[s.pk for s in sites], occurred_on__gt=settings.window_start, occurred_on__lte=settings.as_of
    )
    rows = (
        window.annotate(year=_Year("occurred_on"), month=_Month("occurred_on"))
        .values("site_id", "kind", "year", "month")
        .annotate(n=Count("pk"), cost=Sum("cost"))
        .order_by()
    )
    counts = []
    for row in rows:
        on = min(dt.date(row["year"], row["month"], 15), settings.as_of)
        counts.append(pure_ranking.Count(row["site_id"], row["kind"], on, row["n"], row["cost"] or Decimal("0")))
    # Records begin with the first incident anywhere: before it, no site was observed.
    first = Incident.objects.aggregate(first=Min("occurred_on"))["first"]
    inputs = [pure_ranking.SiteInput(s.pk, first) for s in sites]
    return pure_ranking.rank_sites(inputs, counts, settings)


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
