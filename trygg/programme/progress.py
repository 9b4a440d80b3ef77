"""Where an installation project (projektering) stands: delay, days past the target date, cameras in place.

Pure functions on plain values (no Django), used by the project pages, the board, the dashboard and
the board report's drafting, so that "delayed" means the same thing everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Statuses after which a project is no longer running: delivered (all cameras in place) or cancelled.
DELIVERED = "completed"
CANCELLED = "cancelled"
CLOSED = frozenset({DELIVERED, CANCELLED})
# A camera counts towards the target only while it is "i drift" (paused and decommissioned do not).
IN_OPERATION = "in_operation"


def is_closed(status: str) -> bool:
    """True for a delivered or cancelled project: it can no longer be late."""
    return status in CLOSED


def is_delayed(status: str, target_date: dt.date | None, forecast_date: dt.date | None) -> bool:
    """A running project whose forecast lies after its target date.

    A delivered (or cancelled) project is never delayed, whatever its last forecast said.
    """
    if is_closed(status) or target_date is None or forecast_date is None:
        return False
    return forecast_date > target_date


def days_past_target(status: str, target_date: dt.date | None, today: dt.date) -> int | None:
    """Whole days `today` lies after the target date of a project not yet delivered, else None.

    >>> days_past_target("designing", dt.date(2024, 12, 31), dt.date(2025, 1, 30))
    30
    """
    if is_closed(status) or target_date is None or today <= target_date:
        return None
    return (today - target_date).days


@dataclass(frozen=True)
class CameraProgress:
    """Cameras of a project in operation against its target (målbild) of `target_min`–`target_max`.

    `remaining` is how many more cameras must go into operation to reach the lower end of the
    target (the target is met at `target_min`); never negative.
    """

    in_operation: int
    target_min: int
    target_max: int

    @property
    def remaining(self) -> int:
        return max(self.target_min - self.in_operation, 0)

    @property
    def target_text(self) -> str:
        """The target as the board writes it: `3–4`, or `3` when min and max agree."""
        if self.target_min == self.target_max:
            return str(self.target_min)
        return f"{self.target_min}\N{EN DASH}{self.target_max}"

    @property
    def reached(self) -> bool:
        return self.in_operation >= self.target_min


def camera_progress(states: list[str], target_min: int, target_max: int) -> CameraProgress:
    """Count the project's cameras whose current life-cycle state is "i drift".

    `states` holds one life-cycle state code per camera of the project (e.g. "designed").
    """
    return CameraProgress(sum(1 for s in states if s == IN_OPERATION), target_min, target_max)
