"""Audit rows as a compact feed: one line per change, saying what changed rather than showing
the full before/after table (an item's History section keeps those)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from quarterdeck.web.history import EMPTY, Change, HistoryRow

KINDS = {
    "product_line": "product line",
    "product": "product",
    "feature": "feature",
    "person": "person",
    "team": "team",
    "user": "user",
    "apitoken": "API token",
}
# The fields a product leader looks for first when something changed.
FIRST = ("Stage", "Owner", "Name")
SHORT = 30  # values longer than this are named, not quoted
QUOTED = 2  # at most this many changes are quoted with their values


@dataclass(frozen=True)
class FeedEntry:
    row: HistoryRow
    kind: str
    summary: str
    when: str


def _rank(change: Change) -> int:
    return FIRST.index(change.field) if change.field in FIRST else len(FIRST)


def _is_short(change: Change) -> bool:
    values = (change.before, change.after)
    return all(len(value) <= SHORT and "\n" not in value for value in values)


def _phrase(change: Change) -> str:
    name = change.field.lower()
    if change.before == EMPTY:
        return f"{name} set to {change.after}"
    if change.after == EMPTY:
        return f"{name} cleared"
    return f"{name} {change.before} → {change.after}"


def change_summary(row: HistoryRow) -> str:
    """'stage Build → Launch', or 'description, links changed' for long values; '' unless an
    update."""
    if row.action != "update" or not row.changes:
        return ""
    ranked = sorted(row.changes, key=_rank)
    quoted = [change for change in ranked if _is_short(change)][:QUOTED]
    parts = [_phrase(change) for change in quoted]
    named = [change.field.lower() for change in ranked if change not in quoted]
    if named:
        parts.append(f"{', '.join(named)} changed")
    return "; ".join(parts)


def relative_time(at: dt.datetime, now: dt.datetime) -> str:
    """'just now', '5 min ago', '3 h ago', 'yesterday', '4 days ago', then a short date."""
    seconds = (now - at).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    days = int(seconds // 86400)
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    local = timezone.localtime(at) if timezone.is_aware(at) else at
    return f"{local.day} {local:%b}" + ("" if local.year == now.year else f" {local.year}")


def feed_entries(rows: Iterable[HistoryRow], now: dt.datetime | None = None) -> list[FeedEntry]:
    now = now or timezone.now()
    return [
        FeedEntry(
            row=row,
            kind=KINDS.get(row.object_type, row.object_type.replace("_", " ")),
            summary=change_summary(row),
            when=relative_time(row.at, now),
        )
        for row in rows
    ]
