"""Choices that carry their meaning: value, Swedish label and a colour, defined once.

Model fields, filters, badges and documents all use the same class, so a status is never a bare
string in a view.
"""

from __future__ import annotations

from django.db import models


class ColouredChoices(models.TextChoices):
    """TextChoices with a colour per value; subclasses set `_colours` after the class body."""

    @classmethod
    def colour(cls, value: str) -> str:
        return getattr(cls, "_colours", {}).get(value, "grey")


def with_colours(choices: type[ColouredChoices], colours: dict[str, str]) -> type[ColouredChoices]:
    """Attach colours to a choices class (Enum bodies cannot hold plain dict attributes)."""
    choices._colours = {str(k): v for k, v in colours.items()}  # type: ignore[attr-defined]
    return choices
