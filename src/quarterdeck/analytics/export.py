"""CSV of insight results: the one writer behind the page's download, the API and the CLI, so
all three give the same file."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Final

# A spreadsheet runs a cell that starts with one of these as a formula. Labels come from event
# properties anyone with a write key can send, so such text is quoted with a leading apostrophe
# (OWASP's advice for CSV injection); numbers, including negative ones, are written as they are.
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def rows_csv(rows: Sequence[Mapping[str, object]]) -> str:
    """Rows (``result.to_rows()``) as CSV with a header; columns in first-seen order, missing
    values and None as empty cells. No rows: an empty string."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    if not columns:
        return ""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in columns])
    return buffer.getvalue()
