"""§3 Retention: cohorts by the period of the start event, return rates for periods 0..N."""

from __future__ import annotations

from datetime import date, timedelta

from quarterdeck.metrics.engine import periods as cal
from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.base import base_ctes
from quarterdeck.metrics.engine.definitions import Retention
from quarterdeck.metrics.engine.queries.common import Rows, as_date, base_for, label
from quarterdeck.metrics.engine.results import Cohort, MeanRow, RetentionTable

SIZE = -1  # the n of the rows that carry cohort sizes


def _offset(cohort: str, later: str, grain: str) -> str:
    if grain == "month":
        return (
            f"(EXTRACT(YEAR FROM {later}) - EXTRACT(YEAR FROM {cohort})) * 12 "
            f"+ EXTRACT(MONTH FROM {later}) - EXTRACT(MONTH FROM {cohort})"
        )
    days = f"QD_DAYS_BETWEEN({cohort}, {later})"
    return days if grain == "day" else f"CAST({days} / 7 AS INTEGER)"


def _cohorts(d: Retention) -> str:
    start, period = q.matcher_sql(d.start_event), q.period("event_day", d.grain)
    in_range = q.between("event_day", d.start, d.end)
    if d.cohort_type == "recurring":
        return (
            f"cohorts AS (SELECT DISTINCT actor, bucket, {period} AS cohort FROM activity "
            f"WHERE ({start}) AND {in_range})"
        )
    if d.breakdown is None:
        # The first start event's day is the actor's earliest (from actor_periods): a GROUP BY
        # of a few rows per actor, not a window sort over every activity row.
        return (
            f"cohorts AS (SELECT actor, {q.text(q.ALL_BUCKET)} AS bucket, "
            f"{q.period('first_day', d.grain)} AS cohort FROM (SELECT actor, MIN(first_start) "
            "AS first_day FROM actor_periods GROUP BY actor) AS firsts "
            f"WHERE {q.between('first_day', d.start, d.end)})"
        )
    first = (
        "SELECT actor, bucket, event_day, ROW_NUMBER() OVER (PARTITION BY actor "
        f"ORDER BY time, event_id) AS qd_rank FROM activity WHERE {start}"
    )
    return (
        f"cohorts AS (SELECT actor, bucket, {period} AS cohort FROM ({first}) AS firsts "
        f"WHERE qd_rank = 1 AND {in_range})"
    )


def _by_periods(d: Retention) -> bool:
    return d.cohort_type != "recurring" and d.breakdown is None


def _actor_periods(d: Retention) -> str:
    """actor_periods: one row per actor and period with activity — the first start day in it,
    and whether a return event happened. Cohorts and returns both read it, so DuckDB keeps these
    few rows per actor rather than every activity row (which both would otherwise read)."""
    start, back = q.matcher_sql(d.start_event), q.matcher_sql(d.return_event)
    return (
        f"actor_periods AS (SELECT actor, {q.period('event_day', d.grain)} AS period, "
        f"MIN(CASE WHEN {start} THEN event_day END) AS first_start, "
        f"MAX(CASE WHEN {back} THEN 1 ELSE 0 END) AS returned FROM activity GROUP BY 1, 2)"
    )


def _periods_of(d: Retention) -> str:
    """Where returns come from: actor_periods, or (recurring, by breakdown) activity."""
    if _by_periods(d):
        return "actor_periods"
    period = q.period("event_day", d.grain)
    back = q.matcher_sql(d.return_event)
    return (
        f"(SELECT actor, {period} AS period, CASE WHEN {back} THEN 1 ELSE 0 END AS returned "
        "FROM activity) AS return_rows"
    )


def _retained(d: Retention) -> str:
    if d.mode == "on":
        return (
            "SELECT cohort, bucket, n, COUNT(DISTINCT actor) AS actors FROM offsets "
            f"WHERE n <= {d.periods} GROUP BY 1, 2, 3"
        )
    return (
        "SELECT reach.cohort, reach.bucket, ns.n, COUNT(*) AS actors FROM (SELECT cohort, "
        "bucket, actor, MAX(n) AS last_n FROM offsets GROUP BY 1, 2, 3) AS reach "
        "JOIN ns ON reach.last_n >= ns.n GROUP BY 1, 2, 3"
    )


def build(d: Retention, today: date) -> str:
    last_day = cal.shift(cal.period_start(d.end, d.grain), d.periods + 1, d.grain)
    first_day = d.start if d.cohort_type == "recurring" else None
    base = base_for(d, first_day, last_day - timedelta(days=1), activity_only=True)
    returns = (
        f"returns AS (SELECT DISTINCT actor, period FROM {_periods_of(d)} "
        f"WHERE returned = 1 AND period >= {q.day(cal.period_start(d.start, d.grain))})"
    )
    offsets = (
        "offsets AS (SELECT cohorts.cohort, cohorts.bucket, cohorts.actor, "
        f"{_offset('cohorts.cohort', 'returns.period', d.grain)} AS n FROM cohorts "
        "JOIN returns ON returns.actor = cohorts.actor AND returns.period >= cohorts.cohort)"
    )
    ns = q.values_cte("ns", ["n"], [[str(n)] for n in range(d.periods + 1)])
    periods = [_actor_periods(d)] if _by_periods(d) else []
    return q.with_query(
        [*base_ctes(base), *periods, _cohorts(d), returns, offsets, ns],
        f"SELECT * FROM (SELECT cohort, bucket, {SIZE} AS n, COUNT(*) AS actors FROM cohorts "
        f"GROUP BY 1, 2 UNION ALL {_retained(d)}) AS cells ORDER BY 1, 2, 3",
    )


def read(d: Retention, rows: Rows, today: date) -> RetentionTable:
    as_of = d.as_of or today
    cells = {(as_date(r[0]), label(d, r[1]), int(r[2])): int(r[3]) for r in rows}
    cohorts = []
    for (period, bucket, n), size in sorted(cells.items(), key=lambda c: (c[0][1] or "", c[0][0])):
        if n != SIZE:
            continue
        reached = [cal.shift(period, k, d.grain) <= as_of for k in range(d.periods + 1)]
        retained = tuple(
            cells.get((period, bucket, k), 0) if ok else None for k, ok in enumerate(reached)
        )
        cohorts.append(Cohort(period, size, retained, bucket))
    return RetentionTable(d.periods, tuple(cohorts), _means(d.periods, cohorts))


def _means(periods: int, cohorts: list[Cohort]) -> tuple[MeanRow, ...]:
    rows = []
    for bucket in dict.fromkeys(c.breakdown for c in cohorts):
        mine = [c for c in cohorts if c.breakdown == bucket]
        rates: list[float | None] = []
        for n in range(periods + 1):
            cells = [(c.retained[n], c.size) for c in mine if c.retained[n] is not None]
            total = sum(size for _, size in cells)
            rates.append(sum(r or 0 for r, _ in cells) / total if total else None)
        rows.append(MeanRow(tuple(rates), bucket))
    return tuple(rows)
