"""Labelled CSV files for the evaluation, read with errors that name the file and the column.

The defaults are the files in ../shared/data; any file of the same shape can be given instead.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

BANKING = "banking77/train.csv"
JUDGEMENTS = "app-reviews-feature-linking/study2_feature_review_judgements_dev.csv"
BUGS = "bug-report-duplicates/SeaMonkey_bugs.csv"
BUG_PAIRS = "bug-report-duplicates/SeaMonkey_bugs-combined.csv"
YES = {"y", "yes", "1", "true", "relevant"}


class DataError(ValueError):
    """A data file that cannot be scored: the message names the file, column and what is there."""


@dataclass(frozen=True)
class Table:
    path: Path
    columns: list[str]
    rows: list[dict[str, str]]

    def column(self, name: str) -> list[str]:
        return [row[name] or "" for row in self.rows]

    def text(self, names: Sequence[str]) -> list[str]:
        """The named columns of each row joined by a new line (e.g. summary + description)."""
        return ["\n".join((row[n] or "").strip() for n in names).strip() for row in self.rows]


def read_table(path: Path, required: Sequence[str]) -> Table:
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = list(reader.fieldnames or [])
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from error
    except csv.Error as error:
        raise DataError(f"{path}: not a CSV file ({error})") from error
    missing = [c for c in required if c not in columns]
    if missing:
        raise DataError(
            f"{path}: no column {', '.join(map(repr, missing))}; "
            f"the columns are {', '.join(map(repr, columns)) or '(none)'}"
        )
    if not rows:
        raise DataError(f"{path}: no rows")
    return Table(path, columns, rows)


def split_columns(spec: str) -> list[str]:
    """'Summary,Description' → ['Summary', 'Description']."""
    return [c.strip() for c in spec.split(",") if c.strip()]


@dataclass(frozen=True)
class ThemeData:
    texts: list[str]
    labels: list[str]


def themes_data(path: Path, text: str, label: str, limit: int | None = None) -> ThemeData:
    table = read_table(path, [text, label])
    rows = [(t, lab) for t, lab in zip(table.column(text), table.column(label), strict=True) if t]
    if limit and limit < len(rows):  # spread evenly: files are often sorted by label
        rows = [rows[i] for i in np.linspace(0, len(rows) - 1, limit).astype(int)]
    return ThemeData([t for t, _ in rows], [lab for _, lab in rows])


@dataclass(frozen=True)
class LinkingData:
    texts: list[str]  # one per item
    features: list[str]  # distinct feature texts
    judged: list[tuple[int, int, bool]]  # (item, feature, relevant)


def linking_data(
    path: Path, text: str, feature: str, relevant: str, limit: int | None = None
) -> LinkingData:
    table = read_table(path, [text, feature, relevant])
    items: dict[str, int] = {}
    features: dict[str, int] = {}
    judged = []
    for row in table.rows:
        body, name = (row[text] or "").strip(), (row[feature] or "").strip()
        if not body or not name:
            continue
        if limit and body not in items and len(items) >= limit:
            continue
        i = items.setdefault(body, len(items))
        f = features.setdefault(name, len(features))
        judged.append((i, f, (row[relevant] or "").strip().lower() in YES))
    return LinkingData(list(items), list(features), judged)


@dataclass(frozen=True)
class DuplicateData:
    ids: list[str]
    texts: list[str]
    pairs: set[tuple[int, int]]  # (row, row) both ways, only reports present in the file


def duplicates_data(
    path: Path, pairs_path: Path, id_column: str, text: Sequence[str]
) -> DuplicateData:
    table = read_table(path, [id_column, *text])
    pair_table = read_table(pairs_path, [])
    if len(pair_table.columns) < 2:
        raise DataError(f"{pairs_path}: needs two columns (id, duplicate id)")
    ids = [i.strip() for i in table.column(id_column)]
    row_of = {i: r for r, i in enumerate(ids)}
    a, b = pair_table.columns[:2]
    pairs = set()
    for row in pair_table.rows:
        x, y = row_of.get((row[a] or "").strip()), row_of.get((row[b] or "").strip())
        if x is not None and y is not None and x != y:
            pairs |= {(x, y), (y, x)}
    return DuplicateData(ids, table.text(text), pairs)
