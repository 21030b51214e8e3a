"""Engines for the metric tests: DuckDB always, PostgreSQL when QUARTERDECK_DATABASE_URL is a
PostgreSQL URL, Spark when Java is installed (required when CI=true).

``load(rows)`` puts canonical rows into a fresh events table on the engine under test and returns
the Engine; every vector test runs once per engine.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from quarterdeck.metrics.engine import (
    DuckDBEngine,
    Engine,
    EventSource,
    PostgresEngine,
    SparkEngine,
)
from quarterdeck.metrics.engine.schema import EVENT_COLUMNS
from tests.metrics.engine.events import Row

Load = Callable[[list[Row]], Engine]
ENGINES = ("duckdb", "postgres", "spark")


def _arrow(rows: list[Row]) -> pa.Table:
    types = {"VARCHAR": pa.string(), "TIMESTAMP": pa.timestamp("us")}
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in EVENT_COLUMNS]
    return pa.table(
        {
            c.name: pa.array(values, type=types[c.sql_type])
            for c, values in zip(EVENT_COLUMNS, columns, strict=True)
        }
    )


def duckdb_table(rows: list[Row], name: str = "events") -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.register("incoming", _arrow(rows))
    connection.execute(f"CREATE TABLE {name} AS SELECT * FROM incoming")  # noqa: S608
    connection.unregister("incoming")
    return connection


@pytest.fixture(scope="session")
def postgres() -> Iterator[Any]:
    url = os.environ.get("QUARTERDECK_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip(
            "QUARTERDECK_DATABASE_URL is not a postgresql:// URL: PostgreSQL engine skipped"
        )
    import psycopg

    connection = psycopg.connect(url, autocommit=True)  # libpq reads the URL (conninfo)
    yield connection
    connection.close()


def _postgres_loader(connection: Any) -> tuple[Load, Callable[[], None]]:
    schema = f"qd_engine_test_{uuid.uuid4().hex[:12]}"
    types = {"VARCHAR": "TEXT", "TIMESTAMP": "TIMESTAMP"}
    columns = ", ".join(f"{c.name} {types[c.sql_type]}" for c in EVENT_COLUMNS)
    names = ", ".join(c.name for c in EVENT_COLUMNS)

    def load(rows: list[Row]) -> Engine:
        connection.execute(f"CREATE SCHEMA {schema}")
        connection.execute(f"CREATE TABLE {schema}.events ({columns})")
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {schema}.events ({names}) FROM STDIN") as copy,
        ):
            for r in rows:
                copy.write_row(r)
        return PostgresEngine(connection, source=EventSource(table=f"{schema}.events"))

    return load, lambda: connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    if shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("java is not installed but CI=true: the Spark engine must be tested in CI")
        pytest.skip("java is not installed: Spark engine skipped")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers must match the driver

    session = (
        SparkSession.builder.master("local[1]")
        .appName("quarterdeck-engine-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.showConsoleProgress", "false")
        # Tiny queries: code generation and adaptive re-planning cost more than they save.
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def _spark_load(session: Any, rows: list[Row]) -> Engine:
    # From Arrow, the rows go straight to the JVM: no Python worker, no per-row conversion.
    table = _arrow(rows)
    utc = table.schema.set(
        table.schema.get_field_index("time"), pa.field("time", pa.timestamp("us", tz="UTC"))
    ).set(
        table.schema.get_field_index("received_at"),
        pa.field("received_at", pa.timestamp("us", tz="UTC")),
    )
    session.createDataFrame(table.cast(utc)).createOrReplaceTempView("events")
    return SparkEngine(session)


@pytest.fixture(params=ENGINES)
def load(request: pytest.FixtureRequest) -> Iterator[Load]:
    if request.param == "duckdb":
        yield lambda rows: DuckDBEngine(duckdb_table(rows))
    elif request.param == "postgres":
        loader, drop = _postgres_loader(request.getfixturevalue("postgres"))
        yield loader
        drop()
    else:
        session = request.getfixturevalue("spark")
        yield lambda rows: _spark_load(session, rows)
