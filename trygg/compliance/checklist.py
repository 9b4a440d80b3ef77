"""The activation checklist as people read it, and the two hooks into a camera's life.

`checklist_data` presents the engine's checks (JSON and pages); `activation_gate` refuses "i drift"
while a blocker fails; `intrusion_change_check` refuses an edit that intrudes more while a camera
is in operation (9 § KBL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext

from trygg.cameras.lifecycle import State
from trygg.cameras.models import Camera
from trygg.compliance import intrusion
from trygg.compliance.choices import (
    DocumentStatus,
)
from trygg.compliance.engine import (
    Check,
    Severity,
    dpia_criteria,
    dpia_required,
    render_message,
)
from trygg.compliance.engine.facts import NEW_REGIME_FROM
from trygg.compliance.engine.messages import render_part
from trygg.compliance.facts import CameraCompliance, compliance_for
from trygg.compliance.models import (
    SurveillanceAssessment,
)
from trygg.core.audit import current_context

# Sources of moves made by a person; other sources (the demo, imports) record history.
INTERACTIVE_SOURCES = frozenset({"web", "admin", "api"})
# From this date Trygg's gate is the control that a camera may start. Before it IMY's permit was,
# so loading history dated earlier is recorded as it happened and reviewed on the checklist instead.
GATE_FROM = NEW_REGIME_FROM


#
# Presenting checks
#


def localized_number(value: float, decimals: int) -> str:
    """A number of a message with at most `decimals` decimals, in the notation of the active language."""
    rounded = round(value, decimals)
    return number_format(int(rounded) if rounded == int(rounded) else rounded)


def message_text(template: str, params: Mapping[str, Any]) -> str:
    """A message of the rules engine (template and parts, as a check or a stored finding keeps them) in the
    active language: the template and every text in its parts translated, numbers in the language's notation."""
    return render_message(template, params, gettext, localized_number)


def part_text(part: Any) -> str:
    """One message part (`trygg.compliance.engine.messages`) in the active language and its notation."""
    return render_part(part, gettext, localized_number)


def check_message(check: Check) -> str:
    """The check's message in the user's language ("" when it passes)."""
    if check.passed:
        return ""
    return message_text(check.message_template, check.params)


def check_as_dict(check: Check) -> dict[str, Any]:
    return {
        "code": check.code,
        "severity": str(check.severity),
        "title": gettext(check.title),
        "passed": check.passed,
        "reason": check_message(check),
        "legal_reference": gettext(check.legal_reference),
        "why": gettext(check.why),
    }


def gate_reason(check: Check) -> str:
    """One line of a refusal: what is missing, the legal reference and why it matters."""
    return gettext("%(title)s: %(reason)s (%(reference)s) Varför: %(why)s") % {
        "title": gettext(check.title),
        "reason": check_message(check),
        "reference": gettext(check.legal_reference),
        "why": gettext(check.why),
    }


def increase_text(increase: intrusion.Increase) -> str:
    """One way the camera intrudes more than approved, with the approved and the current value, in the user's language."""
    label = gettext(increase.label)
    if increase.approved or increase.now:
        return gettext("%(change)s (godkänt: %(approved)s, nu: %(now)s)") % {
            "change": label,
            "approved": part_text(increase.approved or "–"),
            "now": part_text(increase.now or "–"),
        }
    return label


def checklist_data(compliance: CameraCompliance) -> dict[str, Any]:
    """The checklist as JSON-ready data: every check with pass/fail, reason and legal reference."""
    checks = compliance.checklist()
    return {
        "camera": compliance.camera.identifier,
        "date": compliance.on_date.isoformat(),
        "state": compliance.lifecycle.state,
        "activation_allowed": all(c.passed for c in checks if c.severity is Severity.BLOCKER),
        "dpia_required": dpia_required(compliance.facts),
        "dpia_criteria": sorted(dpia_criteria(compliance.facts)),
        "assessment_stale": bool(compliance.increases),
        "intrusion_increases": [increase_text(i) for i in compliance.increases],
        "checks": [check_as_dict(c) for c in checks],
        # Where the camera's settings come from: "current", or from the change log ("logged", "earliest").
        "settings": {
            "source": compliance.settings.source,
            "logged_at": compliance.settings.logged_at.isoformat() if compliance.settings.logged_at else None,
        },
    }


#
# Hooks into the camera's life
#


def activation_gate(camera: Camera, target: State, on: dt.date) -> list[str]:
    """Pre-move check: the Swedish reasons why `camera` may not enter "i drift" on `on` (empty: it may)."""
    if target is not State.IN_OPERATION:
        return []
    if on < GATE_FROM and current_context().source not in INTERACTIVE_SOURCES:
        return []
    compliance = compliance_for(camera, on)
    failing = [c for c in compliance.checklist() if c.severity is Severity.BLOCKER and not c.passed]
    if not failing:
        return []
    header = gettext("Kameran %(camera)s kan inte tas i drift %(date)s. Detta saknas:") % {
        "camera": camera.identifier,
        "date": on.isoformat(),
    }
    reasons = [header, *(gate_reason(c) for c in failing)]
    if compliance.increases:
        reasons.append(
            gettext("Ändringar som ökat intrånget sedan intresseavvägningen godkändes: %(changes)s.")
            % {"changes": "; ".join(increase_text(i) for i in compliance.increases)}
        )
    return reasons


def _current_assessment(camera: Camera) -> SurveillanceAssessment | None:
    return (
        SurveillanceAssessment.objects.filter(camera=camera, status=DocumentStatus.APPROVED)
        .order_by("-approved_on", "-version")
        .first()
    )


def intrusion_change_check(stored: Camera | None, edited: Camera) -> dict[str, list[str]]:
    """Change check: refuse an edit that intrudes more while the camera is in operation (9 § KBL).

    For a camera not in operation the edit is allowed; its assessment turns stale and the gate
    blocks activation until a new one is approved.
    """
    if stored is None or stored.state != State.IN_OPERATION.value:
        return {}
    assessment = _current_assessment(stored)
    before = intrusion.snapshot(stored)
    baseline = assessment.snapshot if assessment is not None and assessment.snapshot else before
    now = intrusion.snapshot(edited)
    found: dict[str, list[str]] = {}
    for increase in intrusion.increases(baseline, now):
        key = "schedule_rules" if increase.field == "schedule_template" else increase.field
        if before.get(key) == now.get(key) and increase.field != "schedule_template":
            continue  # not changed by this edit
        if increase.field == "schedule_template" and before["schedule_rules"] == now["schedule_rules"]:
            continue
        target = increase.field if increase.field in {f.name for f in Camera._meta.fields} else "__all__"
        found.setdefault(target, []).append(
            gettext(
                "Kameran är i drift och ändringen ökar intrånget: %(change)s. En ny intresseavvägning enligt 9 § "
                "kamerabevakningslagen måste godkännas innan ändringen görs, eller så pausas kameran först."
            )
            % {"change": increase_text(increase)}
        )
    return found
