"""Warehouse mode: configuration, and metrics read from a company's own table through a column
mapping give the same numbers as the same events in canonical form — on a DuckDB file,
PostgreSQL (when QUARTERDECK_DATABASE_URL is one) and Spark (when Java is installed)."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from quarterdeck.lib.env import ConfigError
from quarterdeck.metrics.engine import ActiveUsers, DuckDBEngine, run
from quarterdeck.metrics.warehouse import (
    POSTGRES_POOL,
    WarehouseEngine,
    WarehouseError,
    event_engine,
    warehouse_config,
)
from tests.metrics.engine.conftest import duckdb_table
from tests.metrics.engine.conftest import spark as spark_fixture  # noqa: F401 - the fixture
from tests.metrics.warehouse_events import (
    D1,
    D10,
    MAPPING,
    SPARK_MAPPING,
    TABLE,
    canonical_rows,
    company_duckdb_file,
    company_parquet,
    company_postgres_table,
    definitions,
)

# Configuration -------------------------------------------------------------------------------


def test_unset_is_the_embedded_store() -> None:
    config = warehouse_config(url=None)
    assert (config.kind, config.source.table) == ("embedded", "events")
    assert "embedded" in config.where()


def test_each_kind_of_warehouse() -> None:
    pg = warehouse_config(
        url="postgresql://qd:s3cret@db.internal:6543/warehouse?sslmode=require",
        table="analytics.tracks",
        mapping='{"time": "ts", "user_id": "uid"}',
    )
    assert (pg.kind, pg.dialect, pg.source.table) == ("postgres", "postgres", "analytics.tracks")
    assert pg.source.mapping.expression("user_id") == "uid"
    assert pg.source.mapping.expression("event") == "event"  # unmapped: same name
    assert "s3cret" not in pg.where()
    assert ":***@db.internal" in pg.where()
    assert warehouse_config(url="spark").location == "local[*]"
    spark = warehouse_config(url="spark://spark.internal:7077", spark_conf='{"a.b": "1"}')
    assert (spark.location, spark.spark_conf) == ("spark://spark.internal:7077", (("a.b", "1"),))
    duck = warehouse_config(url="duckdb:///srv/events.duckdb")
    assert (duck.kind, duck.location) == ("duckdb", "/srv/events.duckdb")


def test_spark_init_statements_split_at_line_ends() -> None:
    init = "CREATE TEMP VIEW a AS SELECT ';' AS x;\nCREATE TEMP VIEW b AS SELECT 1;\n"
    config = warehouse_config(url="spark", spark_init=init)
    assert config.spark_init == (
        "CREATE TEMP VIEW a AS SELECT ';' AS x",
        "CREATE TEMP VIEW b AS SELECT 1",
    )


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"url": "mysql://db/x"}, "QUARTERDECK_EVENTS_WAREHOUSE='mysql://db/x': expected"),
        ({"url": "postgresql://u:pw@db/x", "table": "tracks; DROP"}, "QUARTERDECK_EVENTS_TABLE"),
        ({"url": "postgresql://db:port/x"}, "port is not a number"),
        ({"url": "postgresql://db:5432/"}, "expected postgresql://"),
        ({"url": "duckdb://relative.duckdb"}, "expected duckdb:///absolute"),
        ({"url": "spark", "mapping": "{time: ts}"}, "QUARTERDECK_EVENTS_MAPPING: not valid JSON"),
        ({"url": "spark", "mapping": '["ts"]'}, "expected a JSON object"),
        ({"url": "spark", "mapping": '{"time": 3}'}, "the value of 'time' must be a string"),
        ({"url": "spark", "mapping": '{"userid": "uid"}'}, "'userid' is not a canonical column"),
        ({"url": "spark", "mapping": '{"time": " "}'}, "'time' maps to an empty expression"),
        ({"url": None, "table": "analytics.tracks"}, "QUARTERDECK_EVENTS_TABLE is set but"),
        ({"url": None, "mapping": '{"time": "ts"}'}, "QUARTERDECK_EVENTS_MAPPING is set but"),
        ({"url": "duckdb:///x.duckdb", "spark_conf": "{}x"}, "only for"),
        (
            {"url": "spark", "spark_conf": '{"spark.sql.session.timeZone": "Europe/Paris"}'},
            "must be UTC",
        ),
    ],
)
def test_malformed_values_are_refused_with_the_variable_named(
    values: dict[str, str | None], message: str
) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("[", r"\[")):
        warehouse_config(**values)


def test_a_bad_value_stops_start_up_and_the_password_is_not_printed(tmp_path: Path) -> None:
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text('{"time": "ts",}')
    env = {
        "PATH": "/usr/bin:/bin",
        "QUARTERDECK_DATA_DIR": str(tmp_path),
        "QUARTERDECK_EVENTS_WAREHOUSE": "postgresql://qd:s3cret@db/x",
        "QUARTERDECK_EVENTS_MAPPING_FILE": str(mapping_file),
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "quarterdeck"), "metrics", "warehouse", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Configuration error: QUARTERDECK_EVENTS_MAPPING: not valid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert "s3cret" not in result.stderr + result.stdout


# The same numbers from a company's table -----------------------------------------------------


def canonical_results(count: int | None = None) -> list[list[dict[str, Any]]]:
    engine = DuckDBEngine(duckdb_table(canonical_rows()))
    return [run(definition, engine).to_rows() for definition in definitions()[:count]]


def warehouse_results(count: int | None = None) -> list[list[dict[str, Any]]]:
    engine = event_engine()  # what every metric uses
    assert isinstance(engine, WarehouseEngine)
    return [run(definition, engine).to_rows() for definition in definitions()[:count]]


def test_a_duckdb_file_with_other_columns_gives_the_same_numbers(
    tmp_path: Path, settings: Settings
) -> None:
    company_duckdb_file(str(tmp_path / "company.duckdb"))
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url=f"duckdb://{tmp_path}/company.duckdb", table=TABLE, mapping=json.dumps(MAPPING)
    )
    expected = canonical_results()
    assert any(row["dau"] for row in expected[0])  # the data is not trivial
    assert warehouse_results() == expected


def test_identity_and_group_rows_from_other_tables_through_a_union_view(
    tmp_path: Path, settings: Settings
) -> None:
    path = str(tmp_path / "company.duckdb")
    company_duckdb_file(path)
    import duckdb

    with duckdb.connect(path) as connection:
        # As docs/warehouse.md shows: tracks, identifies and groups kept apart, one view over all.
        connection.execute(
            "CREATE TABLE analytics.identifies AS SELECT * FROM analytics.tracks "
            "WHERE kind IN ('Identify', 'Alias'); "
            "CREATE TABLE analytics.groups AS SELECT * FROM analytics.tracks WHERE kind = 'Group'; "
            "DELETE FROM analytics.tracks WHERE kind NOT IN ('Track', 'Page', 'Screen'); "
            "CREATE VIEW analytics.all_events AS SELECT * FROM analytics.tracks "
            "UNION ALL SELECT * FROM analytics.identifies UNION ALL SELECT * FROM analytics.groups"
        )
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url=f"duckdb://{path}", table="analytics.all_events", mapping=json.dumps(MAPPING)
    )
    assert warehouse_results() == canonical_results()


def test_warehouse_mode_never_writes_to_the_duckdb_file(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "company.duckdb"
    company_duckdb_file(str(path))
    settings.EVENTS_WAREHOUSE = warehouse_config(url=f"duckdb://{path}", table=TABLE)
    with pytest.raises(WarehouseError, match="read-only"):
        event_engine().fetch("CREATE TABLE analytics.sneaky AS SELECT 1 AS x")


def test_an_unreachable_warehouse_is_a_clear_503(settings: Settings, tmp_path: Path) -> None:
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url=f"duckdb://{tmp_path}/missing.duckdb", table=TABLE
    )
    with pytest.raises(WarehouseError) as caught:
        run(ActiveUsers(start=D1, end=D10), event_engine())
    assert caught.value.status == 503
    assert "quarterdeck metrics warehouse check" in caught.value.message


@pytest.fixture
def postgres_warehouse(settings: Settings) -> Iterator[str]:
    """``<schema>.tracks`` in the PostgreSQL database of QUARTERDECK_DATABASE_URL."""
    import os

    url = os.environ.get("QUARTERDECK_DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("QUARTERDECK_DATABASE_URL is not a postgresql:// URL: PostgreSQL skipped")
    import psycopg

    schema = f"qd_warehouse_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as connection:
        company_postgres_table(connection, schema)
        settings.EVENTS_WAREHOUSE = warehouse_config(
            url=url, table=f"{schema}.tracks", mapping=json.dumps(MAPPING)
        )
        yield schema
        POSTGRES_POOL.close_all()
        connection.execute(f"DROP SCHEMA {schema} CASCADE")


def test_a_postgres_table_with_other_columns_gives_the_same_numbers(
    postgres_warehouse: str,
) -> None:
    assert warehouse_results() == canonical_results()


def test_postgres_sessions_are_read_only(postgres_warehouse: str) -> None:
    with pytest.raises(WarehouseError, match="read-only transaction"):
        event_engine().fetch(f"CREATE TABLE {postgres_warehouse}.sneaky (x int)")
    # The failed connection was dropped; the next query gets a good one.
    assert event_engine().fetch("SELECT 1") == [(1,)]


@pytest.fixture
def spark_warehouse(tmp_path: Path, settings: Settings, request: pytest.FixtureRequest) -> str:
    """A Parquet file registered as a temporary view by QUARTERDECK_EVENTS_SPARK_INIT."""
    request.getfixturevalue("spark_fixture")  # skips without Java; fails then when CI=true
    path = tmp_path / "tracks.parquet"
    company_parquet(str(path))
    view = f"tracks_{uuid.uuid4().hex[:8]}"
    settings.EVENTS_WAREHOUSE = warehouse_config(
        url="spark",
        table=view,
        mapping=json.dumps(SPARK_MAPPING),
        spark_init=f"CREATE OR REPLACE TEMPORARY VIEW {view} USING parquet "
        f"OPTIONS (path '{path}');",
    )
    return view


def test_a_spark_view_over_parquet_gives_the_same_numbers(spark_warehouse: str) -> None:
    # Two metrics only: local Spark takes seconds per query, and the engine's own tests run
    # every metric on Spark; this is about the mapping and the session set-up.
    assert warehouse_results(2) == canonical_results(2)
