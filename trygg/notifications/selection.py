"""Which reminders a user gets on a day: plain rules on plain values, no Django.

A reminder is about one thing that is due — a deadline, a review of an assessment, an inspection of
a sign — or about a document that waits for the DPO (the queue). Each user chooses the kinds and,
for the dated kinds, how many days ahead. A thing is due within the window when
`today <= due_on <= today + days_ahead`; a document in the queue is reminded of while it waits,
whatever its date. Nothing is reminded of twice: the caller passes the (key, due date) pairs it
has already sent, so a thing whose date moves is reminded of again for the new date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

DEADLINES = "deadlines"
REVIEWS = "reviews"
SIGN_INSPECTIONS = "sign_inspections"
QUEUE = "queue"
# Kinds with a due date in the future, reminded of a chosen number of days ahead.
WINDOW_KINDS = (DEADLINES, REVIEWS, SIGN_INSPECTIONS)
# Every kind, in the order an e-mail lists them.
KINDS = (QUEUE, *WINDOW_KINDS)
MAX_DAYS_AHEAD = 365


@dataclass(frozen=True)
class ReminderItem:
    """One thing to remind of.

    `key` names the thing stably (e.g. "dpia-3-2025-12-31", "queue-impactassessment-7"); `due_on`
    is the day it is due, or for the queue the day it started waiting; `url` is an absolute link.
    """

    key: str
    kind: str
    title: str
    due_on: dt.date
    url: str = ""
    detail: str = ""

    @property
    def sent_key(self) -> tuple[str, dt.date]:
        """What the sent-log stores to recognise the reminder: the thing and its due date."""
        return (self.key, self.due_on)


def is_due(item: ReminderItem, chosen: Mapping[str, int], today: dt.date) -> bool:
    """Whether `item` falls in the user's choice on `today`.

    `chosen` maps each chosen kind to its days ahead (0 = on the day itself; ignored for the queue).
    Raises ValueError for a negative number of days.
    """
    if item.kind not in chosen:
        return False
    if item.kind == QUEUE:
        return True
    days = chosen[item.kind]
    if days < 0:
        raise ValueError(f"days ahead must not be negative, got {days}")
    return today <= item.due_on <= today + dt.timedelta(days=days)


def horizon(chosen: Mapping[str, int], today: dt.date) -> dt.date:
    """The last date any chosen dated kind looks at (today if none is chosen)."""
    days = [chosen[kind] for kind in WINDOW_KINDS if kind in chosen]
    return today + dt.timedelta(days=max(days, default=0))


def select(
    items: Iterable[ReminderItem],
    chosen: Mapping[str, int],
    today: dt.date,
    already_sent: Iterable[tuple[str, dt.date]] = (),
) -> list[ReminderItem]:
    """The items to send on `today`: chosen, due in the window, not sent before, each thing once.

    Sorted as an e-mail lists them: by kind (queue first), then due date, then title.
    """
    sent = set(already_sent)
    seen: set[tuple[str, dt.date]] = set()
    picked = []
    for item in items:
        if item.sent_key in sent or item.sent_key in seen or not is_due(item, chosen, today):
            continue
        seen.add(item.sent_key)
        picked.append(item)
    return sorted(picked, key=lambda i: (KINDS.index(i.kind), i.due_on, i.title))


def grouped(items: Iterable[ReminderItem]) -> list[tuple[str, list[ReminderItem]]]:
    """The items per kind, in the order of KINDS, leaving out kinds without items."""
    by_kind: dict[str, list[ReminderItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    return [(kind, by_kind[kind]) for kind in KINDS if kind in by_kind]
