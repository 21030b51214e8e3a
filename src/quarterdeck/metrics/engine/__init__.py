"""The metric engine: Django-free. Metric definitions (frozen dataclasses) → SQL (one dialect,
transpiled with SQLGlot to DuckDB, PostgreSQL and Spark) → typed results. See METRICS_SPEC.md
and docs/metrics-engine.md.

    from quarterdeck.metrics.engine import ActiveUsers, DuckDBEngine, run
    series = run(ActiveUsers(start=..., end=..., measure="dau"), DuckDBEngine.from_parquet(dir))
"""

# Exports load on first use (PEP 562): ingestion imports ``engine.schema`` and should not pay for
# DuckDB and SQLGlot.
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from quarterdeck.metrics.engine.clock import event_time
    from quarterdeck.metrics.engine.definitions import (
        ActiveDaysHistogram,
        ActiveUsers,
        DailyActors,
        Definition,
        Exclusion,
        FeatureAdoption,
        Funnel,
        Lifecycle,
        ProductAdoption,
        Retention,
    )
    from quarterdeck.metrics.engine.engines import DuckDBEngine, Engine, PostgresEngine, SparkEngine
    from quarterdeck.metrics.engine.matchers import (
        Breakdown,
        Condition,
        DefinitionError,
        Eligibility,
        EventMatcher,
        Product,
    )
    from quarterdeck.metrics.engine.results import (
        ActorDay,
        ActorDays,
        Adoption,
        Bin,
        Cohort,
        FunnelResult,
        Histogram,
        LifecycleRow,
        LifecycleTable,
        MeanRow,
        Point,
        Ratio,
        RetentionTable,
        Series,
        StepCount,
    )
    from quarterdeck.metrics.engine.runner import compile_sql, run, run_many
    from quarterdeck.metrics.engine.source import ColumnMapping, EventSource

_EXPORTS = {
    "ActiveDaysHistogram": "definitions",
    "ActiveUsers": "definitions",
    "ActorDay": "results",
    "ActorDays": "results",
    "Adoption": "results",
    "Bin": "results",
    "Breakdown": "matchers",
    "Cohort": "results",
    "ColumnMapping": "source",
    "Condition": "matchers",
    "DailyActors": "definitions",
    "Definition": "definitions",
    "DefinitionError": "matchers",
    "DuckDBEngine": "engines",
    "Eligibility": "matchers",
    "Engine": "engines",
    "EventMatcher": "matchers",
    "EventSource": "source",
    "Exclusion": "definitions",
    "FeatureAdoption": "definitions",
    "Funnel": "definitions",
    "FunnelResult": "results",
    "Histogram": "results",
    "Lifecycle": "definitions",
    "LifecycleRow": "results",
    "LifecycleTable": "results",
    "MeanRow": "results",
    "Point": "results",
    "PostgresEngine": "engines",
    "Product": "matchers",
    "ProductAdoption": "definitions",
    "Ratio": "results",
    "Retention": "definitions",
    "RetentionTable": "results",
    "Series": "results",
    "SparkEngine": "engines",
    "StepCount": "results",
    "compile_sql": "runner",
    "event_time": "clock",
    "run": "runner",
    "run_many": "runner",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)


__all__ = [
    "ActiveDaysHistogram",
    "ActiveUsers",
    "ActorDay",
    "ActorDays",
    "Adoption",
    "Bin",
    "Breakdown",
    "Cohort",
    "ColumnMapping",
    "Condition",
    "DailyActors",
    "Definition",
    "DefinitionError",
    "DuckDBEngine",
    "Eligibility",
    "Engine",
    "EventMatcher",
    "EventSource",
    "Exclusion",
    "FeatureAdoption",
    "Funnel",
    "FunnelResult",
    "Histogram",
    "Lifecycle",
    "LifecycleRow",
    "LifecycleTable",
    "MeanRow",
    "Point",
    "PostgresEngine",
    "Product",
    "ProductAdoption",
    "Ratio",
    "Retention",
    "RetentionTable",
    "Series",
    "SparkEngine",
    "StepCount",
    "compile_sql",
    "event_time",
    "run",
    "run_many",
]
