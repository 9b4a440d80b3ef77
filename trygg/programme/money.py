"""Money as the municipality writes it: `1 000 000 kr`, exact to the öre, no Django.

One function formats every amount (pages, CSV, DOCX, PDF): thousands are grouped with a
non-breaking space so an amount never breaks over two lines, and öre are shown only when there are any.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\xa0"
ORE = Decimal("0.01")


def group_thousands(whole: int) -> str:
    digits = str(abs(whole))
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ("-" if whole < 0 else "") + NBSP.join(groups)


def format_amount(value: Decimal | int | str | None) -> str:
    """`Decimal("1000000")` → `1 000 000`; `Decimal("1234.5")` → `1 234,50` (non-breaking spaces)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(ORE, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    ore = int((amount - whole) * 100)
    text = group_thousands(whole)
    if ore:
        text += f",{ore:02d}"
    return sign + text


def format_kr(value: Decimal | int | str | None) -> str:
    """An amount in kronor: `1 000 000 kr` (with non-breaking spaces); empty for no value."""
    if value is None or value == "":
        return ""
    return f"{format_amount(value)}{NBSP}kr"


def format_mkr(value: Decimal | int | str) -> str:
    """Whole millions as the board writes them (`1 mkr`, `2,5 mkr`); other amounts in kronor."""
    amount = Decimal(str(value))
    millions = amount / Decimal(1_000_000)
    if millions >= 1 and millions == millions.quantize(Decimal("0.1")):
        text = f"{millions.normalize():f}".replace(".", ",")
        return f"{text}{NBSP}mkr"
    return format_kr(amount)
