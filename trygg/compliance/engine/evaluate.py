"""Evaluate the rule book for one camera on one date: findings, the activation checklist, the gate.

- `activation_checklist` lists every check that applies on the date, passed or not: the UI shows it,
  and each failing check names what is missing and why it matters.
- `evaluate` returns only the failing checks, as findings.
- `activation_allowed` is the gate for `i drift`: True iff no blocker fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from trygg.compliance.engine.facts import CameraFacts
from trygg.compliance.engine.rules import Rule, Severity, exemption_applies, rules_in_force

_SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """A duty that is not met: what, how serious, the rule's source and why it matters.

    `message` is rendered in Swedish; the Django layer shows it in the reader's language with
    `messages.render(message_template, params, gettext, <its number format>)`.
    """

    code: str
    severity: Severity
    title: str
    message: str
    legal_reference: str
    why: str
    message_template: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Check:
    """One line of the activation checklist: a duty that applies on the date, met or not.

    `reason` is the rendered message saying what is missing when the check fails, and "" when it
    passes (the `title` then says what was checked). `params` are the message's parts
    (`trygg.compliance.engine.messages`), kept so that it can be shown in another language.
    """

    code: str
    severity: Severity
    title: str
    passed: bool
    reason: str
    legal_reference: str
    why: str
    message_template: str
    params: dict[str, Any]


def applicable_rules(facts: CameraFacts, on_date: dt.date) -> tuple[Rule, ...]:
    """The rules in force on `on_date` that concern this camera, after any valid 11–13 §§ exemption."""
    exempt = exemption_applies(facts, on_date)
    return tuple(
        rule
        for rule in rules_in_force(on_date)
        if rule.applies(facts, on_date) and not (exempt and rule.skipped_when_exempt)
    )


def _check(rule: Rule, facts: CameraFacts, on_date: dt.date) -> Check:
    passed = bool(rule.predicate(facts, on_date))
    reason, params = ("", {}) if passed else rule.render(facts, on_date)
    return Check(
        code=rule.code,
        severity=rule.severity,
        title=rule.title,
        passed=passed,
        reason=reason,
        legal_reference=rule.legal_reference,
        why=rule.why,
        message_template=rule.message,
        params=params,
    )


def activation_checklist(facts: CameraFacts, on_date: dt.date) -> list[Check]:
    """Every check that applies to the camera on `on_date`, in rule-book order, passed or not."""
    return [_check(rule, facts, on_date) for rule in applicable_rules(facts, on_date)]


def evaluate(facts: CameraFacts, on_date: dt.date) -> list[Finding]:
    """The duties in force on `on_date` that the camera does not meet, blockers first."""
    findings = [
        Finding(
            code=check.code,
            severity=check.severity,
            title=check.title,
            message=check.reason,
            legal_reference=check.legal_reference,
            why=check.why,
            message_template=check.message_template,
            params=check.params,
        )
        for check in activation_checklist(facts, on_date)
        if not check.passed
    ]
    return sorted(findings, key=lambda finding: _SEVERITY_ORDER[finding.severity])


def activation_allowed(facts: CameraFacts, on_date: dt.date) -> bool:
    """Whether the camera may enter `i drift` on `on_date`: no applicable blocker check fails."""
    return all(check.passed for check in activation_checklist(facts, on_date) if check.severity is Severity.BLOCKER)
