"""Pages of the yearly review under /utvardering/omprovning/: the due list, a new review, detail, note, history.

Access (review_access.py): every role reads (the contact its own administration's cameras); the
officer and the admin decide; the DPO notes. The views stay thin: `review_services` does the work.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.history import changes_for, describe
from trygg.core.params import BadParameter, bad_request, page_of, page_param
from trygg.evaluation import review_services as services
from trygg.evaluation.review_access import decides_reviews, notes_reviews, reads_reviews
from trygg.evaluation.review_forms import NoteForm, ReviewForm
from trygg.evaluation.review_models import CameraReview
from trygg.incidents.choices import IncidentKind


def _labelled(counts: list[Any]) -> list[tuple[str, int]]:
    return [(str(IncidentKind(kind).label) if kind in IncidentKind.values else kind, n) for kind, n in counts]


def _facts_context(facts: dict[str, Any] | services.ReviewFacts) -> dict[str, Any]:
    """Incident counts with Swedish labels, from live facts or the figures frozen with a decision."""
    data = facts.as_json() if isinstance(facts, services.ReviewFacts) else facts
    since = dict(_labelled(data.get("incidents_since_start", [])))
    period = dict(_labelled(data.get("incidents_in_period", [])))
    return {
        "facts": data,
        # (kind, since operation started, in the period reviewed); a kind absent from a period counts 0.
        "incident_rows": [(label, since.get(label, 0), period.get(label, 0)) for label in since | period],
        "total_since_start": sum(n for _kind, n in data.get("incidents_since_start", [])),
        "total_in_period": sum(n for _kind, n in data.get("incidents_in_period", [])),
    }


# The due list and the list of decided reviews awaiting the DPO are paged: a page's work does not grow
# with the number of cameras or reviews (issue 15).
DUE_PER_PAGE = 100
AWAITING_PER_PAGE = 50


@requires(reads_reviews)
def due_list(request: HttpRequest) -> HttpResponse:
    """Cameras whose yearly review is overdue or due within 60 days, DUE_PER_PAGE a page (`?page=`), and
    decided reviews awaiting the DPO, AWAITING_PER_PAGE a page (`?vantar=`).

    Today's due dates are read from the stored checklists (`trygg.compliance.stored.due_reviews`),
    counted in SQL; a page number past the last or not a number is refused (400, Swedish).
    """
    today = timezone.localdate()
    try:
        due = services.stored_due_page(services.visible_stored(request.user), today, page_param(request), DUE_PER_PAGE)
        awaiting = page_of(
            Paginator(
                services.visible_reviews(request.user)
                .filter(noted_at__isnull=True)
                .select_related("camera__site")
                .order_by("-decided_at", "-pk"),
                AWAITING_PER_PAGE,
            ),
            page_param(request, "vantar"),
        )
    except BadParameter as error:
        return bad_request(error, request)
    return render(
        request,
        "evaluation/review/due_list.html",
        {
            "page": due.page,
            "rows": due.rows,
            "overdue_count": due.overdue,
            "computed_on": due.computed_on,
            "awaiting_page": awaiting,
            "awaiting": awaiting.object_list,
            "today": today,
            "within_days": services.DUE_SOON_DAYS,
            "may_decide": decides_reviews(request.user),
        },
    )


@requires(decides_reviews)
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer reviews one camera: the facts of the period, then keep / change / remove with a reason."""
    camera = get_object_or_404(services.visible_cameras(request.user).select_related("site"), pk=pk)
    today = timezone.localdate()
    facts = services.review_facts(camera, today)
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                review, notices = services.decide(camera, request.user, **form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, field_errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, field_errors)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(request, _("Omprövningen är beslutad."))
                for notice in notices:
                    messages.info(request, notice)
                return redirect("evaluation:review_detail", pk=review.pk)
        status = 400
    context = {
        "camera": camera,
        "form": form,
        "due_on": facts.due_on,
        "overdue": facts.due_on is not None and facts.due_on < today,
        "pauses": facts.pauses,
        "today": today,
        "may_open_camera": roles.is_staff_role.test(request.user),
    } | _facts_context(facts)
    return render(request, "evaluation/review/review_form.html", context, status=status)


@requires(reads_reviews)
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A decided review: the facts as they were, the decision, what it led to and the DPO's note."""
    review = get_object_or_404(
        services.visible_reviews(request.user).select_related(
            "camera__site", "decided_by", "noted_by", "assessment_version"
        ),
        pk=pk,
    )
    context = {
        "review": review,
        "camera": review.camera,
        "note_form": NoteForm() if notes_reviews(request.user) and review.noted_at is None else None,
        "history": describe(changes_for(review)[:30]),
        "may_open_camera": roles.is_staff_role.test(request.user),
    } | _facts_context(review.facts)
    return render(request, "evaluation/review/review_detail.html", context)


@require_POST
@requires(notes_reviews)
def review_note(request: HttpRequest, pk: int) -> HttpResponse:
    """The DPO marks the review as noted (POST only)."""
    review = get_object_or_404(services.visible_reviews(request.user), pk=pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note(review, request.user, form.cleaned_data["dpo_comment"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Omprövningen är noterad av dataskyddsombudet."))
    return redirect("evaluation:review_detail", pk=review.pk)


@requires(reads_reviews)
def camera_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Every review of one camera, newest first, with the next due date."""
    camera = get_object_or_404(services.visible_cameras(request.user).select_related("site"), pk=pk)
    today = timezone.localdate()
    loaded = services.cameras_for_review(type(camera).objects.filter(pk=camera.pk)).get()
    due_on = services.review_due_dates([loaded], today)[camera.pk]
    reviews = CameraReview.objects.filter(camera=camera).select_related("decided_by", "noted_by")
    return render(
        request,
        "evaluation/review/camera_history.html",
        {
            "camera": camera,
            "reviews": reviews,
            "due_on": due_on,
            "overdue": due_on is not None and due_on < today,
            "may_decide": decides_reviews(request.user),
            # The camera's own page is for staff roles; a reader follows the reviews, not the cameras.
            "may_open_camera": roles.is_staff_role.test(request.user),
        },
    )
