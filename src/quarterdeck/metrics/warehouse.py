"""Where metrics are computed: the embedded event store (DuckDB over the Parquet files) by
default, or, in warehouse mode, a company's own events table (docs/warehouse.md).

``warehouse_config`` parses the QUARTERDECK_EVENTS_* variables (settings.py calls it, so a bad
value stops start-up); ``event_engine`` is the one function every metric gets its engine from.
Warehouse mode only reads: PostgreSQL sessions are read-only, DuckDB files are opened read-only.
Ingestion keeps writing into the embedded store, so a team can switch back without losing events.

This module imports no Django at import time: settings.py imports it.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import unquote, urlsplit

from quarterdeck.lib.env import ConfigError, database_from_url
from quarterdeck.lib.errors import DomainError
from quarterdeck.metrics.engine.matchers import DefinitionError
from quarterdeck.metrics.engine.source import ColumnMapping, EventSource

if TYPE_CHECKING:
    from quarterdeck.metrics.engine import Engine

Kind = Literal["embedded", "duckdb", "postgres", "spark"]
DIALECTS: Final[dict[Kind, str]] = {
    "embedded": "duckdb",
    "duckdb": "duckdb",
    "postgres": "postgres",
    "spark": "spark",
}
WAREHOUSE_VAR: Final = "QUARTERDECK_EVENTS_WAREHOUSE"
MAPPING_EXAMPLE: Final = '{"time": "ts", "user_id": "uid"}'


class WarehouseError(DomainError):
    """The warehouse did not answer a query: unreachable, or the table or mapping is wrong."""

    status = 503


@dataclass(frozen=True)
class WarehouseConfig:
    kind: Kind = "embedded"
    location: str = ""  # the postgresql:// URL, the DuckDB file path or the Spark master
    source: EventSource = field(default_factory=EventSource)
    spark_conf: tuple[tuple[str, str], ...] = ()
    spark_init: tuple[str, ...] = ()  # SQL run once when the Spark session starts (views)

    @property
    def dialect(self) -> str:
        return DIALECTS[self.kind]

    def where(self) -> str:
        """Where metrics come from, for people: no password."""
        if self.kind == "embedded":
            return "the embedded event store (events received by Quarterdeck)"
        names = {"duckdb": "DuckDB file", "postgres": "PostgreSQL", "spark": "Spark"}
        return f"{names[self.kind]} {redact(self.location)}, table {self.source.table}"


def redact(location: str) -> str:
    parts = urlsplit(location)
    if not parts.password:
        return location
    return location.replace(f":{parts.password}@", ":***@", 1)


# Configuration -------------------------------------------------------------------------------


def warehouse_config(
    *,
    url: str | None,
    table: str | None = None,
    mapping: str | None = None,
    spark_conf: str | None = None,
    spark_init: str | None = None,
) -> WarehouseConfig:
    """The configuration from the raw QUARTERDECK_EVENTS_* values; ConfigError names the culprit."""
    url = (url or "").strip()
    if not url:
        _refuse_without_warehouse(table=table, mapping=mapping, conf=spark_conf, init=spark_init)
        return WarehouseConfig()
    kind, location = _kind_and_location(url)
    if kind != "spark" and (spark_conf or spark_init):
        raise ConfigError(
            "QUARTERDECK_EVENTS_SPARK_CONF / _SPARK_INIT are only for "
            f"{WAREHOUSE_VAR}=spark or spark://…, not {kind}."
        )
    return WarehouseConfig(
        kind=kind,
        location=location,
        source=_source(table, mapping),
        spark_conf=_spark_conf(spark_conf),
        spark_init=_spark_init(spark_init),
    )


def _refuse_without_warehouse(**values: str | None) -> None:
    names = {"table": "TABLE", "mapping": "MAPPING", "conf": "SPARK_CONF", "init": "SPARK_INIT"}
    for key, value in values.items():
        if value:
            raise ConfigError(
                f"QUARTERDECK_EVENTS_{names[key]} is set but {WAREHOUSE_VAR} is not: set the "
                "warehouse too (postgresql://…, spark, duckdb:///…), or unset it."
            )


def _kind_and_location(url: str) -> tuple[Kind, str]:
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql"}:
        database_from_url(WAREHOUSE_VAR, url)  # the same checks (database name, port)
        return "postgres", url
    if url == "spark":
        return "spark", "local[*]"
    if parts.scheme == "spark" and parts.hostname:
        return "spark", url
    if parts.scheme == "duckdb":
        path = unquote(parts.path[1:] if parts.path.startswith("//") else parts.path)
        if parts.netloc or not path.startswith("/"):
            raise ConfigError(f"{WAREHOUSE_VAR}={url!r}: expected duckdb:///absolute/file.duckdb.")
        return "duckdb", path
    raise ConfigError(
        f"{WAREHOUSE_VAR}={redact(url)!r}: expected postgresql://user:password@host:5432/db, "
        "spark, spark://host:7077 or duckdb:///path/to/file.duckdb (unset: the embedded store)."
    )


def _source(table: str | None, mapping: str | None) -> EventSource:
    try:
        return EventSource(table=(table or "events").strip(), mapping=_mapping(mapping))
    except DefinitionError as exc:
        raise ConfigError(f"QUARTERDECK_EVENTS_{exc.field.upper()}: {exc.message}") from exc


def _mapping(raw: str | None) -> ColumnMapping:
    value = _json_object("QUARTERDECK_EVENTS_MAPPING", raw, MAPPING_EXAMPLE)
    return ColumnMapping(tuple(value.items()))


def _json_object(name: str, raw: str | None, example: str) -> dict[str, str]:
    if not raw or not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{name}: not valid JSON ({exc.msg}, line {exc.lineno} column {exc.colno}); "
            f"expected an object such as {example}."
        ) from exc
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: expected a JSON object such as {example}.")
    for key, item in value.items():
        if not isinstance(item, str):
            raise ConfigError(f"{name}: the value of {key!r} must be a string, not {item!r}.")
    return value


def _spark_conf(raw: str | None) -> tuple[tuple[str, str], ...]:
    name = "QUARTERDECK_EVENTS_SPARK_CONF"
    conf = _json_object(name, raw, '{"spark.driver.memory": "4g"}')
    zone = conf.get("spark.sql.session.timeZone", "UTC")
    if zone != "UTC":
        raise ConfigError(f"{name}: spark.sql.session.timeZone must be UTC (event times are UTC).")
    return tuple(conf.items())


def _spark_init(raw: str | None) -> tuple[str, ...]:
    # Statements end with ';' at the end of a line, so a ';' inside a quoted path stays.
    statements = re.split(r";[ \t]*(?:\n|$)", raw or "")
    return tuple(statement.strip() for statement in statements if statement.strip())


# Engines -------------------------------------------------------------------------------------


def current_config() -> WarehouseConfig:
    from django.conf import settings

    config: WarehouseConfig = settings.EVENTS_WAREHOUSE
    return config


def event_engine() -> Engine:
    """The engine every metric of this instance runs on (a new one per call)."""
    config = current_config()
    if config.kind == "embedded":
        from quarterdeck.metrics import services
        from quarterdeck.metrics.engine import DuckDBEngine

        return DuckDBEngine.from_parquet(services.events_path())
    return WarehouseEngine(config)


class WarehouseEngine:
    """An Engine over the configured warehouse (or, for the check, the embedded store). Backend
    errors become WarehouseError (503)."""

    def __init__(self, config: WarehouseConfig) -> None:
        self.config = config
        self.source = config.source
        self.dialect = config.dialect

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        try:
            return _FETCHERS[self.config.kind](self.config, sql)
        except _backend_errors(self.config.kind) as exc:
            first_line = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
            raise WarehouseError(
                f"The events warehouse ({self.config.where()}) failed: {first_line} "
                "Run `quarterdeck metrics warehouse check`."
            ) from exc


def _backend_errors(kind: Kind) -> tuple[type[BaseException], ...]:
    if kind == "postgres":
        import psycopg

        return (psycopg.Error,)
    if kind == "spark":
        from py4j.protocol import Py4JError  # type: ignore[import-untyped]
        from pyspark.errors import PySparkException

        return (PySparkException, Py4JError)
    import duckdb

    return (duckdb.Error,)


def _fetch_embedded(config: WarehouseConfig, sql: str) -> list[tuple[Any, ...]]:
    from quarterdeck.metrics import services
    from quarterdeck.metrics.engine import DuckDBEngine

    return DuckDBEngine.from_parquet(services.events_path()).fetch(sql)


def _fetch_duckdb(config: WarehouseConfig, sql: str) -> list[tuple[Any, ...]]:
    import duckdb

    from quarterdeck.metrics.engine import DuckDBEngine

    # A connection per query: it is cheap, and holds no lock on the file between queries.
    with duckdb.connect(config.location, read_only=True) as connection:
        return DuckDBEngine(connection, source=config.source).fetch(sql)


def _fetch_postgres(config: WarehouseConfig, sql: str) -> list[tuple[Any, ...]]:
    from quarterdeck.metrics.engine import PostgresEngine

    with POSTGRES_POOL.connection(config.location) as connection:
        return PostgresEngine(connection, source=config.source).fetch(sql)


def _fetch_spark(config: WarehouseConfig, sql: str) -> list[tuple[Any, ...]]:
    from quarterdeck.metrics.engine import SparkEngine

    return SparkEngine(spark_session(config), source=config.source).fetch(sql)


_FETCHERS: Final = {
    "embedded": _fetch_embedded,  # for the check: event_engine() keeps one connection instead
    "duckdb": _fetch_duckdb,
    "postgres": _fetch_postgres,
    "spark": _fetch_spark,
}


class PostgresPool:
    """A few idle read-only connections per URL, reused across queries (psycopg_pool is not a
    dependency). A connection that fails is closed, never returned."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self._idle: dict[str, list[Any]] = {}
        self._lock = threading.Lock()

    @contextmanager
    def connection(self, url: str) -> Iterator[Any]:
        connection = self._take(url) or connect_postgres(url)
        try:
            yield connection
        except BaseException:
            connection.close()
            raise
        self._give(url, connection)

    def _take(self, url: str) -> Any | None:
        while True:
            with self._lock:
                idle = self._idle.get(url) or []
                if not idle:
                    return None
                connection = idle.pop()
            if _alive(connection):
                return connection

    def _give(self, url: str, connection: Any) -> None:
        with self._lock:
            idle = self._idle.setdefault(url, [])
            if len(idle) < self.size and not connection.closed:
                idle.append(connection)
                return
        connection.close()

    def close_all(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connection in (c for connections in idle.values() for c in connections):
            connection.close()


def _alive(connection: Any) -> bool:
    """A cheap ping: the server may have closed an idle connection meanwhile."""
    import psycopg

    try:
        connection.execute("SELECT 1")
    except psycopg.Error:
        connection.close()
        return False
    return True


def connect_postgres(url: str) -> Any:
    """A read-only autocommit connection: warehouse mode never writes to the company's tables."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    params: dict[str, Any] = conninfo_to_dict(url)
    options = f"{params.get('options') or ''} -c default_transaction_read_only=on"
    params["options"] = options.strip()
    params.setdefault("connect_timeout", 10)
    params.setdefault("application_name", "quarterdeck-metrics")
    return psycopg.connect(**params, autocommit=True)


POSTGRES_POOL: Final = PostgresPool()

_spark_lock = threading.Lock()
_spark_sessions: dict[tuple[object, ...], Any] = {}


def spark_session(config: WarehouseConfig) -> Any:
    """The process's one SparkSession, started on first use (it takes seconds)."""
    key = (config.location, config.spark_conf, config.spark_init)
    with _spark_lock:
        if key not in _spark_sessions:
            _spark_sessions[key] = _start_spark(config)
        return _spark_sessions[key]


def _start_spark(config: WarehouseConfig) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("quarterdeck").master(config.location)
    defaults = (("spark.sql.session.timeZone", "UTC"), ("spark.ui.showConsoleProgress", "false"))
    for key, value in (*defaults, *config.spark_conf):
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    # Spark logs every failed query with its whole stack trace; WarehouseError says it in a line.
    session.sparkContext.setLogLevel("FATAL")
    for statement in config.spark_init:
        session.sql(statement)
    return session
