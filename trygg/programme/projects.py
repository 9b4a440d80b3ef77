"""Project pages (projekteringar): the detail page, create and edit. The board is in `board.py`.

Officers and admins write; other staff read, the administration contact only its own
administration's projects (`roles.scope_queryset`). Readers have the dashboard instead.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from trygg.core import roles
from trygg.core.access import requires
from trygg.core.audit import record_event
from trygg.core.history import ChangeRow, changes_for, describe
from trygg.core.params import BadParameter, bad_request, record_param
from trygg.core.versions import save_versioned
from trygg.programme import progress
from trygg.programme.choices import DelayReason
from trygg.programme.forms import ProjectForm
from trygg.programme.models import Assignment, Project
from trygg.sites.models import Site

CAMERAS_CHANGED = "project.cameras_changed"


def visible_projects(request: HttpRequest):
    return roles.scope_queryset(request.user, Project.objects.all())


def _reason_labels(text: str) -> str:
    """The change log shows the delay reasons as JSON codes; people read their labels."""
    try:
        codes = json.loads(text)
    except (TypeError, ValueError):
        return text
    if not isinstance(codes, list):
        return text
    labels = dict(DelayReason.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes) or "–"


def _readable(rows: list[ChangeRow]) -> list[ChangeRow]:
    field_label = str(Project._meta.get_field("delay_reasons").verbose_name)
    for row in rows:
        row.fields = [
            (label, _reason_labels(before), _reason_labels(after)) if label == field_label else (label, before, after)
            for label, before, after in row.fields
        ]
    return rows


@requires(roles.is_staff_role)
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(
        visible_projects(request).select_related("site", "responsible_administration", "assignment"), pk=pk
    )
    cameras = list(project.cameras.order_by("identifier"))
    today = timezone.localdate()
    return render(
        request,
        "programme/project_detail.html",
        {
            "project": project,
            "cameras": cameras,
            "progress": progress.camera_progress([c.state for c in cameras], project.target_min, project.target_max),
            "days_late": project.days_past_target(today),
            "notes": project.dialogue_notes.order_by("-held_on"),
            "history": _readable(describe(changes_for(project)[:30])),
            "may_edit": roles.edits_register.test(request.user),
            "may_add_notes": roles.adds_site_notes.test(request.user),
        },
    )


def _site_from_query(request: HttpRequest) -> Site | None:
    """The site to fill in, from `?plats=<id>`; BadParameter naming the field "Plats" when it is not a number
    or not one of the sites the user may see (never a 404 for the whole page)."""
    # `plats` is the documented parameter; `site` is what the form's own site field sends (htmx).
    name = "plats" if request.GET.get("plats") else "site"
    return record_param(request, name, _("Plats"), roles.scope_queryset(request.user, Site.objects.all()))


def save_project(form: ProjectForm) -> Project:
    """Save a valid project form and its cameras in one transaction (the page and the REST API)."""
    with transaction.atomic():
        project = form.save()
        added, removed = form.save_cameras(project)
        if added or removed:
            record_event(project, CAMERAS_CHANGED, {"added": added, "removed": removed})
    return project


def _form_page(request: HttpRequest, form: ProjectForm, project: Project | None) -> HttpResponse:
    return render(request, "programme/project_form.html", {"form": form, "project": project})


@requires(roles.edits_register)
def project_create(request: HttpRequest) -> HttpResponse:
    try:
        site = _site_from_query(request)
    except BadParameter as error:
        return bad_request(error, request)
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "plan_year": today.year,
        "assignment": Assignment.objects.order_by("-plan_year", "pk").first(),
    }
    if site is not None:
        initial |= {"site": site, "responsible_administration": site.administration_id}
    form = ProjectForm(request.POST or None, initial=initial, user=request.user, refresh_url=request.path)
    if request.method == "POST" and form.is_valid():
        project = save_project(form)
        messages.success(request, _("Projekteringen är sparad."))
        return redirect("projects:detail", pk=project.pk)
    return _form_page(request, form, None)


@requires(roles.edits_register)
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(Project.objects.select_related("site"), pk=pk)
    try:
        site = _site_from_query(request) if request.method == "GET" else None
    except BadParameter as error:
        return bad_request(error, request)
    initial = {"site": site} if site is not None else {}
    form = ProjectForm(
        request.POST or None, instance=project, initial=initial, user=request.user, refresh_url=request.path
    )
    if request.method == "POST" and form.is_valid() and save_versioned(form, lambda: save_project(form)) is not None:
        messages.success(request, _("Projekteringen är sparad."))
        return redirect("projects:detail", pk=project.pk)
    return _form_page(request, form, project)
