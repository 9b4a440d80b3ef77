"""The deadlines as an iCalendar feed (RFC 5545). No Django.

Each event has a UID that never changes for the same deadline and a DTSTAMP taken from when the
deadline was last changed, so calendar programs update an event instead of duplicating it, and the
same data gives the same feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import icalendar

PRODID = "-//Trygg//trygghetskameror//SV"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    on: dt.date
    summary: str
    stamp: dt.datetime  # aware; when the deadline was last changed
    description: str = ""
    starts_at: dt.datetime | None = None  # aware; None for an all-day event
    location: str = ""


def feed(events: Iterable[CalendarEvent], name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in sorted(events, key=lambda e: (e.on, e.uid)):
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp.astimezone(dt.UTC))
        if item.starts_at is not None:
            event.add("dtstart", item.starts_at.astimezone(dt.UTC))
            event.add("dtend", (item.starts_at + dt.timedelta(hours=1)).astimezone(dt.UTC))
        else:
            event.add("dtstart", item.on)
            event.add("dtend", item.on + dt.timedelta(days=1))
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
