"""Where the events come from: a table (or view) and how its columns map to the canonical ones.

The embedded default is a table or view named ``events`` with exactly the canonical columns
(schema.py). Warehouse mode points at a company's own table: ``ColumnMapping`` gives, for any
canonical column, the source column or SQL expression (in the engine's own dialect) to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final

from quarterdeck.metrics.engine.matchers import DefinitionError
from quarterdeck.metrics.engine.schema import EVENT_COLUMN_NAMES, EVENTS_TABLE

# catalog.schema.table, plain identifiers only: table names end up in SQL text.
_TABLE_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$")


@dataclass(frozen=True)
class ColumnMapping:
    """Canonical column → source column name or SQL expression; unmapped columns keep their name."""

    columns: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        for canonical, expression in self.columns:
            if canonical not in EVENT_COLUMN_NAMES:
                raise DefinitionError(
                    "mapping", f"{canonical!r} is not a canonical column ({EVENT_COLUMN_NAMES})."
                )
            if not expression.strip():
                raise DefinitionError("mapping", f"{canonical!r} maps to an empty expression.")

    @classmethod
    def of(cls, **columns: str) -> ColumnMapping:
        return cls(tuple(columns.items()))

    def expression(self, canonical: str) -> str:
        return dict(self.columns).get(canonical, canonical)


@dataclass(frozen=True)
class EventSource:
    """``unique_events``: the table holds each (source_id, event_id) once, so queries skip the
    dedup pass (METRICS_SPEC §0 idempotency). True for the embedded store, whose compaction keeps
    the first received copy of each event; leave it False for a warehouse table."""

    table: str = EVENTS_TABLE
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    unique_events: bool = False

    def __post_init__(self) -> None:
        if not _TABLE_NAME.match(self.table):
            raise DefinitionError(
                "table", f"{self.table!r} is not a table name like 'events' or 'analytics.events'."
            )

    def select_sql(self) -> str:
        """The source as a SELECT of canonical columns, in the engine's dialect."""
        columns = ", ".join(
            f"{self.mapping.expression(name)} AS {name}" for name in EVENT_COLUMN_NAMES
        )
        return f"SELECT {columns} FROM {self.table}"
