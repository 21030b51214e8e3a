"""Each actor's latest active day, per product and feature, as of a checkpoint day: what an
incremental refresh reads instead of 30 days of daily actor sets.

An incremental refresh counts DAU / WAU / MAU of a few new days. Those need, per actor, the
latest active day up to each target day — and for the days up to the checkpoint ``C`` that is
one row per actor (``<root>/latest/product_id=<id>/as_of=<C>.parquet``; columns feature_id,
actor, last_day; actors whose last day is more than 30 days before ``C`` are dropped: they
count in no later window). So a refresh of days after ``C`` reads the summary plus the daily
files after ``C``: one row per recently active actor instead of one per actor-day.

The checkpoint moves to the day before each refresh's first day (that day and later ones may
be fetched again, so they stay out of the summary). Anything that rewrites days at or before
the checkpoint (a full rebuild, clearing a day) removes the summary; the next refresh then
reads the daily files and writes it again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Final

import duckdb

_LATEST: Final = "SELECT feature_id, actor, MAX(last_day) AS last_day"
_SUMMARIES: Final = (
    "SELECT product_id, feature_id, actor, last_day FROM read_parquet($summaries, "
    "hive_partitioning = true, hive_types = {'product_id': BIGINT})"
)
WINDOW: Final = 30  # as actor_store.WINDOW (kept here to avoid an import cycle)
# The checkpoint moves once it is this many days behind the settled days: rewriting the
# summary costs more than reading a week of daily files beside it.
MOVE_EVERY: Final = timedelta(days=7)


def _folder(root: Path, product_id: int) -> Path:
    return root / "latest" / f"product_id={product_id}"


def checkpoint_of(root: Path, product_id: int) -> tuple[date, Path] | None:
    """The product's summary (its checkpoint day and file), or None."""
    found = sorted(_folder(root, product_id).glob("as_of=*.parquet"))
    if not found:
        return None
    path = found[-1]
    return date.fromisoformat(path.stem.removeprefix("as_of=")), path


def drop(root: Path, product_ids: Iterable[int], *, from_day: date | None = None) -> None:
    """Remove the products' summaries (those whose checkpoint is on or after ``from_day``)."""
    for pk in product_ids:
        for path in _folder(root, pk).glob("as_of=*.parquet"):
            day = date.fromisoformat(path.stem.removeprefix("as_of="))
            if from_day is None or day >= from_day:
                path.unlink(missing_ok=True)


def usable(root: Path, product_ids: Iterable[int], first_target: date) -> date | None:
    """The common checkpoint of the products' summaries if every product has one before
    ``first_target`` (within the window), else None (then the daily files are read)."""
    days = set()
    for pk in product_ids:
        found = checkpoint_of(root, pk)
        if found is None or not first_target - timedelta(days=WINDOW) <= found[0] < first_target:
            return None
        days.add(found[0])
    return days.pop() if len(days) == 1 else None


def latest_sql(daily: str, targets: Sequence[date]) -> str:
    """(product_id, feature_id, l0, l1, …): each actor's latest day up to each target day, from
    the summaries (``$summaries``) and the daily rows after the checkpoint (``daily``, a SELECT
    of product_id, feature_id, day, actor). The few recent actors are grouped, then joined to
    the summary rows (one per actor already) — no grouping over the whole summary."""
    recent = ", ".join(
        f"MAX(day) FILTER (WHERE day <= DATE '{t}') AS r{n}" for n, t in enumerate(targets)
    )
    # GREATEST skips NULLs in DuckDB: an actor only in one side keeps that side's day.
    latest = ", ".join(f"GREATEST(s.last_day, r.r{n}) AS l{n}" for n in range(len(targets)))
    return (
        f"WITH r AS (SELECT product_id, feature_id, actor, {recent} FROM ({daily}) AS d "  # noqa: S608
        f"GROUP BY ALL), s AS ({_SUMMARIES}) "
        "SELECT COALESCE(s.product_id, r.product_id) AS product_id, "
        f"COALESCE(s.feature_id, r.feature_id) AS feature_id, {latest} "
        "FROM s FULL OUTER JOIN r ON s.product_id = r.product_id AND s.actor = r.actor "
        "AND s.feature_id IS NOT DISTINCT FROM r.feature_id"
    )


def summary_files(root: Path, product_ids: Iterable[int]) -> list[str]:
    files = []
    for pk in product_ids:
        found = checkpoint_of(root, pk)
        if found is not None:
            files.append(str(found[1]))
    return files


def advance(
    root: Path, product_id: int, through: date, daily_files: list[str], *, since: date | None
) -> None:
    """Write the summary as of ``through`` from the old one (checkpoint ``since``, None: no old
    one) and ``daily_files`` (the product's days after ``since`` up to ``through``)."""
    old = checkpoint_of(root, product_id)
    parts = []
    if since is not None and old is not None and old[0] == since:
        parts.append("SELECT feature_id, actor, last_day FROM read_parquet($old)")
    if daily_files:
        parts.append(
            "SELECT feature_id, actor, MAX(day) AS last_day FROM read_parquet($files, "
            "hive_partitioning = true, hive_types = {'product_id': BIGINT, 'day': DATE}) "
            "WHERE day <= $through GROUP BY ALL"
        )
    folder = _folder(root, product_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"as_of={through.isoformat()}.parquet"
    union = " UNION ALL ".join(parts) or (
        "SELECT CAST(NULL AS BIGINT) AS feature_id, CAST(NULL AS VARCHAR) AS actor, "
        "CAST(NULL AS DATE) AS last_day WHERE FALSE"
    )
    params = {
        "old": str(old[1]) if old else "",
        "files": daily_files,
        "through": through,
        "oldest": through - timedelta(days=WINDOW - 1),
    }
    params = {k: v for k, v in params.items() if f"${k}" in union or k == "oldest"}
    partial = target.with_suffix(".partial")
    latest = f"{_LATEST} FROM ({union}) AS u GROUP BY ALL HAVING MAX(last_day) >= $oldest"
    sql = f"COPY ({latest}) TO '{str(partial).replace("'", "''")}' (FORMAT parquet)"
    with duckdb.connect() as local:
        local.execute(sql, params)
    partial.replace(target)  # whole file or none; then the older summary goes
    for path in folder.glob("as_of=*.parquet"):
        if path != target:
            path.unlink(missing_ok=True)
