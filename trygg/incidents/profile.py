"""A site's need profile from its incidents: what, when in the week, and what the measures changed.

Pure: takes plain rows (`IncidentRow`), returns plain values; no Django. Times are local
wall-clock times (Europe/Stockholm), as the municipality writes them and as camera schedules are
written (`trygg.cameras.schedule`).

The week-hour heat map counts each incident once in total. An incident with a known time adds 1
to its hour. One with a date and no time adds 1/24 to each hour of that day. One known only as a
range ("between Friday 16:00 and Monday 07:00", damage found on Monday morning) is spread over the
range in proportion to time: 1/63 to each of those 63 hours. So the map shows where in the week
incidents may have happened, without pretending to know more than the reports say.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from trygg.cameras.schedule import MINUTES_PER_WEEK, Schedule

HOURS_PER_WEEK = 7 * 24
MINUTES_PER_HOUR = 60


@dataclass(frozen=True)
class IncidentRow:
    """One incident as the pure modules see it.

    `start` is the moment (time known), or midnight of the day (time unknown, `end` = next midnight),
    or the start of a range; `end` is None for a moment, else the exclusive end of the span.
    """

    kind: str
    start: dt.datetime
    end: dt.datetime | None = None
    cost: Decimal | None = None

    @property
    def day(self) -> dt.date:
        return self.start.date()


def row_from_parts(
    kind: str,
    occurred_on: dt.date,
    occurred_time: dt.time | None = None,
    until_on: dt.date | None = None,
    until_time: dt.time | None = None,
    cost: Decimal | None = None,
) -> IncidentRow:
    """Build a row from the stored fields: a moment, a day with unknown time, or a range."""
    start = dt.datetime.combine(occurred_on, occurred_time or dt.time(0))
    if until_on is None:
        end = None if occurred_time is not None else start + dt.timedelta(days=1)
    else:
        end = dt.datetime.combine(until_on, until_time) if until_time else dt.datetime.combine(until_on, dt.time(0))
        if until_time is None:
            end += dt.timedelta(days=1)  # "until that day" includes the whole day
    if end is not None and end <= start:
        end = None
    return IncidentRow(kind=kind, start=start, end=end, cost=cost)


#
# The week-hour heat map
#


def hour_of_week(moment: dt.datetime) -> int:
    """0 = Monday 00:00–01:00 … 167 = Sunday 23:00–24:00."""
    return moment.weekday() * 24 + moment.hour


def spread(row: IncidentRow) -> dict[int, float]:
    """{hour of week: share} for one incident; the shares add up to 1."""
    if row.end is None:
        return {hour_of_week(row.start): 1.0}
    total_minutes = (row.end - row.start).total_seconds() / 60
    shares: dict[int, float] = defaultdict(float)
    full_weeks, rest = divmod(total_minutes, MINUTES_PER_WEEK)
    if full_weeks:
        for hour in range(HOURS_PER_WEEK):
            shares[hour] += full_weeks * MINUTES_PER_HOUR / total_minutes
    moment = row.start
    end = row.start + dt.timedelta(minutes=rest)
    while moment < end:
        next_hour = moment.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
        step_end = min(next_hour, end)
        shares[hour_of_week(moment)] += (step_end - moment).total_seconds() / 60 / total_minutes
        moment = step_end
    return dict(shares)


@dataclass(frozen=True)
class HeatMap:
    """Incidents per weekday (rows, 0 = Monday) and hour (columns); cells may be fractions."""

    cells: tuple[tuple[float, ...], ...]

    @property
    def total(self) -> float:
        return sum(sum(row) for row in self.cells)

    @property
    def maximum(self) -> float:
        return max((max(row) for row in self.cells), default=0.0)

    def share(self, weekday: int, hour: int) -> float:
        """The cell as a share of the largest cell, 0–1, for the colour scale."""
        top = self.maximum
        return self.cells[weekday][hour] / top if top else 0.0


HEAT_LABEL_PLACES = 1  # decimals shown in a heat-map cell
NBSP = "\xa0"


def heat_cell_label(value: float, places: int = HEAT_LABEL_PLACES) -> str:
    """What a heat-map cell says: "" when empty, "<0,1" when non-zero but below what `places` shows,
    else the value with a decimal comma ("0,4", "3", "1\xa0250").

    A coloured cell never reads "0": a share of an incident spread over many hours is small, not none.
    Raises ValueError for a negative value (cells count incidents).
    """
    if value < 0:
        raise ValueError(f"a heat-map cell cannot be negative, got {value}")
    if value == 0:
        return ""
    step = Decimal(1).scaleb(-places)
    amount = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_UP)
    if amount == 0:
        return "<" + f"{step:f}".replace(".", ",")
    whole, _dot, fraction = f"{amount:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    return grouped if amount == amount.to_integral() else f"{grouped},{fraction}"


def heat_map(rows: Iterable[IncidentRow]) -> HeatMap:
    grid = [[0.0] * 24 for _ in range(7)]
    for row in rows:
        for hour, share in spread(row).items():
            grid[hour // 24][hour % 24] += share
    return HeatMap(tuple(tuple(day) for day in grid))


#
# Counts and costs
#


@dataclass(frozen=True)
class Tally:
    count: int = 0
    cost: Decimal = Decimal("0")
    with_cost: int = 0  # how many incidents had a cost, since many reports leave it out


def _add(tally: Tally, row: IncidentRow) -> Tally:
    if row.cost is None:
        return Tally(tally.count + 1, tally.cost, tally.with_cost)
    return Tally(tally.count + 1, tally.cost + row.cost, tally.with_cost + 1)


def by_kind(rows: Iterable[IncidentRow]) -> dict[str, Tally]:
    result: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        result[row.kind] = _add(result[row.kind], row)
    return dict(sorted(result.items(), key=lambda item: (-item[1].count, item[0])))


def by_year(rows: Iterable[IncidentRow]) -> dict[int, Tally]:
    result: dict[int, Tally] = defaultdict(Tally)
    for row in rows:
        result[row.day.year] = _add(result[row.day.year], row)
    return dict(sorted(result.items()))


def by_year_and_kind(rows: Iterable[IncidentRow]) -> dict[int, dict[str, int]]:
    result: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        result[row.day.year][row.kind] += 1
    return {year: dict(kinds) for year, kinds in sorted(result.items())}


#
# Before and after each measure tried
#


@dataclass(frozen=True)
class MeasureInput:
    label: str
    started_on: dt.date
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class BeforeAfter:
    """Incidents in equally long windows just before a measure started and from its start."""

    label: str
    started_on: dt.date
    window_days: int
    before_from: dt.date
    after_to: dt.date  # exclusive
    before: int
    after: int

    @property
    def change(self) -> float | None:
        """Relative change after/before − 1 (−0.25 = a quarter fewer); None when nothing before."""
        return None if self.before == 0 else self.after / self.before - 1


def measure_windows(measures: Iterable[MeasureInput], as_of: dt.date, max_days: int = 365) -> list[BeforeAfter]:
    """Each measure's two windows with the counts still 0: the window is the measure's length (up to
    `max_days`, and not past `as_of`), and the same length before its start, so the two counts compare
    like with like. Measures that have not yet run a day are left out. Fill the counts with
    `dataclasses.replace` (days `before_from` ≤ day < `started_on`, and `started_on` ≤ day < `after_to`)."""
    result = []
    for measure in measures:
        stop = min(measure.ended_on or as_of, as_of)
        days = min(max_days, (stop - measure.started_on).days)
        if days <= 0:
            continue
        before_from = measure.started_on - dt.timedelta(days=days)
        after_to = measure.started_on + dt.timedelta(days=days)
        result.append(BeforeAfter(measure.label, measure.started_on, days, before_from, after_to, 0, 0))
    return result


def before_and_after(
    rows: Sequence[IncidentRow], measures: Iterable[MeasureInput], as_of: dt.date, max_days: int = 365
) -> list[BeforeAfter]:
    """`measure_windows` with the incidents of `rows` counted in each window."""
    return [
        replace(
            window,
            before=sum(1 for row in rows if window.before_from <= row.day < window.started_on),
            after=sum(1 for row in rows if window.started_on <= row.day < window.after_to),
        )
        for window in measure_windows(measures, as_of, max_days)
    ]


#
# Inside a camera schedule's hours (9 § assessment: the hours should be those with incidents)
#


def schedule_hour_fractions(schedule: Schedule) -> tuple[tuple[float, ...], ...]:
    """For each weekday and hour of an ordinary school week, the share of the hour the schedule records."""
    minutes = schedule.weekly_minutes()
    grid = [[0] * 24 for _ in range(7)]
    for minute in minutes:
        grid[minute // (24 * 60)][(minute // 60) % 24] += 1
    return tuple(tuple(count / MINUTES_PER_HOUR for count in day) for day in grid)


@dataclass(frozen=True)
class UncoveredHour:
    weekday: int  # 0 = Monday
    hour: int
    incidents: float  # the (possibly fractional) incidents in this hour the schedule does not cover


@dataclass(frozen=True)
class ScheduleCoverage:
    """How much of the incidents' time a schedule covers, and where incidents fall outside it."""

    total: float
    inside: float
    uncovered: tuple[UncoveredHour, ...] = field(default_factory=tuple)
    hours_without_incidents: int = 0  # recording hours of the week in which no incident fell

    @property
    def share_inside(self) -> float | None:
        return None if self.total == 0 else self.inside / self.total


def schedule_coverage(schedule: Schedule, rows: Iterable[IncidentRow] | HeatMap) -> ScheduleCoverage:
    """The share of incidents inside `schedule`'s hours, the hours with incidents it leaves out
    (largest first), and how many of its recording hours saw no incident at all.

    Computed on the week-hour heat map, so time ranges count in proportion; the schedule is read as
    an ordinary school week (`Schedule.weekly_minutes`), which is exact when its rules start and end
    on whole hours, as IMY's school-facade hours do. This is what a 9 § assessment needs to show
    that the proposed hours are the hours with documented incidents (reference/legal.md R1.3).
    """
    heat = rows if isinstance(rows, HeatMap) else heat_map(rows)
    fractions = schedule_hour_fractions(schedule)
    inside = 0.0
    uncovered = []
    idle_hours = 0
    for weekday in range(7):
        for hour in range(24):
            value = heat.cells[weekday][hour]
            fraction = fractions[weekday][hour]
            inside += value * fraction
            outside = value * (1 - fraction)
            if outside > 1e-9:
                uncovered.append(UncoveredHour(weekday, hour, outside))
            if fraction > 0 and value <= 1e-9:
                idle_hours += 1
    uncovered.sort(key=lambda u: (-u.incidents, u.weekday, u.hour))
    return ScheduleCoverage(heat.total, inside, tuple(uncovered), idle_hours)


#
# Everything at once
#


@dataclass(frozen=True)
class Profile:
    count: int
    cost: Decimal
    with_cost: int
    by_kind: dict[str, Tally]
    by_year: dict[int, Tally]
    by_year_and_kind: dict[int, dict[str, int]]
    heat: HeatMap
    measures: list[BeforeAfter]
    schedules: dict[str, ScheduleCoverage]
    precision: dict[str, int]  # how many incidents had a time, a date only, or a range


def build_profile(
    rows: Sequence[IncidentRow],
    measures: Iterable[MeasureInput] = (),
    schedules: dict[str, Schedule] | None = None,
    as_of: dt.date | None = None,
) -> Profile:
    as_of = as_of or max((row.day for row in rows), default=dt.date(2000, 1, 1))
    heat = heat_map(rows)
    totals = Tally()
    precision = {"exact": 0, "date": 0, "range": 0}
    for row in rows:
        totals = _add(totals, row)
        if row.end is None:
            precision["exact"] += 1
        elif row.end - row.start == dt.timedelta(days=1) and row.start.time() == dt.time(0):
            precision["date"] += 1
        else:
            precision["range"] += 1
    return Profile(
        count=totals.count,
        cost=totals.cost,
        with_cost=totals.with_cost,
        by_kind=by_kind(rows),
        by_year=by_year(rows),
        by_year_and_kind=by_year_and_kind(rows),
        heat=heat,
        measures=before_and_after(rows, measures, as_of),
        schedules={name: schedule_coverage(schedule, heat) for name, schedule in (schedules or {}).items()},
        precision=precision,
    )


#
# The same profile from counts (what the database groups), so a page need not read every incident
#


@dataclass(frozen=True)
class Summary:
    """A site's incidents counted in groups; `profile_from_summary` builds the same `Profile` from it
    as `build_profile` does from the rows.

    `tallies`: {(year, kind): Tally} over all incidents. `moments`: {(weekday 0 = Monday, hour): n} of
    incidents with a time and no range. `days`: {weekday: n} of incidents with a date only. `ranges`:
    [(row, n)] of incidents with a "to" date, one row per distinct start and end (kind and cost are
    not read).
    """

    tallies: dict[tuple[int, str], Tally]
    moments: dict[tuple[int, int], int]
    days: dict[int, int]
    ranges: list[tuple[IncidentRow, int]]


MONDAY = dt.date(2024, 1, 1)  # any Monday: a day-only incident spreads the same over every day


def summarise(rows: Iterable[IncidentRow]) -> Summary:
    """The `Summary` of plain rows (what the database's GROUP BY gives, computed in Python)."""
    tallies: dict[tuple[int, str], Tally] = defaultdict(Tally)
    moments: dict[tuple[int, int], int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    ranges: dict[tuple[dt.datetime, dt.datetime | None], int] = defaultdict(int)
    for row in rows:
        key = (row.day.year, row.kind)
        tallies[key] = _add(tallies[key], row)
        if row.end is None:
            moments[(row.start.weekday(), row.start.hour)] += 1
        elif row.end - row.start == dt.timedelta(days=1) and row.start.time() == dt.time(0):
            days[row.start.weekday()] += 1
        else:
            ranges[(row.start, row.end)] += 1
    return Summary(
        dict(tallies), dict(moments), dict(days), [(IncidentRow("", s, e), n) for (s, e), n in ranges.items()]
    )


def heat_from_summary(summary: Summary) -> HeatMap:
    """The week-hour heat map of `heat_map`, from counts: each group's spread times its count."""
    grid = [[0.0] * 24 for _ in range(7)]
    for (weekday, hour), n in sorted(summary.moments.items()):
        grid[weekday][hour] += n
    for weekday, n in sorted(summary.days.items()):
        day = MONDAY + dt.timedelta(days=weekday)
        for hour, share in spread(IncidentRow("", dt.datetime.combine(day, dt.time(0)), _next_midnight(day))).items():
            grid[hour // 24][hour % 24] += n * share
    for row, n in sorted(summary.ranges, key=lambda item: (item[0].start, item[0].end or item[0].start)):
        for hour, share in spread(row).items():
            grid[hour // 24][hour % 24] += n * share
    return HeatMap(tuple(tuple(day) for day in grid))


def _next_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0))


def profile_from_summary(
    summary: Summary,
    measures: Sequence[BeforeAfter] = (),
    schedules: dict[str, Schedule] | None = None,
) -> Profile:
    """The `Profile` that `build_profile` gives for the summarised rows; `measures` are the
    `measure_windows` with their counts filled in. Heat-map cells may differ from `build_profile`'s
    in the last bits of a float (the shares are added in another order); counts and costs are exact."""
    by_kind_: dict[str, Tally] = defaultdict(Tally)
    by_year_: dict[int, Tally] = defaultdict(Tally)
    year_kind: dict[int, dict[str, int]] = defaultdict(dict)
    totals = Tally()
    for (year, kind), tally in sorted(summary.tallies.items()):
        if tally.count <= 0:
            continue
        by_kind_[kind] = _merge(by_kind_[kind], tally)
        by_year_[year] = _merge(by_year_[year], tally)
        year_kind[year][kind] = tally.count
        totals = _merge(totals, tally)
    precision = {"exact": sum(summary.moments.values()), "date": sum(summary.days.values()), "range": 0}
    for row, n in summary.ranges:
        if row.end is None:
            precision["exact"] += n
        elif row.end - row.start == dt.timedelta(days=1) and row.start.time() == dt.time(0):
            precision["date"] += n
        else:
            precision["range"] += n
    heat = heat_from_summary(summary)
    return Profile(
        count=totals.count,
        cost=totals.cost,
        with_cost=totals.with_cost,
        by_kind=dict(sorted(by_kind_.items(), key=lambda item: (-item[1].count, item[0]))),
        by_year=dict(sorted(by_year_.items())),
        by_year_and_kind=dict(sorted(year_kind.items())),
        heat=heat,
        measures=list(measures),
        schedules={name: schedule_coverage(schedule, heat) for name, schedule in (schedules or {}).items()},
        precision=precision,
    )


def _merge(left: Tally, right: Tally) -> Tally:
    return Tally(left.count + right.count, left.cost + right.cost, left.with_cost + right.with_cost)
