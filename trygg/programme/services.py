"""The shell around the programme's pure cores: reads the database, hands plain values to
`indicator`, `budget` and `ical`, and gives the pages what they show.

Each function uses a fixed number of queries whatever the amount of data (the list pages and
exports are tested for it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext

from trygg.cameras.models import Camera, CameraTransition
from trygg.core import export_cache, roles
from trygg.core.dbfunctions import Year
from trygg.core.models import ObjectChange, Organisation
from trygg.programme import as_of as project_dates
from trygg.programme import budget as budgets
from trygg.programme import indicator
from trygg.programme.charts import ChartText, chart_png, chart_svg
from trygg.programme.choices import CostCategory, DeadlineKind, IndicatorMeasure, ProjectStatus
from trygg.programme.ical import CalendarEvent
from trygg.programme.models import BudgetAllocation, CostEntry, Deadline, Indicator, Project
from trygg.sites.choices import AreaKind, SiteKind

#
# Indicator
#


def camera_histories(queryset: QuerySet[Camera] | None = None) -> list[indicator.CameraHistory]:
    """Every camera with its site kind, administration, area kind and dated moves (two queries).

    Reads every transition row: for what needs single cameras (the board report). Counts come from
    `in_operation_runs`, which the database aggregates.
    """
    cameras = queryset if queryset is not None else Camera.objects.all()
    moves: dict[int, list[tuple[dt.date, int, str]]] = {}
    for camera_id, occurred_on, sequence, to_state in CameraTransition.objects.filter(
        camera__in=cameras.values("pk")
    ).values_list("camera_id", "occurred_on", "sequence", "to_state"):
        moves.setdefault(camera_id, []).append((occurred_on, sequence, to_state))
    return [
        indicator.CameraHistory(
            camera_id=row["pk"],
            site_kind=row["site__kind"],
            administration=row["site__administration__name"],
            area_kind=row["site__area_kind"],
            moves=tuple(sorted(moves.get(row["pk"], []))),
        )
        for row in cameras.order_by().values("pk", "site__kind", "site__administration__name", "site__area_kind")
    ]


def in_operation_runs(as_of: dt.date, queryset: QuerySet[Camera] | None = None) -> list[indicator.Run]:
    """The stretches in operation up to the end of `as_of`, counted per start year, end year, site kind,
    administration and area kind (one query, a few hundred rows whatever the number of cameras).

    Each move into operation on or before `as_of` starts a stretch; the camera's next move on or before
    `as_of` (by date, then sequence) ends it. The database finds that next move per row and groups, so
    no transition row reaches Python. `indicator.run_is_open` then counts any year end or `as_of` itself.
    """
    transitions = CameraTransition.objects.filter(occurred_on__lte=as_of)
    if queryset is not None:
        transitions = transitions.filter(camera__in=queryset.values("pk"))
    next_move = (
        CameraTransition.objects.filter(camera=OuterRef("camera"), occurred_on__lte=as_of)
        .filter(
            Q(occurred_on__gt=OuterRef("occurred_on"))
            | Q(occurred_on=OuterRef("occurred_on"), sequence__gt=OuterRef("sequence"))
        )
        .order_by("occurred_on", "sequence")
        .values("occurred_on")[:1]
    )
    rows = (
        transitions.filter(to_state=indicator.IN_OPERATION)
        .annotate(start_year=Year("occurred_on"), end_year=Year(Subquery(next_move)))
        .values(
            "start_year",
            "end_year",
            "camera__site__kind",
            "camera__site__administration__name",
            "camera__site__area_kind",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        indicator.Run(
            start_year=row["start_year"],
            end_year=row["end_year"],
            site_kind=row["camera__site__kind"],
            administration=row["camera__site__administration__name"],
            area_kind=row["camera__site__area_kind"],
            count=row["n"],
        )
        for row in rows
    ]


def first_operation_year(queryset: QuerySet[Camera] | None = None) -> int | None:
    """The first year any camera entered operation, on any date (one query; None if none ever did)."""
    transitions = CameraTransition.objects.filter(to_state=indicator.IN_OPERATION)
    if queryset is not None:
        transitions = transitions.filter(camera__in=queryset.values("pk"))
    first = transitions.aggregate(first=Min("occurred_on"))["first"]
    return first.year if first else None


@dataclass(frozen=True)
class CountRow:
    code: str
    label: str
    count: int


# Raise when the drawing code changes, so kept charts are drawn anew.
CHART_VERSION = 1
CHART_KEPT_SECONDS = 7 * 24 * 3600
RUNS_KEPT_SECONDS = 24 * 3600


@dataclass
class IndicatorOverview:
    as_of: dt.date
    name: str
    code: str
    in_operation: int
    previous_year_end: int
    target: int | None
    series: list[indicator.Point]
    targets: dict[int, int]
    by_site_kind: list[CountRow]
    by_area_kind: list[CountRow]
    by_administration: list[CountRow]
    first_year: int | None
    runs: list[indicator.Run] = field(default_factory=list, repr=False)

    def breakdown_on(self, on: dt.date, dimension: str) -> dict[str, int]:
        """{value of `dimension`: cameras in operation} at the end of `on`, a date of `series` (or the year
        end before `as_of`)."""
        return indicator.runs_breakdown_on(self.runs, on, self.as_of, dimension)

    def chart_text(self) -> ChartText:
        return ChartText(
            title=gettext("Antal bevakningskameror i drift"),
            value_label=gettext("I drift"),
            target_label=gettext("Målvärde"),
            y_label=gettext("Antal kameror"),
        )

    def chart_points(self) -> list[tuple[dt.date, int]]:
        return [(p.on, p.value) for p in self.series]

    def chart_svg(self) -> str:
        """The chart as an inline <svg> element, drawn once per set of numbers and words.

        Drawing takes matplotlib about 0.1 s whatever the data, and the same numbers always give the same
        bytes (`trygg.programme.charts`), so the drawing is kept in the default cache under a digest of
        everything it shows: any other numbers, target or language make another key.
        """
        points, targets, text = self.chart_points(), self._shown_targets(), self.chart_text()
        shown = repr((CHART_VERSION, [(on.isoformat(), value) for on, value in points], sorted(targets.items()), text))
        key = "indicator-chart-svg:" + hashlib.sha256(shown.encode()).hexdigest()
        svg = cache.get(key)
        if svg is None:
            svg = chart_svg(points, targets, text)
            cache.set(key, svg, timeout=CHART_KEPT_SECONDS)
        return svg

    def chart_png(self) -> bytes:
        return chart_png(self.chart_points(), self._shown_targets(), self.chart_text())

    def _shown_targets(self) -> dict[int, int]:
        years = {p.on.year for p in self.series}
        return {year: value for year, value in self.targets.items() if year in years}

    def table(self) -> list[dict[str, Any]]:
        """The chart's numbers as rows (period, value, target), shown next to the chart."""
        return [{"on": p.on, "value": p.value, "target": self.targets.get(p.on.year)} for p in self.series]


def main_indicator() -> Indicator | None:
    return (
        Indicator.objects.filter(measure=IndicatorMeasure.CAMERAS_IN_OPERATION)
        .prefetch_related("targets")
        .order_by("pk")
        .first()
    )


def _count_rows(counts: dict[str, int], labels: list[tuple[str, Any]]) -> list[CountRow]:
    known = [CountRow(code, str(label), counts[code]) for code, label in labels if counts.get(code)]
    known_codes = {code for code, _label in labels}
    extra = [CountRow(code, code, n) for code, n in sorted(counts.items()) if code not in known_codes and n]
    return known + extra


def _runs(as_of: dt.date, queryset: QuerySet[Camera] | None = None) -> tuple[list[indicator.Run], int | None]:
    return in_operation_runs(as_of, queryset), first_operation_year(queryset)


def _kept_runs(as_of: dt.date) -> tuple[list[indicator.Run], int | None]:
    """Every camera's runs and the first year, counted once per date and state of the data.

    Kept in the default cache under the exports' data stamp (`trygg.core.export_cache.data_stamp`: today,
    the last change in the change log, which every move, camera and site save writes), so a count is
    never older than the data: a change gives another key. The stamp is read before counting, as there.
    """
    return export_cache.kept_value(f"indicator-runs:{as_of.isoformat()}", lambda: _runs(as_of), RUNS_KEPT_SECONDS)


def indicator_overview(as_of: dt.date, queryset: QuerySet[Camera] | None = None) -> IndicatorOverview:
    """The indicator as of the end of `as_of`: what the page, its CSV files, the open data and the API
    show (seven queries whatever the number of cameras; five when the counts are kept, see `_kept_runs`)."""
    runs, first_year = _kept_runs(as_of) if queryset is None else _runs(as_of, queryset)
    record = main_indicator()
    targets = {t.year: t.value for t in record.targets.all()} if record else {}
    dates = indicator.year_end_dates(first_year or as_of.year, as_of)
    administrations = indicator.runs_breakdown_on(runs, as_of, as_of, "administration")
    return IndicatorOverview(
        as_of=as_of,
        name=record.name if record else gettext("Antal bevakningskameror i drift"),
        code=record.code if record else "kameror-i-drift",
        in_operation=indicator.runs_in_operation_on(runs, as_of, as_of),
        previous_year_end=indicator.runs_in_operation_on(runs, dt.date(as_of.year - 1, 12, 31), as_of),
        target=targets.get(as_of.year),
        series=indicator.runs_series(runs, dates, as_of),
        targets=targets,
        by_site_kind=_count_rows(indicator.runs_breakdown_on(runs, as_of, as_of, "site_kind"), SiteKind.choices),
        by_area_kind=_count_rows(indicator.runs_breakdown_on(runs, as_of, as_of, "area_kind"), AreaKind.choices),
        by_administration=[CountRow(name, name, n) for name, n in sorted(administrations.items())],
        first_year=first_year,
        runs=runs,
    )


#
# Budget
#


def budget_for_year(year: int, as_of: dt.date | None = None) -> budgets.YearBudget:
    """The year's budget from the allocations, the cost entries (up to `as_of`) and the planned projects."""
    allocations = [
        budgets.Allocation(a["year"], a["amount"], a["carry_over"])
        for a in BudgetAllocation.objects.filter(year__lte=year).values("year", "amount", "carry_over")
    ]
    entries = CostEntry.objects.filter(booked_on__year__lte=year)
    if as_of is not None:
        entries = entries.filter(booked_on__lte=as_of)
    costs = [
        budgets.Cost(row["booked_on__year"], row["category"], row["status"], row["total"])
        for row in entries.values("booked_on__year", "category", "status").annotate(total=Sum("amount")).order_by()
    ]
    projects = [
        budgets.PlannedProject(
            row["name"],
            row["plan_year"],
            row["estimated_cost"],
            active=row["status"] not in (ProjectStatus.COMPLETED, ProjectStatus.CANCELLED),
        )
        for row in Project.objects.filter(plan_year=year).values("name", "plan_year", "estimated_cost", "status")
    ]
    return budgets.year_budget(year, allocations, costs, projects, categories=CostCategory.values)


def latest_allocation_year(up_to: int) -> int | None:
    """The latest year, at most `up_to`, that has an allocation of earmarked money (None if none)."""
    return BudgetAllocation.objects.filter(year__lte=up_to).order_by("-year").values_list("year", flat=True).first()


def default_allocation_amount() -> Decimal:
    """The amount suggested for a new year's allocation: the organisation's yearly earmark."""
    return Organisation.current().camera_budget_per_year


def budget_warnings(budget: budgets.YearBudget) -> list[str]:
    from trygg.programme.money import format_kr

    values = {
        "year": budget.year,
        "used": format_kr(budget.used),
        "available": format_kr(budget.available),
        "over": format_kr(budget.overspent_by),
        "planned": format_kr(budget.planned),
        "planned_over": format_kr(budget.planned_over_by),
    }
    messages = {
        budgets.NO_ALLOCATION: gettext("Inga medel är registrerade som tilldelade för %(year)s."),
        budgets.OVERSPENT: gettext(
            "Kostnaderna för %(year)s (%(used)s) överstiger de medel som finns (%(available)s) med %(over)s."
        ),
        budgets.PLANNED_EXCEEDS: gettext(
            "De planerade projekteringarna för %(year)s beräknas kosta %(planned)s, %(planned_over)s mer än de "
            "medel som finns."
        ),
    }
    return [messages[code] % values for code in budget.warnings]


#
# Deadlines
#


@dataclass(frozen=True)
class DeadlineItem:
    uid: str
    kind: str
    kind_label: str
    title: str
    due_on: dt.date
    stamp: dt.datetime
    starts_at: dt.datetime | None = None
    location: str = ""
    site: str = ""
    done: bool = False
    note: str = ""
    # The record the item comes from (model label and key) and its site, so others can link to them
    # (the e-mail reminders of trygg.notifications).
    source: str = ""
    source_pk: int | None = None
    site_pk: int | None = None

    @property
    def colour(self) -> str:
        return DeadlineKind.colour(self.kind)

    def overdue_on(self, today: dt.date) -> bool:
        """True when the deadline has passed before `today` without being done."""
        return self.due_on < today and not self.done


def open_or_recent(items: list[DeadlineItem], today: dt.date, days: int) -> list[DeadlineItem]:
    """The `items` still to be acted on: every one passed and not done, however old, and all from `days`
    before `today` on (done or not). Done deadlines older than that are left out."""
    since = today - dt.timedelta(days=days)
    return [item for item in items if item.due_on >= since or item.overdue_on(today)]


def _aware(day: dt.date, time: dt.time | None) -> dt.datetime | None:
    if time is None:
        return None
    return dt.datetime.combine(day, time, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _deadline_rows(user: Any) -> QuerySet[Deadline]:
    rows = Deadline.objects.select_related("site")
    if roles.sees_everything(user) or roles.Role.READER in roles.roles_of(user):
        return rows
    if roles.Role.ADMINISTRATION_CONTACT in roles.roles_of(user):
        return rows.filter(Q(site__isnull=True) | Q(site__administration__in=roles.administration_ids(user)))
    return rows.none()


def _compliance_deadlines(user: Any, start: dt.date | None, end: dt.date | None) -> list[DeadlineItem]:
    """Reviews and inspections the compliance records already hold, so they are never typed in twice."""
    if not apps.is_installed("trygg.compliance"):
        return []
    from trygg.compliance.engine.rules import SIGN_INSPECTION_MONTHS, add_months

    items: list[DeadlineItem] = []
    review = str(DeadlineKind.ASSESSMENT_REVIEW.label)

    def in_range(day: dt.date | None) -> bool:
        return day is not None and (start is None or day >= start) and (end is None or day <= end)

    impact = apps.get_model("compliance", "ImpactAssessment")
    child = apps.get_model("compliance", "ChildRightsAssessment")
    sign = apps.get_model("compliance", "Sign")
    visible = (
        (lambda qs: qs)
        if roles.sees_everything(user) or roles.Role.READER in roles.roles_of(user)
        else (lambda qs: roles.scope_queryset(user, qs))
    )
    for document in visible(impact.objects.filter(status="approved", review_on__isnull=False).select_related("site")):
        if in_range(document.review_on):
            items.append(
                DeadlineItem(
                    uid=f"dpia-{document.pk}-{document.review_on.isoformat()}@trygg",
                    kind=DeadlineKind.ASSESSMENT_REVIEW,
                    kind_label=review,
                    title=gettext("Se över konsekvensbedömningen för %(site)s") % {"site": document.site.name},
                    due_on=document.review_on,
                    stamp=document.updated_at,
                    site=document.site.name,
                    source="compliance.impactassessment",
                    source_pk=document.pk,
                    site_pk=document.site_id,
                )
            )
    for document in visible(child.objects.filter(status="approved", follow_up_on__isnull=False).select_related("site")):
        if in_range(document.follow_up_on):
            items.append(
                DeadlineItem(
                    uid=f"barnratt-{document.pk}-{document.follow_up_on.isoformat()}@trygg",
                    kind=DeadlineKind.ASSESSMENT_REVIEW,
                    kind_label=review,
                    title=gettext("Följ upp barnrättsprövningen för %(site)s") % {"site": document.site.name},
                    due_on=document.follow_up_on,
                    stamp=document.updated_at,
                    site=document.site.name,
                    source="compliance.childrightsassessment",
                    source_pk=document.pk,
                    site_pk=document.site_id,
                )
            )
    for record in visible(sign.objects.filter(removed_on__isnull=True).select_related("site")):
        last = record.last_inspected_on or record.installed_on
        due = add_months(last, SIGN_INSPECTION_MONTHS) if last else None
        if in_range(due):
            items.append(
                DeadlineItem(
                    uid=f"skylt-{record.pk}-{due.isoformat()}@trygg",
                    kind=DeadlineKind.SIGN_INSPECTION,
                    kind_label=str(DeadlineKind.SIGN_INSPECTION.label),
                    title=gettext("Inspektera skyltarna vid %(site)s") % {"site": record.site.name},
                    due_on=due,
                    stamp=record.updated_at,
                    site=record.site.name,
                    source="compliance.sign",
                    source_pk=record.pk,
                    site_pk=record.site_id,
                )
            )
    return items


def deadlines_for(user: Any, start: dt.date | None = None, end: dt.date | None = None) -> list[DeadlineItem]:
    """The deadlines `user` may see between `start` and `end` (inclusive), entered and derived, by date."""
    rows = _deadline_rows(user)
    if start is not None:
        rows = rows.filter(due_on__gte=start)
    if end is not None:
        rows = rows.filter(due_on__lte=end)
    items = [
        DeadlineItem(
            uid=f"{row.uid}@trygg",
            kind=row.kind,
            kind_label=row.get_kind_display(),
            title=row.title,
            due_on=row.due_on,
            stamp=row.updated_at,
            starts_at=_aware(row.due_on, row.starts_at),
            location=row.location,
            site=row.site.name if row.site_id else "",
            done=row.done_on is not None,
            note=row.notes,
            source="programme.deadline",
            source_pk=row.pk,
            site_pk=row.site_id,
        )
        for row in rows
    ]
    items += _compliance_deadlines(user, start, end)
    earliest = dt.datetime.min.replace(tzinfo=dt.UTC)
    return sorted(items, key=lambda i: (i.due_on, i.starts_at or earliest, i.title))


def calendar_events(items: list[DeadlineItem]) -> list[CalendarEvent]:
    return [
        CalendarEvent(
            uid=item.uid,
            on=item.due_on,
            summary=item.title,
            stamp=item.stamp,
            description="\n".join(x for x in [item.kind_label, item.site, item.note] if x),
            starts_at=item.starts_at,
            location=item.location,
        )
        for item in items
    ]


#
# Projects as of a date
#


def current_project_state(project: Project) -> project_dates.ProjectState:
    """The project's tracked facts as they are now (no record date)."""
    return project_dates.ProjectState(
        status=project.status,
        plan_year=project.plan_year,
        target_min=project.target_min,
        target_max=project.target_max,
        target_date=project.target_date,
        forecast_date=project.forecast_date,
        delay_reasons=tuple(project.delay_reasons or ()),
        delay_description=project.delay_description,
    )


def project_records(project_ids: list[int]) -> dict[int, list[project_dates.Record]]:
    """The saved changes of each project from the change log, oldest first (one query).

    The day of a change is its local date (settings.TIME_ZONE). Projects without a record are
    absent from the result.
    """
    content_type = ContentType.objects.get_for_model(Project)
    rows = (
        ObjectChange.objects.filter(
            changed_object_type=content_type,
            changed_object_id__in=[str(pk) for pk in project_ids],
            action__in=[ObjectChange.Action.CREATE, ObjectChange.Action.UPDATE, ObjectChange.Action.DELETE],
        )
        .order_by("time", "pk")
        .values_list("changed_object_id", "time", "action", "postchange_data")
    )
    records: dict[int, list[project_dates.Record]] = {}
    for object_id, time, action, data in rows:
        day = timezone.localtime(time).date()
        record = project_dates.Record(day, None if action == ObjectChange.Action.DELETE else (data or {}))
        records.setdefault(int(object_id), []).append(record)
    return records


def project_as_of(project: Project, on: dt.date) -> project_dates.ProjectState | None:
    """What the register held of `project` at the end of day `on` (see `trygg.programme.as_of`).

    One query. For many projects use `project_records` once and `as_of.project_as_of` per project.
    """
    records = project_records([project.pk]).get(project.pk, [])
    return project_dates.project_as_of(records, on, current_project_state(project))
