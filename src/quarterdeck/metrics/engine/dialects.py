"""One SQL, three engines. Queries are written once in DuckDB's dialect and transpiled by SQLGlot.

What SQLGlot cannot bridge (JSON access on text, dates in a time zone, Monday weeks, date
arithmetic, lenient number/timestamp parsing) is written as ``QD_*`` macro calls; ``MACROS`` holds
one small template per macro and dialect. Adding a dialect = one column in that table (plus an
Engine in engines.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal, get_args

import sqlglot
from sqlglot import exp

from quarterdeck.metrics.engine.source import UTC_DAY_COLUMN, EventSource

Dialect = Literal["duckdb", "postgres", "spark"]
DIALECTS: Final = get_args(Dialect)
SOURCE_CTE: Final = "src"
# base.py's deduplicating CTEs: SELECT * FROM (SELECT ..., qd_rank ...) WHERE qd_rank = 1
DEDUP_CTES: Final = ("dedup", "identity_rows")
LINKS_CTE: Final = "links"  # base.py: alias_id → linked_id, from identity_rows
BOUNDED_CTE: Final = "bounded"  # base.py: identity rows UNION ALL activity rows in a time range
RANK_COLUMN: Final = "qd_rank"
_ARG: Final = "qd_arg_"  # placeholder column names for macro arguments in templates

# A macro gets placeholder names for its arguments (to write a template) and the argument trees.
Macro = Callable[[list[str], list[exp.Expr]], str | exp.Expr]

_PG_NUMBER = "'^[[:space:]]*[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?[[:space:]]*$'"
_PG_ISO_DATE = "'^[0-9]{4}-[0-9]{2}-[0-9]{2}'"


def _key(raw: list[exp.Expr]) -> str:
    return raw[1].name  # the property name (a string literal, validated in matchers.py)


def _call(name: str, *args: exp.Expr) -> exp.Expr:
    # An anonymous call is emitted verbatim: SQLGlot would otherwise rewrite the JSON paths.
    return exp.Anonymous(this=name, expressions=list(args))


def _json_duckdb(_: list[str], raw: list[exp.Expr]) -> exp.Expr:
    path = '$."' + _key(raw) + '"'
    return _call("JSON_EXTRACT_STRING", raw[0], exp.Literal.string(path))


def _json_postgres(_: list[str], raw: list[exp.Expr]) -> exp.Expr:
    as_jsonb = exp.Cast(this=raw[0], to=exp.DataType.build("JSONB", dialect="postgres"))
    return _call("JSONB_EXTRACT_PATH_TEXT", as_jsonb, exp.Literal.string(_key(raw)))


def _json_spark(_: list[str], raw: list[exp.Expr]) -> exp.Expr:
    return _call("GET_JSON_OBJECT", raw[0], exp.Literal.string("$['" + _key(raw) + "']"))


def _local_date_sql(a: list[str], _: list[exp.Expr]) -> str:
    return f"CAST(({a[0]} AT TIME ZONE 'UTC') AT TIME ZONE {a[1]} AS DATE)"


MACROS: Final[dict[str, dict[str, Macro]]] = {
    # The UTC timestamp's calendar date. DuckDB: from the epoch, since casting a TIMESTAMPTZ
    # goes through ICU's calendar (8x slower; it was most of a DAU query's time).
    "QD_UTC_DATE": {
        "duckdb": lambda a, _: (
            f"(DATE '1970-01-01' + CAST(FLOOR(EPOCH_US({a[0]}) / 86400000000) AS INTEGER))"
        ),
        "postgres": lambda a, _: f"CAST({a[0]} AS DATE)",
        "spark": lambda a, _: f"CAST({a[0]} AS DATE)",
    },
    # The UTC timestamp's calendar date in an IANA zone.
    "QD_LOCAL_DATE": {
        "duckdb": _local_date_sql,
        "postgres": _local_date_sql,
        "spark": lambda a, _: f"CAST(FROM_UTC_TIMESTAMP({a[0]}, {a[1]}) AS DATE)",
    },
    # A JSON object stored as text → the value at a top-level key, as text (NULL if missing/null).
    "QD_JSON_TEXT": {
        "duckdb": _json_duckdb,
        "postgres": _json_postgres,
        "spark": _json_spark,
    },
    # Text → double, NULL when it is not a number.
    "QD_NUM": {
        "duckdb": lambda a, _: f"TRY_CAST({a[0]} AS DOUBLE)",
        "postgres": lambda a, _: (
            f"CASE WHEN {a[0]} ~ {_PG_NUMBER} THEN CAST({a[0]} AS DOUBLE PRECISION) END"
        ),
        "spark": lambda a, _: f"TRY_CAST({a[0]} AS DOUBLE)",
    },
    # ISO-8601 text → UTC timestamp (an offset is honoured; none means UTC), NULL if unreadable.
    "QD_PARSE_TS": {
        "duckdb": lambda a, _: f"TRY_CAST({a[0]} AS TIMESTAMPTZ) AT TIME ZONE 'UTC'",
        "postgres": lambda a, _: (
            f"CASE WHEN {a[0]} ~ {_PG_ISO_DATE} "
            f"THEN CAST({a[0]} AS TIMESTAMPTZ) AT TIME ZONE 'UTC' END"
        ),
        "spark": lambda a, _: f"TRY_CAST({a[0]} AS TIMESTAMP)",
    },
    # The Monday of the date's week; the first of its month.
    "QD_WEEK": {
        "duckdb": lambda a, _: f"CAST(DATE_TRUNC('week', {a[0]}) AS DATE)",
        "postgres": lambda a, _: f"CAST(DATE_TRUNC('week', CAST({a[0]} AS TIMESTAMP)) AS DATE)",
        "spark": lambda a, _: f"TRUNC({a[0]}, 'week')",
    },
    "QD_MONTH": {
        "duckdb": lambda a, _: f"CAST(DATE_TRUNC('month', {a[0]}) AS DATE)",
        "postgres": lambda a, _: f"CAST(DATE_TRUNC('month', CAST({a[0]} AS TIMESTAMP)) AS DATE)",
        "spark": lambda a, _: f"TRUNC({a[0]}, 'month')",
    },
    # date + n days (n may be negative) → date; whole days from a to b.
    "QD_ADD_DAYS": {
        "duckdb": lambda a, _: f"({a[0]} + {a[1]})",
        "postgres": lambda a, _: f"({a[0]} + {a[1]})",
        "spark": lambda a, _: f"DATE_ADD({a[0]}, {a[1]})",
    },
    "QD_DAYS_BETWEEN": {
        "duckdb": lambda a, _: f"DATE_DIFF('day', {a[0]}, {a[1]})",
        "postgres": lambda a, _: f"({a[1]} - {a[0]})",
        "spark": lambda a, _: f"DATEDIFF({a[1]}, {a[0]})",
    },
}


def _fill(template: str, raw: list[exp.Expr], dialect: str) -> exp.Expr:
    # Parse the template around placeholders, then graft the argument trees in: arguments are
    # never re-parsed, so SQLGlot cannot rewrite them (e.g. normalise a nested JSON path).
    tree = sqlglot.parse_one(template, read=dialect)

    def graft(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and not node.table and node.name.startswith(_ARG):
            return raw[int(node.name.removeprefix(_ARG))].copy()
        return node

    return tree.transform(graft)


def _expand(tree: exp.Expr, dialect: str) -> exp.Expr:
    def replace(node: exp.Expr) -> exp.Expr:
        name = node.name.upper() if isinstance(node, exp.Anonymous) else ""
        if name not in MACROS:
            return node
        raw = [_expand(arg, dialect) for arg in node.expressions]
        made = MACROS[name][dialect]([f"{_ARG}{n}" for n in range(len(raw))], raw)
        return made if isinstance(made, exp.Expr) else _fill(made, raw, dialect)

    return tree.transform(replace)


def _attach_source(tree: exp.Expr, source: EventSource, dialect: str) -> None:
    for cte in tree.find_all(exp.CTE):
        if cte.alias == SOURCE_CTE:
            cte.set("this", sqlglot.parse_one(source.select_sql(), read=dialect))
            if dialect != "spark":  # Spark always inlines and has no such clause
                # Read twice (identity rows, activity rows in range): never copy the table.
                cte.set("materialized", False)
            return
    raise AssertionError("the query has no source CTE")


def _cte(tree: exp.Expr, name: str) -> exp.CTE | None:
    return next((c for c in tree.find_all(exp.CTE) if c.alias == name), None)


def _skip_dedup(tree: exp.Expr) -> None:
    """``dedup`` and ``identity_rows`` keep the first-ranked row per event key; on a source that
    holds each event once, each becomes its inner filtered SELECT (no window over every row)."""
    for name in DEDUP_CTES:
        cte = _cte(tree, name)
        if cte is not None:
            inner = cte.this.find(exp.Subquery).this
            ranks = [e for e in inner.expressions if e.alias_or_name != RANK_COLUMN]
            cte.set("this", inner.select(*ranks, append=False))


def _read_day_column(tree: exp.Expr) -> None:
    """On a source with a UTC day column: ``QD_UTC_DATE(x.time)`` reads ``x.qd_utc_day``, and
    each midnight bound on ``time`` in ``bounded`` gets the same bound on the day (so a
    date-partitioned store skips whole partitions)."""

    def day_of(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Anonymous) and node.name.upper() == "QD_UTC_DATE":
            arg = node.expressions[0] if node.expressions else None
            if isinstance(arg, exp.Column) and arg.name == "time":
                return exp.column(UTC_DAY_COLUMN, table=arg.table or None)
        return node

    tree.transform(day_of, copy=False)
    bounded = _cte(tree, BOUNDED_CTE)
    for bound in list(bounded.find_all(exp.GTE, exp.LT)) if bounded is not None else []:
        if isinstance(bound.this, exp.Column) and bound.this.name == "time":
            moment = bound.expression.find(exp.Literal)
            if moment is not None and moment.name.endswith("00:00:00"):
                day = exp.cast(exp.Literal.string(moment.name[:10]), exp.DataType.Type.DATE)
                on_day = type(bound)(this=exp.column(UTC_DAY_COLUMN), expression=day)
                bound.replace(exp.paren(exp.and_(bound.copy(), on_day)))


def _read_links_from(tree: exp.Expr, table: str) -> None:
    """``links`` reads a table made beforehand from ``base.links_query`` (run_many)."""
    links = _cte(tree, LINKS_CTE)
    if links is not None:
        made = sqlglot.parse_one(f"SELECT alias_id, linked_id FROM {table}", read="duckdb")
        links.set("this", made)
        identity = _cte(tree, "identity_rows")
        if identity is not None:
            identity.pop()


def render(
    sql: str,
    dialect: str,
    source: EventSource,
    *,
    pretty: bool = True,
    links_table: str | None = None,
) -> str:
    """Transpile one query (DuckDB dialect with QD_* macros) for an engine. ``links_table``:
    the identity map was made beforehand into this table (see batch.py)."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown dialect {dialect!r}; use one of {DIALECTS}")
    tree = sqlglot.parse_one(sql, read="duckdb")
    if links_table is not None:
        _read_links_from(tree, links_table)
    _attach_source(tree, source, dialect)
    if source.unique_events:
        _skip_dedup(tree)
    if source.day_column is not None:
        _read_day_column(tree)
    return _expand(tree, dialect).sql(dialect=dialect, pretty=pretty)
