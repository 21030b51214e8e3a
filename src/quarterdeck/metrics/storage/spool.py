"""The append path: every process writes received rows to a spool file of its own.

One write and one fsync per request, so a 2xx answer means the rows are on disk; no file is
shared between processes, so web workers never wait for each other. Compaction claims a file by
renaming it away (compact.claim); a writer holds a shared flock on its file while it writes and,
once it holds the lock, checks that the file still has its name — so after a claim (rename, then
an exclusive flock that waits for in-flight writes) no row lands in a claimed file.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from quarterdeck.metrics.engine.schema import EVENT_COLUMN_NAMES

SPOOL = "spool"
SUFFIX = ".ndjson"
ROTATE_BYTES = 64 * 1024 * 1024
HEADER = (json.dumps({"spool": 1, "columns": list(EVENT_COLUMN_NAMES)}) + "\n").encode()


def spool_dir(root: Path) -> Path:
    return root / SPOOL


def fsync_dir(path: Path) -> None:
    """Make a created, renamed or deleted directory entry durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


@dataclass
class OpenFile:
    path: Path
    fd: int
    size: int
    pid: int

    def still_named(self) -> bool:
        """Is the file still at its path (not claimed by a compaction)?"""
        try:
            return os.stat(self.path).st_ino == os.fstat(self.fd).st_ino
        except FileNotFoundError:
            return False


class Spool:
    """This process's writer for one events folder. Thread-safe; fork-safe (a child process
    opens files of its own)."""

    def __init__(self, root: Path, *, on_new_file: Callable[[], None] | None = None) -> None:
        self.folder = spool_dir(root)
        self.on_new_file = on_new_file
        self.mutex = threading.Lock()
        self.current: OpenFile | None = None
        self.counter = 0

    def append(self, data: bytes) -> None:
        """Append whole lines and fsync; on failure nothing of ``data`` stays in the file."""
        with self.mutex:
            while True:
                current = self._file()
                fcntl.flock(current.fd, fcntl.LOCK_SH)
                try:
                    if current.still_named():
                        self._write(current, data)
                        return
                finally:
                    fcntl.flock(current.fd, fcntl.LOCK_UN)
                self._close()  # claimed by a compaction: start a new file

    def _write(self, current: OpenFile, data: bytes) -> None:
        try:
            write_all(current.fd, data)
            os.fsync(current.fd)
        except OSError:
            os.ftruncate(current.fd, current.size)  # no torn line before the next append
            raise
        current.size += len(data)

    def _file(self) -> OpenFile:
        current = self.current
        if current is not None and (current.pid != os.getpid() or current.size > ROTATE_BYTES):
            self._close()
        if self.current is None:
            self.current = self._open()
            if self.on_new_file is not None:
                self.on_new_file()
        return self.current

    def _open(self) -> OpenFile:
        self.folder.mkdir(parents=True, exist_ok=True)
        pid = os.getpid()
        while True:
            self.counter += 1
            path = self.folder / f"{pid}-{self.counter}{SUFFIX}"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND, 0o600)
            except FileExistsError:
                continue  # left by an earlier process with the same pid
            write_all(fd, HEADER)
            os.fsync(fd)
            fsync_dir(self.folder)
            return OpenFile(path, fd, len(HEADER), pid)

    def _close(self) -> None:
        current, self.current = self.current, None
        if current is not None:
            os.close(current.fd)  # in a forked child this closes only the child's copy


_spools: dict[Path, Spool] = {}
_spools_lock = threading.Lock()


def spool_for(root: Path, *, on_new_file: Callable[[], None] | None = None) -> Spool:
    """The process-wide writer for an events folder."""
    with _spools_lock:
        spool = _spools.get(root)
        if spool is None:
            spool = _spools[root] = Spool(root, on_new_file=on_new_file)
        return spool


def backlog_bytes(root: Path) -> int:
    """Bytes of received rows not yet compacted (open, closed and claimed spool files)."""
    folder = spool_dir(root)
    if not folder.is_dir():
        return 0
    total = 0
    for entry in os.scandir(folder):
        if entry.is_file() and entry.name.endswith(SUFFIX):
            total += entry.stat().st_size
        elif entry.is_dir() and entry.name.startswith("batch-"):
            total += sum(f.stat().st_size for f in os.scandir(entry.path) if f.is_file())
    return total
