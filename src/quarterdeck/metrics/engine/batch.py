"""run_many's fetching: identical queries run once, and on DuckDB the identity map is made once.

Every query resolves identities over the whole history (base.py ``links``): a scan of every
identify/alias row. A batch of several queries (six monthly adoptions, a dashboard) on DuckDB
makes that map once, into a temporary table, and every query reads it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from quarterdeck.metrics.engine.base import links_query
from quarterdeck.metrics.engine.dialects import render
from quarterdeck.metrics.engine.engines import DuckDBEngine, Engine

Rows = list[tuple[Any, ...]]


@contextmanager
def _shared_links(engine: Engine, queries: int) -> Iterator[str | None]:
    """The name of a temporary table holding the identity map, or None (one query, or an engine
    where a temporary table is not worth it: PostgreSQL and Spark plan each query on their own)."""
    if queries < 2 or not isinstance(engine, DuckDBEngine):
        yield None
        return
    table = f"qd_links_{uuid.uuid4().hex[:12]}"
    made = render(links_query(), engine.dialect, engine.source)
    engine.connection.execute(f"CREATE TEMP TABLE {table} AS {made}")
    try:
        yield table
    finally:
        engine.connection.execute(f"DROP TABLE IF EXISTS {table}")


def fetch_all(engine: Engine, queries: Sequence[str]) -> list[Rows]:
    """The rows of each query (built, not yet rendered), in order; identical ones run once."""
    distinct = list(dict.fromkeys(queries))
    fetched: dict[str, Rows] = {}
    with _shared_links(engine, len(distinct)) as table:
        for built in distinct:
            sql = render(built, engine.dialect, engine.source, links_table=table)
            fetched[built] = engine.fetch(sql)
    return [fetched[built] for built in queries]
