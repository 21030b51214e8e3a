"""The result cache: an Engine wrapper that answers a query it has seen from the database.

A DuckDB scan of the demo's four million events takes seconds; a page reload should not pay it
again. The key is the engine's dialect, the SQL and the event store's *generation*:

- embedded store: the names, sizes and modification times of its Parquet files. Compaction
  writes new files (or replaces them), so newly arrived events change the key at once;
- warehouse mode: Quarterdeck cannot see when the company's table changes, so the generation is
  the current slice of ``WAREHOUSE_CACHE_SECONDS``: results are at most that old.

The raw rows the engine returned are stored (tagged JSON keeps dates and decimals as they
were), so the typed result is rebuilt by the same reader as on a miss. Old generations are never
asked for again; entries older than ``KEEP`` are deleted as new ones are written.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from quarterdeck.analytics.models import CachedResult
from quarterdeck.metrics.engine import Engine
from quarterdeck.metrics.engine.source import EventSource

WAREHOUSE_CACHE_SECONDS: Final = 300
KEEP: Final = dt.timedelta(days=2)
MAX_CACHED_ROWS: Final = 100_000  # bigger answers are recomputed rather than stored


def store_generation(events_dir: Path | None, *, now: float | None = None) -> str:
    """The event store's generation: its Parquet files (embedded), or the time slice of ``now``
    (default: the current time) when ``events_dir`` is None (warehouse mode)."""
    if events_dir is None:
        seconds = time.time() if now is None else now
        return f"slice-{int(seconds) // WAREHOUSE_CACHE_SECONDS}"
    digest = hashlib.sha256(str(events_dir.resolve()).encode())
    for path in sorted(events_dir.glob("date=*/*.parquet")):
        try:
            stat = path.stat()
        except FileNotFoundError:  # replaced by a compaction right now
            continue
        digest.update(
            f"{path.parent.name}/{path.name}:{stat.st_size}:{stat.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()


class CachedEngine:
    """An Engine that answers from the cache, and asks ``connect()``'s engine (made on the first
    miss) otherwise. The same SQL twice is fetched once. ``hits`` / ``misses`` count distinct
    queries; ``computed_at`` is the oldest answer handed out."""

    def __init__(
        self, connect: Callable[[], Engine], dialect: str, source: EventSource, generation: str
    ) -> None:
        self.connect = connect
        self.dialect = dialect
        self.source = source
        self.generation = generation
        self.hits = 0
        self.misses = 0
        self.computed_at: dt.datetime | None = None
        self._engine: Engine | None = None
        self._answers: dict[str, list[tuple[Any, ...]]] = {}

    def key(self, sql: str) -> str:
        text = f"{self.dialect}\x00{self.generation}\x00{sql}"
        return hashlib.sha256(text.encode()).hexdigest()

    def fetch(self, sql: str) -> list[tuple[Any, ...]]:
        if sql not in self._answers:
            self._answers[sql] = self._fetch(sql)
        return self._answers[sql]

    def _fetch(self, sql: str) -> list[tuple[Any, ...]]:
        key = self.key(sql)
        entry = CachedResult.objects.filter(key=key).first()
        if entry is not None:
            self.hits += 1
            self._seen(entry.computed_at)
            return decode(entry.rows)
        if self._engine is None:
            self._engine = self.connect()
        rows = self._engine.fetch(sql)
        self.misses += 1
        self._seen(_store(key, rows))
        return rows

    def _seen(self, at: dt.datetime) -> None:
        if self.computed_at is None or at < self.computed_at:
            self.computed_at = at

    @property
    def cached(self) -> bool:
        """Every answer came from the cache."""
        return self.hits > 0 and self.misses == 0


def _store(key: str, rows: list[tuple[Any, ...]]) -> dt.datetime:
    now = timezone.now()
    if len(rows) > MAX_CACHED_ROWS:
        return now
    try:
        text = encode(rows)
    except TypeError:  # a value the tagged JSON does not know: just not cached
        return now
    CachedResult.objects.filter(computed_at__lt=now - KEEP).delete()
    try:
        with transaction.atomic():  # another process may have stored the same key meanwhile
            CachedResult.objects.create(key=key, rows=text, computed_at=now)
    except IntegrityError:
        pass
    return now


def _tag(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, list | tuple):
        return [_tag(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


READERS: Final[dict[str, Callable[[str], Any]]] = {
    "$datetime": dt.datetime.fromisoformat,
    "$date": dt.date.fromisoformat,
    "$decimal": decimal.Decimal,
}


def _untag(value: Any) -> Any:
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        return READERS[tag](text)
    if isinstance(value, list):
        return [_untag(item) for item in value]
    return value


def encode(rows: list[tuple[Any, ...]]) -> str:
    return json.dumps([[_tag(value) for value in row] for row in rows], allow_nan=True)


def decode(text: str) -> list[tuple[Any, ...]]:
    return [tuple(_untag(value) for value in row) for row in json.loads(text)]
