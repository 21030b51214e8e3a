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
# The extra column ``select_sql`` adds when the source has a day column (see dialects.render).
UTC_DAY_COLUMN: Final = "qd_utc_day"
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
    the first received copy of each event; leave it False for a warehouse table.

    ``day_column``: a column (or expression) holding each event's UTC calendar day as a DATE,
    such as the embedded store's ``date`` partition. Metrics in UTC read it instead of computing
    the day from ``time``, and the time range of a metric also filters it (whole partitions are
    skipped). None (a warehouse table): the day comes from ``time``."""

    table: str = EVENTS_TABLE
    mapping: ColumnMapping = field(default_factory=ColumnMapping)
    unique_events: bool = False
    day_column: str | None = None

    def __post_init__(self) -> None:
        if self.day_column is not None and not self.day_column.strip():
            raise DefinitionError("day_column", "the day column is an empty expression.")
        if not _TABLE_NAME.match(self.table):
            raise DefinitionError(
                "table", f"{self.table!r} is not a table name like 'events' or 'analytics.events'."
            )

    def select_sql(self) -> str:
        """The source as a SELECT of canonical columns, in the engine's dialect."""
        columns = ", ".join(
            f"{self.mapping.expression(name)} AS {name}" for name in EVENT_COLUMN_NAMES
        )
        if self.day_column is not None:
            columns += f", {self.day_column} AS {UTC_DAY_COLUMN}"
        return f"SELECT {columns} FROM {self.table}"
