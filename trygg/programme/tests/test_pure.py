"""The programme's pure cores, with hand-computed examples: indicator, budget, money, chart, calendar."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from trygg.programme import budget, indicator
from trygg.programme.charts import ChartText, chart_png, chart_svg
from trygg.programme.ical import CalendarEvent, feed
from trygg.programme.money import NBSP, format_kr, format_mkr

D = dt.date


def camera(camera_id, kind, area, *moves, administration="A"):
    return indicator.CameraHistory(camera_id, kind, administration, area, tuple(moves))


CAMERAS = [
    # in operation 2020-03-01, paused 2021-06-01, back 2021-09-01
    camera(
        1,
        "school",
        "urban",
        (D(2020, 1, 1), 0, "planned"),
        (D(2020, 3, 1), 1, "in_operation"),
        (D(2021, 6, 1), 2, "paused"),
        (D(2021, 9, 1), 3, "in_operation"),
    ),
    # two moves the same day: the later sequence wins
    camera(
        2,
        "park",
        "rural",
        (D(2020, 1, 1), 0, "planned"),
        (D(2020, 5, 1), 1, "in_operation"),
        (D(2020, 5, 1), 2, "decommissioned"),
        administration="B",
    ),
    camera(
        3, "park", "archipelago", (D(2021, 1, 1), 0, "planned"), (D(2021, 2, 1), 1, "in_operation"), administration="B"
    ),
    camera(4, "school", "urban", (D(2022, 1, 1), 0, "planned")),
]


def test_counts_by_hand():
    assert indicator.in_operation_on(CAMERAS, D(2019, 12, 31)) == 0
    assert indicator.in_operation_on(CAMERAS, D(2020, 3, 1)) == 1  # counted at the end of the day
    assert indicator.in_operation_on(CAMERAS, D(2020, 5, 1)) == 1  # camera 2 started and ended that day
    assert indicator.in_operation_on(CAMERAS, D(2021, 7, 1)) == 1  # 1 paused, 3 running
    assert indicator.in_operation_on(CAMERAS, D(2021, 12, 31)) == 2


def test_breakdowns_by_hand():
    on = D(2021, 12, 31)
    assert indicator.breakdown_on(CAMERAS, on, "site_kind") == {"school": 1, "park": 1}
    assert indicator.breakdown_on(CAMERAS, on, "area_kind") == {"urban": 1, "archipelago": 1}
    assert indicator.breakdown_on(CAMERAS, on, "administration") == {"A": 1, "B": 1}


def test_series_dates_and_long_format():
    dates = indicator.year_end_dates(2020, D(2022, 10, 29))
    assert dates == [D(2020, 12, 31), D(2021, 12, 31), D(2022, 10, 29)]
    assert indicator.year_end_dates(2024, D(2024, 12, 31)) == [D(2024, 12, 31)]
    points = indicator.series(CAMERAS, dates)
    assert [p.value for p in points] == [1, 2, 2]
    rows = indicator.long_format("kameror-i-drift", "Norrtälje kommun", points)
    assert rows[0] == indicator.LongRow("kameror-i-drift", "Norrtälje kommun", "2020-12-31", 1)
    assert indicator.first_move_year(CAMERAS) == 2020
    assert indicator.month_end_dates(D(2024, 1, 15), D(2024, 3, 10)) == [D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 10)]


@given(
    st.lists(st.tuples(st.integers(0, 400), st.sampled_from(["planned", "in_operation", "paused"])), max_size=6),
    st.integers(0, 500),
)
def test_a_camera_counts_once_or_not_at_all(moves, probe):
    start = D(2020, 1, 1)
    history = camera(1, "park", "urban", *[(start + dt.timedelta(days=d), n, s) for n, (d, s) in enumerate(moves)])
    count = indicator.in_operation_on([history], start + dt.timedelta(days=probe))
    assert count in (0, 1)
    assert count == (history.state_on(start + dt.timedelta(days=probe)) == "in_operation")


def test_budget_by_hand():
    allocations = [
        budget.Allocation(2023, Decimal("1000000"), carry_over=True),
        budget.Allocation(2024, Decimal("1000000")),
    ]
    costs = [
        budget.Cost(2023, "hardware", "spent", Decimal("700000")),
        budget.Cost(2024, "hardware", "spent", Decimal("300000")),
        budget.Cost(2024, "licences", "committed", Decimal("50000.50")),
    ]
    projects = [
        budget.PlannedProject("A", 2024, Decimal("900000")),
        budget.PlannedProject("B", 2024, None),
        budget.PlannedProject("C", 2024, Decimal("5000000"), active=False),
    ]
    year = budget.year_budget(2024, allocations, costs, projects, categories=["hardware", "licences"])
    assert year.carried_in == Decimal("300000")  # 2023 left 300 000 and was allowed to carry it over
    assert year.available == Decimal("1300000")
    assert (year.spent, year.committed) == (Decimal("300000"), Decimal("50000.50"))
    assert year.remaining == Decimal("949999.50")
    assert year.planned == Decimal("900000")
    assert year.warnings == ()
    assert [(c.category, c.total) for c in year.by_category] == [
        ("hardware", Decimal("300000")),
        ("licences", Decimal("50000.50")),
    ]


def test_no_carry_over_unless_configured_and_warnings():
    allocations = [budget.Allocation(2023, Decimal("1000000")), budget.Allocation(2024, Decimal("100"))]
    costs = [budget.Cost(2024, "installation", "spent", Decimal("150"))]
    projects = [budget.PlannedProject("A", 2024, Decimal("200"))]
    year = budget.year_budget(2024, allocations, costs, projects)
    assert year.carried_in == 0
    assert year.overspent_by == Decimal("50")
    assert year.warnings == (budget.OVERSPENT, budget.PLANNED_EXCEEDS)
    assert budget.year_budget(2030, allocations, []).warnings == (budget.NO_ALLOCATION,)
    # An overspent year never carries a debt forward.
    debt = [budget.Allocation(2023, Decimal("10"), carry_over=True), budget.Allocation(2024, Decimal("10"))]
    assert budget.year_budget(2024, debt, [budget.Cost(2023, "hardware", "spent", Decimal("20"))]).carried_in == 0


def test_money_format():
    assert format_kr(Decimal("1000000")) == f"1{NBSP}000{NBSP}000{NBSP}kr"
    assert format_kr(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}kr"
    assert format_kr(Decimal("-519000")) == f"-519{NBSP}000{NBSP}kr"
    assert format_kr(0) == f"0{NBSP}kr"
    assert format_kr(None) == ""
    assert format_mkr(Decimal("1000000")) == f"1{NBSP}mkr"
    assert format_mkr(Decimal("2500000")) == f"2,5{NBSP}mkr"
    assert format_mkr(Decimal("750000")) == f"750{NBSP}000{NBSP}kr"


def test_chart_is_text_svg_without_date_and_stable():
    points = [(D(2022, 12, 31), 7), (D(2023, 12, 31), 7), (D(2024, 10, 29), 8)]
    text = ChartText("Antal bevakningskameror i drift", "I drift", "Målvärde", "Antal kameror")
    svg = chart_svg(points, {2024: 11}, text)
    assert svg.startswith("<svg")
    assert "Antal bevakningskameror i drift" in svg and "2024-10-29" in svg  # text kept as text
    assert "<dc:date>" not in svg
    assert svg == chart_svg(points, {2024: 11}, text)
    assert chart_png(points, {}, text).startswith(b"\x89PNG")


def test_calendar_feed_has_stable_uid_and_stamp():
    stamp = dt.datetime(2024, 10, 1, 8, 0, tzinfo=dt.UTC)
    events = [
        CalendarEvent(
            "a@trygg",
            D(2024, 12, 2),
            "Kommunstyrelsen",
            stamp,
            starts_at=dt.datetime(2024, 12, 2, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))),
        ),
        CalendarEvent("b@trygg", D(2024, 10, 28), "Inlämning", stamp, description="Nämndsekretariatet"),
    ]
    first = feed(events, "Trygg")
    assert first == feed(list(reversed(events)), "Trygg")
    text = first.decode()
    assert "UID:a@trygg" in text and "DTSTAMP:20241001T080000Z" in text
    assert "DTSTART:20241202T120000Z" in text  # 13:00 in Stockholm's winter time
    assert "DTSTART;VALUE=DATE:20241028" in text


def test_pure_modules_do_not_import_django():
    modules = [
        "trygg.programme.indicator",
        "trygg.programme.budget",
        "trygg.programme.money",
        "trygg.programme.charts",
        "trygg.programme.ical",
        "trygg.programme.progress",
        "trygg.reports.drafting",
    ]
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(','.join(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=False, cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
