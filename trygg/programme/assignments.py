"""Assignment pages (uppdrag) under /uppfoljning/uppdrag/: the list, create and edit.

Each year's verksamhetsplan carries the assignment as its own row, so a board report chooses the
assignment and with it the plan year it cites. Those who follow the programme read the list; the
unit (officers) and the admin create and change assignments, as they write the reports.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.versions import save_versioned
from trygg.programme.forms import AssignmentForm
from trygg.programme.models import Assignment


@requires(roles.follows_programme)
def assignment_list(request: HttpRequest) -> HttpResponse:
    assignments = Assignment.objects.annotate(
        project_count=Count("projects", distinct=True), report_count=Count("board_reports", distinct=True)
    ).order_by("-plan_year", "title")
    return render(
        request,
        "programme/assignment_list.html",
        {"assignments": assignments, "may_edit": roles.writes_reports.test(request.user)},
    )


def _next_year_initial() -> dict[str, Any]:
    """A new year's assignment starts as a copy of the latest one, one plan year later (not its description)."""
    latest = Assignment.objects.order_by("-plan_year", "-pk").prefetch_related("indicators").first()
    if latest is None:
        return {"plan_year": timezone.localdate().year}
    return {
        "title": latest.title,
        "plan_year": latest.plan_year + 1,
        "origin": latest.origin,
        "status": latest.status,
        "responsible_unit": latest.responsible_unit,
        "followed_up_since": latest.followed_up_since or latest.plan_year,
        "indicators": list(latest.indicators.all()),
        # The description is left out: it is the old plan's words and often names that plan's year.
    }


def _form_page(request: HttpRequest, form: AssignmentForm, assignment: Assignment | None) -> HttpResponse:
    return render(request, "programme/assignment_form.html", {"form": form, "assignment": assignment})


@requires(roles.writes_reports)
def assignment_create(request: HttpRequest) -> HttpResponse:
    form = AssignmentForm(request.POST or None, initial=_next_year_initial())
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            assignment = form.save()
        messages.success(
            request,
            _("Uppdraget för verksamhetsplan %(year)s är sparat.") % {"year": assignment.plan_year},
        )
        return redirect("programme:assignments")
    return _form_page(request, form, None)


@requires(roles.writes_reports)
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment, pk=pk)
    form = AssignmentForm(request.POST or None, instance=assignment)
    if request.method == "POST" and form.is_valid() and save_versioned(form) is not None:
        messages.success(
            request,
            _("Uppdraget för verksamhetsplan %(year)s är sparat.") % {"year": assignment.plan_year},
        )
        return redirect("programme:assignments")
    return _form_page(request, form, assignment)
