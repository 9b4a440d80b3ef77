"""Limits on what a request may carry, so a small input cannot take the server down. No Django.

Found by the hostile probe of issue 15: JSON nested 100 000 levels deep made Python's JSON decoder
recurse until it failed (a 500 on every map form), and a 26-digit number in a choice field reached
SQLite, which cannot hold it (OverflowError, a 500). No real input comes near these limits: a drawn
polygon is nested four levels deep, and no register number or amount has 19 digits.
"""

from __future__ import annotations

import json
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


# A bad value is repeated in its error message only this far: 500 characters pasted into `?datum=` made the
# message, and the page, several thousand pixels wide.
ECHO_LENGTH = 40


def echo(value: object, limit: int = ECHO_LENGTH) -> str:
    """`value` as a message repeats it: its first `limit` characters, and "…" when there were more."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
_ISO_DATE = re.compile(r"\s*([+-]?\d{4,})-\d{1,2}-\d{1,2}(?:[T ][0-9:.+\-Z]*)?\s*")


def is_date_out_of_range(text: str) -> bool:
    """True for an ISO date (or date and time) whose year is outside 1900–2100: no camera, incident,
    measure or decision Trygg records is dated there (issue 15: "a year between 1900 and 2100")."""
    match = _ISO_DATE.fullmatch(text)
    return match is not None and not EARLIEST_YEAR <= int(match.group(1)) <= LATEST_YEAR


def _json_dates(data: object, name: str = "") -> str | None:
    """The key of the first string in `data` (parsed JSON) that is a date out of range, or None."""
    if isinstance(data, dict):
        for key, value in data.items():
            found = _json_dates(value, str(key))
            if found is not None:
                return found
    elif isinstance(data, list):
        for value in data:
            found = _json_dates(value, name)
            if found is not None:
                return found
    elif isinstance(data, str) and is_date_out_of_range(data):
        return name
    return None


def first_problem(values: Iterable[tuple[str, str]], dates: bool = False) -> tuple[str, str] | None:
    """The first (field name, problem) among `values`, or None.

    Problems: "too-deep" (JSON nested deeper than MAX_JSON_DEPTH), "too-large-integer" (more than
    MAX_INTEGER_DIGITS digits) and, with `dates` (posted values; a query's dates are checked by
    `trygg.core.params` with the value in the message), "date-out-of-range" (`is_date_out_of_range`,
    also inside a JSON object, named by its key). Only values that start like JSON are scanned for depth.
    """
    for name, value in values:
        if not isinstance(value, str):
            continue
        if is_oversized_integer(value):
            return name, "too-large-integer"
        stripped = value.lstrip()
        if stripped[:1] in ("[", "{"):
            if nesting_depth(stripped) > MAX_JSON_DEPTH:
                return name, "too-deep"
            if dates:
                try:
                    found = _json_dates(json.loads(stripped))
                except ValueError:
                    found = None  # not JSON after all: the view's own parser says so
                if found is not None:
                    return found, "date-out-of-range"
        elif dates and is_date_out_of_range(value):
            return name, "date-out-of-range"
    return None
