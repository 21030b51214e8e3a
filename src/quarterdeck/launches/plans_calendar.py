"""The launch calendar's shapes: a month's bounds, the month grid (weeks of days with their
events) and the iCalendar feed (RFC 5545, written by hand: all-day events, CRLF line ends,
lines folded at 75 octets)."""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from quarterdeck.launches.selectors import CalendarEvent

MONTH_FORMAT = "%Y-%m"


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    return first, last


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """The first day of a "YYYY-MM" month; ValueError with a readable message when malformed."""
    if not text:
        return today.replace(day=1)
    try:
        first = dt.datetime.strptime(text.strip(), MONTH_FORMAT).date()
    except ValueError:
        raise ValueError(f"“{text}” is not a month: write YYYY-MM, e.g. 2027-02.") from None
    if not 1990 <= first.year <= 2200:
        raise ValueError(f"“{text}” is too far away: pick a month between 1990 and 2200.")
    return first


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Day:
    on: dt.date
    in_month: bool
    today: bool
    focus: bool  # the one day reached by Tab (roving tabindex): today, else the 1st
    events: list[CalendarEvent] = field(default_factory=list)


def month_grid(first: dt.date, events: Iterable[CalendarEvent], today: dt.date) -> list[list[Day]]:
    """Weeks (Monday first) covering the month, each day with its events."""
    by_day: dict[dt.date, list[CalendarEvent]] = {}
    for event in events:
        by_day.setdefault(event.on, []).append(event)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    focus = today if (today.year, today.month) == (first.year, first.month) else first
    return [
        [Day(d, d.month == first.month, d == today, d == focus, by_day.get(d, [])) for d in week]
        for week in weeks
    ]


# iCalendar ------------------------------------------------------------------------------------


def ical_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with a space),
    never splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _event_lines(event: CalendarEvent, stamp: str, base_url: str) -> list[str]:
    where = " / ".join(p for p in (event.product, event.feature) if p)
    return [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{event.on:%Y%m%d}",
        f"DTEND;VALUE=DATE:{event.on + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ical_escape(event.title)}",
        f"DESCRIPTION:{ical_escape(f'{where} — {event.status}')}",
        f"CATEGORIES:{event.kind.upper()}",
        f"URL:{base_url}/launches/plans/{event.plan_id}/",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def ical(events: Sequence[CalendarEvent], *, now: dt.datetime, base_url: str) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Quarterdeck//Launch calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Quarterdeck launches",
    ]
    for event in events:
        lines += _event_lines(event, stamp, base_url.rstrip("/"))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
