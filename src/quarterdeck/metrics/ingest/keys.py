"""Write keys → sources, cached per process so the ingestion path needs no database query.

Every change to a source (create, edit, revoke, new key) touches a stamp file in the events
folder after it commits; a request that sees a new stamp drops the cache, so a revoked key is
refused from the next request on. The stamp is local to the machine: with web processes on
several machines (the events folder is per machine too) a cached entry also expires after
MAX_AGE_SECONDS.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from quarterdeck.metrics import selectors

STAMP = "sources.stamp"
MAX_AGE_SECONDS = 5.0
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class KeyInfo:
    source_id: int
    group_type: str
    revoked: bool


def stamp_path() -> Path:
    return Path(settings.EVENTS_DIR) / STAMP


def touch_stamp() -> None:
    """Tell every process on this machine that sources changed."""
    path = stamp_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    now = time.time_ns()
    os.utime(path, ns=(now, now))


def _stamp() -> int:
    try:
        return os.stat(stamp_path()).st_mtime_ns
    except FileNotFoundError:
        return 0


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: dict[str, KeyInfo | None] = {}
        self.stamp = -1
        self.loaded_at = 0.0

    def lookup(self, key: str) -> KeyInfo | None:
        stamp, now = _stamp(), time.monotonic()
        with self.lock:
            if stamp != self.stamp or now - self.loaded_at > MAX_AGE_SECONDS:
                self.entries, self.stamp, self.loaded_at = {}, stamp, now
            if key in self.entries:
                return self.entries[key]
        found = _load(key)
        with self.lock:
            if self.stamp == stamp and len(self.entries) < MAX_ENTRIES:
                self.entries[key] = found
        return found


def _load(key: str) -> KeyInfo | None:
    source = selectors.source_for_key(key)
    if source is None:
        return None
    return KeyInfo(source.pk, source.account_group_type, source.revoked_at is not None)


_cache = _Cache()


def source_of_key(key: str) -> KeyInfo | None:
    """The source a write key belongs to (revoked or not); None for an unknown key."""
    return _cache.lookup(key)
