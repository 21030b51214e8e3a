"""Where queries run. An Engine has a ``dialect``, an ``EventSource`` and ``fetch(sql)``.

- DuckDBEngine: in-process; over a duckdb connection, or over the embedded data dir's
  date-partitioned Parquet files (``events/date=YYYY-MM-DD/*.parquet``) exposed as view ``events``.
- PostgresEngine: a psycopg 3 connection; the table is configurable.
- SparkEngine: a SparkSession whose ``spark.sql.session.timeZone`` is UTC.

Queries assume a UTC session (ISO timestamps without an offset are read as UTC); DuckDB and
PostgreSQL sessions are switched to UTC around each query, Spark sessions are checked.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Final, Protocol

import duckdb

from quarterdeck.metrics.engine.schema import EVENT_COLUMNS, EVENTS_TABLE
from quarterdeck.metrics.engine.source import EventSource

UTC_NAMES: Final = ("UTC", "Etc/UTC", "Z", "+00:00", "GMT", "Etc/GMT")
# DuckDB's own default is 80 % of RAM, shared with the web workers; a metric over 100M events
# runs within 2 GB (spilling hash tables and sorts to disk when it must) at little cost in time.
DUCKDB_MEMORY_LIMIT: Final = "2GB"
PARTITION_DAY: Final = "date"  # the embedded store's hive partition column: the UTC day


class Engine(Protocol):
    @property
    def dialect(self) -> str: ...

    @property
    def source(self) -> EventSource: ...

    def fetch(self, sql: str) -> list[tuple[Any, ...]]: ...


class DuckDBEngine:
    dialect: Final = "duckdb"

    def __init__(
        self,
        connection: duckdb.DuckDBPyConnection | None = None,
        *,
        source: EventSource | None = None,
        memory_limit: str = DUCKDB_MEMORY_LIMIT,
        temp_directory: Path | str | None = None,
    ) -> None:
        """Without ``connection``, an in-memory one limited to ``memory_limit`` (DuckDB syntax,
        e.g. "2GB"), spilling to ``temp_directory`` (default: the system's temp folder). A given
        connection keeps its own settings."""
        if connection is None:
            connection = _connect(memory_limit, temp_directory)
        self.connection = connection
        # DuckDB draws a progress bar on stdout for long queries: not from a library.
        self.connection.execute("SET enable_progress_bar = false")
        self.source = source or EventSource()

    @classmethod
    def from_parquet(
        cls,
        events_dir: Path | str,
        *,
        memory_limit: str = DUCKDB_MEMORY_LIMIT,
        temp_directory: Path | str | None = None,
    ) -> DuckDBEngine:
        """Expose ``<events_dir>/date=*/*.parquet`` as the view ``events`` (empty if no files).
        The embedded store holds each event once (compaction dedups), so queries skip dedup,
        and its ``date`` partition is the UTC day."""
        source = EventSource(unique_events=True, day_column=PARTITION_DAY)
        engine = cls(source=source, memory_limit=memory_limit, temp_directory=temp_directory)
        engine.connection.execute(
            f"CREATE VIEW {EVENTS_TABLE} AS {_parquet_select(Path(events_dir))}"
        )
        return engine

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        zone = self.connection.execute("SELECT current_setting('TimeZone')").fetchone()
        self.connection.execute("SET TimeZone = 'UTC'")
        try:
            return self.connection.execute(sql).fetchall()
        finally:
            if zone is not None and zone[0] != "UTC":
                self.connection.execute("SET TimeZone = $zone", {"zone": zone[0]})


def _connect(memory_limit: str, temp_directory: Path | str | None) -> duckdb.DuckDBPyConnection:
    spill = Path(temp_directory or tempfile.gettempdir()) / "quarterdeck-duckdb"
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit,
        "temp_directory": str(spill),
        # Results are sorted by the queries themselves: row order need not be kept (less memory).
        "preserve_insertion_order": "false",
    }
    try:
        return duckdb.connect(config=config)
    except duckdb.Error as error:  # e.g. a malformed memory_limit
        raise ValueError(f"DuckDB settings {config}: {error}") from error


def _parquet_select(events_dir: Path) -> str:
    if not any(events_dir.glob("date=*/*.parquet")):
        columns = ", ".join(f"CAST(NULL AS {c.sql_type}) AS {c.name}" for c in EVENT_COLUMNS)
        return f"SELECT {columns}, CAST(NULL AS DATE) AS {PARTITION_DAY} WHERE FALSE"
    pattern = str(events_dir / "date=*" / "*.parquet").replace("'", "''")
    return f"SELECT * FROM read_parquet('{pattern}', hive_partitioning = true)"


class PostgresEngine:
    dialect: Final = "postgres"

    def __init__(self, connection: Any, *, source: EventSource | None = None) -> None:
        """``connection``: a psycopg 3 connection (any transaction state)."""
        self.connection = connection
        self.source = source or EventSource()

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        # SET LOCAL lasts until the enclosing transaction ends, leaving the session as it was.
        with self.connection.transaction(), self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL TIME ZONE 'UTC'")
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]


class SparkEngine:
    dialect: Final = "spark"

    def __init__(self, session: Any, *, source: EventSource | None = None) -> None:
        """``session``: a SparkSession; ``events`` (or ``source.table``) a table or temp view."""
        zone = session.conf.get("spark.sql.session.timeZone")
        if zone not in UTC_NAMES:
            raise ValueError(
                "SparkEngine needs spark.sql.session.timeZone=UTC (event times are UTC), "
                f"got {zone!r}."
            )
        self.session = session
        self.source = source or EventSource()

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self.session.sql(sql).collect()]
