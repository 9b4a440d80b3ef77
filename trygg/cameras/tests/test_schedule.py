"""Tests of the pure schedule module, with hand-counted hours."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras.schedule import (
    ALWAYS,
    IMY_SCHOOL_FACADE,
    SCHOOL_HOURS,
    Schedule,
    WeeklyRule,
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
