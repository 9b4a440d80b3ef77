"""When cameras record, in words (pure): hand-computed phrases and a round-trip property."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trygg.cameras.schedule import (
    ALL_DAYS,
    ALWAYS,
    IMY_SCHOOL_FACADE,
    MINUTES_PER_DAY,
    MINUTES_PER_WEEK,
    WEEKDAYS,
    WEEKEND,
    Schedule,
    WeeklyRule,
)
from trygg.compliance.recording_hours import (
    describe,
    describe_days,
    runs,
    site_recording_hours,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def rule(days, start, end, school_free=None):
    return WeeklyRule(frozenset(days), dt.time(*start), dt.time(*end), school_free)


def minutes(*rules):
    return Schedule(tuple(rules)).weekly_minutes()


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([MON, TUE, WED, THU, FRI], "måndag–fredag"),
        ([SAT, SUN], "lördag och söndag"),
        ([MON, WED, FRI], "måndag, onsdag och fredag"),
        ([SAT, SUN, MON], "lördag–måndag"),  # a run over the week's end stays whole
        ([FRI], "fredag"),
        (range(7), "alla dagar"),
        ([MON, TUE, THU, FRI, SAT], "måndag, tisdag och torsdag–lördag"),
    ],
)
def test_days_in_words(days, expected):
    assert describe_days(days) == expected


def test_imy_school_facade_hours_in_an_ordinary_week():
    # Mon–Fri 20–06 on school days; weekends 17–07 (IMY's practice for school facades).
    assert describe(IMY_SCHOOL_FACADE.weekly_minutes()) == "måndag–fredag kl. 20–06; lördag och söndag kl. 17–07"


def test_imy_school_facade_hours_in_a_school_holiday_week():
    # In the holidays every day runs 17–07: the school-day rule (20–06) does not apply.
    assert describe(IMY_SCHOOL_FACADE.school_free_week_minutes()) == "alla dagar kl. 17–07"


def test_always_never_and_whole_days():
    assert describe(ALWAYS.weekly_minutes()) == "dygnet runt alla dagar"
    assert describe(frozenset()) == "aldrig"
    assert describe(minutes(rule(WEEKEND, (0,), (0,)))) == "lördag och söndag hela dygnet"


def test_minutes_and_runs_past_midnight_and_over_a_day():
    assert describe(minutes(rule([MON, WED, FRI], (22, 30), (2,)))) == "måndag, onsdag och fredag kl. 22.30–02"
    # Friday 17:00 until Monday 07:00 is one run of 62 hours.
    friday_to_monday = minutes(rule([FRI], (17,), (0,)), rule(WEEKEND, (0,), (0,)), rule([MON], (0,), (7,)))
    assert describe(friday_to_monday) == "från fredag kl. 17 till måndag kl. 07"


def test_merging_two_cameras_hides_which_records_when():
    night = Schedule((rule(ALL_DAYS, (22,), (6,)),))
    evening = Schedule((rule(WEEKDAYS, (18,), (22,)),))
    hours = site_recording_hours([night, evening])
    assert hours.ordinary == "måndag–fredag kl. 18–06; lördag och söndag kl. 22–06"
    assert hours.school_free is None  # neither schedule treats school days differently
    facade = site_recording_hours([IMY_SCHOOL_FACADE])
    assert facade.school_free == "alla dagar kl. 17–07"
    assert site_recording_hours([]) is None


def test_runs_wrap_past_sunday_midnight():
    sunday_night = minutes(rule([SUN], (22,), (2,)))
    (run,) = runs(sunday_night)
    assert (run.start, run.length) == (SUN * MINUTES_PER_DAY + 22 * 60, 4 * 60)
    with pytest.raises(ValueError, match="minutes of a week"):
        runs({MINUTES_PER_WEEK})


@given(st.frozensets(st.integers(min_value=0, max_value=MINUTES_PER_WEEK - 1), max_size=400))
def test_runs_cover_exactly_the_minutes(week_minutes):
    found = runs(week_minutes)
    rebuilt = frozenset().union(*(r.minutes() for r in found)) if found else frozenset()
    assert rebuilt == week_minutes
    assert sum(r.length for r in found) == len(week_minutes)  # runs never overlap
    assert describe(week_minutes)  # every set of minutes has words


@given(
    st.lists(
        st.tuples(
            st.frozensets(st.integers(0, 6), min_size=1),
            st.integers(0, 23),
            st.integers(0, 23),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_whole_hour_schedules_read_without_minutes(rules):
    schedule = Schedule(tuple(WeeklyRule(days, dt.time(a), dt.time(b)) for days, a, b in rules))
    text = describe(schedule.weekly_minutes())
    assert "." not in text.replace("kl. ", "")  # "kl. 20–06", never "20.00"
