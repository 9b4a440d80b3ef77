"""The project board: installation projects by status, target against what is in place."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trygg.core import roles
from trygg.core.access import requires
from trygg.programme import progress
from trygg.programme.choices import ProjectStatus
from trygg.programme.models import Project
from trygg.sites.models import DialogueNote


@requires(roles.is_staff_role)
def project_board(request: HttpRequest) -> HttpResponse:
    projects = list(
        roles.scope_queryset(request.user, Project.objects.all())
        .select_related("site", "responsible_administration")
        .annotate(
            camera_count=Count("cameras", distinct=True),
            installed_count=Count(
                "cameras", filter=Q(cameras__state__in=["installed", "in_operation", "paused"]), distinct=True
            ),
            in_operation_count=Count("cameras", filter=Q(cameras__state=progress.IN_OPERATION), distinct=True),
        )
        .prefetch_related(Prefetch("dialogue_notes", queryset=DialogueNote.objects.order_by("-held_on")))
        .order_by("target_date", "name")
    )
    today = timezone.localdate()
    for project in projects:
        project.progress = progress.CameraProgress(project.in_operation_count, project.target_min, project.target_max)
        project.days_late = project.days_past_target(today)
    columns = [(value, label, [p for p in projects if p.status == value]) for value, label in ProjectStatus.choices]
    return render(
        request,
        "programme/board.html",
        {
            "columns": columns,
            "may_edit": roles.edits_register.test(request.user),
            "may_see_assignments": roles.follows_programme.test(request.user),
        },
    )
