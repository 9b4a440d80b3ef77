"""The thin Django side of the board report: the facts of a `BoardReport` "as of" its date.

Reads the cameras' life-cycle rows, the projects, the dialogue notes, the budget, the deadlines and
(where the compliance app is installed) the assessments, and returns the plain `ReportContext` that
`trygg.reports.drafting` writes the text from. A fixed number of queries, whatever the data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.apps import apps
from django.db.models import Sum

from trygg.cameras.models import Camera
from trygg.core.models import Organisation
from trygg.programme import as_of as project_dates
from trygg.programme import services as programme
from trygg.programme.choices import DeadlineKind, DelayReason
from trygg.programme.indicator import IN_OPERATION
from trygg.programme.models import Assignment, CostEntry, Project
from trygg.reports.drafting import (
    AreaSite,
    BudgetFacts,
    ChildFacts,
    CountLine,
    DataProtectionFacts,
    DialogueFacts,
    EffectFacts,
    Placement,
    PooledEffect,
    ProjectFacts,
    ReportContext,
    ReviewYear,
    SiteEffect,
)
from trygg.reports.models import BoardReport
from trygg.sites.choices import SCHOOL_KINDS, AreaKind, MeasureEffect, MeasureKind, SiteKind
from trygg.sites.models import DialogueNote, Measure

# Site kinds that are the municipality's own premises ("kommunens lokaler" in the seed).
PREMISES_KINDS = frozenset({SiteKind.MUNICIPAL_BUILDING, SiteKind.SPORTS_FACILITY, *SCHOOL_KINDS})
RUNNING_OR_PLANNED = frozenset({"planned", "designed", "installed", "in_operation", "paused"})
APPROVED_STATUSES = ("approved", "superseded")


def _states(histories: list, on: dt.date) -> dict[int, str | None]:
    return {h.camera_id: h.state_on(on) for h in histories}


def _entered_operation(history, on: dt.date) -> dt.date | None:
    dates = [day for day, _sequence, state in history.moves if state == IN_OPERATION and day <= on]
    return max(dates) if dates else None


def _projects(report: BoardReport, histories_by_id: dict, states: dict[int, str | None]) -> list[ProjectFacts]:
    year, as_of = report.year, report.as_of
    # Status, targets, forecast and delay reasons as the register held them on the report's date.
    candidates = list(Project.objects.select_related("site").order_by("name"))
    records = programme.project_records([p.pk for p in candidates])
    known: dict[int, project_dates.ProjectState] = {}
    open_at_year_start: set[int] = set()
    for candidate in candidates:
        current = programme.current_project_state(candidate)
        on_date = project_dates.project_as_of(records.get(candidate.pk, []), as_of, current)
        if on_date is None or on_date.plan_year > year:
            continue
        known[candidate.pk] = on_date
        year_start = project_dates.project_as_of(records.get(candidate.pk, []), dt.date(year - 1, 12, 31), current)
        if project_dates.reported_in_year(on_date, year_start, year):
            open_at_year_start.add(candidate.pk)
    projects = sorted((p for p in candidates if p.pk in known), key=lambda p: (known[p.pk].target_date, p.name))
    site_ids = {p.site_id for p in projects}
    camera_rows: dict[int, list[int]] = {}
    for camera_id, project_id in Camera.objects.filter(project__in=[p.pk for p in projects]).values_list(
        "pk", "project_id"
    ):
        camera_rows.setdefault(project_id, []).append(camera_id)
    measures: dict[int, list[str]] = {}
    worked: dict[int, list[str]] = {}
    for site_id, kind, effect in (
        Measure.objects.filter(
            site__in=site_ids,
            started_on__lte=as_of,
            effect__in=[MeasureEffect.NONE, MeasureEffect.PARTIAL, MeasureEffect.INTENDED],
        )
        .order_by("started_on")
        .values_list("site_id", "kind", "effect")
    ):
        label = str(MeasureKind(kind).label)
        found = worked if effect == MeasureEffect.INTENDED else measures
        if label not in found.setdefault(site_id, []):
            found[site_id].append(label)
    # The latest dialogue note per site (a project's own notes first): the reason a project was cancelled.
    last_note: dict[tuple[int, int | None], tuple[dt.date, str]] = {}
    for site_id, project_id, held_on, summary in (
        DialogueNote.objects.filter(site__in=site_ids, held_on__lte=as_of)
        .order_by("held_on", "pk")
        .values_list("site_id", "project_id", "held_on", "summary")
    ):
        last_note[(site_id, project_id)] = (held_on, summary)
        last_note[(site_id, None)] = (held_on, summary)
    talked = set(
        DialogueNote.objects.filter(site__in=site_ids, held_on__year=year, held_on__lte=as_of).values_list(
            "site_id", flat=True
        )
    )
    facts = []
    for project in projects:
        state = known[project.pk]
        camera_ids = [c for c in camera_rows.get(project.pk, []) if states.get(c) in RUNNING_OR_PLANNED]
        running = [c for c in camera_ids if states.get(c) == IN_OPERATION]
        all_running_on = None
        if camera_ids and len(running) == len(camera_ids):
            all_running_on = max(_entered_operation(histories_by_id[c], as_of) for c in running)
        note_on, note = (
            last_note.get((project.site_id, project.pk)) or last_note.get((project.site_id, None)) or (None, "")
        )
        # An earlier plan year's project: reported while open when the year began (by the change log),
        # or when it was delivered or cancelled in the year (by the dates of its cameras and notes).
        earlier = state.plan_year < year
        if (
            earlier
            and project.pk not in open_at_year_start
            and not _closed_in_year(state, year, all_running_on, note_on)
        ):
            continue
        facts.append(
            ProjectFacts(
                name=project.name,
                site=project.site.name,
                site_kind=project.site.kind,
                is_school=project.site.is_school,
                scope=project.scope_description,
                target_min=state.target_min,
                target_max=state.target_max,
                target_date=state.target_date,
                forecast_date=state.forecast_date,
                status=state.status,
                delay_reasons=tuple(
                    str(DelayReason(code).label) for code in state.delay_reasons if code in DelayReason.values
                ),
                delay_description=state.delay_description,
                cameras_planned=len(camera_ids),
                cameras_in_operation=len(running),
                all_in_operation_on=all_running_on,
                measures_without_effect=tuple(measures.get(project.site_id, [])),
                in_dialogue_during_year=project.site_id in talked,
                area_kind=project.site.area_kind,
                delay_reason_codes=tuple(code for code in state.delay_reasons if code in DelayReason.values),
                measures_with_effect=tuple(worked.get(project.site_id, [])),
                last_dialogue_on=note_on,
                last_dialogue=note,
                plan_year=state.plan_year,
                status_since=state.status_since,
            )
        )
    return facts


def _closed_in_year(
    project: project_dates.ProjectState, year: int, all_running_on: dt.date | None, note_on: dt.date | None
) -> bool:
    """Whether a project of an earlier plan year belongs in the report of `year`.

    A running one always does. A delivered one does when its last camera went into operation in the
    year (or, with no cameras linked, when its target or forecast date fell in it); a cancelled one
    when its last dialogue note or its target date falls in the year.
    """
    if project.status not in ("completed", "cancelled"):
        return True
    if project.status == "completed":
        if all_running_on is not None:
            return all_running_on.year == year
        return year in {project.target_date.year, project.forecast_date.year if project.forecast_date else None}
    return year in {project.target_date.year, note_on.year if note_on else None}


def _dialogues(report: BoardReport, project_sites: set[str]) -> list[DialogueFacts]:
    seen = set()
    result = []
    for note in (
        DialogueNote.objects.filter(concerns_year__gt=report.year, held_on__year=report.year, held_on__lte=report.as_of)
        .select_related("site")
        .order_by("concerns_year", "held_on")
    ):
        key = (note.site.name, note.concerns_year)
        if note.site.name in project_sites or key in seen:
            continue
        seen.add(key)
        result.append(DialogueFacts(note.site.name, note.site.area_kind, note.concerns_year, note.held_on))
    return result


def _consulted(report: BoardReport, projects: list[ProjectFacts], dialogues: list[DialogueFacts]) -> list[str]:
    from trygg.sites.models import Site

    names = {p.site for p in projects} | {d.site for d in dialogues}
    administrations = (
        Site.objects.filter(name__in=names).values_list("administration__name", flat=True).distinct().order_by()
    )
    own = report.office.strip().lower()
    return sorted({a for a in administrations if a.strip().lower() != own})


def _meeting_dates(report: BoardReport) -> tuple[dt.date | None, dt.date | None]:
    if report.reporting_point_id is None:
        return None, None
    deadlines = list(report.reporting_point.deadlines.order_by("due_on"))
    meetings = [d.due_on for d in deadlines if d.kind == DeadlineKind.BOARD_MEETING]
    submissions = [d.due_on for d in deadlines if d.kind == DeadlineKind.SUBMISSION]
    return (meetings[-1] if meetings else None), (submissions[-1] if submissions else None)


def _children(report: BoardReport, school_cameras: list[tuple[int, int, str]], states: dict) -> ChildFacts:
    live = [(c, site_id, name) for c, site_id, name in school_cameras if states.get(c) in RUNNING_OR_PLANNED]
    sites = sorted({name for _c, _s, name in live})
    if not apps.is_installed("trygg.compliance"):
        return ChildFacts(
            compliance_available=False,
            school_sites=tuple(sites),
            school_cameras=len(live),
            school_cameras_in_operation=sum(1 for c, _s, _n in live if states.get(c) == IN_OPERATION),
        )
    assessment = apps.get_model("compliance", "ChildRightsAssessment")
    site_ids = {site_id for _c, site_id, _n in live}
    rows = list(
        assessment.objects.filter(site__in=site_ids).values_list("site_id", "site__name", "status", "approved_on")
    )
    approved = {s for s, _n, status, on in rows if status in APPROVED_STATUSES and on and on <= report.as_of}
    in_progress = sorted({n for s, n, status, _on in rows if status == "draft" and s not in approved})
    return ChildFacts(
        compliance_available=True,
        school_sites=tuple(sites),
        school_cameras=len(live),
        school_cameras_in_operation=sum(1 for c, _s, _n in live if states.get(c) == IN_OPERATION),
        school_cameras_assessed=sum(1 for _c, s, _n in live if s in approved),
        assessments_in_progress=tuple(in_progress),
        approved_sites=tuple(sorted({n for _c, s, n in live if s in approved})),
    )


def _outside_urban(states: dict[int, str | None]) -> list[AreaSite]:
    """Sites in rural or archipelago areas with cameras in operation or on their way, by area and name."""
    found: dict[tuple[str, str], list[int]] = {}
    for camera_id, name, area in (
        Camera.objects.exclude(site__area_kind=AreaKind.URBAN)
        .values_list("pk", "site__name", "site__area_kind")
        .order_by()
    ):
        if states.get(camera_id) in RUNNING_OR_PLANNED and states.get(camera_id) != "paused":
            counts = found.setdefault((area, name), [0, 0])
            counts[0 if states[camera_id] == IN_OPERATION else 1] += 1
    order = {AreaKind.RURAL: 0, AreaKind.ARCHIPELAGO: 1}
    return [
        AreaSite(site=name, area_kind=area, in_operation=running, planned=planned)
        for (area, name), (running, planned) in sorted(
            found.items(), key=lambda item: (order.get(item[0][0], 2), item[0][1])
        )
    ]


def _planned_booked(report: BoardReport) -> dict:
    """Per running project of the plan year: its estimated cost and what is booked on it in the year, up to as_of."""
    estimates = dict(
        Project.objects.filter(plan_year=report.year, estimated_cost__isnull=False)
        .exclude(status__in=["completed", "cancelled"])
        .values_list("pk", "estimated_cost")
    )
    booked = dict(
        CostEntry.objects.filter(project__in=list(estimates), booked_on__year=report.year, booked_on__lte=report.as_of)
        .values("project")
        .annotate(total=Sum("amount"))
        .values_list("project", "total")
        .order_by()
    )
    return {pk: (estimate, booked.get(pk, 0)) for pk, estimate in estimates.items()}


def _data_protection(report: BoardReport, running: set[int]) -> DataProtectionFacts | None:
    if not apps.is_installed("trygg.compliance"):
        return None
    surveillance = apps.get_model("compliance", "SurveillanceAssessment")
    impact = apps.get_model("compliance", "ImpactAssessment")
    assessed = set(
        surveillance.objects.filter(
            camera__in=running, status__in=APPROVED_STATUSES, approved_on__lte=report.as_of
        ).values_list("camera_id", flat=True)
    )
    dpias = list(impact.objects.values_list("site__name", "status", "approved_on"))
    approved = sorted({n for n, status, on in dpias if status in APPROVED_STATUSES and on and on <= report.as_of})
    in_progress = sorted({n for n, status, _on in dpias if status == "draft" and n not in approved})
    return DataProtectionFacts(
        cameras_in_operation=len(running),
        with_approved_assessment=len(assessed),
        dpia_sites_approved=tuple(approved),
        dpia_sites_in_progress=tuple(in_progress),
    )


def _placements(states: dict[int, str | None]) -> list[Placement]:
    from trygg.cameras.choices import LifecycleState

    live = [c for c, state in states.items() if state in RUNNING_OR_PLANNED]
    return [
        Placement(
            identifier=camera.identifier,
            site=camera.site.name,
            address=camera.site.address,
            state=str(LifecycleState(states[camera.pk]).label),
            longitude=round(camera.longitude, 6),
            latitude=round(camera.latitude, 6),
            bearing_deg=camera.bearing_deg,
            coverage=camera.coverage_description,
        )
        for camera in Camera.objects.filter(pk__in=live).select_related("site").order_by("site__name", "identifier")
    ]


def _first_plan_year(assignment: Assignment) -> int | None:
    """The earliest earlier plan year with an uppdrag of the same title (a new year's copy keeps the title)."""
    return (
        Assignment.objects.filter(title=assignment.title, plan_year__lt=assignment.plan_year)
        .order_by("plan_year")
        .values_list("plan_year", flat=True)
        .first()
    )


def _identity(message: str) -> str:
    return message


def _change(ratio: float) -> float:
    """A RES as the change against expected in per cent (negative = fewer), as the programme page shows it."""
    return (1.0 / ratio - 1.0) * 100.0


def _effect(report: BoardReport) -> EffectFacts:
    """The programme evaluation and the year's reviews as of the report's date (section "Effekt och omprövning").

    Reuses `trygg.evaluation.programme.evaluate_programme` (the statistics are not recomputed here):
    the stored result the programme page shows when it was computed for the report's date and the
    register has not changed since (`programme_store.current_summary`), else computed for the date.
    Its reasons are kept as their Swedish msgids, so drafting translates them like its own words.
    Sites whose cameras went into operation after the report's date are not listed. Queries: those of
    the programme evaluation (a fixed number, `services.snapshot`) plus four for the reviews.
    """
    from trygg.evaluation import programme as evaluation_programme
    from trygg.evaluation import programme_store
    from trygg.evaluation.verdict import MIN_EVENTS

    summary = programme_store.current_summary(report.as_of, _identity) or evaluation_programme.evaluate_programme(
        _identity, today=report.as_of
    )
    sites = []
    for row in summary.rows:
        if row.started > report.as_of:
            continue
        if row.res is None:
            sites.append(SiteEffect(site=row.site.name, included=False, reason=row.reason))
            continue
        sites.append(
            SiteEffect(
                site=row.site.name,
                included=True,
                change=_change(row.res.value),
                change_low=_change(row.res.ci_high),
                change_high=_change(row.res.ci_low),
                treated_before=row.counts.get("treated_before", 0),
                treated_after=row.counts.get("treated_after", 0),
                warnings=tuple(w.code for w in row.warnings),
            )
        )
    pooled = None
    if summary.pooled is not None:
        estimate = summary.pooled.estimate
        avoided = summary.avoided
        per_avoided = None
        if summary.cost_per_avoided is not None and avoided is not None and summary.cost:
            per_avoided = Decimal(round(float(summary.cost) / avoided.value))
        pooled = PooledEffect(
            change=_change(estimate.value),
            change_low=_change(estimate.ci_high),
            change_high=_change(estimate.ci_low),
            sites=sum(1 for row in summary.rows if row.res is not None),
            i_squared=summary.pooled.i_squared,
            model=summary.pooled.model,
            distinguishable=summary.distinguishable,
            avoided=avoided.value if avoided else None,
            avoided_low=avoided.ci_low if avoided else None,
            avoided_high=avoided.ci_high if avoided else None,
            cost_total=summary.cost,
            cost_per_avoided=per_avoided,
        )
    return EffectFacts(sites=tuple(sites), pooled=pooled, reviews=_reviews(report), min_events=MIN_EVENTS)


def _reviews(report: BoardReport) -> ReviewYear:
    """Reviews due and decided in the reported year up to `as_of`, and those overdue on `as_of`.

    A camera "was due" in the year when an anniversary of its operation start falls in the year on or
    before `as_of` and the camera was not decommissioned by then (`trygg.evaluation.review_due`).
    """
    from trygg.evaluation import review_due, review_services
    from trygg.evaluation.review_models import CameraReview

    as_of = report.as_of
    year_start = dt.date(report.year, 1, 1)
    window_end = min(as_of, dt.date(report.year, 12, 31))
    loaded = list(review_services.cameras_for_review(Camera.objects.all()))
    due_dates = review_services.review_due_dates(loaded, as_of)
    due = overdue = 0
    for camera in loaded:
        rows = review_services.lifecycle_rows(camera.transitions.all(), as_of)
        start = review_due.operation_started_on(rows)
        if start is None:
            continue
        years = report.year - start.year
        if years >= 1:
            anniversary = review_due.anniversary(start, years)
            before = [row for row in rows if row.occurred_on <= anniversary]
            if year_start <= anniversary <= window_end and before[-1].to_state != review_due.DECOMMISSIONED:
                due += 1
        if rows[-1].to_state in review_services.ONGOING_STATES and review_due.is_overdue(due_dates[camera.pk], as_of):
            overdue += 1
    outcomes = list(
        CameraReview.objects.filter(decided_at__date__gte=year_start, decided_at__date__lte=window_end)
        .values_list("outcome", flat=True)
        .order_by()
    )
    return ReviewYear(
        due=due,
        reviewed=len(outcomes),
        keep=outcomes.count("keep"),
        change=outcomes.count("change"),
        remove=outcomes.count("remove"),
        overdue=overdue,
    )


def build_context(report: BoardReport) -> ReportContext:
    """Everything the report says, from the database as of `report.as_of`."""
    organisation = Organisation.current()
    as_of = report.as_of
    overview = programme.indicator_overview(as_of)
    histories = programme.camera_histories()  # single cameras' states and dates, not only counts
    by_id = {h.camera_id: h for h in histories}
    states = _states(histories, as_of)
    running = {c for c, state in states.items() if state == IN_OPERATION}
    kinds = {h.camera_id: h.site_kind for h in histories}
    projects = _projects(report, by_id, states)
    dialogues = _dialogues(report, {p.site for p in projects})
    school_cameras = list(
        Camera.objects.filter(site__kind__in=SCHOOL_KINDS).values_list("pk", "site_id", "site__name").order_by()
    )
    board_meeting, submission_due = _meeting_dates(report)
    budget = programme.budget_for_year(report.year, as_of)
    assignment = report.assignment
    return ReportContext(
        municipality=organisation.municipality_name,
        as_of=as_of,
        report_date=report.report_date,
        year=report.year,
        case_number=report.case_number,
        title=report.title,
        recipient_body=report.recipient_body,
        proposing_body=report.proposing_body,
        office=report.office,
        unit=report.unit,
        assignment_title=assignment.title,
        assignment_origin=assignment.origin,
        plan_year=assignment.plan_year,
        followed_up_since=assignment.followed_up_since,
        indicator_name=overview.name,
        in_operation=overview.in_operation,
        in_operation_previous_year_end=overview.previous_year_end,
        work_since=overview.first_year,
        target_this_year=overview.target,
        board_meeting=board_meeting,
        submission_due=submission_due,
        series=tuple((p.on, p.value) for p in overview.series),
        targets=tuple(sorted(overview.targets.items())),
        by_site_kind=tuple(CountLine(r.code, r.label, r.count) for r in overview.by_site_kind),
        by_area_kind=tuple(CountLine(r.code, r.label, r.count) for r in overview.by_area_kind),
        runs_at_premises=any(kinds[c] in PREMISES_KINDS for c in running),
        projects=tuple(projects),
        dialogues=tuple(dialogues),
        consulted=tuple(_consulted(report, projects, dialogues)),
        budget=BudgetFacts(
            year=budget.year,
            has_allocation=budget.has_allocation,
            allocated=budget.allocated,
            carried_in=budget.carried_in,
            committed=budget.committed,
            spent=budget.spent,
            planned=budget.planned,
            default_per_year=organisation.camera_budget_per_year,
            # Counted once: what is booked on a planned project is in `used` and in its estimate.
            planned_booked=sum(
                (min(estimate, booked) for estimate, booked in _planned_booked(report).values()), Decimal("0")
            ),
        ),
        children=_children(report, school_cameras, states),
        data_protection=_data_protection(report, running),
        placements=tuple(_placements(states)),
        outside_urban=tuple(_outside_urban(states)),
        first_plan_year=_first_plan_year(assignment),
        effect=_effect(report) if report.include_effect else None,
    )
