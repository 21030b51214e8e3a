"""Where queries run. An Engine has a ``dialect``, an ``EventSource`` and ``fetch(sql)``.

- DuckDBEngine: in-process; over a duckdb connection, or over the embedded data dir's
  date-partitioned Parquet files (``events/date=YYYY-MM-DD/*.parquet``) exposed as view ``events``.
- PostgresEngine: a psycopg 3 connection; the table is configurable.
- SparkEngine: a SparkSession whose ``spark.sql.session.timeZone`` is UTC.

Queries assume a UTC session (ISO timestamps without an offset are read as UTC); DuckDB and
PostgreSQL sessions are switched to UTC around each query, Spark sessions are checked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final, Protocol

import duckdb

from quarterdeck.metrics.engine.schema import EVENT_COLUMNS, EVENTS_TABLE
from quarterdeck.metrics.engine.source import EventSource

UTC_NAMES: Final = ("UTC", "Etc/UTC", "Z", "+00:00", "GMT", "Etc/GMT")


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
    ) -> None:
        self.connection = connection if connection is not None else duckdb.connect()
        # DuckDB draws a progress bar on stdout for long queries: not from a library.
        self.connection.execute("SET enable_progress_bar = false")
        self.source = source or EventSource()

    @classmethod
    def from_parquet(cls, events_dir: Path | str) -> DuckDBEngine:
        """Expose ``<events_dir>/date=*/*.parquet`` as the view ``events`` (empty if no files).
        The embedded store holds each event once (compaction dedups), so queries skip dedup."""
        engine = cls(source=EventSource(unique_events=True))
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


def _parquet_select(events_dir: Path) -> str:
    if not any(events_dir.glob("date=*/*.parquet")):
        columns = ", ".join(f"CAST(NULL AS {c.sql_type}) AS {c.name}" for c in EVENT_COLUMNS)
        return f"SELECT {columns} WHERE FALSE"
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
