"""Canonical event rows for tests: small builders in the order of schema.EVENT_COLUMNS."""

from __future__ import annotations

import itertools
import json
from datetime import date, datetime, time, timedelta
from typing import Any

_ids = itertools.count(1)

Row = tuple[Any, ...]


def at(day: date | str, hour: float = 12.0) -> datetime:
    """A naive UTC datetime: ``day`` (a date or 'YYYY-MM-DD') at ``hour`` (fractions allowed)."""
    base = datetime.combine(date.fromisoformat(day) if isinstance(day, str) else day, time())
    return base + timedelta(hours=hour)


def row(
    type_: str,
    when: datetime,
    *,
    user: str | None = None,
    anon: str | None = None,
    event: str | None = None,
    account: str | None = None,
    props: dict[str, Any] | None = None,
    traits: dict[str, Any] | None = None,
    source: str = "web",
    event_id: str | None = None,
    received: datetime | None = None,
) -> Row:
    return (
        event_id or f"e{next(_ids)}",
        source,
        type_,
        event,
        user,
        anon,
        account,
        when,
        received or when + timedelta(seconds=1),
        json.dumps(props) if props is not None else None,
        json.dumps(traits) if traits is not None else None,
    )


def track(who: str, event: str, when: datetime, *, anonymous: bool = False, **kw: Any) -> Row:
    if anonymous:
        return row("track", when, anon=who, event=event, **kw)
    return row("track", when, user=who, event=event, **kw)


def page(who: str, when: datetime, *, anonymous: bool = False, **kw: Any) -> Row:
    if anonymous:
        return row("page", when, anon=who, event="Page Viewed", **kw)
    return row("page", when, user=who, event="Page Viewed", **kw)


def identify(user: str, when: datetime, *, anon: str | None = None, **kw: Any) -> Row:
    return row("identify", when, user=user, anon=anon, **kw)


def group(user: str, account: str, when: datetime, **kw: Any) -> Row:
    return row("group", when, user=user, account=account, **kw)


def active_on(who: str, days: list[date], **kw: Any) -> list[Row]:
    return [track(who, "Used App", at(d), **kw) for d in days]
