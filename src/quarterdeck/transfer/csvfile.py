"""The CSV format: one file per table (``teams.csv`` ... ``stage_changes.csv``), in a zip.

Cells are text. List cells (``teams``, ``target_segments``) separate items with ``;``; ``links``
are ``Label <https://...>`` items separated with ``;``; a backslash escapes ``;``, ``/`` and
itself. Row numbers count the header as row 1, as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

from quarterdeck.transfer.schema import (
    COLUMNS,
    ENTITIES,
    LINK_COLUMNS,
    LIST_COLUMNS,
    REQUIRED,
    FileProblem,
    Issue,
    Row,
)
from quarterdeck.transfer.text import (
    guard_cell,
    links_text,
    list_text,
    parse_links,
    split,
    unguard_cell,
)

FILES = {f"{entity}.csv": entity for entity in ENTITIES}


def cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in LINK_COLUMNS:
        return guard_cell(links_text(value))
    if column in LIST_COLUMNS:
        return guard_cell(list_text(value))
    return guard_cell(str(value))


def dump_table(entity: str, items: list[dict[str, Any]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS[entity])
    for item in items:
        writer.writerow([cell(column, item.get(column)) for column in COLUMNS[entity]])
    return out.getvalue()


def dump_zip(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entity in ENTITIES:
            archive.writestr(f"{entity}.csv", dump_table(entity, tables.get(entity, [])))
    return buffer.getvalue()


def entity_of(filename: str) -> str:
    """The table a file holds, by its name; a FileProblem for any other name."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base not in FILES:
        expected = ", ".join(FILES)
        raise FileProblem(
            [Issue(base, None, None, f"unknown file name; expected one of {expected}")]
        )
    return FILES[base]


def load_table(filename: str, text: str) -> list[Row]:
    entity = entity_of(filename)
    if not text.strip():
        raise FileProblem([Issue(filename, None, None, "the file is empty; expected a header row")])
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader)]
    _check_header(filename, entity, header)
    rows = []
    for index, cells in enumerate(reader):
        if not any(c.strip() for c in cells):
            continue  # spreadsheets leave blank rows at the end
        row = Row(entity, filename, index + 2)
        if len(cells) > len(header):
            row.values["__invalid__"] = f"this row has {len(cells)} cells, the header {len(header)}"
        row.values.update(_values(header, cells))
        rows.append(row)
    return rows


def _check_header(filename: str, entity: str, header: list[str]) -> None:
    known = COLUMNS[entity]
    problems = []
    if unknown := [name for name in header if name not in known]:
        problems.append(f"unknown column(s) {', '.join(map(repr, unknown))}")
    if missing := sorted(REQUIRED[entity] - set(header)):
        problems.append(f"missing column(s) {', '.join(missing)}")
    if dupes := sorted({name for name in header if header.count(name) > 1}):
        problems.append(f"repeated column(s) {', '.join(dupes)}")
    if problems:
        message = "; ".join(problems) + f"; expected the columns {', '.join(known)}"
        raise FileProblem([Issue(filename, 1, None, message)])


def _values(header: list[str], cells: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column, raw in zip(header, cells, strict=False):
        text = unguard_cell(raw)
        if column in LINK_COLUMNS:
            values[column] = parse_links(text)
        elif column in LIST_COLUMNS:
            values[column] = split(text, ";")
        else:
            values[column] = text
    return values
