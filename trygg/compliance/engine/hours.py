"""Minutes of a week as readable Swedish: {Mon–Fri 07:00–17:00} → "mån–fre 07–17" (plain Python).

Used where a check names hours, for example the hours a camera records during school hours. The
week starts Monday 00:00 (minute 0), as in `trygg.cameras.schedule`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from trygg.cameras.schedule import MINUTES_PER_DAY, MINUTES_PER_WEEK, day_span
from trygg.compliance.engine.i18n import _

DAY_ABBREVIATIONS = (_("mån"), _("tis"), _("ons"), _("tor"), _("fre"), _("lör"), _("sön"))


def _untranslated(message: str) -> str:
    return message


def week_runs(minutes: frozenset[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive minutes as (start, length), wrapping from Sunday to Monday."""
    if len(minutes) >= MINUTES_PER_WEEK:
        return [(0, MINUTES_PER_WEEK)]
    ordered = sorted(minutes)
    runs: list[list[int]] = []
    for minute in ordered:
        if runs and minute == runs[-1][0] + runs[-1][1]:
            runs[-1][1] += 1
        else:
            runs.append([minute, 1])
    # A run ending at Sunday 24:00 continues one starting Monday 00:00.
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][0] + runs[-1][1] == MINUTES_PER_WEEK:
        first = runs.pop(0)
        runs[-1][1] += first[1]
    return [(start, length) for start, length in runs]


def _pieces(start: int, length: int) -> Iterable[tuple[int, int, int]]:
    """(day, start minute of day, end minute of day) pieces of a run; a run under 24 h stays whole."""
    if length < MINUTES_PER_DAY:
        day, begin = divmod(start % MINUTES_PER_WEEK, MINUTES_PER_DAY)
        yield day, begin, (begin + length) % MINUTES_PER_DAY or MINUTES_PER_DAY
        return
    position, end = start, start + length
    while position < end:
        day, begin = divmod(position % MINUTES_PER_WEEK, MINUTES_PER_DAY)
        stop = min(end, position - begin + MINUTES_PER_DAY)
        yield day, begin, begin + (stop - position)
        position = stop


def _clock(minute_of_day: int) -> str:
    hours, minutes = divmod(minute_of_day, 60)
    return f"{hours:02d}" if minutes == 0 else f"{hours:02d}.{minutes:02d}"


def describe_week_minutes(minutes: frozenset[int], translate: Callable[[str], str] = _untranslated) -> str:
    """The minutes of a week as text, e.g. "mån–fre 07–17" or "mån, ons 08–12.30; lör 10–12".

    Runs shorter than a day that cross midnight stay on the day they start ("mån 20–06"); days
    with the same hours are named together. An empty set gives "". The words are Swedish unless
    `translate` (Django's `gettext`, say) gives them in another language.
    """
    if not minutes:
        return ""
    if len(minutes) >= MINUTES_PER_WEEK:
        return translate(_("dygnet runt alla dagar"))
    by_day: dict[int, list[tuple[int, int]]] = {}
    for start, length in week_runs(frozenset(minutes)):
        for day, begin, end in _pieces(start, length):
            by_day.setdefault(day, []).append((begin, end))
    groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
    for day in sorted(by_day):
        groups.setdefault(tuple(sorted(by_day[day])), []).append(day)
    texts = []
    for intervals, days in sorted(groups.items(), key=lambda item: item[1][0]):
        hours = translate(_(" och ")).join(f"{_clock(begin)}–{_clock(end)}" for begin, end in intervals)
        texts.append(f"{day_span(days, [translate(day) for day in DAY_ABBREVIATIONS])} {hours}")
    return "; ".join(texts)
