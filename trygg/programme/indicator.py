"""The indicator "antal bevakningskameror i drift": pure statistics over the cameras' life-cycle rows.

No Django here. The shell (`trygg.programme.services.camera_histories`) reads each camera's dated
transition rows once and hands them over as plain `CameraHistory` values; everything else — the
count on a date, the breakdowns by site kind, administration and area kind, the time series, the
long export format — is computed here and tested with hand counts.
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


@dataclass(frozen=True)
class LongRow:
    """One value in the long format that follow-up systems import: indicator, municipality, period, value."""

    indicator: str
    municipality: str
    period: str
    value: int


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
