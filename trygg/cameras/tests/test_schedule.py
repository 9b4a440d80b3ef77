"""Tests of the pure schedule module, with hand-counted hours."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras.schedule import (
    ALWAYS,
    IMY_SCHOOL_FACADE,
    SCHOOL_HOURS,
    Schedule,
    WeeklyRule,
    day_runs,
    day_span,
    parse_rules,
    rules_to_json,
)


def test_imy_school_facade_hours_per_week():
    # Mon–Fri 20–06 is 10 h × 5 = 50 h; Sat and Sun 17–07 is 14 h × 2 = 28 h; total 78 h.
    assert IMY_SCHOOL_FACADE.hours_per_week() == 78


def test_always_is_168_hours():
    assert ALWAYS.hours_per_week() == 168


def test_imy_school_facade_is_active_at_night_not_in_the_day():
    monday = dt.date(2024, 10, 28)  # a Monday
    assert IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(monday, dt.time(21, 0)))
    assert IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(monday, dt.time(5, 59)))  # Sunday's 17–07 rule
    assert not IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(monday, dt.time(6, 0)) + dt.timedelta(days=1))
    assert not IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(monday, dt.time(12, 0)))
    assert not IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(monday, dt.time(19, 59)))
    # Saturday 17:30 is inside 17–07; Saturday 16:59 is not.
    saturday = monday + dt.timedelta(days=5)
    assert IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(saturday, dt.time(17, 30)))
    assert not IMY_SCHOOL_FACADE.is_active(dt.datetime.combine(saturday, dt.time(16, 59)))


def test_school_free_weekday_follows_the_weekend_rule():
    autumn_break_wednesday = dt.date(2024, 10, 30)

    def is_school_free(day: dt.date) -> bool:
        return day == autumn_break_wednesday

    moment = dt.datetime.combine(autumn_break_wednesday, dt.time(18, 0))
    assert IMY_SCHOOL_FACADE.is_active(moment, is_school_free)
    assert not IMY_SCHOOL_FACADE.is_active(moment)


def test_school_hours_do_not_overlap_imy_facade_hours():
    assert not IMY_SCHOOL_FACADE.overlaps(SCHOOL_HOURS)
    assert ALWAYS.overlaps(SCHOOL_HOURS)
    assert IMY_SCHOOL_FACADE.within(ALWAYS)
    assert not ALWAYS.within(IMY_SCHOOL_FACADE)


def test_json_round_trip():
    assert parse_rules(rules_to_json(IMY_SCHOOL_FACADE)) == IMY_SCHOOL_FACADE


@given(
    days=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.integers(0, 23),
    end=st.integers(0, 23),
)
def test_hours_match_rule_length(days, start, end):
    rule = WeeklyRule(days, dt.time(start), dt.time(end))
    expected_hours = len(days) * (((end - start) % 24) or 24)
    # Overlaps between days can only make the union smaller than the sum of the parts.
    assert Schedule((rule,)).hours_per_week() <= expected_hours
    if len(days) == 1:
        assert Schedule((rule,)).hours_per_week() == expected_hours


def test_day_runs_group_days_in_a_row():
    assert day_runs([4, 0, 1, 2]) == [[0, 1, 2], [4]]
    assert day_runs([0, 5, 6]) == [[0], [5, 6]]
    # With wrap, Sunday is followed by Monday and the run starts where the previous day is not chosen.
    assert day_runs([0, 5, 6], wrap=True) == [[5, 6, 0]]
    assert day_runs(range(7), wrap=True) == [[0, 1, 2, 3, 4, 5, 6]]
    assert day_runs([]) == []
    with pytest.raises(ValueError):
        day_runs([7])


def test_day_span_names_runs_of_three_or_more_with_a_dash():
    names = ["mån", "tis", "ons", "tor", "fre", "lör", "sön"]
    assert day_span([0, 1, 2, 3, 4], names) == "mån–fre"
    assert day_span([0, 1, 2, 4], names) == "mån–ons, fre"
    assert day_span([5, 6], names) == "lör, sön"
    assert day_span([6, 0, 2], names) == "mån, ons, sön"  # Sunday to Monday is not a row in short text


def test_a_week_of_school_holidays_leaves_out_rules_for_school_days():
    # IMY's facade hours in a lov week: 17–07 every day (14 h × 7 = 98 h); 20–06 on school days is not used.
    assert len(IMY_SCHOOL_FACADE.school_free_week_minutes()) / 60 == 98
    assert IMY_SCHOOL_FACADE.weekly_minutes() != IMY_SCHOOL_FACADE.school_free_week_minutes()
    assert SCHOOL_HOURS.school_free_week_minutes() == frozenset()
    assert ALWAYS.school_free_week_minutes() == ALWAYS.weekly_minutes()
