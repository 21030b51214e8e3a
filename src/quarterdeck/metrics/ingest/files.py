"""Reading event files: JSON lines (Segment-style messages), CSV and Parquet, record by record
with the record's number as a person would count it (line / row in the file)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("jsonl", "csv", "parquet")
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}
SUFFIXES |= {".parquet": "parquet", ".pq": "parquet"}


class FileProblem(Exception):
    """The file as a whole cannot be read (not one bad record)."""


@dataclass(frozen=True)
class BadRecord:
    reason: str


def file_format(path: Path, given: str | None) -> str:
    if given:
        if given not in FORMATS:
            raise FileProblem(f"Unknown format {given!r}; use one of {', '.join(FORMATS)}.")
        return given
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise FileProblem(
            f"Cannot tell the format of {path.name}; give --format jsonl|csv|parquet."
        )
    return found


def _jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except (ValueError, RecursionError) as exc:
                yield number, BadRecord(f"not valid JSON ({exc})")


def _csv(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise FileProblem(f"{path.name} has no header row.")
        for number, record in enumerate(reader, start=2):
            if None in record:
                yield number, BadRecord("more values than columns in the header")
            else:
                yield number, {k: (v if v != "" else None) for k, v in record.items()}


def _parquet(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FileProblem(f"{path.name} is not a Parquet file ({exc}).") from None
    number = 0
    for batch in parquet.iter_batches(batch_size=10_000):
        for record in batch.to_pylist():
            number += 1
            yield number, record


def records(path: Path, fmt: str, limit: int | None = None) -> Iterator[tuple[int, Any]]:
    """(number, record) pairs; a record is a dict, or a BadRecord for an unreadable line."""
    reader = {"jsonl": _jsonl, "csv": _csv, "parquet": _parquet}[fmt]
    try:
        for count, item in enumerate(reader(path), start=1):
            if limit is not None and count > limit:
                return
            yield item
    except UnicodeDecodeError as exc:
        raise FileProblem(f"{path.name} is not UTF-8 text ({exc.reason}).") from None
    except csv.Error as exc:
        raise FileProblem(f"{path.name}: {exc}") from None


def count_records(path: Path, fmt: str, limit: int | None = None) -> int:
    if fmt == "parquet":
        total = int(pq.ParquetFile(path).metadata.num_rows)
    else:
        total = sum(1 for _ in records(path, fmt))
    return min(total, limit) if limit is not None else total
