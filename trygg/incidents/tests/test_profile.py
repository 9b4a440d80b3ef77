"""The need profile: proportional spreading in the week-hour heat map, schedules, before and after."""

# Spreadsheet cells and incident times are local wall-clock times, without a zone, by design.
# ruff: noqa: DTZ001

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.cameras.schedule import ALWAYS, IMY_SCHOOL_FACADE, Schedule
from trygg.incidents.profile import (
    IncidentRow,
    MeasureInput,
    before_and_after,
    build_profile,
    by_kind,
    by_year,
    heat_map,
    row_from_parts,
    schedule_coverage,
    spread,
)

D, T = dt.date, dt.time
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# 2024-03-01 is a Friday, 2024-03-04 a Monday, 2024-03-05 a Tuesday.
WEEKEND = row_from_parts("vandalism", D(2024, 3, 1), T(16), D(2024, 3, 4), T(7))
TUESDAY_EVENING = row_from_parts("graffiti", D(2024, 3, 5), T(22, 15))
TUESDAY_NOON = row_from_parts("disorder", D(2024, 3, 5), T(12))
TUESDAY_UNKNOWN_TIME = row_from_parts("graffiti", D(2024, 3, 5))


def cell(heat, day, hour):
    return heat.cells[day][hour]


def test_a_weekend_range_gives_one_sixty_third_to_each_of_its_63_hours():
    shares = spread(WEEKEND)
    assert len(shares) == 63  # Friday 16–24 (8) + Saturday (24) + Sunday (24) + Monday 00–07 (7)
    assert all(share == pytest.approx(1 / 63) for share in shares.values())
    heat = heat_map([WEEKEND])
    assert cell(heat, FRI, 16) == pytest.approx(1 / 63) and cell(heat, MON, 6) == pytest.approx(1 / 63)
    assert cell(heat, FRI, 15) == 0 and cell(heat, MON, 7) == 0
    assert heat.total == pytest.approx(1)


def test_a_date_with_unknown_time_spreads_over_its_24_hours():
    heat = heat_map([TUESDAY_UNKNOWN_TIME])
    assert [cell(heat, TUE, h) for h in range(24)] == pytest.approx([1 / 24] * 24)
    assert sum(heat.cells[MON]) == 0 and sum(heat.cells[WED]) == 0


def test_a_known_time_counts_one_in_its_hour():
    heat = heat_map([TUESDAY_EVENING])
    assert cell(heat, TUE, 22) == 1 and heat.total == 1


def test_part_hours_count_in_proportion_to_minutes():
    row = row_from_parts("theft", D(2024, 3, 5), T(16, 30), D(2024, 3, 5), T(18))
    assert spread(row) == {TUE * 24 + 16: pytest.approx(1 / 3), TUE * 24 + 17: pytest.approx(2 / 3)}


def test_a_range_longer_than_a_week_covers_every_hour():
    row = IncidentRow("vandalism", dt.datetime(2024, 3, 4), dt.datetime(2024, 3, 12))  # Monday + 8 days
    heat = heat_map([row])
    assert cell(heat, MON, 3) == pytest.approx(2 / 192)  # Mondays occur twice in the 192 hours
    assert cell(heat, WED, 3) == pytest.approx(1 / 192)
    assert heat.total == pytest.approx(1)


def test_a_range_until_a_date_without_time_includes_that_whole_day():
    row = row_from_parts("graffiti", D(2024, 3, 1), T(16), D(2024, 3, 2))  # Friday 16 until Saturday
    assert len(spread(row)) == 8 + 24


def test_counts_and_costs_by_kind_and_year():
    rows = [
        IncidentRow("graffiti", dt.datetime(2023, 5, 1, 22), cost=Decimal("2000")),
        IncidentRow("graffiti", dt.datetime(2024, 5, 1, 22)),
        IncidentRow("arson", dt.datetime(2024, 6, 1, 1), cost=Decimal("50000")),
    ]
    kinds = by_kind(rows)
    assert list(kinds) == ["graffiti", "arson"]
    assert (kinds["graffiti"].count, kinds["graffiti"].cost, kinds["graffiti"].with_cost) == (2, Decimal("2000"), 1)
    years = by_year(rows)
    assert (years[2023].count, years[2024].count, years[2024].cost) == (1, 2, Decimal("50000"))


def test_share_inside_imys_school_facade_hours_by_hand():
    # IMY: school days 20–06, weekends 17–07. Of the weekend's 63 hours the schedule covers
    # Fri 20–24 (4), Sat 00–06 (6), Sat 17–24 (7), Sun 00–07 (7), Sun 17–24 (7), Mon 00–07 (7) = 38;
    # it leaves Fri 16–20 (4), Sat 06–17 (11) and Sun 07–17 (10) = 25 uncovered.
    coverage = schedule_coverage(IMY_SCHOOL_FACADE, [WEEKEND, TUESDAY_EVENING, TUESDAY_NOON])
    assert coverage.total == pytest.approx(3)
    assert coverage.inside == pytest.approx(1 + 38 / 63)
    assert coverage.share_inside == pytest.approx((1 + 38 / 63) / 3)
    assert coverage.uncovered[0].weekday == TUE and coverage.uncovered[0].hour == 12
    assert coverage.uncovered[0].incidents == pytest.approx(1)
    assert sum(u.incidents for u in coverage.uncovered) == pytest.approx(1 + 25 / 63)
    assert {(u.weekday, u.hour) for u in coverage.uncovered[1:]} == (
        {(FRI, h) for h in range(16, 20)} | {(SAT, h) for h in range(6, 17)} | {(SUN, h) for h in range(7, 17)}
    )


def test_recording_hours_without_incidents_are_counted():
    coverage = schedule_coverage(ALWAYS, [TUESDAY_EVENING])
    assert coverage.share_inside == 1 and coverage.uncovered == ()
    assert coverage.hours_without_incidents == 167
    assert schedule_coverage(Schedule(), [TUESDAY_EVENING]).share_inside == 0
    assert schedule_coverage(IMY_SCHOOL_FACADE, []).share_inside is None


def test_before_and_after_use_windows_of_the_same_length():
    rows = [
        IncidentRow("graffiti", dt.datetime(2024, m, d, 22))
        for m, d in [(1, 10), (2, 10), (2, 28), (3, 1), (5, 30), (6, 1)]
    ]
    [result] = before_and_after(rows, [MeasureInput("Belysning", D(2024, 3, 1))], as_of=D(2024, 6, 1))
    assert result.window_days == 92  # from 2024-03-01 to the as-of date
    assert result.before_from == D(2023, 11, 30) and result.after_to == D(2024, 6, 1)
    assert (result.before, result.after) == (3, 2)  # 2024-06-01 is outside the after window
    assert result.change == pytest.approx(2 / 3 - 1)
    ended = before_and_after(rows, [MeasureInput("Väktare", D(2024, 2, 1), D(2024, 3, 1))], as_of=D(2024, 6, 1))
    assert ended[0].window_days == 29 and (ended[0].before, ended[0].after) == (1, 2)
    long = before_and_after(rows, [MeasureInput("Stängsel", D(2020, 1, 1))], as_of=D(2024, 6, 1))
    assert long[0].window_days == 365  # at most a year
    assert before_and_after(rows, [MeasureInput("Larm", D(2024, 6, 1))], as_of=D(2024, 6, 1)) == []


def test_the_profile_tells_how_precise_the_times_are():
    result = build_profile([WEEKEND, TUESDAY_EVENING, TUESDAY_UNKNOWN_TIME], schedules={"imy": IMY_SCHOOL_FACADE})
    assert result.precision == {"exact": 1, "date": 1, "range": 1}
    assert result.count == 3 and result.heat.total == pytest.approx(3)
    assert result.schedules["imy"].total == pytest.approx(3)


moments = st.datetimes(min_value=dt.datetime(2019, 1, 1), max_value=dt.datetime(2025, 12, 31))
rows_strategy = st.lists(
    st.one_of(
        st.builds(lambda m: IncidentRow("graffiti", m), moments),
        st.builds(lambda d: row_from_parts("vandalism", d), st.dates(dt.date(2019, 1, 1), dt.date(2025, 12, 31))),
        st.builds(
            lambda m, minutes: IncidentRow("arson", m, m + dt.timedelta(minutes=minutes)),
            moments,
            st.integers(min_value=1, max_value=60 * 24 * 40),
        ),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(rows_strategy)
def test_the_heat_map_counts_each_incident_exactly_once(rows):
    heat = heat_map(rows)
    assert heat.total == pytest.approx(len(rows), abs=1e-9)
    assert all(value >= 0 for row in heat.cells for value in row)


@settings(max_examples=100, deadline=None)
@given(rows_strategy)
def test_inside_and_outside_a_schedule_add_up_to_all_incidents(rows):
    coverage = schedule_coverage(IMY_SCHOOL_FACADE, rows)
    assert coverage.inside + sum(u.incidents for u in coverage.uncovered) == pytest.approx(len(rows), abs=1e-9)
