"""How the programme's named events read in the change log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def describe_cameras_changed(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """`{"added": ["KVI-04"], "removed": []}` as rows of (label, before, after)."""
    rows = []
    if data.get("added"):
        rows.append((_("kameror som lades till"), "–", ", ".join(data["added"])))
    if data.get("removed"):
        rows.append((_("kameror som togs bort"), ", ".join(data["removed"]), "–"))
    return rows
