"""Calendar periods in Python, matching the SQL ones: weeks start on Monday, months are calendar
months. Used to inline calendars into queries and to fill in periods without activity."""

from __future__ import annotations

from datetime import date, timedelta


def period_start(day: date, grain: str) -> date:
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def next_period(start: date, grain: str) -> date:
    if grain == "week":
        return start + timedelta(days=7)
    if grain == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def previous_period(start: date, grain: str) -> date:
    return period_start(start - timedelta(days=1), grain)


def periods(first: date, last: date, grain: str) -> list[date]:
    """Starts of the periods that overlap [first, last]."""
    found, current = [], period_start(first, grain)
    while current <= last:
        found.append(current)
        current = next_period(current, grain)
    return found


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def offset(cohort: date, later: date, grain: str) -> int:
    """Whole periods from one period start to another."""
    if grain == "month":
        return (later.year - cohort.year) * 12 + later.month - cohort.month
    return (later - cohort).days // (7 if grain == "week" else 1)


def shift(start: date, count: int, grain: str) -> date:
    """The start of the period ``count`` periods after the one starting on ``start``."""
    for _ in range(count):
        start = next_period(start, grain)
    return start
