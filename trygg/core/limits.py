"""Limits on what a request may carry, so a small input cannot take the server down. No Django.

Found by the hostile probe of issue 15: JSON nested 100 000 levels deep made Python's JSON decoder
recurse until it failed (a 500 on every map form), and a 26-digit number in a choice field reached
SQLite, which cannot hold it (OverflowError, a 500). No real input comes near these limits: a drawn
polygon is nested four levels deep, and no register number or amount has 19 digits.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# GeoJSON MultiPolygon coordinates nest four levels; a Feature inside a FeatureCollection adds three.
MAX_JSON_DEPTH = 32
# Signed 64-bit integers (SQLite INTEGER, PostgreSQL bigint) have at most 19 digits; 18 always fit.
MAX_INTEGER_DIGITS = 18

_LONG_INTEGER = re.compile(r"\s*[+-]?0*[1-9]\d{" + str(MAX_INTEGER_DIGITS) + r",}\s*")


def nesting_depth(text: str | bytes, stop_after: int = MAX_JSON_DEPTH) -> int:
    """How deeply `[` and `{` nest in `text`, outside JSON strings; stops counting past `stop_after`.

    Linear in the length of the text and without recursion, so it is safe on any input (valid JSON or
    not; bytes are read as Latin-1, which keeps every ASCII bracket and quote of UTF-8 where it is).
    Returns the greatest depth seen, or `stop_after + 1` as soon as that is exceeded.
    """
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_after:
                    return deepest
        elif char in "]}":
            depth = max(0, depth - 1)
    return deepest


def is_oversized_integer(text: str) -> bool:
    """True for a whole number with more digits than a database integer column holds (19 or more)."""
    return _LONG_INTEGER.fullmatch(text) is not None


def first_problem(values: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    """The first (field name, problem) among `values`, or None.

    Problems: "too-deep" (JSON nested deeper than MAX_JSON_DEPTH) and "too-large-integer" (more than
    MAX_INTEGER_DIGITS digits). Only values that start like JSON are scanned for depth.
    """
    for name, value in values:
        if not isinstance(value, str):
            continue
        if is_oversized_integer(value):
            return name, "too-large-integer"
        stripped = value.lstrip()
        if stripped[:1] in ("[", "{") and nesting_depth(stripped) > MAX_JSON_DEPTH:
            return name, "too-deep"
    return None
