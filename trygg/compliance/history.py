"""The assessment events of the change log as people read them (who decided, delegation, case number)."""

from __future__ import annotations

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
