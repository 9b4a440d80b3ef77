"""Reading cells and rows as Swedish spreadsheets write them (pure, no database)."""

# Spreadsheet cells and incident times are local wall-clock times, without a zone, by design.
# ruff: noqa: DTZ001

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trygg.incidents import parsing
from trygg.incidents.parsing import CheckContext, TimeOfDay, ValueProblem

D, T = dt.date, dt.time


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-05", D(2024, 3, 5)),
        ("2024-3-5", D(2024, 3, 5)),
        ("20240305", D(2024, 3, 5)),
        ("5/3/2024", D(2024, 3, 5)),
        ("05/03/2024", D(2024, 3, 5)),
        ("5/3/24", D(2024, 3, 5)),
        ("05.03.2024", D(2024, 3, 5)),
        ("5.3.2024", D(2024, 3, 5)),
        ("5-3-2024", D(2024, 3, 5)),
        ("5 mars 2024", D(2024, 3, 5)),
        ("5 Mars 2024", D(2024, 3, 5)),
        ("5 mar. 2024", D(2024, 3, 5)),
        ("tisdag 5 mars 2024", D(2024, 3, 5)),
        ("2024-03-05 22:15", D(2024, 3, 5)),
        (dt.datetime(2024, 3, 5, 22, 15), D(2024, 3, 5)),
        (D(2024, 3, 5), D(2024, 3, 5)),
        (45356, D(2024, 3, 5)),  # Excel's day number
        ("", None),
        (None, None),
        ("okänt", None),
    ],
)
def test_swedish_dates(cell, expected):
    assert parsing.parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["3/15/2024", "2024-02-30", "igår", "5 smörgås 2024", "12345"])
def test_dates_that_are_not_dates_are_named(cell):
    with pytest.raises(ValueProblem) as error:
        parsing.parse_date(cell)
    assert "är inget datum Trygg känner igen" in str(error.value)
    assert "2024-03-05" in str(error.value)  # the message shows how to write it


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("22:15", TimeOfDay(T(22, 15))),
        ("22.15", TimeOfDay(T(22, 15))),
        ("kl. 22", TimeOfDay(T(22))),
        ("kl 22:15", TimeOfDay(T(22, 15))),
        ("ca 23", TimeOfDay(T(23))),
        ("2215", TimeOfDay(T(22, 15))),
        ("22:15:00", TimeOfDay(T(22, 15))),
        ("24:00", TimeOfDay(T(0))),
        ("16:00-07:00", TimeOfDay(T(16), T(7))),
        ("16–07", TimeOfDay(T(16), T(7))),
        ("kl 16.00 till kl 07.00", TimeOfDay(T(16), T(7))),
        (T(22, 15, 30), TimeOfDay(T(22, 15))),
        (0.9270833333, TimeOfDay(T(22, 15))),  # Excel's fraction of a day
        ("okänd", None),
        ("", None),
    ],
)
def test_times_and_clock_ranges(cell, expected):
    assert parsing.parse_time(cell) == expected


def test_a_time_that_is_not_a_time_is_named():
    with pytest.raises(ValueProblem, match="inget klockslag"):
        parsing.parse_time("25:00")
    with pytest.raises(ValueProblem, match="inget klockslag"):
        parsing.parse_time("på kvällen")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12 500,50", Decimal("12500.50")),
        ("12\u00a0500,50", Decimal("12500.50")),  # Excel's non-breaking space
        ("12 500", Decimal("12500.00")),
        ("12 500 kr", Decimal("12500.00")),
        ("1200:-", Decimal("1200.00")),
        ("SEK 1 200", Decimal("1200.00")),
        ("12.500,50", Decimal("12500.50")),
        ("12,500.50", Decimal("12500.50")),
        ("1.250.000", Decimal("1250000.00")),
        ("12500.5", Decimal("12500.50")),
        ("0,5", Decimal("0.50")),
        (12500.5, Decimal("12500.50")),
        (12500, Decimal("12500.00")),
        ("", None),
        ("-", None),
    ],
)
def test_money_with_decimal_commas_and_thousand_spaces(cell, expected):
    assert parsing.parse_cost(cell) == expected


@pytest.mark.parametrize(
    ("cell", "message"), [("-500", "negativ"), ("tolv tusen", "inget belopp"), ("5e9", "inget belopp")]
)
def test_bad_money_is_named(cell, message):
    with pytest.raises(ValueProblem, match=message):
        parsing.parse_cost(cell)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Klotter på fasaden", "graffiti"),
        ("Skadegörelse genom klotter", "graffiti"),
        ("Krossad ruta i matsalen", "vandalism"),
        ("Anlagd brand i papperskorg", "arson"),
        ("Inbrott och skadegörelse", "break_in"),
        ("Hot mot vaktmästare", "threat_or_violence"),
        ("Stöld av cyklar", "theft"),
        ("Ordningsstörning, ungdomar", "disorder"),
        ("break_in", "break_in"),
        ("Anlagd brand eller brand", "arson"),
        ("Hotellet", None),  # "hot" only as a word of its own
        ("Något helt annat", None),
    ],
)
def test_kind_from_words(text, kind):
    assert parsing.parse_kind(text) == kind


@pytest.mark.parametrize(
    ("cell", "reported", "number"),
    [
        ("5000-K123456-24", True, "5000-K123456-24"),
        ("k-nr 5000-k123456-24", True, "5000-K123456-24"),
        ("K123456-24", True, "K123456-24"),
        ("Ja", True, ""),
        ("nej", False, ""),
        ("Ej anmält", False, ""),
        ("", False, ""),
    ],
)
def test_police_reports(cell, reported, number):
    assert parsing.parse_police_report(cell) == parsing.PoliceReport(reported, number)


def test_a_police_report_that_is_not_a_number_is_named():
    with pytest.raises(ValueProblem, match="K-nummer"):
        parsing.parse_police_report("kanske")


def test_known_layouts_are_mapped_by_their_headers():
    imy = ["Datum", "Klockslag", "Plats", "Vad som hänt", "Polisanmälan"]
    assert parsing.guess_mapping(imy) == {
        "date": "Datum",
        "time": "Klockslag",
        "site": "Plats",
        "description": "Vad som hänt",
        "police_report": "Polisanmälan",
    }
    damage = ["Skadedatum", "Tid från", "Tid till", "Objekt", "Skadetyp", "Beskrivning", "Kostnad", "K-nummer"]
    assert parsing.guess_mapping(damage) == {
        "date": "Skadedatum",
        "time": "Tid från",
        "end_time": "Tid till",
        "site": "Objekt",
        "kind": "Skadetyp",
        "description": "Beskrivning",
        "cost": "Kostnad",
        "police_report": "K-nummer",
    }
    assert parsing.looks_like_header(imy) and not parsing.looks_like_header(
        ["Sammanställning över brott och incidenter"]
    )


HEADERS = ["Skadedatum", "Tid från", "Tid till", "Objekt", "Skadetyp", "Beskrivning", "Kostnad", "K-nummer"]


def context(**overrides):
    values = {
        "columns": {name: HEADERS.index(h) for name, h in parsing.guess_mapping(HEADERS).items()},
        "headers": HEADERS,
        "sites": {"kvisthamraskolan": 1, "rodengymnasiet": 2},
        "default_site_id": None,
        "today": D(2024, 10, 29),
    }
    return CheckContext(**(values | overrides))


def test_a_discovered_damage_over_a_weekend_becomes_a_range():
    cells = [
        "2024-03-01",
        "16:00",
        "2024-03-04 07:00",
        "Kvisthamraskolan",
        "Skadegörelse",
        "Krossad ruta",
        "12 500,50",
        "",
    ]
    result = parsing.check_row(7, cells, context())
    assert result.problems == ()
    incident = result.incident
    assert (incident.occurred_on, incident.occurred_time) == (D(2024, 3, 1), T(16))
    assert (incident.until_on, incident.until_time) == (D(2024, 3, 4), T(7))
    assert incident.kind == "vandalism" and incident.cost == Decimal("12500.50") and incident.site_id == 1


def test_a_clock_range_past_midnight_ends_the_next_day():
    cells = ["2024-03-05", "16:00", "07:00", "Kvisthamraskolan", "Klotter", "", "", ""]
    incident = parsing.check_row(2, cells, context()).incident
    assert (incident.until_on, incident.until_time) == (D(2024, 3, 6), T(7))
    assert incident.description == "Klotter"  # the kind's text stands in for a missing description


def test_every_problem_of_a_row_is_named_with_its_column():
    cells = ["31/2/2024", "sent", "", "Okända skolan", "Klotter", "", "mycket", "kanske"]
    result = parsing.check_row(12, cells, context())
    assert result.incident is None
    named = {(p.row, p.column) for p in result.problems}
    assert named == {(12, "Skadedatum"), (12, "Tid från"), (12, "Objekt"), (12, "Kostnad"), (12, "K-nummer")}
    texts = " ".join(p.text for p in result.problems)
    assert "Okända skolan" in texts and "finns inte i Trygg" in texts


def test_missing_and_future_dates_and_backward_ranges():
    assert (
        parsing.check_row(3, ["", "", "", "Kvisthamraskolan", "", "", "", ""], context())
        .problems[0]
        .text.startswith("Datum saknas")
    )
    future = parsing.check_row(3, ["2025-01-01", "", "", "Kvisthamraskolan", "", "", "", ""], context())
    assert "framtiden" in future.problems[0].text
    backwards = parsing.check_row(
        3, ["2024-03-05", "16:00", "2024-03-04 07:00", "Kvisthamraskolan", "", "", "", ""], context()
    )
    assert backwards.problems[0].column == "Tid till" and "före" in backwards.problems[0].text


def test_the_site_for_the_whole_file_and_a_site_named_with_extra_words():
    no_site_column = context(columns={"date": 0}, default_site_id=2)
    assert parsing.check_row(2, ["2024-03-05"], no_site_column).incident.site_id == 2
    extra = ["2024-03-05", "", "", "Kvisthamraskolan, hus B", "", "", "", ""]
    assert parsing.check_row(2, extra, context()).incident.site_id == 1
    missing = parsing.check_row(2, ["2024-03-05", "", "", "", "", "", "", ""], context())
    assert "Plats saknas" in missing.problems[0].text


def test_the_same_row_gives_the_same_key_and_an_id_column_wins():
    cells = ["2024-03-05", "22:15", "", "Kvisthamraskolan", "Klotter", "Klotter på fasaden", "2 000", ""]
    first = parsing.check_row(2, cells, context()).incident
    again = parsing.check_row(99, list(cells), context()).incident
    assert first.key == again.key and len(first.key) == 32
    changed = parsing.check_row(2, [*cells[:6], "2 500", ""], context()).incident
    assert changed.key != first.key
    with_id = context(columns=context().columns | {"external_id": 8}, headers=[*HEADERS, "Ärendenummer"])
    a = parsing.check_row(2, [*cells, "SK-1"], with_id).incident
    b = parsing.check_row(2, [*cells[:6], "9 999", "", "SK-1"], with_id).incident
    assert a.key == b.key  # the source's own id identifies the row, even when the cost is corrected
