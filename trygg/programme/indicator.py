"""The indicator "antal bevakningskameror i drift": pure statistics over the cameras' life-cycle rows.

No Django here. Two shapes of the same facts come from the shell (`trygg.programme.services`):

- `Run` groups, which the pages, exports and API count from: the database finds each stretch a camera
  was in operation (from the move into operation to the camera's next move) and counts the stretches
  per start year, end year and breakdown values, so a few hundred rows stand for any number of cameras;
- `CameraHistory`, each camera with all its dated moves (`camera_histories`), for what needs single
  cameras (the board report) and as the plain definition the run counts are tested against.

Everything else — the count on a date, the breakdowns by site kind, administration and area kind, the
time series, the long export format — is computed here and tested with hand counts.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

IN_OPERATION = "in_operation"  # trygg.cameras.lifecycle.State.IN_OPERATION

# The dimensions a count can be broken down by: the attribute names of CameraHistory.
DIMENSIONS = ("site_kind", "administration", "area_kind")


@dataclass(frozen=True)
class CameraHistory:
    """One camera with what the breakdowns need and its moves as (date, sequence, state to)."""

    camera_id: int
    site_kind: str
    administration: str
    area_kind: str
    moves: tuple[tuple[dt.date, int, str], ...]

    def state_on(self, on: dt.date) -> str | None:
        """The state at the end of day `on` (the latest move on or before it), None before the first move."""
        ordered = sorted(self.moves)
        position = bisect.bisect_right(ordered, (on, float("inf"), "")) - 1
        return ordered[position][2] if position >= 0 else None


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: int


# The long format's header, one column per field of `LongRow`. Fixed Swedish names, never translated (a
# follow-up system imports the file by its column names); no standard prescribes them: Kolada's own form
# (`kpi;municipality_id;period;value`, years as periods) is the open data's `indikator/kolada.csv`.
LONG_COLUMNS = ("indikator", "kommun", "period", "värde")


@dataclass(frozen=True)
class LongRow:
    """One value in the long format that follow-up systems import: indicator, municipality, period, value
    (the columns `LONG_COLUMNS`)."""

    indicator: str
    municipality: str
    period: str
    value: int


@dataclass(frozen=True)
class Run:
    """`count` stretches in operation, at sites of these breakdown values, that began in `start_year` and
    ended in `end_year` (the year of the camera's next move; None: still in operation on the day asked for).

    A stretch begins with a move into operation and ends with the camera's next move (ordered by date and
    sequence), whatever that move is. A camera has at most one stretch open at the end of any day, so
    counting stretches counts cameras.
    """

    start_year: int
    end_year: int | None
    site_kind: str
    administration: str
    area_kind: str
    count: int


def run_is_open(run: Run, on: dt.date, as_of: dt.date) -> bool:
    """Whether the run's cameras were in operation at the end of `on`.

    The runs are counted up to `as_of` (moves after it unseen), and years are all they know of their
    dates, so `on` must be `as_of` itself or a 31 December before it; anything else raises ValueError.
    """
    if on == as_of:
        return run.end_year is None
    if on > as_of or (on.month, on.day) != (12, 31):
        raise ValueError(f"runs counted up to {as_of} give the count on {as_of} or a year end before it, not {on}")
    return run.start_year <= on.year and (run.end_year is None or run.end_year > on.year)


def runs_in_operation_on(runs: Iterable[Run], on: dt.date, as_of: dt.date) -> int:
    """Cameras in operation at the end of `on` (`as_of` or a year end before it; see `run_is_open`)."""
    return sum(run.count for run in runs if run_is_open(run, on, as_of))


def runs_breakdown_on(runs: Iterable[Run], on: dt.date, as_of: dt.date, dimension: str) -> dict[str, int]:
    """Cameras in operation at the end of `on`, counted per value of `dimension` (values without any left out)."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {DIMENSIONS}")
    counts: Counter[str] = Counter()
    for run in runs:
        if run_is_open(run, on, as_of):
            counts[getattr(run, dimension)] += run.count
    return {value: n for value, n in counts.items() if n}


def runs_series(runs: Sequence[Run], dates: Iterable[dt.date], as_of: dt.date) -> list[Point]:
    return [Point(on, runs_in_operation_on(runs, on, as_of)) for on in dates]


def in_operation_on(cameras: Iterable[CameraHistory], on: dt.date) -> int:
    return sum(1 for camera in cameras if camera.state_on(on) == IN_OPERATION)


def breakdown_on(cameras: Iterable[CameraHistory], on: dt.date, dimension: str) -> dict[str, int]:
    """Cameras in operation on `on`, counted per value of `dimension` (e.g. "area_kind")."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; use one of {DIMENSIONS}")
    return dict(Counter(getattr(c, dimension) for c in cameras if c.state_on(on) == IN_OPERATION))


def series(cameras: Sequence[CameraHistory], dates: Iterable[dt.date]) -> list[Point]:
    return [Point(on, in_operation_on(cameras, on)) for on in dates]


def first_move_year(cameras: Iterable[CameraHistory], state: str = IN_OPERATION) -> int | None:
    """The first year any camera entered `state` (when the programme's cameras started running)."""
    years = [on.year for camera in cameras for on, _sequence, to in camera.moves if to == state]
    return min(years) if years else None


def year_end_dates(first_year: int, as_of: dt.date) -> list[dt.date]:
    """31 December of each year from `first_year` up to the year before `as_of`, then `as_of` itself."""
    dates = [dt.date(year, 12, 31) for year in range(first_year, as_of.year)]
    if not dates or dates[-1] != as_of:
        dates.append(as_of)
    return dates


def month_end_dates(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last day of every month from `start`'s month up to `end` (with `end` itself last)."""
    dates = []
    year, month = start.year, start.month
    while True:
        first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
        last = first_of_next - dt.timedelta(days=1)
        if last >= end:
            break
        dates.append(last)
        year, month = first_of_next.year, first_of_next.month
    dates.append(end)
    return dates


def long_format(indicator: str, municipality: str, points: Iterable[Point]) -> list[LongRow]:
    """The values as rows (indicator, municipality, period, value); the period is the ISO date of the count."""
    return [LongRow(indicator, municipality, point.on.isoformat(), point.value) for point in points]
