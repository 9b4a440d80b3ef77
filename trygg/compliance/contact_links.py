"""Contact details as links: e-mail addresses to `mailto:`, Swedish phone numbers to `tel:` (pure).

The art. 30 record keeps the controller's contacts as free text ("761 80 Norrtälje; kommun@kommun.example;
0176-00 00 00"). The public page shows that text with the addresses and numbers clickable, so a visitor
on a phone can call or write at once. Nothing here imports Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A Swedish number starts with 0 (national) or +46; digits may be grouped with spaces or hyphens.
# A postcode ("761 80") does not start with 0, so it is never taken for a number.
PHONE = re.compile(r"(?<![\w+])(?:\+46|0)[ -]?\(?\d[\d ()-]{4,}\d(?!\w)")
MIN_PHONE_DIGITS = 7


@dataclass(frozen=True)
class Part:
    """A piece of contact text: plain (`href` empty) or a link with its `href`."""

    text: str
    href: str = ""


def tel_href(number: str) -> str:
    """A `tel:` URI in international form: "0176-00 00 00" → "tel:+46176000000".

    Raises ValueError when `number` has too few digits to be a phone number.
    """
    # "+46 (0)8 …": the bracketed trunk zero is dialled only within Sweden.
    digits = re.sub(r"\D", "", number.replace("(0)", ""))
    if number.strip().startswith("+"):
        international = "+" + digits
    elif digits.startswith("0"):
        international = "+46" + digits[1:]
    else:
        international = digits
    if len(digits) < MIN_PHONE_DIGITS:
        raise ValueError(f"not a phone number: {number!r}")
    return "tel:" + international


def mailto_href(address: str) -> str:
    """A `mailto:` URI for a plain e-mail address."""
    return "mailto:" + address.strip()


def contact_parts(text: str) -> list[Part]:
    """Split free contact text into plain parts and links, keeping every character in order."""
    matches = []
    for match in EMAIL.finditer(text):
        matches.append((match.start(), match.end(), mailto_href(match.group())))
    for match in PHONE.finditer(text):
        if any(start < match.end() and match.start() < end for start, end, _href in matches):
            continue  # digits inside an e-mail address
        if len(re.sub(r"\D", "", match.group())) < MIN_PHONE_DIGITS:
            continue
        matches.append((match.start(), match.end(), tel_href(match.group())))
    parts: list[Part] = []
    position = 0
    for start, end, href in sorted(matches):
        if start > position:
            parts.append(Part(text[position:start]))
        parts.append(Part(text[start:end], href))
        position = end
    if position < len(text):
        parts.append(Part(text[position:]))
    return parts
