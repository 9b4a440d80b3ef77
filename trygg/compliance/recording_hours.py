"""When cameras record, in plain words: weekly minutes as phrases like "måndag–fredag kl. 20–06" (pure).

The public page of a site (art. 13 GDPR, layer 2) says when its cameras record without saying which
camera records when: the schedules of all cameras at the site are merged into one set of minutes of
the week, and that set is described. Nothing here imports Django; the Swedish words are marked with
the engine's no-op `_` and translated by the caller (`describe(..., translate=gettext)`).

A minute of the week is 0 = Monday 00:00 … 10079 = Sunday 23:59, as in `trygg.cameras.schedule`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from trygg.cameras.schedule import MINUTES_PER_DAY, MINUTES_PER_WEEK, WEEKEND, Schedule, day_runs
from trygg.compliance.engine.i18n import _

Translate = Callable[[str], str]

DAY_NAMES = (
    _("måndag"),
    _("tisdag"),
    _("onsdag"),
    _("torsdag"),
    _("fredag"),
    _("lördag"),
    _("söndag"),
)


@dataclass(frozen=True)
class Run:
    """An unbroken stretch of recording: from `start` (minute of the week) for `length` minutes."""

    start: int
    length: int

    @property
    def start_day(self) -> int:
        return self.start // MINUTES_PER_DAY

    @property
    def start_minute(self) -> int:
        """Minute of the day the run starts."""
        return self.start % MINUTES_PER_DAY

    @property
    def end_minute(self) -> int:
        """Minute of the day the run ends (exclusive); 0 means midnight."""
        return (self.start + self.length) % MINUTES_PER_DAY

    def minutes(self) -> frozenset[int]:
        return frozenset((self.start + offset) % MINUTES_PER_WEEK for offset in range(self.length))


def runs(minutes: Iterable[int]) -> list[Run]:
    """The unbroken runs of `minutes`, in order of their start; a run may wrap past Sunday midnight.

    Raises ValueError for a minute outside 0..10079. The whole week is one run starting Monday 00:00.
    """
    active = frozenset(minutes)
    if any(not 0 <= minute < MINUTES_PER_WEEK for minute in active):
        raise ValueError("minutes must lie in 0..10079 (minutes of a week)")
    if len(active) == MINUTES_PER_WEEK:
        return [Run(0, MINUTES_PER_WEEK)]
    result = []
    for start in sorted(m for m in active if (m - 1) % MINUTES_PER_WEEK not in active):
        length = 1
        while (start + length) % MINUTES_PER_WEEK in active:
            length += 1
        result.append(Run(start, length))
    return result


def has_school_free_rules(schedule: Schedule) -> bool:
    """Whether any rule of `schedule` treats school days and school-free weekdays differently."""
    return any(rule.school_free is not None and bool(rule.days - WEEKEND) for rule in schedule.rules)


def _clock(minute: int) -> str:
    hours, minutes = divmod(minute, 60)
    return f"{hours:02d}" if minutes == 0 else f"{hours:02d}.{minutes:02d}"


def _join(parts: list[str], translate: Translate) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return translate(_("%(first)s och %(last)s")) % {"first": ", ".join(parts[:-1]), "last": parts[-1]}


def describe_days(days: Iterable[int], translate: Translate = _) -> str:
    """Weekdays (0 = Monday) as words: "måndag–fredag", "lördag och söndag", "alla dagar".

    Three or more days in a row (Sunday to Monday counts as in a row) become a range.
    """
    chosen = set(days)
    if len(chosen) == 7:
        return translate(_("alla dagar"))
    parts = []
    for run in day_runs(chosen, wrap=True):  # a run like Saturday–Monday stays whole
        names = [translate(DAY_NAMES[day]) for day in run]
        if len(run) >= 3:
            parts.append(f"{names[0]}–{names[-1]}")
        else:
            parts.extend(names)
    return _join(parts, translate)


def describe(minutes: Iterable[int], translate: Translate = _) -> str:
    """The recording minutes of a week as one Swedish phrase.

    Examples: every minute → "dygnet runt alla dagar"; IMY's school-facade hours in an ordinary week →
    "måndag–fredag kl. 20–06; lördag och söndag kl. 17–07"; nothing → "aldrig".
    """
    all_runs = runs(minutes)
    if not all_runs:
        return translate(_("aldrig"))
    if len(all_runs) == 1 and all_runs[0].length == MINUTES_PER_WEEK:
        return translate(_("dygnet runt alla dagar"))
    whole_days: set[int] = set()
    by_hours: dict[tuple[int, int], list[int]] = {}
    long_runs: list[Run] = []
    for run in all_runs:
        if run.start_minute == 0 and run.length % MINUTES_PER_DAY == 0:
            whole_days.update((run.start_day + n) % 7 for n in range(run.length // MINUTES_PER_DAY))
        elif run.length < MINUTES_PER_DAY:
            by_hours.setdefault((run.start_minute, run.end_minute), []).append(run.start_day)
        else:
            long_runs.append(run)
    phrases: list[tuple[int, str]] = []
    if whole_days:
        phrases.append(
            (min(whole_days), translate(_("%(days)s hela dygnet")) % {"days": describe_days(whole_days, translate)})
        )
    for (start, end), days in by_hours.items():
        phrases.append(
            (
                min(days),
                translate(_("%(days)s kl. %(start)s–%(end)s"))
                % {"days": describe_days(days, translate), "start": _clock(start), "end": _clock(end)},
            )
        )
    for run in long_runs:
        end_day = (run.start + run.length) // MINUTES_PER_DAY % 7
        phrases.append(
            (
                run.start_day,
                translate(_("från %(from_day)s kl. %(start)s till %(to_day)s kl. %(end)s"))
                % {
                    "from_day": translate(DAY_NAMES[run.start_day]),
                    "start": _clock(run.start_minute),
                    "to_day": translate(DAY_NAMES[end_day]),
                    "end": _clock(run.end_minute),
                },
            )
        )
    phrases.sort(key=lambda item: item[0])
    # Semicolons between phrases: a phrase's own list of days may already contain "och".
    return "; ".join(text for _day, text in phrases)


@dataclass(frozen=True)
class RecordingHours:
    """When the cameras of a site record: an ordinary week and, where it differs, a week of school holidays."""

    ordinary: str
    school_free: str | None


def site_recording_hours(schedules: Iterable[Schedule], translate: Translate = _) -> RecordingHours | None:
    """The merged hours of the given schedules in words, or None when there is no schedule.

    The merge hides which camera records when: only the union of all their minutes is described.
    """
    schedules = list(schedules)
    if not schedules:
        return None
    ordinary: set[int] = set()
    free: set[int] = set()
    for schedule in schedules:
        ordinary |= schedule.weekly_minutes()
        free |= schedule.school_free_week_minutes()
    school_free = None
    if any(has_school_free_rules(s) for s in schedules) and free != ordinary:
        school_free = describe(free, translate)
    return RecordingHours(ordinary=describe(ordinary, translate), school_free=school_free)
