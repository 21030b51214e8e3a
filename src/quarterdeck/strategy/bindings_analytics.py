"""Key results bound to product analytics: an insight query (analytics/queries.py) and the one
number of its result to follow (``series``).

Two ways to read a value over time:

- daily kinds (active-users, lifecycle): the insight at grain day over the key result's days,
  up to yesterday (today is partial: a DAU of half a day would look like a drop). A product's
  DAU / WAU / MAU / stickiness come from the KPI snapshots when they cover those days: the same
  numbers (tests/kpis prove snapshots equal the engine; tests/strategy that both paths agree);
- windowed kinds (feature-adoption, funnel, retention): one number per range, so a weekly
  sample of the value over the trailing window (the query's range length) ending on that day.
  A single feature's 30-day adoption also comes from the KPI snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

from django.conf import settings

from quarterdeck.analytics.queries import InsightQuery, parse_query
from quarterdeck.lib.errors import DomainError, InvalidInput
from quarterdeck.metrics.engine.results import (
    Adoption,
    FunnelResult,
    LifecycleTable,
    Result,
    RetentionTable,
    Series,
)
from quarterdeck.metrics.insights import MEASURES

Points = list[tuple[dt.date, float]]
DAILY_KINDS: Final = ("active-users", "lifecycle")
FIXED_SERIES: Final[dict[str, tuple[str, ...]]] = {
    "active-users": MEASURES,
    "lifecycle": ("new", "returning", "resurrecting", "dormant"),
    "feature-adoption": ("adoption", "adopters"),
    "funnel": ("conversion", "completed"),
}
DEFAULT_SERIES: Final = {"feature-adoption": "adoption", "funnel": "conversion"}
SNAPSHOT_MEASURES: Final = ("dau", "wau", "mau", "stickiness")
SNAPSHOT_ADOPTION: Final = {"adoption": "feature_adoption_30d", "adopters": "feature_users_30d"}
SAMPLE_DAYS: Final = 7


def _invalid(name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{name}: {message}", fields={name: [message]})


def series_of(query: InsightQuery) -> tuple[str, ...]:
    """The numbers a key result may follow in this query's result."""
    if query.kind == "retention":
        periods = int(query.options.get("periods", 7))
        return tuple(f"period_{n}" for n in range(1, periods + 1))
    return FIXED_SERIES.get(query.kind, ())


def check_analytics(metric: Mapping[str, Any]) -> dict[str, Any]:
    """Normal form ``{"query": <query data>, "series": name}``; InvalidInput names
    ``metric.query.<field>`` or ``metric.series``."""
    raw = metric.get("query")
    if not isinstance(raw, Mapping):
        raise _invalid("metric.query", "Expected an insight query (kind, product_id, ...).")
    query = _checked_query(raw)
    return {"query": query.to_data(), "series": _checked_series(query, metric.get("series"))}


def _checked_query(raw: Mapping[str, Any]) -> InsightQuery:
    from quarterdeck.analytics.services import prepare

    try:
        query = parse_query(raw)
        prepare(None, query)
    except DomainError as exc:
        fields = {f"metric.query.{name}": msgs for name, msgs in exc.fields.items()}
        raise InvalidInput(exc.message, fields=fields or {"metric.query": [exc.message]}) from exc
    if not series_of(query):
        kinds = ", ".join(k for k in (*FIXED_SERIES, "retention"))
        raise _invalid("metric.query.kind", f"A key result follows one number; use {kinds}.")
    if "breakdown" in query.options:
        raise _invalid(
            "metric.query.breakdown",
            "A key result follows one number: drop the breakdown (narrow with where instead).",
        )
    return query


def _checked_series(query: InsightQuery, raw: Any) -> str:
    offered = series_of(query)
    measures = str(query.options.get("measure", "dau")).split(",")
    default = DEFAULT_SERIES.get(query.kind) or (
        measures[0] if query.kind == "active-users" and len(measures) == 1 else None
    )
    default = default or ("period_1" if query.kind == "retention" else None)
    chosen = raw if raw not in (None, "") else default
    if chosen is None:
        raise _invalid(
            "metric.series", f"Required: which number to follow, one of {_list(offered)}."
        )
    if chosen not in offered:
        raise _invalid(
            "metric.series",
            f"{chosen!r} is not a number of a {query.kind} insight; use one of {_list(offered)}.",
        )
    return str(chosen)


def _list(names: tuple[str, ...]) -> str:
    return ", ".join(names)


# Evaluation ----------------------------------------------------------------------------------


def evaluate_analytics(
    binding: Mapping[str, Any], *, start: dt.date, end: dt.date, today: dt.date
) -> Points:
    query = parse_query(binding["query"], today=today)
    series = str(binding["series"])
    if query.kind in DAILY_KINDS:
        last = min(today - dt.timedelta(days=1), end)
        if last < start:
            return []
        return _snapshot_daily(query, series, start, last) or _daily(query, series, start, last)
    last = min(today, end)
    if last < start:
        return []
    days = sample_days(start, last)
    return _snapshot_windowed(query, series, days) or _windowed(query, series, days, today)


def sample_days(first: dt.date, last: dt.date, step: int = SAMPLE_DAYS) -> list[dt.date]:
    """Every ``step``-th day from ``first``, and ``last`` (the latest value) always."""
    days = [first + dt.timedelta(days=n) for n in range(0, (last - first).days + 1, step)]
    return days if days and days[-1] == last else [*days, last]


def daily_query(query: InsightQuery, series: str, start: dt.date, end: dt.date) -> InsightQuery:
    options = {**query.options, "grain": "day"}
    if query.kind == "active-users":
        options["measure"] = series
    return replace(query, start=start, end=end, last_days=None, options=options)


def _run(query: InsightQuery, today: dt.date) -> Result:
    from quarterdeck.analytics.services import insight_run

    return insight_run(None, query, today=today).result


def _daily(query: InsightQuery, series: str, start: dt.date, last: dt.date) -> Points:
    result = _run(daily_query(query, series, start, last), last)
    if isinstance(result, Series):
        return [(p.period, float(p.value)) for p in result.points if p.breakdown is None]
    assert isinstance(result, LifecycleTable)
    return [(r.period, float(getattr(r, series))) for r in result.rows if r.breakdown is None]


def window_days(query: InsightQuery) -> int:
    return query.last_days or (query.end - query.start).days + 1


def _windowed(query: InsightQuery, series: str, days: list[dt.date], today: dt.date) -> Points:
    length = dt.timedelta(days=window_days(query) - 1)
    points: Points = []
    for day in days:
        moved = replace(query, start=day - length, end=day, last_days=None)
        value = scalar(_run(moved, today), series)
        if value is not None:
            points.append((day, value))
    return points


def scalar(result: Result, series: str) -> float | None:
    """The one number ``series`` of a range's result (None: not reached yet)."""
    if isinstance(result, Adoption):
        ratio = result.ratios[0] if result.ratios else result.get()
        return float(ratio.value if series == "adoption" else ratio.numerator)
    if isinstance(result, FunnelResult):
        counts = result.counts()
        if not counts:
            return None
        return float(counts[-1]) if series == "completed" else _share(counts[-1], counts[0])
    assert isinstance(result, RetentionTable)
    rate = result.mean()[int(series.removeprefix("period_"))]
    return None if rate is None else float(rate)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


# The KPI snapshots' fast path ------------------------------------------------------------------


def _snapshot_scope(query: InsightQuery, allowed: set[str]) -> bool:
    """Whether the query is a product's plain snapshot metric (user actor, workspace zone)."""
    if query.product_id is None or set(query.options) - allowed:
        return False
    return query.options.get("actor", "user") == "user" and query.time_zone == settings.TIME_ZONE


def _snapshot_daily(
    query: InsightQuery, series: str, start: dt.date, last: dt.date
) -> Points | None:
    if query.kind != "active-users" or series not in SNAPSHOT_MEASURES:
        return None
    if not _snapshot_scope(query, {"measure", "grain", "actor", "time_zone"}):
        return None
    days = [start + dt.timedelta(days=n) for n in range((last - start).days + 1)]
    assert query.product_id is not None  # checked by _snapshot_scope
    return _snapshots(query.product_id, None, series, days)


def _snapshot_windowed(query: InsightQuery, series: str, days: list[dt.date]) -> Points | None:
    if query.kind != "feature-adoption" or window_days(query) != 30:
        return None
    allowed = {"features", "actor", "time_zone", "denominator", "min_uses"}
    features = query.options.get("features") or []
    if len(features) != 1 or not _snapshot_scope(query, allowed):
        return None
    if query.options.get("denominator", "active") != "active":
        return None
    if int(query.options.get("min_uses", 1)) != 1:
        return None
    assert query.product_id is not None  # checked by _snapshot_scope
    return _snapshots(query.product_id, features[0], SNAPSHOT_ADOPTION[series], days)


def _snapshots(
    product_id: int, feature_id: int | None, metric: str, days: list[dt.date]
) -> Points | None:
    """The snapshot values of ``days``, or None unless every one of those days has one."""
    from quarterdeck.kpis.models import KpiSnapshot

    rows = KpiSnapshot.objects.filter(product_id=product_id, metric=metric, day__in=days)
    rows = rows.filter(feature_id=feature_id) if feature_id else rows.filter(feature=None)
    found = dict(rows.values_list("day", "value"))
    if len(found) != len(set(days)):
        return None
    return [(day, float(found[day])) for day in days]
