"""When a camera's yearly review ("är bevakningen fortfarande motiverad?") is due — plain Python, no Django.

Why a yearly review: 9 § kamerabevakningslagen (SFS 2025:220) asks for a new assessment when the
conditions at the place change, and art. 35.11 GDPR for a review of the DPIA when the risk changes.
"Conditions changed" is hard to notice, so reference/legal.md R1.4 recommends a yearly review task [I];
IMY has criticised cameras left running "år efter år" and expects surveillance to stop when it is no
longer needed.

The rule Trygg applies (documented in the README, "Årlig omprövning"):

- The reviews fall on the anniversaries of the day the camera first went into operation (its first
  `in_operation` life-cycle row): start + 1 year, start + 2 years, …  A start on 29 February has its
  anniversary on 28 February in common years and on 29 February in leap years (each anniversary is
  counted from the start, never from the previous anniversary, so the date does not drift).
- A decided review covers every anniversary up to the later of its own due date and the day it was
  decided: the next review is due on the first anniversary after that. A review made early (before
  its due date) therefore does not bring the next one forward, and one made late does not leave the
  next one already overdue.
- **A pause does not move the date.** The review asks whether the camera should hang there at all; a
  paused camera stays mounted and may be switched on again without a new assessment, and the yearly
  question is exactly the one a long pause raises. The review page lists the pauses of the period.
- A camera never put into operation, or decommissioned, has no review due (None).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

IN_OPERATION = "in_operation"
PAUSED = "paused"
DECOMMISSIONED = "decommissioned"


@dataclass(frozen=True)
class LifecycleRow:
    """One dated life-cycle move of the camera: the state it entered on `occurred_on`, in `sequence` order."""

    occurred_on: dt.date
    to_state: str
    sequence: int = 0


@dataclass(frozen=True)
class ReviewDone:
    """A decided review: the anniversary it was due on, and the day the officer decided it."""

    due_on: dt.date
    decided_on: dt.date


def anniversary(start: dt.date, years: int) -> dt.date:
    """`start` plus whole `years`; 29 February becomes 28 February in a common year.

    Raises ValueError when `years` is negative.
    """
    if years < 0:
        raise ValueError(f"years must not be negative, got {years}")
    year = start.year + years
    day = min(start.day, calendar.monthrange(year, start.month)[1])
    return start.replace(year=year, day=day)


def _ordered(rows: Iterable[LifecycleRow]) -> list[LifecycleRow]:
    return sorted(rows, key=lambda row: (row.occurred_on, row.sequence))


def operation_started_on(rows: Iterable[LifecycleRow]) -> dt.date | None:
    """The day the camera first went into operation (None if it never did)."""
    return next((row.occurred_on for row in _ordered(rows) if row.to_state == IN_OPERATION), None)


def pauses(rows: Iterable[LifecycleRow], until: dt.date) -> list[tuple[dt.date, dt.date | None]]:
    """The pauses up to `until`: (paused on, resumed on or None while still paused at `until`)."""
    result: list[tuple[dt.date, dt.date | None]] = []
    started: dt.date | None = None
    for row in _ordered(r for r in rows if r.occurred_on <= until):
        if row.to_state == PAUSED and started is None:
            started = row.occurred_on
        elif row.to_state != PAUSED and started is not None:
            result.append((started, row.occurred_on))
            started = None
    if started is not None:
        result.append((started, None))
    return result


def next_review_due(rows: Sequence[LifecycleRow], reviews: Iterable[ReviewDone] = ()) -> dt.date | None:
    """The date the camera's next yearly review is due, from its life-cycle rows and decided reviews.

    `rows` are the camera's life-cycle moves (any order); the last one decides whether the camera is
    decommissioned (then None). Returns None when the camera never went into operation. The result
    is always an anniversary of the operation start, strictly after that start and after every
    decided review's due date and decision date (see the module docstring for the rule).
    """
    ordered = _ordered(rows)
    start = operation_started_on(ordered)
    if start is None or ordered[-1].to_state == DECOMMISSIONED:
        return None
    covered_until = max((max(review.due_on, review.decided_on) for review in reviews), default=start)
    covered_until = max(covered_until, start)
    # The first anniversary strictly after `covered_until`.
    years = max(covered_until.year - start.year, 1)
    while anniversary(start, years) <= covered_until:
        years += 1
    while years > 1 and anniversary(start, years - 1) > covered_until:
        years -= 1
    return anniversary(start, years)


def is_overdue(due_on: dt.date | None, on_date: dt.date) -> bool:
    """Whether a review due on `due_on` is overdue on `on_date` (due on the day itself is not yet overdue)."""
    return due_on is not None and on_date > due_on
