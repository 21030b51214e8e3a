"""SQL text fragments in DuckDB's dialect. Every user value enters SQL through ``text``,
``number`` or ``day`` (quoted by SQLGlot); names are fixed or validated identifiers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlglot import exp

from quarterdeck.metrics.engine.matchers import Condition, EventMatcher

ALL_BUCKET = "(all)"
NONE_BUCKET = "(none)"


def text(value: str) -> str:
    return exp.Literal.string(value).sql(dialect="duckdb")


def number(value: float) -> str:
    return exp.Literal.number(value).sql(dialect="duckdb")


def day(value: date) -> str:
    return f"DATE '{value.isoformat()}'"


def timestamp(value: datetime) -> str:
    return f"TIMESTAMP '{value:%Y-%m-%d %H:%M:%S}'"


def json_text(column: str, key: str) -> str:
    return f"QD_JSON_TEXT({column}, {text(key)})"


def local_date(column: str, time_zone: str) -> str:
    if time_zone == "UTC":
        return f"QD_UTC_DATE({column})"
    return f"QD_LOCAL_DATE({column}, {text(time_zone)})"


def period(column: str, grain: str) -> str:
    return {"day": column, "week": f"QD_WEEK({column})", "month": f"QD_MONTH({column})"}[grain]


def add_days(column: str, days: int) -> str:
    return f"QD_ADD_DAYS({column}, {days})"


def in_list(values: Iterable[str]) -> str:
    return "(" + ", ".join(text(v) for v in values) + ")"


def _subject(condition: Condition) -> str:
    if condition.on == "column":
        return condition.key
    return json_text(condition.on, condition.key)


def condition_sql(c: Condition) -> str:
    x = _subject(c)
    if c.op in ("eq", "neq", "contains"):
        value = text(str(c.value))
        return {
            "eq": f"{x} = {value}",
            "neq": f"({x} IS NULL OR {x} <> {value})",
            "contains": f"STRPOS({x}, {value}) > 0",
        }[c.op]
    if c.op in ("in", "not_in"):
        values = in_list(c.value if isinstance(c.value, tuple) else ())
        return f"{x} IN {values}" if c.op == "in" else f"({x} IS NULL OR {x} NOT IN {values})"
    if c.op in ("gt", "gte", "lt", "lte"):
        sign = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[c.op]
        return f"QD_NUM({x}) {sign} {number(float(str(c.value)))}"
    return f"{x} IS NOT NULL" if c.op == "is_set" else f"{x} IS NULL"


def all_of(parts: Sequence[str]) -> str:
    return " AND ".join(f"({p})" for p in parts) if parts else "TRUE"


def any_of(parts: Sequence[str]) -> str:
    return " OR ".join(f"({p})" for p in parts) if parts else "TRUE"


def matcher_sql(m: EventMatcher | None) -> str:
    if m is None:
        return "TRUE"
    parts = [f"event = {text(m.event)}"] if m.event is not None else []
    parts += [f"type = {text(m.row_type)}"] if m.row_type is not None else []
    return all_of(parts + [condition_sql(c) for c in m.where])


def any_matcher(matchers: Sequence[EventMatcher]) -> str:
    return any_of([matcher_sql(m) for m in matchers])


def if_any(matchers: Sequence[EventMatcher]) -> list[str]:
    """The matchers as one OR condition, or nothing when there are none (everything matches)."""
    return [any_matcher(matchers)] if matchers else []


def between(column: str, first: date, last: date) -> str:
    return f"{column} BETWEEN {day(first)} AND {day(last)}"


def values_cte(name: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    body = ", ".join("(" + ", ".join(row) + ")" for row in rows)
    return f"{name} AS (SELECT * FROM (VALUES {body}) AS {name}_rows({', '.join(columns)}))"


def with_query(ctes: Sequence[str], final: str) -> str:
    return "WITH " + ",\n".join(ctes) + "\n" + final
