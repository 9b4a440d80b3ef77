"""Characters the PDF/A's fonts cannot draw, named so the officer can fix them before locking.

PDF/A forbids drawing a character with a font that lacks it (the reader would see an empty box),
and text pasted from e-mail often carries emoji. Rather than strip or replace anything silently,
the report names each such character, where it stands, and its code point.

Pure: `parse_charset` reads fontconfig's charset notation ("20-7e a0-17f 192"), `undrawable` finds
the characters outside the fonts' ranges. The fonts' ranges come from `trygg.reports.services`.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Not drawn at all, so no font needs them: controls, format characters (zero-width joiner, soft
# hyphen) and variation selectors (the U+FE0F after many emoji).
INVISIBLE_CATEGORIES = {"Cc", "Cf"}
VARIATION_SELECTORS = range(0xFE00, 0xFE10)


@dataclass(frozen=True)
class Undrawable:
    """A character no font of the PDF/A has: where (`place`, e.g. a section title), the character, U+XXXX."""

    place: str
    character: str

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.character):04X}"


class Coverage:
    """The code points the fonts cover, as sorted, merged ranges (inclusive)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(ranges):
            if merged and start <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        self.starts = [start for start, _end in merged]
        self.ranges = merged

    def __contains__(self, character: str) -> bool:
        point = ord(character)
        index = bisect.bisect_right(self.starts, point) - 1
        return index >= 0 and self.ranges[index][0] <= point <= self.ranges[index][1]


def parse_charset(text: str) -> list[tuple[int, int]]:
    """fontconfig's charset ("20-7e a0-17f 192", hexadecimal) as inclusive ranges [(0x20, 0x7e), …].

    Raises ValueError on a word that is not hexadecimal.
    """
    ranges = []
    for word in text.split():
        start, _dash, end = word.partition("-")
        ranges.append((int(start, 16), int(end or start, 16)))
    return ranges


def needs_glyph(character: str) -> bool:
    return (
        not character.isspace()
        and unicodedata.category(character) not in INVISIBLE_CATEGORIES
        and ord(character) not in VARIATION_SELECTORS
    )


def undrawable(texts: Iterable[tuple[str, str]], coverage: Coverage) -> list[Undrawable]:
    """Each character of `texts` ((place, text) pairs) that needs a glyph and no font covers.

    One entry per character and place, in the order they first appear.
    """
    found: dict[tuple[str, str], Undrawable] = {}
    for place, text in texts:
        for character in text:
            if (place, character) not in found and needs_glyph(character) and character not in coverage:
                found[(place, character)] = Undrawable(place, character)
    return list(found.values())
