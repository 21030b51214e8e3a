"""`quarterdeck metrics warehouse check`: can the metrics read the configured events table?

Reads the table, then each canonical column through its mapping (one ``SELECT … LIMIT 0`` per
column, so an error names the column), then the column types, the row count, the time range and
the row types. Every query goes through the engine, so the check sees what the metrics see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from quarterdeck.metrics.engine.schema import ACTIVITY_TYPES, EVENT_COLUMNS, ROW_TYPES, Column
from quarterdeck.metrics.warehouse import WarehouseEngine, WarehouseError, current_config

if TYPE_CHECKING:
    from quarterdeck.metrics.engine import Engine

TYPE_OF: Final = {"duckdb": "typeof({})", "postgres": "pg_typeof({})::text", "spark": "typeof({})"}
_TEXT: Final = {
    "duckdb": {"VARCHAR"},
    "postgres": {"text", "character varying", "character"},
    "spark": {"string"},
}
_JSON: Final = {
    "duckdb": {"VARCHAR", "JSON"},
    "postgres": {"text", "character varying", "json", "jsonb"},
    "spark": {"string"},
}
_TIME: Final = {
    "duckdb": {"TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S"},
    "postgres": {"timestamp without time zone"},
    "spark": {"timestamp", "timestamp_ntz"},
}
_FIXES: Final = {
    "text": {
        "duckdb": "CAST({x} AS VARCHAR)",
        "postgres": "CAST({x} AS TEXT)",
        "spark": "CAST({x} AS STRING)",
    },
    "json": {"duckdb": "to_json({x})", "postgres": "CAST({x} AS TEXT)", "spark": "to_json({x})"},
    "time": {  # a time-zone-aware timestamp
        "duckdb": "{x} AT TIME ZONE 'UTC'",
        "postgres": "{x} AT TIME ZONE 'UTC'",
        "spark": "CAST({x} AS TIMESTAMP)",
    },
    "epoch": {  # a number: milliseconds since 1970 is the common case
        "duckdb": "epoch_ms({x})",
        "postgres": "to_timestamp({x} / 1000.0) AT TIME ZONE 'UTC'",
        "spark": "timestamp_millis({x})",
    },
}


@dataclass(frozen=True)
class ColumnCheck:
    name: str
    expression: str
    mapped: bool
    sql_type: str | None = None
    problem: str | None = None


@dataclass
class WarehouseCheck:
    where: str
    embedded: bool = False  # warehouse mode is off: the embedded store was checked
    columns: list[ColumnCheck] = field(default_factory=list)
    rows: int | None = None
    first: datetime | None = None
    last: datetime | None = None
    row_types: list[tuple[str | None, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(column.problem is None for column in self.columns)


def check_configured() -> WarehouseCheck:
    """Check the events table this instance is configured to read."""
    config = current_config()
    report = warehouse_check(WarehouseEngine(config), config.where())
    report.embedded = config.kind == "embedded"
    return report


def warehouse_check(engine: Engine, where: str) -> WarehouseCheck:
    """Check ``engine``'s source; never raises for a warehouse problem, reports it instead."""
    report = WarehouseCheck(where)
    table = engine.source.table
    error = _error(engine, f"SELECT * FROM {table} LIMIT 0")  # noqa: S608 - validated name
    if error:
        report.problems.append(f"Cannot read the table {table}: {error}")
        return report
    report.columns = [_column(engine, column) for column in EVENT_COLUMNS]
    if report.ok:
        _add_types(engine, report)
    if report.ok:
        _add_counts(engine, report)
    return report


def _error(engine: Engine, sql: str) -> str | None:
    try:
        engine.fetch(sql)
    except WarehouseError as exc:
        return _reason(exc)
    return None


def _reason(exc: WarehouseError) -> str:
    cause = exc.__cause__ or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:300]


def _column(engine: Engine, column: Column) -> ColumnCheck:
    expression = engine.source.mapping.expression(column.name)
    mapped = expression != column.name
    # No alias: DuckDB reads "SELECT event AS event" as a reference to the alias itself.
    sql = f"SELECT {expression} FROM {engine.source.table} LIMIT 0"  # noqa: S608
    error = _error(engine, sql)
    if error is None:
        return ColumnCheck(column.name, expression, mapped)
    hint = (
        f'set "{column.name}" in QUARTERDECK_EVENTS_MAPPING to the column or SQL expression '
        "that holds it"
    )
    if mapped:
        hint = f'fix "{column.name}" in QUARTERDECK_EVENTS_MAPPING'
    return ColumnCheck(column.name, expression, mapped, problem=f"{error} — {hint}.")


def _add_types(engine: Engine, report: WarehouseCheck) -> None:
    # The LEFT JOIN gives one row even for an empty table: the types are those of the expressions.
    type_of = TYPE_OF[engine.dialect]
    types = ", ".join(type_of.format(column.name) for column in EVENT_COLUMNS)
    sql = (
        f"SELECT {types} FROM (SELECT 1 AS one) AS one "  # noqa: S608 - validated names
        f"LEFT JOIN ({engine.source.select_sql()} LIMIT 1) AS src ON TRUE"
    )
    try:
        found = engine.fetch(sql)[0]
    except WarehouseError as exc:
        report.problems.append(f"Cannot read the column types: {_reason(exc)}")
        return
    report.columns = [
        _typed(check, column, str(sql_type), engine.dialect)
        for check, column, sql_type in zip(report.columns, EVENT_COLUMNS, found, strict=True)
    ]


def _typed(check: ColumnCheck, column: Column, sql_type: str, dialect: str) -> ColumnCheck:
    family = _family(column)
    allowed = {"text": _TEXT, "json": _JSON, "time": _TIME}[family][dialect]
    if sql_type in allowed:
        return ColumnCheck(check.name, check.expression, check.mapped, sql_type)
    what = {"text": "text", "json": "JSON text", "time": "a UTC timestamp without time zone"}
    number = family == "time" and "time" not in sql_type.lower()
    fix = _FIXES["epoch" if number else family][dialect].replace("{x}", check.expression)
    if number:
        fix += " (if it holds milliseconds since 1970)"
    problem = f"is {sql_type}, expected {what[family]}: map it as {fix}."
    return ColumnCheck(check.name, check.expression, check.mapped, sql_type, problem)


def _family(column: Column) -> str:
    if column.sql_type == "TIMESTAMP":
        return "time"
    return "json" if column.name in {"properties", "traits"} else "text"


def _add_counts(engine: Engine, report: WarehouseCheck) -> None:
    source = engine.source.select_sql()
    nulls = ", ".join(
        f"SUM(CASE WHEN {c.name} IS NULL THEN 1 ELSE 0 END)"
        for c in EVENT_COLUMNS
        if not c.nullable
    )
    try:
        total = engine.fetch(
            f"SELECT COUNT(*), MIN(time), MAX(time), {nulls} FROM ({source}) AS src"  # noqa: S608
        )[0]
        kinds = engine.fetch(
            f"SELECT type, COUNT(*) FROM ({source}) AS src "  # noqa: S608
            "GROUP BY type ORDER BY COUNT(*) DESC LIMIT 20"
        )
    except WarehouseError as exc:
        report.problems.append(f"Cannot count the rows: {_reason(exc)}")
        return
    report.rows, report.first, report.last = int(total[0]), total[1], total[2]
    report.row_types = [(kind, int(count)) for kind, count in kinds]
    _add_row_warnings(report, total[3:])


def _add_row_warnings(report: WarehouseCheck, null_counts: tuple[Any, ...]) -> None:
    required = [column.name for column in EVENT_COLUMNS if not column.nullable]
    for name, count in zip(required, null_counts, strict=True):
        if count:
            report.warnings.append(f"{int(count):,} rows have no {name}; they are not counted.")
    unknown = [(kind, count) for kind, count in report.row_types if kind not in ROW_TYPES]
    for kind, count in unknown:
        report.warnings.append(
            f"{count:,} rows have type {kind!r}, not one of {', '.join(ROW_TYPES)}: they are "
            'ignored (map "type" to an expression such as lower(…) or a CASE).'
        )
    if report.rows and not any(kind in ACTIVITY_TYPES for kind, _ in report.row_types):
        report.warnings.append("No track, page or screen rows: every activity metric will be 0.")
    if report.rows == 0:
        report.warnings.append("The table is empty: every metric will be 0.")
