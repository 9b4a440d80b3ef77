"""From the register to an evaluation's facts: counts aggregated in SQL, suggested controls, dates.

The statistics and the words are in the pure modules (`stats`, `verdict`); this module only asks the
database, in a fixed number of queries whatever the number of incidents.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext
from pyproj import Geod

from trygg.cameras.models import CameraTransition
from trygg.evaluation import verdict
from trygg.evaluation.models import Evaluation, add_months
from trygg.incidents.models import HarmWeight, Incident, IncidentSource
from trygg.incidents.ranking import DEFAULT_HARM_WEIGHTS
from trygg.sites.models import Measure, Site

# Months of history before the before period, for the regression-to-the-mean check and the chart.
HISTORY_MONTHS = 24
SUGGESTED_CONTROLS = 4
GEOD = Geod(ellps="WGS84")


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from `start` (a first day) up to, not including, `end`."""
    months, current = [], start
    while current < end:
        months.append(current)
        current = add_months(current, 1)
    return months


def first_operation(sites: Iterable[Site]) -> dt.date | None:
    """The earliest day a camera at one of `sites` went into operation (from the life-cycle rows)."""
    return (
        CameraTransition.objects.filter(camera__site__in=list(sites), to_state="in_operation")
        .aggregate(first=Min("occurred_on"))
        .get("first")
    )


@dataclass(frozen=True)
class Periods:
    before_start: dt.date
    before_months: int
    after_start: dt.date
    after_months: int


def default_periods(intervention_on: dt.date, months: int = 12, gap_months: int = 1) -> Periods:
    """Equal before and after periods of whole months around the intervention: the after period
    starts with the first whole month after it, the before period ends `gap_months` before the
    intervention's month (installation and running in)."""
    after_start = intervention_on if intervention_on.day == 1 else add_months(intervention_on, 1)
    before_end = add_months(intervention_on, -gap_months) if gap_months else intervention_on.replace(day=1)
    return Periods(add_months(before_end, -months), months, after_start, months)


def camera_sites_in_operation(before: dt.date, until: dt.date) -> set[int]:
    """Sites with a camera taken into operation before `until` (its cameras may be running in the window)."""
    return set(
        CameraTransition.objects.filter(to_state="in_operation", occurred_on__lt=until).values_list(
            "camera__site_id", flat=True
        )
    )


@dataclass(frozen=True)
class Snapshot:
    """The register read once (`snapshot()`), so many sites are evaluated in a fixed number of queries.

    `counts` holds every incident as {(site id, first day of month, kind): count}; `operation_starts`
    each (site id, day) a camera went into operation; `first_incident` {site id: first day recorded};
    `measures` {site id: [Measure]}; `sources` the spans of the incident sources.
    """

    sites: list[Site]
    operation_starts: list[tuple[int, dt.date]]
    first_incident: dict[int, dt.date]
    counts: dict[tuple[int, dt.date, str], int]
    measures: dict[int, list[Measure]]
    sources: list[verdict.SourceSpan]

    def monthly_counts(self, site_ids: Iterable[int], start: dt.date, end: dt.date, kinds: list[str]) -> dict:
        """As `monthly_counts` (months from `start` up to `end`, both first days of months), from memory."""
        wanted = set(site_ids)
        return {
            key: n
            for key, n in self.counts.items()
            if key[0] in wanted and start <= key[1] < end and (not kinds or key[2] in kinds)
        }

    def incidents_between(self, site_id: int, start: dt.date, end: dt.date) -> int:
        """Incidents at the site in the months from `start` up to `end` (first days of months)."""
        return sum(n for (site, month, _kind), n in self.counts.items() if site == site_id and start <= month < end)


def snapshot() -> Snapshot:
    """Read the register for `Snapshot`: seven queries, whatever the number of sites and incidents."""
    measures: dict[int, list[Measure]] = defaultdict(list)
    for measure in Measure.objects.select_related("site").order_by("started_on", "pk"):
        measures[measure.site_id].append(measure)
    rows = (
        Incident.objects.annotate(month=TruncMonth("occurred_on"))
        .values("site_id", "month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        counts[(row["site_id"], month, row["kind"])] = row["n"]
    return Snapshot(
        sites=list(Site.objects.order_by("name")),
        operation_starts=list(
            CameraTransition.objects.filter(to_state="in_operation").values_list("camera__site_id", "occurred_on")
        ),
        first_incident=dict(Incident.objects.values_list("site_id").annotate(first=Min("occurred_on")).order_by()),
        counts=counts,
        measures=dict(measures),
        sources=source_spans(),
    )


def suggest_controls(
    sites: Iterable[Site],
    start: dt.date,
    end: dt.date,
    limit: int = SUGGESTED_CONTROLS,
    snapshot: Snapshot | None = None,
) -> list[Site]:
    """Similar sites without cameras in the window: first the same kind of site, then the same kind of
    area; the ones with most incidents before first, so the control is not too thin to say anything.
    With `snapshot` (the register read once) no query is made."""
    treated = list(sites)
    kinds = {site.kind for site in treated}
    areas = {site.area_kind for site in treated}
    if snapshot is not None:
        # The same choice from the register read once (start and end are first days of months).
        in_operation = {site_id for site_id, on in snapshot.operation_starts if on < end}
        excluded = {site.pk for site in treated} | in_operation
        counted = [
            (site, snapshot.incidents_between(site.pk, start, end))
            for site in snapshot.sites
            if site.pk not in excluded and (site.kind in kinds or site.area_kind in areas)
        ]
    else:
        excluded = {site.pk for site in treated} | camera_sites_in_operation(start, end)
        candidates = (
            Site.objects.exclude(pk__in=excluded)
            .filter(Q(kind__in=kinds) | Q(area_kind__in=areas))
            .annotate(
                before=Count("incidents", filter=Q(incidents__occurred_on__gte=start, incidents__occurred_on__lt=end))
            )
        )
        counted = [(site, site.before) for site in candidates]
    ranked = sorted(counted, key=lambda pair: (pair[0].kind not in kinds, -pair[1], pair[0].name))
    return [site for site, before in ranked if before > 0][:limit]


def buffer_sites(evaluation: Evaluation, treated: list[Site], controls: list[Site]) -> list[Site]:
    """Other sites within the evaluation's buffer distance of a treated site (geodesic, metres)."""
    if not evaluation.buffer_metres:
        return []
    taken = {site.pk for site in treated} | {site.pk for site in controls}
    near = []
    candidates = Site.objects.exclude(pk__in=taken).filter(_around(treated, evaluation.buffer_metres))
    for site in candidates.only("pk", "name", "longitude", "latitude"):
        for centre in treated:
            _az, _back, distance = GEOD.inv(centre.longitude, centre.latitude, site.longitude, site.latitude)
            if distance <= evaluation.buffer_metres:
                near.append(site)
                break
    return near


def _around(centres: list[Site], metres: float) -> Q:
    """Sites in a box of longitude and latitude around each centre that holds every point within
    `metres` (with a margin), so only those few are measured exactly instead of every site."""
    boxes = Q(pk__in=[])
    margin = 1.1
    for centre in centres:
        dlat = margin * metres / 110_574  # the shortest degree of latitude, at the equator
        cos = math.cos(math.radians(min(89.0, abs(centre.latitude) + dlat)))
        box = Q(latitude__gte=centre.latitude - dlat, latitude__lte=centre.latitude + dlat)
        if cos > 0.01:  # near a pole every longitude may be close
            dlon = margin * metres / (111_320 * cos)
            box &= Q(longitude__gte=centre.longitude - dlon, longitude__lte=centre.longitude + dlon)
        boxes |= box
    return boxes


def monthly_counts(site_ids: Iterable[int], start: dt.date, end: dt.date, kinds: list[str]) -> dict:
    """{(site_id, month, kind): count} for incidents in [start, end), grouped in the database."""
    rows = (
        Incident.objects.filter(site_id__in=list(site_ids), occurred_on__gte=start, occurred_on__lt=end)
        .filter(**({"kind__in": kinds} if kinds else {}))
        .annotate(month=TruncMonth("occurred_on"))
        .values("site_id", "month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {}
    for row in rows:
        month = row["month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        counts[(row["site_id"], month, row["kind"])] = row["n"]
    return counts


def harm_weights() -> dict[str, float]:
    weights = {kind: float(weight) for kind, weight in DEFAULT_HARM_WEIGHTS.items()}
    weights |= {kind: float(weight) for kind, weight in HarmWeight.objects.values_list("kind", "weight")}
    return weights


def source_spans() -> list[verdict.SourceSpan]:
    """First and last incident per source over the whole register: manual entry as one source first,
    then the sources by id. Three queries, each an index lookup per source (the index on source and
    date), so the time does not grow with the number of incidents."""
    dates = Incident.objects.order_by().values_list("occurred_on", flat=True)
    manual = dates.filter(source__isnull=True)
    rows = [
        (
            gettext("Registrerad för hand"),
            manual.order_by("occurred_on").first(),
            manual.order_by("-occurred_on").first(),
        )
    ]
    per_source = Incident.objects.filter(source_id=OuterRef("pk")).values("occurred_on")
    rows += IncidentSource.objects.order_by("pk").values_list(
        "name",
        Subquery(per_source.order_by("occurred_on")[:1]),
        Subquery(per_source.order_by("-occurred_on")[:1]),
    )
    return [verdict.SourceSpan(name, first, last) for name, first, last in rows if first is not None]


def history_start(
    before_start: dt.date, groups: list[list[Site]], first_incident: dict[int, dt.date] | None = None
) -> dt.date:
    """Where the monthly series starts: `HISTORY_MONTHS` before the before period, but not before the
    month of the first incident recorded in each group of sites (treated, controls): months before a
    group's first record are unknown, not zero, and would fake a low history or a low control.
    `first_incident` ({site id: first day}, from a snapshot) saves the query per group."""
    start = add_months(before_start, -HISTORY_MONTHS)
    for sites in groups:
        if not sites:
            continue
        if first_incident is not None:
            firsts = [first_incident[site.pk] for site in sites if site.pk in first_incident]
            first = min(firsts) if firsts else None
        else:
            first = Incident.objects.filter(site__in=sites).aggregate(first=Min("occurred_on"))["first"]
        if first is not None:
            start = max(start, min(first.replace(day=1), before_start))
    return start


@dataclass(frozen=True)
class Series:
    months: list[dt.date]
    treated: list[int]
    control: list[int] | None


def facts_for(
    evaluation: Evaluation,
    treated: list[Site] | None = None,
    controls: list[Site] | None = None,
    snapshot: Snapshot | None = None,
) -> tuple[verdict.EvaluationFacts, Series, dict]:
    """The evaluation's facts for `verdict.evaluate`, the monthly series for the chart, and the sites used.

    `treated` and `controls` replace the evaluation's sites (for an unsaved evaluation, as the
    programme page builds one per camera site). A fixed number of queries; none with `snapshot`
    (the register read once), which the programme page uses for an evaluation without a buffer or
    harm weights.
    """
    treated = list(evaluation.sites.all()) if treated is None else treated
    controls = list(evaluation.control_sites.all()) if controls is None else controls
    if snapshot is not None and (evaluation.buffer_metres or evaluation.use_harm_weights):
        raise ValueError("A snapshot holds no buffer sites or harm weights.")
    near = buffer_sites(evaluation, treated, controls)
    sources = snapshot.sources if snapshot is not None else source_spans()
    series_start = history_start(
        evaluation.before_start, [treated, controls], snapshot.first_incident if snapshot is not None else None
    )
    months = month_starts(series_start, evaluation.after_end)
    ids = [s.pk for s in treated + controls + near]
    if snapshot is not None:
        counts = snapshot.monthly_counts(ids, series_start, evaluation.after_end, list(evaluation.kinds))
    else:
        counts = monthly_counts(ids, series_start, evaluation.after_end, list(evaluation.kinds))
    weights = harm_weights() if evaluation.use_harm_weights else None
    treated_ids = {s.pk for s in treated}
    control_ids = {s.pk for s in controls}
    near_ids = {s.pk for s in near}
    per_month: dict[str, dict[dt.date, int]] = {"treated": defaultdict(int), "control": defaultdict(int)}
    buffer = {"before": 0, "after": 0}
    per_kind: dict[tuple[str, int, str], int] = defaultdict(int)
    for (site_id, month, kind), n in counts.items():
        group = "treated" if site_id in treated_ids else "control" if site_id in control_ids else None
        period = (
            0
            if evaluation.before_start <= month < evaluation.before_end
            else 1
            if evaluation.after_start <= month < evaluation.after_end
            else None
        )
        if group:
            per_month[group][month] += n
            if period is not None:
                per_kind[(group, period, kind)] += n
        elif site_id in near_ids and period is not None:
            buffer["before" if period == 0 else "after"] += n
    if snapshot is not None:
        treated_measures = [m for site in treated for m in snapshot.measures.get(site.pk, [])]
    else:
        treated_measures = list(Measure.objects.filter(site__in=treated).select_related("site"))
    measures = [
        verdict.MeasureSpan(f"{m.get_kind_display()} ({m.site})", m.started_on, m.ended_on)
        for m in treated_measures
        if m.pk != evaluation.measure_id
    ]
    series = Series(
        months,
        [per_month["treated"][m] for m in months],
        [per_month["control"][m] for m in months] if controls else None,
    )
    facts = verdict.EvaluationFacts(
        before_start=evaluation.before_start,
        before_end=evaluation.before_end,
        after_start=evaluation.after_start,
        after_end=evaluation.after_end,
        treated_series=series.treated,
        series_start=series_start,
        history_months=len(month_starts(series_start, evaluation.before_start)),
        control_series=series.control,
        # No sites within the buffer: nothing to measure displacement on (not zero displacement).
        buffer_before=buffer["before"] if near else None,
        buffer_after=buffer["after"] if near else None,
        measures=measures,
        sources=sources,
        harm=_harm_counts(per_kind, weights) if weights is not None and controls else None,
    )
    return facts, series, {"treated": treated, "controls": controls, "buffer": near}


def _harm_counts(per_kind: dict[tuple[str, int, str], int], weights: dict[str, float]) -> verdict.HarmCounts:
    """Per-kind before/after counts of treated and control sites, kinds with a positive weight only."""
    kinds = sorted({kind for (_group, _period, kind) in per_kind if weights.get(kind, 1.0) > 0})
    return verdict.HarmCounts(
        weights=[weights.get(kind, 1.0) for kind in kinds],
        treated_before=[per_kind[("treated", 0, kind)] for kind in kinds],
        treated_after=[per_kind[("treated", 1, kind)] for kind in kinds],
        control_before=[per_kind[("control", 0, kind)] for kind in kinds],
        control_after=[per_kind[("control", 1, kind)] for kind in kinds],
    )


def data_until() -> dt.date:
    """The first day after the last whole month the register covers: the month of its latest incident
    may still be filling up, so an after period must end by its first day (and by today)."""
    latest = Incident.objects.aggregate(latest=Max("occurred_on"))["latest"]
    today = timezone.localdate()
    return min(today, latest.replace(day=1)) if latest else today.replace(day=1)


def money(value: Decimal | float) -> str:
    return verdict.number(float(value)) + " kr"
