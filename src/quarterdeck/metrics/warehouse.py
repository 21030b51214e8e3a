"""Where metrics are computed: the embedded event store (DuckDB over the Parquet files) by
default; warehouse mode (a company's own events table) is configured here."""

from __future__ import annotations

from quarterdeck.metrics import services
from quarterdeck.metrics.engine import DuckDBEngine, Engine


def event_engine() -> Engine:
    """The engine every metric of this instance runs on (a new one per call)."""
    return DuckDBEngine.from_parquet(services.events_path())
