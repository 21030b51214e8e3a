"""The single entry point: ``run(definition, engine) -> result``; ``compile_sql`` shows the SQL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Final, overload
from zoneinfo import ZoneInfo

from quarterdeck.metrics.engine.batch import fetch_all
from quarterdeck.metrics.engine.definitions import (
    ActiveDaysHistogram,
    ActiveUsers,
    DailyActors,
    Definition,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    ProductAdoption,
    Retention,
)
from quarterdeck.metrics.engine.dialects import render
from quarterdeck.metrics.engine.engines import Engine
from quarterdeck.metrics.engine.planning import Rows, plan
from quarterdeck.metrics.engine.queries import (
    active,
    adoption,
    daily,
    funnel,
    lifecycle,
    retention,
)
from quarterdeck.metrics.engine.results import (
    ActorDays,
    Adoption,
    FunnelResult,
    Histogram,
    LifecycleTable,
    Result,
    RetentionTable,
    Series,
)
from quarterdeck.metrics.engine.source import EventSource

Build = Callable[[Any, date], str]
Read = Callable[[Any, Any, date], Any]

QUERIES: Final[dict[type, tuple[Build, Read]]] = {
    ActiveUsers: (active.build, active.read),
    ActiveDaysHistogram: (active.build_histogram, active.read_histogram),
    FeatureAdoption: (adoption.build_feature, adoption.read),
    ProductAdoption: (adoption.build_product, adoption.read),
    Retention: (retention.build, retention.read),
    Lifecycle: (lifecycle.build, lifecycle.read),
    Funnel: (funnel.build, funnel.read),
    DailyActors: (daily.build, daily.read),
}


def _query(definition: Definition) -> tuple[Build, Read]:
    try:
        return QUERIES[type(definition)]
    except KeyError:
        raise TypeError(f"not a metric definition: {type(definition).__name__}") from None


def today_in(time_zone: str) -> date:
    return datetime.now(ZoneInfo(time_zone)).date()


def compile_sql(
    definition: Definition,
    dialect: str = "duckdb",
    source: EventSource | None = None,
    *,
    today: date | None = None,
) -> str:
    """The SQL ``run`` would send to an engine of this dialect."""
    build, _ = _query(definition)
    sql = build(definition, today or today_in(definition.time_zone))
    return render(sql, dialect, source or EventSource())


@overload
def run(definition: ActiveUsers, engine: Engine, *, today: date | None = None) -> Series: ...
@overload
def run(
    definition: ActiveDaysHistogram, engine: Engine, *, today: date | None = None
) -> Histogram: ...
@overload
def run(
    definition: FeatureAdoption | ProductAdoption, engine: Engine, *, today: date | None = None
) -> Adoption: ...
@overload
def run(definition: Retention, engine: Engine, *, today: date | None = None) -> RetentionTable: ...
@overload
def run(definition: Lifecycle, engine: Engine, *, today: date | None = None) -> LifecycleTable: ...
@overload
def run(definition: Funnel, engine: Engine, *, today: date | None = None) -> FunnelResult: ...
@overload
def run(definition: DailyActors, engine: Engine, *, today: date | None = None) -> ActorDays: ...
def run(definition: Definition, engine: Engine, *, today: date | None = None) -> Result:
    """Compute a metric on an engine. ``today`` (default: now in the workspace zone) only matters
    for retention without ``as_of``."""
    build, read = _query(definition)
    day = today or today_in(definition.time_zone)
    sql = render(build(definition, day), engine.dialect, engine.source)
    result: Result = read(definition, engine.fetch(sql), day)
    return result


def run_many(
    definitions: Sequence[Definition], engine: Engine, *, today: date | None = None
) -> list[Result]:
    """Run several definitions, in order. Those that compile to the same SQL share one query
    (WAU, MAU, stickiness and WAU/MAU of one range are one scan: a dashboard's case); on DuckDB
    the queries share one identity map (batch.py)."""

    def day_of(definition: Definition) -> date:
        return today or today_in(definition.time_zone)

    def single(definition: Definition, day: date) -> tuple[str, Callable[[Rows], Result]]:
        build, read = _query(definition)
        return build(definition, day), lambda rows: read(definition, rows, day)

    jobs = plan(definitions, day_of, single)
    fetched = fetch_all(engine, [job.sql for job in jobs])
    results: dict[int, Result] = {}
    for job, rows in zip(jobs, fetched, strict=True):
        results.update(zip(job.indices, job.read(rows), strict=True))
    return [results[i] for i in range(len(definitions))]
