"""How a life-cycle event reads in the change log."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from trygg.cameras.choices import LifecycleState


def _label(value: str | None) -> str:
    return str(LifecycleState(value).label) if value in LifecycleState.values else "–"


def describe_transition(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (_("status"), _label(data.get("from")), _label(data.get("to"))),
        (_("datum"), "–", data.get("occurred_on", "–")),
    ]
