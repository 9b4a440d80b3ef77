"""The pure reading of camera rows (trygg.cameras.importing): numbers, dates, headers, and fuzzing."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras import importing
from trygg.geo.validation import SiteAnchor

TODAY = dt.date(2026, 12, 1)
SITES = {"Stora torget": SiteAnchor("Stora torget", 18.7031, 59.7583)}
HEADERS = importing.EXAMPLE_HEADER.split(";")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("22,5", 22.5), ("1 234,5", 1234.5), ("\u22123", -3.0), (" 7 ", 7.0), (18.7, 18.7), (None, None), ("", None)],
)
def test_numbers_as_swedes_write_them(cell, expected):
    assert importing.parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["söder", "1,2,3", "nan", "inf", True, float("nan")])
def test_not_numbers_are_refused(cell):
    with pytest.raises(ValueError):
        importing.parse_number(cell)


def test_dates_iso_or_excel_only():
    assert importing.parse_date("2019-05-20") == dt.date(2019, 5, 20)
    assert importing.parse_date(dt.datetime(2019, 5, 20, 0, 0)) == dt.date(2019, 5, 20)  # noqa: DTZ001 - as openpyxl reads it
    for text in ("20/5 2019", "2019-13-01", "maj 2019"):
        with pytest.raises(ValueError):
            importing.parse_date(text)


def test_headers_with_units_and_case_map_and_the_rest_is_listed():
    headers = ["Beteckning", "Plats", "Longitud", "Latitud", "Riktning (grader)", "Synvinkel (°)", "Typ"]
    headers += ["Montering", "Monteringshöjd (m)", "I drift sedan", "Leverantör"]
    columns, unused = importing.map_headers(headers)
    assert columns["bearing"] == 4 and columns["mount_height"] == 8 and columns["in_operation"] == 9
    assert unused == ["Leverantör"]


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 3)))
def test_decimal_comma_round_trips(value):
    assert importing.parse_number(f"{value:.3f}".replace(".", ",")) == pytest.approx(value)


cells = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**9), 10**9),
    st.dates(),
)


@given(st.lists(st.lists(cells, min_size=0, max_size=len(HEADERS) + 2), max_size=4))
def test_any_row_gives_a_status_never_an_exception(rows):
    result = importing.read_rows(
        list(enumerate(rows, start=2)), HEADERS, sites=SITES, existing=set(), area=None, today=TODAY
    )
    for row in result:
        assert row.status in {"new", "error"}
        assert all(problem.column for problem in row.problems)
        if row.status == "new":
            assert row.values["site"] == "Stora torget" and row.values["identifier"]
