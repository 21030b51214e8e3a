"""The shape of an export: six tables of rows keyed by names, e-mails and paths, never by ids.

    teams          name, description
    people         name, email, title, function, level, manager, teams, location
    lines          parent, name, description, owner, stage, target_segments, links
    products       line, name, description, owner, stage, target_segments, links
    features       line, product, parent, name, kind, description, owner, stage, target_segments,
                   links
    stage_changes  item_type, item, from_stage, to_stage, at, reason

A person is named by e-mail address, or by name when they have none (``manager``, ``owner``).
A product line is named by its path from the top, ``Parent/Child`` (``line``, ``parent`` of a
line); an item in ``stage_changes`` by the path of its line, then product, then feature.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITIES = ("teams", "people", "lines", "products", "features", "stage_changes")

COMMON = ["description", "owner", "stage", "target_segments", "links"]
COLUMNS: dict[str, list[str]] = {
    "teams": ["name", "description"],
    "people": ["name", "email", "title", "function", "level", "manager", "teams", "location"],
    "lines": ["parent", "name", *COMMON],
    "products": ["line", "name", *COMMON],
    "features": ["line", "product", "parent", "name", "kind", *COMMON],
    "stage_changes": ["item_type", "item", "from_stage", "to_stage", "at", "reason"],
}
REQUIRED: dict[str, set[str]] = {
    "teams": {"name"},
    "people": {"name"},
    "lines": {"name"},
    "products": {"line", "name"},
    "features": {"line", "product", "name"},
    "stage_changes": {"item_type", "item", "to_stage", "at"},
}
LIST_COLUMNS = {"teams", "target_segments"}
LINK_COLUMNS = {"links"}


@dataclass(frozen=True)
class Issue:
    """One problem, located as precisely as known: file (or JSON section), row, column."""

    file: str
    row: int | None
    column: str | None
    message: str

    def where(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.message}"


@dataclass
class Row:
    entity: str
    file: str
    number: int
    values: dict[str, Any] = field(default_factory=dict)

    def issue(self, column: str | None, message: str) -> Issue:
        return Issue(self.file, self.number, column, message)


# The tables of an upload. A table that is not in the upload is not a key (an empty one is).
Tables = dict[str, list[Row]]


class FileProblem(Exception):
    """The file as a whole cannot be read (encoding, format, columns); nothing is imported."""

    def __init__(self, issues: list[Issue]) -> None:
        super().__init__("; ".join(str(issue) for issue in issues))
        self.issues = issues
