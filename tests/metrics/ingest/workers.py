"""Process targets for the concurrency tests: importable with few imports (spawned children
import this module, not the test module)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from quarterdeck.metrics.storage.compact import compact
from quarterdeck.metrics.storage.rows import EventRow, encode_row, micros
from quarterdeck.metrics.storage.spool import Spool

BASE = dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)


def row(event_id: str, *, day: int = 0, source: str = "1", received: int = 0) -> EventRow:
    return {
        "event_id": event_id,
        "source_id": source,
        "type": "track",
        "event": "Clicked",
        "user_id": "u1",
        "anonymous_id": None,
        "account_id": None,
        "time": micros(BASE + dt.timedelta(days=day)),
        "received_at": micros(BASE + dt.timedelta(days=day, seconds=received)),
        "properties": '{"n":1}',
        "traits": None,
    }


def write(root: str, worker: int, events: int, batch: int) -> None:
    """Append ``events`` rows in appends of ``batch``, each with a duplicate of another's row."""
    spool = Spool(Path(root))
    for start in range(0, events, batch):
        rows = [row(f"w{worker}-{n}", day=n % 3) for n in range(start, start + batch)]
        rows += [row(f"w{(worker + 1) % 4}-{start}", day=start % 3)]
        spool.append(b"".join(encode_row(r) for r in rows))


def compact_often(root: str, rounds: int) -> None:
    for _ in range(rounds):
        compact(Path(root))
