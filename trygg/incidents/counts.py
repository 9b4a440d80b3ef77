"""The stored counts of incidents that the need pages read: what one incident adds to them.

Pure: takes an incident's stored fields, returns the changes to three tables of counts; no Django.
`trygg.incidents.stored` writes them, so the need profile, the overview and the ranking of sites read
a few hundred counts per site instead of every incident (issue 15).

The three groupings are exactly those the pages need:
- *month*: (site, first day of the month, kind) → number of incidents, their cost in öre (hundredths
  of a krona, an integer so sums are exact) and how many had a cost. The profile's years and kinds,
  the overview's totals and the ranking (counted per site, kind and month) read these.
- *week*: (site, weekday 0 = Monday, hour 0–23) → incidents with a time and no "to" date, and
  (site, weekday, `DATE_ONLY`) → incidents with a date and no time: the heat map's moments and days.
- *range*: (site, from date, from second of the day, to date, to second of the day) → incidents known
  only as a range ("between Friday 16:00 and Monday 07:00"), the time `NO_TIME` when not given.

Dates and times are local wall-clock values (Europe/Stockholm), as stored; no time zone enters, so
the clock changes in March and October need no care (see `trygg.incidents.profile`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

DATE_ONLY = -1  # the hour of an incident with a date and no time
NO_TIME = -1  # the second of the day of a range's end without a time

MonthKey = tuple[Hashable, dt.date, str]  # site, first day of the month, kind
WeekKey = tuple[Hashable, int, int]  # site, weekday (0 = Monday), hour 0–23 or DATE_ONLY
RangeKey = tuple[Hashable, dt.date, int, dt.date, int]  # site, from, from second, to, to second


@dataclass
class Changes:
    """Additions to the stored counts (negative to remove); built with `add`, applied by the database side.

    `months`: {MonthKey: [incidents, cost in öre, incidents with a cost]}. `weeks`: {WeekKey: incidents}.
    `ranges`: {RangeKey: incidents}. Keys whose changes cancel out are left out by `nonzero`.
    """

    months: dict[MonthKey, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    weeks: dict[WeekKey, int] = field(default_factory=lambda: defaultdict(int))
    ranges: dict[RangeKey, int] = field(default_factory=lambda: defaultdict(int))

    def add(
        self,
        site: Hashable,
        kind: str,
        occurred_on: dt.date,
        occurred_time: dt.time | None = None,
        until_on: dt.date | None = None,
        until_time: dt.time | None = None,
        cost: Decimal | None = None,
        sign: int = 1,
    ) -> None:
        """Count one incident (`sign` = 1) or take it away (`sign` = −1). Raises ValueError for a
        negative cost (the model refuses one) or a `sign` other than ±1."""
        if sign not in (1, -1):
            raise ValueError(f"sign must be 1 or -1, got {sign}")
        month = self.months[(site, occurred_on.replace(day=1), kind)]
        month[0] += sign
        if cost is not None:
            month[1] += sign * ore(cost)
            month[2] += sign
        if until_on is None:
            hour = DATE_ONLY if occurred_time is None else occurred_time.hour
            self.weeks[(site, occurred_on.weekday(), hour)] += sign
        else:
            key = (site, occurred_on, seconds(occurred_time), until_on, seconds(until_time))
            self.ranges[key] += sign

    def nonzero(self) -> Changes:
        """The same changes without the keys where they cancel out (an edit that changed nothing counted)."""
        result = Changes()
        result.months.update({k: v for k, v in self.months.items() if any(v)})
        result.weeks.update({k: v for k, v in self.weeks.items() if v})
        result.ranges.update({k: v for k, v in self.ranges.items() if v})
        return result

    def __bool__(self) -> bool:
        return any(any(v) for v in self.months.values()) or any(self.weeks.values()) or any(self.ranges.values())

    @property
    def sites(self) -> set[Hashable]:
        return {k[0] for k in self.months} | {k[0] for k in self.weeks} | {k[0] for k in self.ranges}


def changes_of(rows: Iterable[tuple], sign: int = 1) -> Changes:
    """The changes of many incidents, each row (site, kind, occurred_on, occurred_time, until_on,
    until_time, cost) in that order (`ROW_FIELDS` in `trygg.incidents.stored`)."""
    result = Changes()
    for row in rows:
        result.add(*row, sign=sign)
    return result


def ore(cost: Decimal) -> int:
    """Kronor as whole öre (the model stores two decimals; a third is rounded half up)."""
    return int((Decimal(cost) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def kronor(ore_: int) -> Decimal:
    """Whole öre as kronor with two decimals."""
    return (Decimal(ore_) / 100).quantize(Decimal("0.01"))


def seconds(time: dt.time | None) -> int:
    """The second of the day of a wall-clock time, `NO_TIME` for none (fractions of a second are not kept)."""
    return NO_TIME if time is None else time.hour * 3600 + time.minute * 60 + time.second


def time_of(second: int) -> dt.time | None:
    """The inverse of `seconds`."""
    if second == NO_TIME:
        return None
    if not 0 <= second < 86400:
        raise ValueError(f"a second of the day is 0–86399 or {NO_TIME}, got {second}")
    return dt.time(second // 3600, second // 60 % 60, second % 60)
