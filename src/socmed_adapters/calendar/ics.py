"""The calendar as an iCalendar file (RFC 5545) for Google Calendar and Outlook.

One VEVENT per scheduled or published post (item x platform). The UID is derived from the
item id and the platform, so re-importing an updated export moves an event instead of
duplicating it; SEQUENCE follows the item's version for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from icalendar import Calendar, Event

from socmed_adapters.calendar.month import CalendarEntry

#: Post states exported: a booked post, or one that went out.
EXPORTED_STATES = frozenset({"scheduled", "published", "unknown"})
UID_DOMAIN = "socmed.calendar"


def post_uid(entry: CalendarEntry) -> str:
    return f"{entry.item_id}-{entry.platform}@{UID_DOMAIN}"


def to_ics(entries: Iterable[CalendarEntry], name: str, stamp: datetime,
           duration: timedelta = timedelta(minutes=15)) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//socmed//content calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for entry in entries:
        if entry.state not in EXPORTED_STATES:
            continue
        event = Event()
        event.add("uid", post_uid(entry))
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.at)
        event.add("dtend", entry.at + duration)
        event.add("summary", f"[{entry.platform}] {entry.title}")
        lines = [f"state: {entry.state}", f"item: {entry.item_id}"]
        if entry.campaign:
            lines.append(f"campaign: {entry.campaign}")
        if entry.url:
            lines.append(f"url: {entry.url}")
            event.add("url", entry.url)
        event.add("description", "\n".join(lines))
        event.add("categories", [entry.platform, *([entry.campaign] if entry.campaign else [])])
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
