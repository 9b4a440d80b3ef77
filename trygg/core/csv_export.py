"""The one CSV writer behind every CSV file Trygg hands out (no Django imports).

Convention, the same in every file (README, "Export till CSV"): UTF-8 with a byte-order mark, semicolon
between fields and decimal comma in numbers, which is what Swedish Excel expects when it opens a file by
double-click. Dates are written as ISO dates (2024-10-29).

Cells are neutralised against CSV injection as OWASP recommends
(https://owasp.org/www-community/attacks/CSV_Injection): a text that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a single quote in front, so a spreadsheet shows it as text
instead of running it as a formula. A number (``int``, ``float``, ``Decimal``) is written by this
module itself, so a negative number such as ``-3,5`` stays a number: it can hold nothing but digits.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

DELIMITER = ";"
DECIMAL_SEPARATOR = ","
BOM = "\ufeff"
# OWASP's list of characters that make a spreadsheet read a cell as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
NUMBER_TEXT = re.compile(r"-?[0-9]+(,[0-9]+)?")

Cell = str | int | float | Decimal | dt.date | None | object


def _starts_formula(text: str) -> bool:
    # Leading quotes are skipped so that neutralising can always be undone: "'=x" gets a quote too.
    return text.lstrip(QUOTE).startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """`"=HYPERLINK(…)"` → `"'=HYPERLINK(…)"`; text that cannot start a formula is returned unchanged.

    A text whose first character after any leading single quotes is a formula trigger gets one more
    quote, so `restore` gives back exactly the original text.
    """
    return QUOTE + text if _starts_formula(text) else text


def restore(cell: str) -> str:
    """The inverse of `neutralise`: `"'=x"` → `"=x"`; any other cell is returned unchanged."""
    return cell[1:] if cell.startswith(QUOTE) and _starts_formula(cell) else cell


def format_number(value: int | float | Decimal) -> str:
    """`22.5` → `"22,5"`, `Decimal("1234.50")` → `"1234,50"`, `-3` → `"-3"`: no thousands separator, no
    exponent, decimal comma. Round first if fewer decimals are wanted (`round(x, 1)`).

    Raises ValueError for NaN or infinity (a number that cannot be written must not become a blank) and
    TypeError for a bool (write "ja"/"nej" in the user's language instead of True/False).
    """
    if isinstance(value, bool):
        raise TypeError("format_number: a bool is not a number; write ja/nej")
    if isinstance(value, int):
        return str(value)
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        raise ValueError(f"format_number: {value!r} is not a finite number")
    text = format(number, "f")
    if text.startswith("-") and not number:  # -0.0 is written as 0
        text = text[1:]
    return text.replace(".", DECIMAL_SEPARATOR)


def format_cell(value: Cell) -> str:
    """One value as the text of its cell: None → "", numbers by `format_number`, dates as ISO dates,
    anything else (str, lazy translations) as its text, neutralised. Errors as `format_number`."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_lines(rows: Iterable[Iterable[Cell]], bom: bool = True) -> Iterator[str]:
    """Each row as one CSV line (ending in CRLF) for streaming; the first starts with the byte-order mark
    unless `bom` is False."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)
    prefix = BOM if bom else ""
    for row in rows:
        writer.writerow([format_cell(value) for value in row])
        yield prefix + buffer.getvalue()
        prefix = ""
        buffer.seek(0)
        buffer.truncate()
    if prefix:  # no rows at all: still a file Excel opens as UTF-8
        yield prefix


def csv_text(rows: Iterable[Iterable[Cell]], bom: bool = True) -> str:
    """The whole file as one string (see `csv_lines`)."""
    return "".join(csv_lines(rows, bom=bom))


def read_back(text: str) -> list[list[str]]:
    """Parse a file written by `csv_text` back to its cells' texts (byte-order mark dropped, quotes that
    neutralised a cell removed). Numbers come back as their written text (`"22,5"`)."""
    return [
        [restore(cell) for cell in row] for row in csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=DELIMITER)
    ]


def is_number_text(cell: str) -> bool:
    """Whether a cell is a number as `format_number` writes it (`-12`, `3,25`)."""
    return NUMBER_TEXT.fullmatch(cell) is not None


__all__ = [
    "BOM",
    "DECIMAL_SEPARATOR",
    "DELIMITER",
    "FORMULA_TRIGGERS",
    "csv_lines",
    "csv_text",
    "format_cell",
    "format_number",
    "is_number_text",
    "neutralise",
    "read_back",
    "restore",
]
