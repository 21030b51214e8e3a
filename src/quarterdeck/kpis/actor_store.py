"""The daily actor store: each day's distinct actors per product and per feature, kept as local
Parquet (``<root>/product_id=<id>/day=<YYYY-MM-DD>/*.parquet``; columns actor, feature_id — None
on a product's own rows) so that rolling counts of a new day read 30 small days, not the events.

Filled from the configured engine with the engine's own ``DailyActors`` definition (identity
resolved as by every metric); counted with a local DuckDB. On DuckDB engines the rows go from
the engine's query straight to Parquet (a COPY in the engine's connection); other engines'
rows are fetched and written through a local DuckDB.

A product's store is "ready" (a marker naming the definitions' fingerprint) after a full
rebuild; an incremental refresh needs a ready store, and a failure removes the marker.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final

import duckdb
import pyarrow as pa

from quarterdeck.kpis import actor_summary
from quarterdeck.metrics.engine import DailyActors, DuckDBEngine, Engine, compile_sql

WINDOW: Final = 30  # the longest rolling window counted (MAU, 30-day feature users)
Bucket = tuple[int, int | None]  # (product id, feature id or None for the product itself)
Counts = dict[Bucket, dict[date, tuple[int, int, int]]]  # (dau, wau, mau) per day


def _product_dir(root: Path, product_id: int) -> Path:
    return root / f"product_id={product_id}"


def _marker(root: Path, product_id: int) -> Path:
    return root / "ready" / f"{product_id}.txt"


def is_ready(root: Path, product_id: int, fingerprint: str) -> bool:
    marker = _marker(root, product_id)
    return marker.exists() and marker.read_text() == fingerprint


def mark_ready(root: Path, product_id: int, fingerprint: str) -> None:
    _marker(root, product_id).parent.mkdir(parents=True, exist_ok=True)
    _marker(root, product_id).write_text(fingerprint)


def forget(root: Path, product_ids: Iterable[int]) -> None:
    """The products' stores are not to be trusted: their next refresh rebuilds them."""
    for pk in product_ids:
        _marker(root, pk).unlink(missing_ok=True)
    actor_summary.drop(root, product_ids)


def clear(root: Path, product_ids: Iterable[int], days: tuple[date, date] | None) -> None:
    """Remove the products' days in ``days`` (None: all of them), before they are written; and
    the latest-day summaries that include any of them."""
    product_ids = list(product_ids)
    actor_summary.drop(root, product_ids, from_day=None if days is None else days[0])
    for pk in product_ids:
        folder = _product_dir(root, pk)
        if days is None:
            shutil.rmtree(folder, ignore_errors=True)
            continue
        for n in range((days[1] - days[0]).days + 1):
            shutil.rmtree(folder / f"day={days[0] + timedelta(days=n)}", ignore_errors=True)


def _buckets_sql(buckets: Mapping[str, Sequence[Bucket]]) -> str:
    rows = ", ".join(
        f"('{label}', {pk}, {'NULL' if feature is None else feature})"
        for label, targets in buckets.items()  # labels are ours: product:N / feature:N
        for pk, feature in targets
    )
    return f"(VALUES {rows}) AS b(bucket, product_id, feature_id)"


_STORED_COLUMNS: Final = (
    "SELECT DISTINCT CAST(f.day AS DATE) AS day, CAST(b.product_id AS BIGINT) AS product_id, "
    "CAST(b.feature_id AS BIGINT) AS feature_id, CAST(f.actor AS VARCHAR) AS actor"
)


def _copy(connection: duckdb.DuckDBPyConnection, rows: str, buckets: str, root: Path) -> None:
    target = str(root).replace("'", "''")
    # rows: the engine's compiled SQL or a fixed SELECT; buckets: our own labels and ids.
    joined = f"FROM ({rows}) AS f JOIN {buckets} ON f.bucket = b.bucket"
    connection.execute(
        f"COPY ({_STORED_COLUMNS} {joined}) "
        f"TO '{target}' (FORMAT parquet, PARTITION_BY (product_id, day), "
        "OVERWRITE_OR_IGNORE true, FILENAME_PATTERN 'part_{uuid}')"
    )


def fetch(
    engine: Engine, definition: DailyActors, buckets: Mapping[str, Sequence[Bucket]], root: Path
) -> None:
    """Add the definition's actor-days to the store, each bucket's to its targets (a feature's
    also to its product's own rows; an actor-day is kept once); other buckets are dropped."""
    root.mkdir(parents=True, exist_ok=True)
    sql = compile_sql(definition, engine.dialect, engine.source, today=definition.end)
    if isinstance(engine, DuckDBEngine):
        _copy_in_engine(engine, sql, _buckets_sql(buckets), root)
        return
    fetched = engine.fetch(sql)
    columns = list(zip(*fetched, strict=True)) if fetched else [(), (), ()]
    table = pa.table(
        {
            "day": pa.array(columns[0], type=pa.date32()),
            "bucket": pa.array(columns[1], type=pa.string()),
            "actor": pa.array(columns[2], type=pa.string()),
        }
    )
    with duckdb.connect() as local:
        local.register("fetched", table)
        _copy(local, "SELECT * FROM fetched", _buckets_sql(buckets), root)


def _copy_in_engine(engine: DuckDBEngine, sql: str, buckets: str, root: Path) -> None:
    # As DuckDBEngine.fetch: the engine's SQL expects a UTC session.
    connection = engine.connection
    zone = connection.execute("SELECT current_setting('TimeZone')").fetchone()
    connection.execute("SET TimeZone = 'UTC'")
    try:
        _copy(connection, sql, buckets, root)
    finally:
        if zone is not None and zone[0] != "UTC":
            connection.execute("SET TimeZone = $zone", {"zone": zone[0]})


SHORT_SPAN: Final = 31  # up to this many days, counted from each actor's latest day
WAU_DAYS: Final = 7
_DAILY: Final = (
    "SELECT product_id, feature_id, day, actor FROM read_parquet($files, "
    "hive_partitioning = true, hive_types = {'product_id': BIGINT, 'day': DATE}) "
    "WHERE day BETWEEN $first AND $last"
)
_STORED: Final = f"({_DAILY}) AS stored"
_SPAN_SQL: Final = f"""
WITH spans AS (
  SELECT product_id, feature_id, day,
    LEAD(day) OVER (PARTITION BY product_id, feature_id, actor ORDER BY day) AS next_day
  FROM {_STORED}
),
edges AS (
  SELECT product_id, feature_id, day, 1 AS dau, 1 AS wau, 1 AS mau FROM spans
  UNION ALL SELECT product_id, feature_id, LEAST(COALESCE(next_day, day + 7), day + 7), 0, -1, 0
  FROM spans
  UNION ALL SELECT product_id, feature_id, LEAST(COALESCE(next_day, day + 30), day + 30), 0, 0, -1
  FROM spans
)
SELECT product_id, feature_id, day, SUM(dau), SUM(wau), SUM(mau) FROM edges
WHERE day <= $last GROUP BY ALL ORDER BY day
"""  # noqa: S608


def _files(root: Path, product_ids: Iterable[int], first: date, last: date) -> list[str]:
    """The products' files of the days first..last: chosen by path, so no other day's file is
    opened (a years-long store has thousands)."""
    wanted = {(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)}
    return [
        str(path)
        for pk in product_ids
        for path in _product_dir(root, pk).glob("day=*/*.parquet")
        if path.parent.name.removeprefix("day=") in wanted
    ]


def counts(root: Path, product_ids: Sequence[int], span: tuple[date, date]) -> Counts:
    """DAU, WAU and MAU of each product and feature on each day of ``span``, from the store."""
    first = span[0] - timedelta(days=WINDOW - 1)
    short = (span[1] - span[0]).days < SHORT_SPAN
    checkpoint = actor_summary.usable(root, product_ids, span[0]) if short else None
    if checkpoint is not None:  # the summary stands for the days up to the checkpoint
        files = _files(root, product_ids, checkpoint + timedelta(days=1), span[1])
        summaries = actor_summary.summary_files(root, product_ids)
        params: dict[str, Any] = {"files": files, "first": first, "last": span[1]}
        latest = actor_summary.latest_sql(_DAILY, _day_list(span[0], span[1]))
        with duckdb.connect() as local:
            return _latest_counts(local, {**params, "summaries": summaries}, span, latest)
    files = _files(root, product_ids, first, span[1])
    if not files:
        return {}
    params = {"files": files, "first": first, "last": span[1]}
    with duckdb.connect() as local:
        if short:
            return _latest_counts(local, params, span, _latest_sql(_day_list(*span)))
        return _span_counts(local, params, first, span)


def checkpoint(root: Path, product_ids: Sequence[int], through: date) -> None:
    """Move the products' latest-day summaries to ``through`` (see actor_summary.py) — once
    they are ``MOVE_EVERY`` days behind it, or missing."""
    for pk in product_ids:
        found = actor_summary.checkpoint_of(root, pk)
        # An old summary is only worth extending when it is younger than the window.
        recent = found is not None and through - timedelta(days=WINDOW) <= found[0] <= through
        since = found[0] if found is not None and recent else None
        if since is not None and through - since < actor_summary.MOVE_EVERY:
            continue  # a few more daily files to read beside it cost less than rewriting it
        first = since + timedelta(days=1) if since else through - timedelta(days=WINDOW - 1)
        files = _files(root, [pk], first, through)
        actor_summary.advance(root, pk, through, files, since=since)


def _latest_sql(targets: Sequence[date]) -> str:
    """(product_id, feature_id, l0, l1, …): each actor's latest day up to each target day."""
    latest = ", ".join(
        f"MAX(day) FILTER (WHERE day <= DATE '{t}') AS l{n}" for n, t in enumerate(targets)
    )
    return (
        f"SELECT product_id, feature_id, {latest} FROM {_STORED} "  # noqa: S608
        "GROUP BY product_id, feature_id, actor"
    )


def _latest_counts(
    local: duckdb.DuckDBPyConnection, params: dict[str, Any], span: tuple[date, date], latest: str
) -> Counts:
    """A few days (an incremental refresh): from each actor's latest day up to each target day
    (``latest``), the counts of those within 1/7/30 days — no window over the actors' days."""
    targets = _day_list(span[0], span[1])
    counted = ", ".join(
        f"COUNT(*) FILTER (WHERE l{n} >= DATE '{t - timedelta(days=w - 1)}')"
        for n, t in enumerate(targets)
        for w in (1, WAU_DAYS, WINDOW)
    )
    select = f"SELECT product_id, feature_id, {counted} FROM latest GROUP BY ALL"  # noqa: S608
    sql = f"WITH latest AS ({latest}) {select}"
    found: Counts = {}
    for pk, feature, *values in local.execute(sql, params).fetchall():
        by_day = zip(targets, zip(*[iter(int(v) for v in values)] * 3, strict=True), strict=True)
        found[(int(pk), feature)] = {day: (a, b, c) for day, (a, b, c) in by_day}
    return found


def _span_counts(
    local: duckdb.DuckDBPyConnection,
    params: dict[str, Any],
    first: date,
    span: tuple[date, date],
) -> Counts:
    """Many days (a full refresh): each actor-day counts for the 7/30 days from it up to the
    actor's next day (disjoint spans, as the engine's ActiveUsers), so WAU/MAU are running sums
    of +1/-1 changes: one sort instead of 30 copies of every row."""
    changes: dict[Bucket, dict[date, Any]] = {}
    for pk, feature, day, *change in local.execute(_SPAN_SQL, params).fetchall():
        changes.setdefault((int(pk), feature), {})[day] = change
    return {bucket: _running(days, first, span) for bucket, days in changes.items()}


def _day_list(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _running(
    changes: Mapping[date, Any], first: date, span: tuple[date, date]
) -> dict[date, tuple[int, int, int]]:
    found: dict[date, tuple[int, int, int]] = {}
    wau = mau = 0
    for n in range((span[1] - first).days + 1):
        day = first + timedelta(days=n)
        dau, more_wau, more_mau = changes.get(day, (0, 0, 0))
        wau, mau = wau + int(more_wau), mau + int(more_mau)
        if day >= span[0]:
            found[day] = (int(dau), wau, mau)
    return found
