"""The assessment events of the change log as people read them (who decided, delegation, case number)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LABELS = {
    "version": _("version"),
    "approved_on": _("godkänd den"),
    "superseded": _("ersatta versioner"),
    "case_number": _("diarienummer"),
    "delegation": _("delegation"),
    "acting_as_dpo": _("systemförvaltare i dataskyddsombudets ställe"),
    "reason": _("skäl för avslag"),
    "copied_from": _("kopia av version"),
}


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nej")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "–"
    return str(value) if value not in (None, "") else "–"


def describe_assessment_event(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows (label, before, after) of an assessment event; the document's name is the row's object."""
    return [(str(LABELS[key]), "", _plain(value)) for key, value in data.items() if key in LABELS]


def _list_labels(value: str, labels: dict[str, Any]) -> str:
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return value
    if not isinstance(items, list):
        return value
    return "; ".join(str(labels.get(item, item)) for item in items) or "–"


def _hours(value: str) -> str:
    from trygg.cameras.schedule_forms import describe_rules

    try:
        rules = json.loads(value)
        return "; ".join(describe_rules(rules)) or "–"
    except (TypeError, ValueError, KeyError):
        return value


def readable_rows(rows: list[Any]) -> list[Any]:
    """The change log of an assessment with its list fields in words, never as JSON (criteria, grounds, hours)."""
    from trygg.compliance.choices import FactorFor
    from trygg.compliance.engine.facts import DPIA_CRITERIA
    from trygg.compliance.models import ImpactAssessment, SurveillanceAssessment

    criteria = {code: gettext(label) for code, label in DPIA_CRITERIA.items()}
    converters = {
        str(ImpactAssessment._meta.get_field("criteria").verbose_name): lambda v: _list_labels(v, criteria),
        str(SurveillanceAssessment._meta.get_field("factors_for").verbose_name): lambda v: _list_labels(
            v, dict(FactorFor.choices)
        ),
        str(SurveillanceAssessment._meta.get_field("incident_hours").verbose_name): _hours,
    }
    for row in rows:
        row.fields = [
            (label, converters[label](before), converters[label](after))
            if label in converters
            else (label, before, after)
            for label, before, after in row.fields
        ]
    return rows
