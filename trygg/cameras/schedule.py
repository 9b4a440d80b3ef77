"""Camera schedules (bevakningstider) as plain data, with no Django imports.

A schedule is a set of weekly rules, each naming weekdays and a clock interval that may cross
midnight (20:00–06:00 starts on the named day and ends the next morning). School-free days
(lov, helgdagar) may follow their own rules, which is how IMY's practice for school facades is
written: Mon–Fri 20–06 on school days, and 17–07 on weekends and school-free days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)
WEEKDAYS = frozenset({MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY})
WEEKEND = frozenset({SATURDAY, SUNDAY})
ALL_DAYS = WEEKDAYS | WEEKEND
MINUTES_PER_DAY = 24 * 60
MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY


@dataclass(frozen=True)
class WeeklyRule:
    """Active from `start` to `end` on each of `days` (0 = Monday); `end <= start` runs past midnight.

    `school_free` says which days the rule applies to: False = ordinary school days only,
    True = school-free weekdays only (lov, helgdag), None = every one of `days`.
    """

    days: frozenset[int]
    start: dt.time
    end: dt.time
    school_free: bool | None = None

    def __post_init__(self) -> None:
        if not self.days or not self.days <= ALL_DAYS:
            raise ValueError("days must be a non-empty subset of 0..6")

    @property
    def minutes(self) -> int:
        """Length of one occurrence in minutes; start == end means the whole day."""
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute
        return (end - start) % MINUTES_PER_DAY or MINUTES_PER_DAY

    def applies_to(self, day: dt.date, is_school_free: bool) -> bool:
        if day.weekday() not in self.days:
            return False
        return self.school_free is None or self.school_free == is_school_free


@dataclass(frozen=True)
class Schedule:
    """When a camera records. An empty rule list means it never records."""

    rules: tuple[WeeklyRule, ...] = field(default_factory=tuple)

    def is_active(self, moment: dt.datetime, is_school_free: Callable[[dt.date], bool] = lambda d: False) -> bool:
        """Whether the camera records at `moment` (local wall-clock time)."""
        minute_of_day = moment.hour * 60 + moment.minute
        for day_offset in (0, -1):  # a rule that started yesterday may still run this morning
            day = moment.date() + dt.timedelta(days=day_offset)
            for rule in self.rules:
                if not rule.applies_to(day, is_school_free(day) if day.weekday() in WEEKDAYS else True):
                    continue
                start = rule.start.hour * 60 + rule.start.minute
                offset = minute_of_day - start + (MINUTES_PER_DAY if day_offset == -1 else 0)
                if 0 <= offset < rule.minutes:
                    return True
        return False

    def _minutes(self, counts: Callable[[WeeklyRule, int], bool]) -> frozenset[int]:
        """Minutes of the week (0 = Mon 00:00) of the rules on the days where `counts(rule, day)`."""
        active: set[int] = set()
        for rule in self.rules:
            for day in rule.days:
                if counts(rule, day):
                    start = day * MINUTES_PER_DAY + rule.start.hour * 60 + rule.start.minute
                    active.update((start + m) % MINUTES_PER_WEEK for m in range(rule.minutes))
        return frozenset(active)

    def weekly_minutes(self) -> frozenset[int]:
        """Minutes of an ordinary week (no school-free weekdays) when the camera records, 0 = Mon 00:00."""
        return self._minutes(
            lambda rule, day: rule.school_free is not True and not (rule.school_free is False and day in WEEKEND)
        )

    def school_free_week_minutes(self) -> frozenset[int]:
        """Minutes of a week in which every weekday is school-free (lov, helgdag): rules for school days left out."""
        return self._minutes(lambda rule, day: rule.school_free is not False)

    def hours_per_week(self) -> float:
        """Recording hours in an ordinary week (rules for school-free weekdays left out)."""
        return len(self.weekly_minutes()) / 60

    def overlaps(self, other: Schedule) -> bool:
        """Whether the two schedules record at the same time in an ordinary week."""
        return not self.weekly_minutes().isdisjoint(other.weekly_minutes())

    def within(self, other: Schedule) -> bool:
        """Whether every recording minute of an ordinary week also lies inside `other`."""
        return self.weekly_minutes() <= other.weekly_minutes()


def _t(hour: int, minute: int = 0) -> dt.time:
    return dt.time(hour, minute)


ALWAYS = Schedule((WeeklyRule(ALL_DAYS, _t(0), _t(0)),))

# IMY's practice for school facades (facade + 2 m): Mon–Fri 20:00–06:00 on school days,
# weekends and school-free days 17:00–07:00 (IMY FAQ 2023-03-27; IMY blog 2023-12-20).
IMY_SCHOOL_FACADE = Schedule(
    (
        WeeklyRule(WEEKDAYS, _t(20), _t(6), school_free=False),
        WeeklyRule(WEEKDAYS, _t(17), _t(7), school_free=True),
        WeeklyRule(WEEKEND, _t(17), _t(7)),
    )
)

# Ordinary school hours, used to decide whether a camera films while pupils and staff are there.
SCHOOL_HOURS = Schedule((WeeklyRule(WEEKDAYS, _t(7), _t(17), school_free=False),))

TEMPLATES: dict[str, Schedule] = {
    "always": ALWAYS,
    "imy_school_facade": IMY_SCHOOL_FACADE,
}


def day_runs(days: Iterable[int], wrap: bool = False) -> list[list[int]]:
    """Weekdays (0 = Monday) as runs of days in a row, in week order: {0, 1, 2, 4} → [[0, 1, 2], [4]].

    With `wrap`, Sunday is followed by Monday: {5, 6, 0} → [[5, 6, 0]], a run starting at a day whose
    previous day is not chosen. Raises ValueError for a day outside 0..6.
    """
    chosen = sorted(set(days))
    if not set(chosen) <= ALL_DAYS:
        raise ValueError("days must lie in 0..6")
    if wrap and chosen and len(chosen) < 7:
        first = next(day for day in chosen if (day - 1) % 7 not in chosen)
        chosen = sorted(chosen, key=lambda day: (day - first) % 7)
    runs: list[list[int]] = []
    for day in chosen:
        if runs and (runs[-1][-1] + 1) % 7 == day:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def day_span(days: Iterable[int], names: Sequence[str]) -> str:
    """Weekdays as short text with `names` (seven, Monday first): "mån–fre", "mån, ons", "mån–ons, fre".

    Three or more days in a row are joined with a dash; Sunday to Monday is not a row here.
    """
    parts: list[str] = []
    for run in day_runs(days):
        if len(run) >= 3:
            parts.append(f"{names[run[0]]}–{names[run[-1]]}")
        else:
            parts.extend(str(names[day]) for day in run)
    return ", ".join(parts)


def parse_rules(data: Iterable[dict]) -> Schedule:
    """Build a schedule from stored JSON rules: [{"days": [0, 1], "start": "20:00", "end": "06:00"}]."""
    rules = []
    for item in data:
        school_free = item.get("school_free")
        rules.append(
            WeeklyRule(
                days=frozenset(int(d) for d in item["days"]),
                start=dt.time.fromisoformat(item["start"]),
                end=dt.time.fromisoformat(item["end"]),
                school_free=None if school_free is None else bool(school_free),
            )
        )
    return Schedule(tuple(rules))


def rules_to_json(schedule: Schedule) -> list[dict]:
    """The inverse of `parse_rules`."""
    return [
        {
            "days": sorted(rule.days),
            "start": rule.start.strftime("%H:%M"),
            "end": rule.end.strftime("%H:%M"),
            **({} if rule.school_free is None else {"school_free": rule.school_free}),
        }
        for rule in schedule.rules
    ]
