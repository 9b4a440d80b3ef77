"""Template helpers for the assessment pages: a field of a document as it reads in the document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext

from trygg.compliance.choices import FactorFor
from trygg.compliance.engine.facts import DPIA_CRITERIA
from trygg.compliance.models import SurveillanceAssessment, VersionedDocument

register = template.Library()

# Parts that only apply when another part says so; left out of the document when empty.
CONDITIONAL = frozenset(
    {
        "legal_task_other",
        "processor_agreement",
        "processor_agreement_valid_to",
        "children_heard_on",
        "children_heard_result",
        "prior_consultation_reference",
    }
)


def _display(document: VersionedDocument, name: str, value: Any) -> str:
    field = document._meta.get_field(name)
    if value in (None, "", [], ()):
        return ""
    if name == "factors_for":
        return "; ".join(str(FactorFor(v).label) for v in value if v in FactorFor.values)
    if name == "criteria":
        return "; ".join(gettext(DPIA_CRITERIA[v]) for v in value if v in DPIA_CRITERIA)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("ja") if value else gettext("nej")
    if isinstance(value, dt.date):
        return value.isoformat()
    if field.is_relation:
        return str(value)
    return str(value)


@register.simple_tag
def document_field(document: VersionedDocument, name: str) -> dict[str, Any]:
    """{label, value, inherited} of a content field; a 9 § addendum shows what it takes from its template."""
    field = document._meta.get_field(name)
    own = getattr(document, name)
    inherited = False
    value = own
    if isinstance(document, SurveillanceAssessment):
        value = document.effective(name)
        inherited = value != own and own in ("", [], None)
    if name == "template":
        value = document.template if document.template_id else None
    shown = _display(document, name, value)
    return {
        "label": field.verbose_name,
        "value": shown,
        "inherited": inherited,
        "name": name,
        "hidden": not shown and name in CONDITIONAL,
    }


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    """mapping[key], or None (for dictionaries keyed by a variable in a template)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
