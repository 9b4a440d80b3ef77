"""The compliance section on a camera's page: what the law requires today, and what is missing."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from trygg.compliance import checklist, facts, fixes
from trygg.core import roles


def camera_panel(request: Any, camera: Any) -> str:
    """The activation checklist for today, blockers and warnings first, each with the page that fixes it."""
    compliance = facts.compliance_for(camera, timezone.localdate())
    data = checklist.checklist_data(compliance)
    checks = data["checks"]
    fixes.with_fix_links(checks, camera, compliance.documents, request.user)
    return render_to_string(
        "compliance/camera_panel.html",
        {
            "camera": camera,
            "data": data,
            "blockers": [c for c in checks if c["severity"] == "blocker" and not c["passed"]],
            "warnings": [c for c in checks if c["severity"] != "blocker" and not c["passed"]],
            "passed_count": sum(1 for c in checks if c["passed"]),
            "may_edit": roles.edits_register.test(request.user),
        },
        request=request,
    )


def refusal_help(request: Any, camera: Any, target: str, on: Any) -> str | None:
    """Beside a refused "i drift": each blocker on `on` in one line, with the pages that fix it."""
    if target != "in_operation":
        return None
    compliance = facts.compliance_for(camera, on)
    checks = [
        c for c in checklist.checklist_data(compliance)["checks"] if c["severity"] == "blocker" and not c["passed"]
    ]
    if not checks:
        return None
    fixes.with_fix_links(checks, camera, compliance.documents, request.user)
    return render_to_string("compliance/refusal_help.html", {"checks": checks}, request=request)
