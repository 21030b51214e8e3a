"""Daily actor sets: the distinct actors active on each day (per bucket), with the same identity
resolution as every other metric. What a caller keeps to compute rolling counts later without
rescanning the events (the KPI snapshots' daily store)."""

from __future__ import annotations

from datetime import date

from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.base import base_ctes
from quarterdeck.metrics.engine.definitions import DailyActors
from quarterdeck.metrics.engine.queries.common import Rows, as_date, base_for, label
from quarterdeck.metrics.engine.results import ActorDay, ActorDays


def build(d: DailyActors, today: date) -> str:
    """Rows (day, bucket, actor); unordered, since callers store them, not show them."""
    where = [q.between("event_day", d.start, d.end), *q.if_any(d.active_on)]
    return q.with_query(
        base_ctes(base_for(d, d.start, d.end, activity_only=True)),
        f"SELECT DISTINCT event_day AS day, bucket, actor FROM activity WHERE {q.all_of(where)}",
    )


def read(d: DailyActors, rows: Rows, today: date) -> ActorDays:
    found = (ActorDay(as_date(r[0]), str(r[2]), label(d, r[1])) for r in rows)
    return ActorDays(tuple(sorted(found, key=lambda a: (a.day, a.breakdown or "", a.actor))))
