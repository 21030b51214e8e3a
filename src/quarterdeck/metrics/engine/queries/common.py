"""Helpers shared by the metric queries."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any, Protocol

from quarterdeck.metrics.engine.base import Base
from quarterdeck.metrics.engine.matchers import Breakdown, Condition

Rows = Sequence[Sequence[Any]]


class Scoped(Protocol):
    @property
    def actor(self) -> str: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def filters(self) -> tuple[Condition, ...]: ...
    @property
    def breakdown(self) -> Breakdown | None: ...
    @property
    def end(self) -> date: ...


def _conditions(value: object) -> Iterator[Condition]:
    """Every Condition anywhere in a definition (filters, matchers, products, breakdowns)."""
    if isinstance(value, Condition):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _conditions(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            yield from _conditions(getattr(value, f.name))


def reads_account(d: object) -> bool:
    return any(c.on == "column" and c.key == "account" for c in _conditions(d))


def base_for(
    d: Scoped,
    first_day: date | None,
    last_day: date,
    plan_trait: str | None = None,
    *,
    activity_only: bool = False,
) -> Base:
    """``activity_only``: the query reads ``activity`` and nothing else of the base CTEs."""
    return Base(
        accounts=reads_account(d),
        activity_only=activity_only,
        actor=d.actor,
        time_zone=d.time_zone,
        filters=d.filters,
        breakdown=d.breakdown,
        first_day=first_day,
        last_day=last_day,
        plan_trait=plan_trait,
        as_of=d.end,
    )


def as_date(value: object) -> date:
    """Engines return DATE as date, some truncations as datetime."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def label(d: Scoped, bucket: object) -> str | None:
    return None if d.breakdown is None else str(bucket)


def labels(d: Scoped, rows: Rows, column: int) -> Sequence[str | None]:
    """The buckets seen (sorted); without a breakdown always the one None bucket."""
    if d.breakdown is None:
        return [None]
    return [*sorted({str(row[column]) for row in rows})]
