"""`{% load money %}` … `{{ amount|kr }}` → `1 000 000 kr`: the one way Trygg shows money."""

from __future__ import annotations

from decimal import Decimal

from django import template

from trygg.programme.money import format_kr

register = template.Library()


@register.filter
def kr(value: Decimal | int | str | None) -> str:
    return format_kr(value)
