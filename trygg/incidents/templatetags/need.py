"""Numbers on the need pages as the municipality writes them: 12 500 kr, 0,25."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

register = template.Library()
NBSP = "\xa0"


def _group(whole: int) -> str:
    return f"{whole:,}".replace(",", NBSP)


@register.filter
def kr(value: Any) -> str:
    """Whole kronor with grouped thousands: 12 500 kr; a dash for no value."""
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{_group(int(amount))}{NBSP}kr"


@register.filter
def dec(value: Any, places: int = 1) -> str:
    """A number with a decimal comma: 0,3; whole numbers without decimals."""
    if value is None or value == "":
        return "–"
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    if amount == amount.to_integral():
        return _group(int(amount))
    whole, _dot, fraction = f"{abs(amount):f}".partition(".")
    return ("-" if amount < 0 else "") + _group(int(whole)) + "," + fraction


@register.filter
def percent(value: Any) -> str:
    """A share 0–1 as whole percent: 83 %."""
    if value is None:
        return "–"
    return f"{round(float(value) * 100)}{NBSP}%"


@register.filter
def signed_percent(value: Any) -> str:
    """A change as whole percent with its sign: +42 %, −10 %, 0 %."""
    if value is None:
        return "–"
    number = round(float(value) * 100)
    sign = "+" if number > 0 else "−" if number < 0 else ""
    return f"{sign}{abs(number)}{NBSP}%"
