"""The yearly review's Django shell: which reviews are due, the facts a review shows, decide and note.

The rule for the due date is pure (`trygg.evaluation.review_due`); this module feeds it from the
life-cycle rows and the decided reviews, in a fixed number of queries whatever the number of cameras.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera, CameraTransition
from trygg.core.audit import record_event
from trygg.core.roles import Role, roles_of, scope_queryset
from trygg.evaluation.review_due import (
    LifecycleRow,
    ReviewDone,
    is_overdue,
    next_review_due,
    operation_started_on,
    pauses,
)
from trygg.evaluation.review_models import CameraReview, ReviewOutcome

# Reviews due within this many days are listed as coming up (on the due list and the dashboard).
DUE_SOON_DAYS = 60
ONGOING_STATES = (State.IN_OPERATION.value, State.PAUSED.value)


def visible_reviews(user: Any, queryset: QuerySet[CameraReview] | None = None) -> QuerySet[CameraReview]:
    """Reviews `user` may read: all for admin, officer, DPO and reader; the contact its administration's.

    Readers (board, management) follow whether surveillance is still justified; a review shows no
    camera position, so they read them all.
    """
    queryset = queryset if queryset is not None else CameraReview.objects.all()
    if Role.READER in roles_of(user) and not (roles_of(user) - {Role.READER}):
        return queryset
    return scope_queryset(user, queryset)


def visible_stored(user: Any) -> QuerySet[Any]:
    """The stored checklists of the cameras whose reviews `user` may read (the scope of `visible_cameras`),
    read by their stored administration for an administration contact (`stored.stored_in_scope`)."""
    from trygg.compliance import stored

    if Role.READER in roles_of(user) and not (roles_of(user) - {Role.READER}):
        return stored.stored_for(Camera.objects.all())
    return stored.stored_in_scope(user)


def visible_cameras(user: Any, queryset: QuerySet[Camera] | None = None) -> QuerySet[Camera]:
    """Cameras whose reviews `user` may read (same scope as `visible_reviews`)."""
    queryset = queryset if queryset is not None else Camera.objects.all()
    if Role.READER in roles_of(user) and not (roles_of(user) - {Role.READER}):
        return queryset
    return scope_queryset(user, queryset)


def lifecycle_rows(transitions: Iterable[CameraTransition], until: dt.date | None = None) -> list[LifecycleRow]:
    """The pure module's rows from a camera's transition rows (those on or before `until`, if given)."""
    return [
        LifecycleRow(t.occurred_on, t.to_state, t.sequence)
        for t in transitions
        if until is None or t.occurred_on <= until
    ]


def reviews_done(reviews: Iterable[CameraReview], until: dt.date | None = None) -> list[ReviewDone]:
    """The pure module's decided reviews (those decided on or before `until`, if given)."""
    result = []
    for review in reviews:
        decided_on = timezone.localdate(review.decided_at)
        if until is None or decided_on <= until:
            result.append(ReviewDone(review.due_on, decided_on))
    return result


def review_due_dates(cameras: Sequence[Camera], on_date: dt.date) -> dict[int, dt.date | None]:
    """Each camera's next review due date as of `on_date`, from prefetched transitions and one query.

    The cameras must come with their transitions prefetched (as `cameras_for_review` or
    `trygg.compliance.facts.cameras_for_compliance` load them).
    """
    by_camera: dict[int, list[CameraReview]] = defaultdict(list)
    for review in CameraReview.objects.filter(camera__in=[c.pk for c in cameras]).only(
        "camera_id", "due_on", "decided_at"
    ):
        by_camera[review.camera_id].append(review)
    return {
        camera.pk: next_review_due(
            lifecycle_rows(camera.transitions.all(), on_date), reviews_done(by_camera[camera.pk], on_date)
        )
        if any(t.occurred_on <= on_date for t in camera.transitions.all())
        else None
        for camera in cameras
    }


def cameras_for_review(queryset: QuerySet[Camera]) -> QuerySet[Camera]:
    """Cameras with their site and ordered transitions, in two queries."""
    return queryset.select_related("site").prefetch_related(
        Prefetch("transitions", queryset=CameraTransition.objects.order_by("occurred_on", "sequence"))
    )


@dataclass
class DueReview:
    """A camera whose review is due by `due_on`; `overdue` once that day has passed."""

    camera: Camera
    due_on: dt.date
    overdue: bool
    days: int  # days until due (negative when overdue)

    @property
    def days_overdue(self) -> int:
        """Days since the due date (0 when not overdue)."""
        return max(-self.days, 0)


def due_reviews(cameras: QuerySet[Camera], on_date: dt.date, within_days: int = DUE_SOON_DAYS) -> list[DueReview]:
    """Cameras in operation or paused whose review is overdue or due within `within_days`, most urgent first.

    Three queries whatever the number of cameras (cameras with sites, transitions, reviews).
    """
    loaded = list(cameras_for_review(cameras.filter(state__in=ONGOING_STATES)))
    due_dates = review_due_dates(loaded, on_date)
    rows = [
        DueReview(camera, due, is_overdue(due, on_date), (due - on_date).days)
        for camera in loaded
        if (due := due_dates[camera.pk]) is not None and (due - on_date).days <= within_days
    ]
    return sorted(rows, key=lambda row: (row.due_on, row.camera.identifier))


@dataclass
class DuePage:
    """One page of the due list: its rows, and over every page the number overdue and the results' date."""

    page: Page  # of StoredChecklist rows; `page.paginator.count` is every due camera
    rows: list[DueReview]
    overdue: int
    computed_on: dt.date | None  # the oldest stored result of any camera (None without any)


def stored_due_page(in_scope: QuerySet[Any], on_date: dt.date, number: int, per_page: int) -> DuePage:
    """Page `number` (from 1) of the reviews due among the stored checklists `in_scope` (`visible_stored`),
    read from the stored due dates: `due_reviews` of the same cameras.

    Same rows and order as `due_reviews` for today (`on_date` is the day the stored results are read
    for): counted in SQL and only the page's `per_page` rows loaded, in four queries whatever the number
    of cameras (the missing-results check, the counts, the oldest result's date, the page). Raises
    BadParameter past the last page.
    """
    from trygg.compliance import stored
    from trygg.compliance.models import StoredChecklist
    from trygg.core.params import page_of

    rows = stored.due_reviews(in_scope, on_date, DUE_SOON_DAYS)
    counts = rows.aggregate(
        total=Count("review_due_on"),
        overdue=Count("review_due_on", filter=Q(review_due_on__lt=on_date)),
    )
    paginator = Paginator(rows, per_page)
    paginator.count = counts["total"]  # counted above with the others; not counted again
    page = page_of(paginator, number)
    shown = [
        DueReview(
            row.camera, row.review_due_on, is_overdue(row.review_due_on, on_date), (row.review_due_on - on_date).days
        )
        for row in page.object_list
    ]
    # The oldest of every camera's result, read from its index: never later than the due rows' own dates.
    oldest = stored.oldest_computed_on(StoredChecklist.objects.all())
    return DuePage(page, shown, counts["overdue"], oldest)


#
# What a review shows
#


@dataclass
class ReviewFacts:
    """The facts of a review: incidents at the site, coverage and intrusion, pauses in the period."""

    operation_started_on: dt.date | None
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date | None
    incidents_since_start: list[tuple[str, int]] = field(default_factory=list)
    incidents_in_period: list[tuple[str, int]] = field(default_factory=list)
    total_since_start: int = 0
    total_in_period: int = 0
    coverage_area_m2: float | None = None
    visible_area_m2: float | None = None
    intrusions: list[dict[str, Any]] = field(default_factory=list)
    pauses: list[tuple[dt.date, dt.date | None]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The figures frozen with the decision (dates as ISO strings)."""
        return {
            "operation_started_on": self.operation_started_on.isoformat() if self.operation_started_on else None,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "incidents_since_start": self.incidents_since_start,
            "incidents_in_period": self.incidents_in_period,
            "coverage_area_m2": self.coverage_area_m2,
            "visible_area_m2": self.visible_area_m2,
            "intrusions": self.intrusions,
            "pauses": [[start.isoformat(), end.isoformat() if end else None] for start, end in self.pauses],
        }


def _counts_by_kind(site_id: int, since: dt.date, until: dt.date) -> list[tuple[str, int]]:
    """Incidents at the site from `since` to `until` (inclusive), counted by kind in SQL, largest first."""
    from trygg.incidents.models import Incident

    rows = (
        Incident.objects.filter(site_id=site_id, occurred_on__gte=since, occurred_on__lte=until)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("-n", "kind")
    )
    return [(row["kind"], row["n"]) for row in rows]


def last_review(camera: Camera) -> CameraReview | None:
    """The camera's latest decided review."""
    return camera.reviews.order_by("-decided_at", "-pk").first()


def review_facts(camera: Camera, on_date: dt.date) -> ReviewFacts:
    """What the officer sees before deciding: the period since the last review (or since operation started)."""
    transitions = list(camera.transitions.order_by("occurred_on", "sequence"))
    rows = lifecycle_rows(transitions, on_date)
    start = operation_started_on(rows)
    previous = last_review(camera)
    done = reviews_done(camera.reviews.all(), on_date)
    period_start = timezone.localdate(previous.decided_at) if previous else (start or on_date)
    since_start = _counts_by_kind(camera.site_id, start, on_date) if start else []
    in_period = _counts_by_kind(camera.site_id, period_start, on_date)
    return ReviewFacts(
        operation_started_on=start,
        period_start=period_start,
        period_end=on_date,
        due_on=next_review_due(rows, done) if rows else None,
        incidents_since_start=since_start,
        incidents_in_period=in_period,
        total_since_start=sum(n for _kind, n in since_start),
        total_in_period=sum(n for _kind, n in in_period),
        coverage_area_m2=camera.coverage_area_m2,
        visible_area_m2=camera.visible_area_m2,
        intrusions=list(camera.intrusions or []),
        pauses=[p for p in pauses(rows, on_date) if p[1] is None or p[1] >= period_start],
    )


#
# Deciding and noting
#


def _open_assessment_version(camera: Camera, user: Any) -> tuple[Any, str]:
    """A new draft version of the camera's 9 § assessment, or the version already under work.

    Returns the version (None when the camera has no assessment yet) and a Swedish message for the officer.
    """
    from trygg.compliance import decisions
    from trygg.compliance.choices import DocumentStatus
    from trygg.compliance.models import SurveillanceAssessment

    latest = SurveillanceAssessment.objects.filter(camera=camera).order_by("-version", "-pk").first()
    if latest is None:
        return None, _(
            "Kameran har ingen intresseavvägning i Trygg ännu; skapa en under Efterlevnad innan ändringen görs."
        )
    open_version = SurveillanceAssessment.objects.filter(
        series=latest.series, status__in=[DocumentStatus.DRAFT, DocumentStatus.SUBMITTED]
    ).first()
    if open_version is not None:
        return open_version, _(
            "En version av intresseavvägningen var redan under arbete (version %(version)s); omprövningen "
            "hänvisar till den."
        ) % {"version": open_version.version}
    version = decisions.new_version(latest, user)
    return version, _("Version %(version)s av intresseavvägningen är påbörjad som utkast.") % {
        "version": version.version
    }


@transaction.atomic
def decide(
    camera: Camera,
    user: Any,
    outcome: str,
    reason: str,
    circumstances_changed: bool = False,
    circumstances_description: str = "",
    at: dt.datetime | None = None,
) -> tuple[CameraReview, list[str]]:
    """Record the officer's decision on the camera's yearly review; returns it with messages for the officer.

    "change", and "keep" after a change in circumstances, open a new version of the camera's 9 §
    assessment (`trygg.compliance.decisions.new_version`) linked from the review. "remove" changes
    nothing on the camera: the officer moves it out of operation on the life-cycle form.
    Raises ValidationError (Swedish, per field) on a missing reason or description.
    """
    at = at or timezone.now()
    on_date = timezone.localdate(at)
    errors: dict[str, str] = {}
    if outcome not in ReviewOutcome.values:
        errors["outcome"] = _("Välj ett beslut: behåll, ändra eller avveckla.")
    if not reason.strip():
        errors["reason"] = _("Motivera beslutet.")
    if circumstances_changed and not circumstances_description.strip():
        errors["circumstances_description"] = _("Beskriv vad som har ändrats på platsen.")
    if errors:
        raise ValidationError(errors)
    facts = review_facts(camera, on_date)
    if facts.due_on is None:
        raise ValidationError(_("Kameran är inte i drift, så den har ingen omprövning att göra."))
    review = CameraReview(
        camera=camera,
        due_on=facts.due_on,
        period_start=facts.period_start,
        period_end=facts.period_end,
        outcome=outcome,
        reason=reason.strip(),
        circumstances_changed=circumstances_changed,
        circumstances_description=circumstances_description.strip() if circumstances_changed else "",
        decided_by=user,
        decided_at=at,
        facts=facts.as_json(),
    )
    review.full_clean()
    review.save()
    messages: list[str] = []
    if review.opens_new_assessment:
        version, message = _open_assessment_version(camera, user)
        messages.append(message)
        if version is not None:
            review.assessment_version = version
            review.save()
    if outcome == ReviewOutcome.REMOVE:
        messages.append(_("Flytta kameran till avvecklad på kamerans sida; omprövningen ändrar inte statusen själv."))
    record_event(review, "review.decided", {"camera": camera.identifier, "outcome": outcome})
    return review, messages


@transaction.atomic
def note(review: CameraReview, user: Any, comment: str = "", at: dt.datetime | None = None) -> CameraReview:
    """The DPO marks the decided review as noted, with an optional comment. Refused if already noted."""
    review = CameraReview.objects.select_for_update().get(pk=review.pk)
    if review.noted_at is not None:
        raise ValidationError(_("Omprövningen är redan noterad av dataskyddsombudet."))
    review.noted_by = user
    review.noted_at = at or timezone.now()
    review.dpo_comment = comment.strip()
    review.save()
    record_event(review, "review.noted", {"camera": review.camera.identifier})
    return review
