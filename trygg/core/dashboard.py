"""What the start page shows: aggregates for the public, the state of the programme for staff.

The figures come from the cameras' transition rows and the projects; nothing is typed in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone

from trygg.core import roles


@dataclass
class CountRow:
    label: str
    count: int


@dataclass
class PublicSummary:
    on: dt.date
    in_operation: int
    by_site_kind: list[CountRow]
    by_area_kind: list[CountRow]


@dataclass
class TargetVsActual:
    """The indicator's target (målvärde) for a year against the cameras in operation.

    For the current year the actual is today's count; when the current year has no target, the
    latest earlier year with one is shown, with the count at that year's end.
    """

    year: int
    target: int
    actual: int
    actual_on: dt.date
    is_current_year: bool

    @property
    def difference(self) -> int:
        """Cameras in operation above (positive) or below (negative) the target."""
        return self.actual - self.target

    @property
    def shortfall(self) -> int:
        """Cameras still to go into operation to reach the target (0 when reached)."""
        return max(self.target - self.actual, 0)


@dataclass
class Dashboard:
    on: dt.date
    in_operation: int
    in_operation_year_start: int
    by_state: list[CountRow]
    projects: list[Any] = field(default_factory=list)
    may_see_sites: bool = False
    # Follow-up (trygg.programme): the next deadlines and this year's earmarked budget.
    deadlines: list[Any] = field(default_factory=list)
    # Deadlines passed and not marked done (a sign inspection overdue since last year, say).
    overdue: list[Any] = field(default_factory=list)
    overdue_count: int = 0
    budget: Any = None
    budget_warnings: list[str] = field(default_factory=list)
    follows_programme: bool = False
    # The indicator's target for the year, and the cameras whose legal checks need action today.
    year_target: int | None = None
    findings: list[Any] = field(default_factory=list)
    findings_count: int = 0
    # The date the stored checklists behind the findings were computed (None: computed now).
    findings_computed_on: dt.date | None = None
    # Projects and the reader's overview (issue 10): the target against the actual, and which year the
    # budget card shows.
    target: TargetVsActual | None = None
    budget_year: int | None = None
    # The counts above are of the user's own administration(s), while the target is the whole programme's.
    scoped: bool = False
    # Assessments waiting for the DPO, or submitted and returned for the officer (trygg.compliance.overview).
    documents: dict[str, Any] | None = None
    # Yearly reviews (trygg.evaluation) overdue or due soon: "Omprövningar att göra".
    reviews: list[Any] = field(default_factory=list)
    reviews_count: int = 0
    reviews_overdue: int = 0
    may_decide_reviews: bool = False
    # Decided reviews waiting for the DPO's note (None: the user does not note reviews).
    reviews_to_note: list[Any] = field(default_factory=list)
    reviews_to_note_count: int | None = None


def _grouped(on: dt.date, queryset: Any, key: str, choices: Any) -> list[CountRow]:
    from trygg.cameras.lifecycle import State
    from trygg.cameras.services import cameras_with_state_on

    rows = (
        cameras_with_state_on(on, queryset)
        .filter(state_on_date=State.IN_OPERATION.value)
        .values(key)
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row[key]: row["n"] for row in rows}
    return [CountRow(str(label), counts[value]) for value, label in choices if counts.get(value)]


def public_summary(on: dt.date) -> PublicSummary:
    """Counts only: never positions, addresses or secret placements (OSL 18 kap. 8 §)."""
    from trygg.cameras.services import cameras_in_operation
    from trygg.sites.choices import AreaKind, SiteKind

    camera_model = apps.get_model("cameras", "Camera")
    cameras = camera_model.objects.all()
    return PublicSummary(
        on=on,
        in_operation=cameras_in_operation(on),
        by_site_kind=_grouped(on, cameras, "site__kind", SiteKind.choices),
        by_area_kind=_grouped(on, cameras, "site__area_kind", AreaKind.choices),
    )


def kept_in_operation(on: dt.date, cameras: Any = None, user: Any = None) -> int:
    """Cameras in operation at the end of `on` among `cameras` (None: all), which `user`'s scope gave (None:
    programme-wide), counted once per date, scope and state of the data.

    A past date needs each camera's latest move by then (a subquery per camera), so the count is kept in
    the default cache under the exports' data stamp (`trygg.core.export_cache.data_stamp`), which every
    move, camera and site save moves on: never older than the data. Today's count is the stored state,
    one indexed count, and is not kept.
    """
    from trygg.cameras.services import cameras_in_operation
    from trygg.core import export_cache

    if on >= timezone.localdate():
        return cameras_in_operation(on, cameras)
    scope = export_cache.scope_of(user) if user is not None else "*"
    return export_cache.kept_value(
        f"dashboard-in-operation:{on.isoformat()}:{scope}", lambda: cameras_in_operation(on, cameras), KEPT_SECONDS
    )


# A kept count is found again only under the same data stamp, which holds today's date: a day is enough.
KEPT_SECONDS = 24 * 3600


def dashboard_for(user: Any, on: dt.date) -> Dashboard:
    from trygg.cameras.choices import LifecycleState
    from trygg.cameras.services import count_by_state_on

    camera_model = apps.get_model("cameras", "Camera")
    project_model = apps.get_model("programme", "Project")
    cameras = camera_model.objects.all()
    projects = project_model.objects.all()
    if roles.is_staff_role(user):
        # Readers see programme-wide counts (no positions); an administration contact sees its own.
        cameras = roles.scope_queryset(user, cameras)
        projects = roles.scope_queryset(user, projects)
    by_state = count_by_state_on(on, cameras)
    last_year_end = dt.date(on.year - 1, 12, 31)
    in_operation = {on: by_state.get(LifecycleState.IN_OPERATION.value, 0)}
    in_operation[last_year_end] = kept_in_operation(last_year_end, cameras, user if roles.is_staff_role(user) else None)
    programme_wide = not roles.is_staff_role(user) or roles.sees_everything(user)
    return Dashboard(
        on=on,
        in_operation=in_operation[on],
        in_operation_year_start=in_operation[last_year_end],
        by_state=[CountRow(str(label), by_state.get(value, 0)) for value, label in LifecycleState.choices],
        projects=_projects(projects, on),
        may_see_sites=bool(roles.roles_of(user) & roles.STAFF_ROLES),
        year_target=_year_target(on.year),
        # The target's count is programme-wide: the counts above are that too when the user sees everything.
        target=_target_vs_actual(on, in_operation if programme_wide else {}),
        scoped=roles.is_staff_role(user) and not roles.sees_everything(user),
        **_follow_up(user, on),
        **(_findings(cameras, on, user) if roles.is_staff_role(user) else {}),
        documents=_documents(user),
        **_reviews(cameras, on, user),
    )


def _projects(projects: Any, on: dt.date) -> list[Any]:
    """The projects with cameras in operation against the target and the days past the target date."""
    from trygg.programme import progress

    rows = list(
        projects.select_related("site", "responsible_administration")
        .annotate(
            camera_count=Count("cameras", distinct=True),
            in_operation_count=Count("cameras", filter=Q(cameras__state=progress.IN_OPERATION), distinct=True),
        )
        .order_by("target_date")
    )
    for project in rows:
        project.progress = progress.CameraProgress(project.in_operation_count, project.target_min, project.target_max)
        project.days_late = project.days_past_target(on)
    return rows


def _target_vs_actual(on: dt.date, known: dict[dt.date, int] | None = None) -> TargetVsActual | None:
    """This year's target against today's count, else the latest earlier year's against its year end.

    Programme-wide counts (the public sees them too), whatever the user's scope; `known` holds
    programme-wide counts of cameras in operation already made for some dates (not counted again).
    """
    from trygg.programme import services as programme

    indicator = programme.main_indicator()
    if indicator is None:
        return None
    targets = {t.year: t.value for t in indicator.targets.all() if t.year <= on.year}
    if not targets:
        return None
    year = max(targets)
    actual_on = on if year == on.year else dt.date(year, 12, 31)
    known = known or {}
    actual = known[actual_on] if actual_on in known else kept_in_operation(actual_on)
    return TargetVsActual(year, targets[year], actual, actual_on, year == on.year)


def _documents(user: Any) -> dict[str, Any] | None:
    from trygg.compliance.overview import documents_overview

    return documents_overview(user)


# The start page shows the first few findings; all of them are on the paged list (`trygg.compliance.findings`).
FINDINGS_SHOWN = 8


REVIEWS_SHOWN = 8


def _reviews(cameras: Any, on: dt.date, user: Any) -> dict[str, Any]:
    """Cameras whose yearly review is overdue or due soon (trygg.evaluation), most urgent first."""
    from trygg.evaluation.review_access import decides_reviews
    from trygg.evaluation.review_services import due_reviews

    if not roles.has_role(user):
        return {}
    if on == timezone.localdate():
        return {
            **_stored_reviews(_stored_rows(user), on),
            "may_decide_reviews": decides_reviews(user),
            **_reviews_to_note(user),
        }
    rows = due_reviews(cameras, on)
    return {
        "reviews": rows[:REVIEWS_SHOWN],
        "reviews_count": len(rows),
        "reviews_overdue": sum(row.overdue for row in rows),
        "may_decide_reviews": decides_reviews(user),
        **_reviews_to_note(user),
    }


def _reviews_to_note(user: Any) -> dict[str, Any]:
    """For the DPO: decided reviews not yet noted, oldest decision first (two queries)."""
    from trygg.evaluation.review_access import notes_reviews
    from trygg.evaluation.review_services import visible_reviews

    if not notes_reviews(user):
        return {}
    waiting = visible_reviews(user).filter(noted_at__isnull=True)
    return {
        "reviews_to_note": list(waiting.select_related("camera__site").order_by("decided_at", "pk")[:REVIEWS_SHOWN]),
        "reviews_to_note_count": waiting.count(),
    }


def _stored_rows(user: Any) -> Any:
    """The stored checklists of the cameras the start page counts for `user`: those of the user's scope for
    staff, every camera's for a reader (programme-wide counts, as everywhere on the page)."""
    from trygg.cameras.models import Camera
    from trygg.compliance import stored

    if roles.is_staff_role(user):
        return stored.stored_in_scope(user)
    return stored.stored_for(Camera.objects.all())


def _stored_reviews(rows: Any, on: dt.date) -> dict[str, Any]:
    """Today's reviews to do among the stored checklists `rows`, from their stored due dates: counted in SQL,
    the first `REVIEWS_SHOWN` loaded."""
    from trygg.compliance import stored
    from trygg.evaluation.review_services import DUE_SOON_DAYS, DueReview

    rows = stored.due_reviews(rows, on, DUE_SOON_DAYS)
    # Counting the due date (never null here) lets the database count from the index alone.
    counts = rows.aggregate(
        total=Count("review_due_on"), overdue=Count("review_due_on", filter=Q(review_due_on__lt=on))
    )
    shown = [
        DueReview(row.camera, row.review_due_on, on > row.review_due_on, (row.review_due_on - on).days)
        for row in rows[:REVIEWS_SHOWN]
    ]
    return {"reviews": shown, "reviews_count": counts["total"], "reviews_overdue": counts["overdue"]}


def _year_target(year: int) -> int | None:
    from trygg.programme import services as programme

    indicator = programme.main_indicator()
    if indicator is None:
        return None
    return next((t.value for t in indicator.targets.all() if t.year == year), None)


def _findings(cameras: Any, on: dt.date, user: Any = None) -> dict[str, Any]:
    """Cameras not yet decommissioned whose checklist has a failing blocker or warning on `on`: how many,
    and the first `FINDINGS_SHOWN`, each with links to the pages that fix it (`trygg.compliance.fixes`).
    """
    from trygg.compliance import checklist, facts, fixes
    from trygg.compliance.findings import Finding

    if on == timezone.localdate():
        return _stored_findings(user)
    found = []
    live = facts.cameras_for_compliance(cameras.exclude(state="decommissioned").order_by("identifier"))
    for item in facts.compliance_for_many(live, on):
        failing = [c for c in checklist.checklist_data(item)["checks"] if not c["passed"] and c["severity"] != "info"]
        if failing:
            first = sorted(failing, key=lambda c: c["severity"] != "blocker")[0]
            found.append(
                Finding(item.camera, first["severity"], first["title"], first["reason"], first["code"], item.documents)
            )
    # Blockers on cameras already running first, then blockers, then warnings.
    found.sort(key=lambda f: (f.severity != "blocker", f.camera.state != "in_operation", f.camera.identifier))
    listed = found[:FINDINGS_SHOWN]
    for finding in listed:
        finding.fixes = fixes.fix_links(finding.code, finding.camera, finding.documents, user)
    return {"findings": listed, "findings_count": len(found)}


def _stored_findings(user: Any) -> dict[str, Any]:
    """Today's findings of the staff user's cameras from the stored checklists: counted in SQL, the first
    `FINDINGS_SHOWN` loaded."""
    from trygg.compliance import findings, stored

    in_scope = stored.stored_in_scope(user)
    rows = findings.today(in_scope)
    listed = findings.shown(rows[:FINDINGS_SHOWN], user)
    return {
        "findings": listed,
        "findings_count": rows.count() if len(listed) == FINDINGS_SHOWN else len(listed),
        "findings_computed_on": stored.oldest_computed_on(in_scope),
    }


UPCOMING_DAYS = 60
UPCOMING_COUNT = 6


def _follow_up(user: Any, on: dt.date) -> dict[str, Any]:
    """Upcoming deadlines for every role; the budget for those who follow the programme (not the contact)."""
    from trygg.programme import services as programme

    # One read of the deadlines up to the horizon, split at today: the overdue ones not done, then the upcoming.
    items = programme.deadlines_for(user, None, on + dt.timedelta(days=UPCOMING_DAYS))
    overdue = [item for item in items if item.overdue_on(on)]
    values: dict[str, Any] = {
        "deadlines": [item for item in items if item.due_on >= on][:UPCOMING_COUNT],
        "overdue": overdue[:UPCOMING_COUNT],
        "overdue_count": len(overdue),
        "follows_programme": roles.follows_programme.test(user),
    }
    if values["follows_programme"]:
        # Without an allocation this year, the latest year with one is shown, labelled with its year.
        year = programme.latest_allocation_year(on.year) or on.year
        budget = programme.budget_for_year(year)
        values["budget"] = budget
        values["budget_year"] = year
        values["budget_warnings"] = programme.budget_warnings(budget)
    return values
