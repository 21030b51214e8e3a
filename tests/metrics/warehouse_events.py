"""A company's own events table for the warehouse-mode tests: the same events as canonical rows
and as ``analytics.tracks``, a table with other column names and types.

``analytics.tracks``: msg_id, app, kind ('Track', 'Identify', …: capitalised), name, uid, anon,
org, ts (a time-zone-aware timestamp; a plain one on Spark), loaded_at, props (JSON), trait_doc.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pyarrow as pa

from quarterdeck.metrics.engine import (
    ActiveDaysHistogram,
    ActiveUsers,
    Breakdown,
    EventMatcher,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    Retention,
)
from tests.metrics.engine.conftest import _arrow
from tests.metrics.engine.events import Row, active_on, at, group, identify, row, track

D1, D10 = date(2024, 1, 1), date(2024, 1, 10)
TABLE = "analytics.tracks"
MAPPING = {
    "event_id": "msg_id",
    "source_id": "app",
    "type": "lower(kind)",
    "event": "name",
    "user_id": "uid",
    "anonymous_id": "anon",
    "account_id": "org",
    "time": "ts AT TIME ZONE 'UTC'",
    "received_at": "loaded_at",
    "properties": "props",
    "traits": "trait_doc",
}
SPARK_MAPPING = {**MAPPING, "time": "ts"}  # Spark timestamps are instants read in UTC

# From the canonical columns to the company's: the SELECT list of analytics.tracks.
COMPANY_COLUMNS = (
    "event_id AS msg_id, source_id AS app, upper(substr(type, 1, 1)) || substr(type, 2) AS kind, "
    "event AS name, user_id AS uid, anonymous_id AS anon, account_id AS org, {ts} AS ts, "
    "received_at AS loaded_at, {props} AS props, traits AS trait_doc"
)


def canonical_rows() -> list[Row]:
    """Anonymous → identified users, an alias, accounts, a duplicate, a late-evening event."""
    days = [date(2024, 1, d) for d in range(1, 11)]
    return [
        track("a1", "Signed Up", at(D1, 9), anonymous=True, props={"plan": "pro"}),
        identify("u1", at(D1, 10), anon="a1", traits={"plan": "pro"}),
        group("u1", "acme", at(D1, 10.5), traits={"plan": "team"}),
        track("u1", "Opened Report", at("2024-01-02"), props={"report": "revenue"}),
        track("u1", "Opened Report", at("2024-01-04", 23.5), props={"report": "churn"}),
        track("a2", "Signed Up", at("2024-01-03"), anonymous=True, props={"plan": "free"}),
        row("alias", at("2024-01-03", 13), user="u2", anon="a2"),
        track("u2", "Opened Report", at("2024-01-05"), event_id="dup", account="globex"),
        track("u2", "Opened Report", at("2024-01-05"), event_id="dup", account="globex"),
        *active_on("u3", days[::2], props={"plan": "pro"}),
        *active_on("u1", days[5:]),
    ]


def definitions() -> list[Any]:
    report = EventMatcher("Opened Report")
    signed_up = EventMatcher("Signed Up")
    return [
        ActiveUsers(start=D1, end=D10),
        ActiveUsers(start=D1, end=D10, measure="stickiness", time_zone="Europe/Berlin"),
        ActiveUsers(start=D1, end=D10, actor="account", measure="active", grain="week"),
        ActiveUsers(start=D1, end=D10, breakdown=Breakdown.by_property("plan")),
        ActiveDaysHistogram(start=D1, end=D10),
        FeatureAdoption(start=D1, end=D10, feature=report, denominator="all"),
        Retention(start=D1, end=D10, start_event=signed_up, periods=3, as_of=D10),
        Lifecycle(start=D1, end=D10),
        Funnel(start=D1, end=D10, steps=(signed_up, report)),
    ]


def company_duckdb_file(path: str) -> None:
    """Write analytics.tracks into a DuckDB database file."""
    connection = duckdb.connect(path)
    connection.register("canonical", _arrow(canonical_rows()))
    columns = COMPANY_COLUMNS.format(ts="time AT TIME ZONE 'UTC'", props="CAST(properties AS JSON)")
    connection.execute(
        f"CREATE SCHEMA analytics; CREATE TABLE {TABLE} AS SELECT {columns} FROM canonical"  # noqa: S608
    )
    connection.close()


def company_postgres_table(connection: Any, schema: str) -> None:
    """analytics.tracks as ``<schema>.tracks`` in PostgreSQL: ts timestamptz, props jsonb."""
    names = ", ".join(f.name for f in _arrow([]).schema)
    connection.execute(f"CREATE SCHEMA {schema}")
    connection.execute(
        f"CREATE TABLE {schema}.canonical (event_id text, source_id text, type text, event text, "
        "user_id text, anonymous_id text, account_id text, time timestamp, received_at timestamp, "
        "properties text, traits text)"
    )
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {schema}.canonical ({names}) FROM STDIN") as copy,
    ):
        for item in canonical_rows():
            copy.write_row(item)
    columns = COMPANY_COLUMNS.format(
        ts="time AT TIME ZONE 'UTC'", props="CAST(properties AS JSONB)"
    )
    connection.execute(
        f"CREATE TABLE {schema}.tracks AS SELECT {columns} FROM {schema}.canonical"  # noqa: S608
    )


def company_parquet(path: str) -> None:
    """analytics.tracks as a Parquet file, as a Spark job would have written it."""
    import pyarrow.parquet as pq

    connection = duckdb.connect()
    connection.register("canonical", _arrow(canonical_rows()))
    columns = COMPANY_COLUMNS.format(ts="time", props="properties")
    table: pa.Table = connection.sql(f"SELECT {columns} FROM canonical").to_arrow_table()  # noqa: S608
    utc = table.schema.set(
        table.schema.get_field_index("ts"), pa.field("ts", pa.timestamp("us", tz="UTC"))
    )
    pq.write_table(table.cast(utc), path)
