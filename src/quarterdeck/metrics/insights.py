"""Insights: a metric kind plus plain options (as the CLI, and later the API and the insight
builder, receive them) → an engine definition; and running one on the embedded event store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from quarterdeck.metrics import services
from quarterdeck.metrics.engine import (
    ActiveDaysHistogram,
    ActiveUsers,
    Breakdown,
    Condition,
    DuckDBEngine,
    EventMatcher,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    Retention,
    run,
)

KINDS = ("active-users", "active-days", "feature-adoption", "retention", "lifecycle", "funnel")


def matcher(event: str, where: Mapping[str, str] | None = None) -> EventMatcher:
    """An event name (or '*' for any activity) with property conditions key = value."""
    conditions = tuple(Condition(key, "eq", value) for key, value in (where or {}).items())
    return EventMatcher(event=None if event == "*" else event, where=conditions)


def definition(kind: str, *, start: dt.date, end: dt.date, options: Mapping[str, Any]) -> Any:
    """The engine definition for ``kind``; unknown kinds and bad options raise ValueError."""
    common: dict[str, Any] = {
        "start": start,
        "end": end,
        "actor": options.get("actor", "user"),
        "time_zone": options.get("time_zone", "UTC"),
    }
    if options.get("breakdown"):
        common["breakdown"] = Breakdown.by_property(options["breakdown"])
    where = options.get("where") or {}
    events = list(options.get("events") or [])
    grain = options.get("grain", "day")
    if kind == "active-users":
        return ActiveUsers(**common, measure=options.get("measure", "dau"), grain=grain)
    if kind == "active-days":
        return ActiveDaysHistogram(**common, grain=grain)
    if kind == "lifecycle":
        return Lifecycle(**common, grain=grain)
    if kind == "feature-adoption":
        return FeatureAdoption(
            **common,
            feature=matcher(_one(events, "an --event"), where),
            denominator=options.get("denominator", "active"),
            min_uses=int(options.get("min_uses", 1)),
        )
    if kind == "retention":
        start_event = matcher(_one(events[:1], "a start --event"))
        return_event = matcher(events[1]) if len(events) > 1 else None
        return Retention(
            **common,
            start_event=start_event,
            return_event=return_event,
            mode=options.get("mode", "on"),
            cohort_type=options.get("cohort_type", "first_time"),
            periods=int(options.get("periods", 7)),
            grain=grain,
        )
    if kind == "funnel":
        if len(events) < 2:
            raise ValueError("A funnel needs at least two --event steps.")
        return Funnel(
            **common,
            steps=tuple(matcher(name) for name in events),
            mode=options.get("mode", "ordered"),
            window=dt.timedelta(days=int(options.get("window_days", 14))),
        )
    raise ValueError(f"Unknown metric {kind!r}; use one of {', '.join(KINDS)}.")


def _one(events: list[str], what: str) -> str:
    if len(events) != 1:
        raise ValueError(f"This metric needs exactly {what}.")
    return events[0]


def run_on_event_store(metric: Any) -> list[dict[str, Any]]:
    """Run a definition with DuckDB over the embedded Parquet store; rows for CSV / JSON."""
    engine = DuckDBEngine.from_parquet(services.events_path())
    rows: list[dict[str, Any]] = run(metric, engine).to_rows()
    return rows
