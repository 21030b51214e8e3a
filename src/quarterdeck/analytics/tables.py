"""A result's rows as an HTML table: the text alternative of every chart, the same rows as the
CSV download and the API, with readable headers and numbers (ratios as percentages)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quarterdeck.metrics.engine.results import Row

HEADERS = {
    "period": "Period",
    "breakdown": "Breakdown",
    "dau": "DAU",
    "wau": "WAU",
    "mau": "MAU",
    "active": "Active users",
    "stickiness": "Stickiness",
    "wau_mau": "WAU/MAU",
    "numerator": "Users",
    "denominator": "Out of",
    "adoption": "Adoption",
    "cohort": "Cohort",
    "size": "Size",
    "new": "New",
    "returning": "Returning",
    "resurrecting": "Resurrecting",
    "dormant": "Dormant",
    "step": "Step",
    "name": "Name",
    "count": "Reached",
    "conversion": "From step 1",
    "active_periods": "Active periods",
    "actors": "Actors",
}
RATIOS = frozenset({"adoption", "conversion", "stickiness", "wau_mau"})
TEXT = frozenset({"period", "breakdown", "cohort", "name"})


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool


@dataclass(frozen=True)
class Table:
    columns: list[Column]
    rows: list[list[str]]

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Each row's values with whether the column is numeric (right-aligned)."""
        numeric = [column.numeric for column in self.columns]
        return [list(zip(row, numeric, strict=True)) for row in self.rows]


def _is_ratio(key: str) -> bool:
    return key in RATIOS or key.startswith("period_")


def _label(key: str) -> str:
    if key.startswith("period_"):
        return f"Period {key.removeprefix('period_')}"
    return HEADERS.get(key, key.replace("_", " ").capitalize())


def cell(key: str, value: object) -> str:
    """One value as shown: '—' for none, ratios as percentages, whole numbers without '.0'."""
    if value is None:
        return "—"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "Mean" if key == "cohort" and value == "mean" else str(value)
    if _is_ratio(key):
        return f"{value:.1%}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def table_of(rows: Sequence[Row], breakdown: str = "Breakdown") -> Table:
    """The rows' columns in order; the breakdown column (headed ``breakdown``: what it breaks
    down by) only when some row has a breakdown."""
    keys: list[str] = []
    for row in rows:
        keys += [key for key in row if key not in keys]
    if all(row.get("breakdown") is None for row in rows) and "breakdown" in keys:
        keys.remove("breakdown")
    labels = {"breakdown": breakdown}
    columns = [Column(key, labels.get(key) or _label(key), key not in TEXT) for key in keys]
    body = [[cell(key, row.get(key)) for key in keys] for row in rows]
    if breakdown == "Measure" and "breakdown" in keys:  # several measures: "dau" → "DAU"
        at = keys.index("breakdown")
        for line in body:
            line[at] = HEADERS.get(line[at], line[at])
    return Table(columns, body)
