"""The one CSV writer: neutralised formulas, decimal comma, and a file that reads back to what was written."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.core.csv_export import (
    BOM,
    FORMULA_TRIGGERS,
    csv_lines,
    csv_text,
    format_cell,
    format_number,
    is_number_text,
    neutralise,
    read_back,
    restore,
)

HYPERLINK = '=HYPERLINK("http://x")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+46 8 123", "'+46 8 123"),
        ("-", "'-"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # so that restore can undo it
        ("Kvisthamraskolan", "Kvisthamraskolan"),
        ("'citat", "'citat"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_hand_examples(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert restore(written) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (22.5, "22,5"),
        (109.1, "109,1"),
        (18.123456, "18,123456"),
        (Decimal("1234.50"), "1234,50"),
        (-3, "-3"),
        (-0.0, "0,0"),
        (1e16, "10000000000000000"),
        (0.0001, "0,0001"),
        (12, "12"),
    ],
)
def test_numbers_have_a_decimal_comma_and_no_exponent(value: float | int | Decimal, text: str) -> None:
    assert format_number(value) == text


def test_a_number_that_cannot_be_written_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        format_number(float("nan"))
    with pytest.raises(ValueError, match="finite"):
        format_number(Decimal("Infinity"))
    with pytest.raises(TypeError, match="ja/nej"):
        format_cell(True)


def test_cells_of_other_types() -> None:
    assert format_cell(None) == ""
    assert format_cell(dt.date(2024, 10, 29)) == "2024-10-29"


def test_file_has_bom_semicolons_and_crlf() -> None:
    text = csv_text([["Plats", "Yta"], [HYPERLINK, 22.5]])
    assert text == BOM + "Plats;Yta\r\n" + '"\'=HYPERLINK(""http://x"")";22,5\r\n'
    assert list(csv_lines([])) == [BOM]
    assert csv_text([["a"]], bom=False) == "a\r\n"


# Text cells and numeric cells as the exports have them.
texts = st.text()
numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@given(st.lists(st.lists(st.one_of(texts, numbers), min_size=1, max_size=6), min_size=1, max_size=6))
def test_no_cell_starts_a_formula_and_the_file_reads_back(rows: list[list[object]]) -> None:
    text = csv_text(rows)
    raw = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert len(raw) == len(rows)
    for raw_row, row in zip(raw, rows, strict=True):
        assert len(raw_row) == len(row)
        for cell, value in zip(raw_row, row, strict=True):
            if isinstance(value, str):
                # A text never starts a formula, and reading it back gives the original minus the quote.
                assert not cell.startswith(FORMULA_TRIGGERS)
                assert restore(cell) == value
            else:
                # A number is digits with at most a decimal comma: never a formula, never "22.5".
                assert is_number_text(cell), cell
                assert Decimal(cell.replace(",", ".")) == Decimal(repr(value) if isinstance(value, float) else value)
    assert read_back(text) == [[format_cell(v) if not isinstance(v, str) else v for v in row] for row in rows]
