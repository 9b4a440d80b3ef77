"""What was known of a project on a date, read from its recorded changes (pure; no Django).

Every save of a project is kept in the change log with the day it was made and the project's
fields after the change. `project_as_of` replays those records: the project on a date is the
project as last saved on or before that day. A board report "per 31 december 2025" therefore
states the status, forecast, targets and delay reasons the register held on that day, not the
ones typed in since.

A project is often entered in the register after its work began (the demo's project was entered
when Trygg was taken into use). For a date before the first record, the project is read as it
stood at the end of the day it was first recorded: nothing older is known, and leaving it out
would hide work that was going on. Changes saved after the date are never used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

# The project fields whose history the report reads.
TRACKED_FIELDS = (
    "status",
    "plan_year",
    "target_min",
    "target_max",
    "target_date",
    "forecast_date",
    "delay_reasons",
    "delay_description",
)
CLOSED_STATUSES = frozenset({"completed", "cancelled"})


@dataclass(frozen=True)
class ProjectState:
    """A project's facts on one date.

    `status` is a `ProjectStatus` value; `delay_reasons` are `DelayReason` codes; `known_since`
    is the day the record these facts come from was saved (None: no record, current values);
    `status_since` is the day the status was first recorded with this value (None: unknown).
    """

    status: str
    plan_year: int
    target_min: int
    target_max: int
    target_date: dt.date
    forecast_date: dt.date | None
    delay_reasons: tuple[str, ...] = ()
    delay_description: str = ""
    known_since: dt.date | None = None
    status_since: dt.date | None = None

    @property
    def is_closed(self) -> bool:
        """Delivered (completed) or cancelled."""
        return self.status in CLOSED_STATUSES


@dataclass(frozen=True)
class Record:
    """One saved change of a project: the day it was saved and the fields after it (None: deleted).

    `data` holds the values as the change log stores them: dates as ISO strings (`"2025-03-31"`),
    the delay reasons as a list of codes. Keys that are missing (fields added later) keep the
    value of the state they are read into.
    """

    on: dt.date
    data: Mapping[str, Any] | None


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _apply(state: ProjectState, record: Record) -> ProjectState:
    """`state` with the fields of `record` laid over it."""
    data = record.data or {}
    changes: dict[str, Any] = {}
    for name in ("status", "delay_description"):
        if name in data:
            changes[name] = str(data[name] or "")
    for name in ("plan_year", "target_min", "target_max"):
        if data.get(name) is not None:
            changes[name] = int(data[name])
    if data.get("target_date"):
        changes["target_date"] = _date(data["target_date"])
    if "forecast_date" in data:
        changes["forecast_date"] = _date(data["forecast_date"])
    if "delay_reasons" in data:
        reasons = data["delay_reasons"]
        changes["delay_reasons"] = tuple(str(code) for code in reasons) if isinstance(reasons, list | tuple) else ()
    return replace(state, **changes, known_since=record.on)


def project_as_of(records: Iterable[Record], on: dt.date, current: ProjectState) -> ProjectState | None:
    """The project as the register held it at the end of day `on`.

    `records` are the project's saved changes in the order they were made (several on one day
    keep that order); `current` is the project as it is now, used for fields a record lacks and
    when there is no record at all. Returns None when the project had been deleted by `on`.
    A date before the first record gives the project as it stood at the end of its first day in
    the register (see the module docstring). `status_since` is the first day of the unbroken run
    of records with the returned status.

    >>> now = ProjectState("completed", 2025, 2, 3, dt.date(2025, 6, 30), None)
    >>> log = [Record(dt.date(2025, 1, 10), {"status": "designing"}),
    ...        Record(dt.date(2025, 7, 2), {"status": "completed"})]
    >>> project_as_of(log, dt.date(2025, 6, 30), now).status
    'designing'
    >>> project_as_of(log, dt.date(2025, 7, 2), now).status_since
    datetime.date(2025, 7, 2)
    """
    ordered = sorted(enumerate(records), key=lambda item: (item[1].on, item[0]))
    records = [record for _index, record in ordered]
    if not records:
        return current
    first_day = records[0].on
    cutoff = max(on, first_day)
    state = replace(current, known_since=None, status_since=None)
    status_since: dt.date | None = None
    deleted = False
    for record in records:
        if record.on > cutoff:
            break
        if record.data is None:
            deleted = True
            continue
        deleted = False
        before = state.status if state.known_since is not None else None
        state = _apply(state, record)
        if state.status != before:
            status_since = record.on
    if deleted:
        return None
    return replace(state, status_since=status_since)


def reported_in_year(at_date: ProjectState | None, at_year_start: ProjectState | None, year: int) -> bool:
    """Whether a report on `year` accounts for the project.

    `at_date` is the project on the report's date, `at_year_start` on 31 December of the year
    before. A project of the year's plan is always reported; a project of an earlier plan year
    is reported while it was still open when the year began (so one delivered or cancelled during
    the year is reported with that outcome, and one closed earlier is not). A project of a later
    plan year, or deleted by the date, is not.

    >>> open_ = ProjectState("designing", 2024, 3, 4, dt.date(2024, 12, 31), None)
    >>> done = replace(open_, status="completed")
    >>> reported_in_year(done, open_, 2025), reported_in_year(done, done, 2025)
    (True, False)
    """
    if at_date is None:
        return False
    if at_date.plan_year == year:
        return True
    if at_date.plan_year > year:
        return False
    return at_year_start is None or not at_year_start.is_closed
