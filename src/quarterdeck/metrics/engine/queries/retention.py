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
        # The first start event's day is the actor's earliest: a GROUP BY, not a window sort
        # over every activity row (most of a weekly retention's time on 10M events).
        return (
            f"cohorts AS (SELECT actor, {q.text(q.ALL_BUCKET)} AS bucket, "
            f"{q.period('first_day', d.grain)} AS cohort FROM (SELECT actor, MIN(event_day) "
            f"AS first_day FROM activity WHERE {start} GROUP BY actor) AS firsts "
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
    base = base_for(d, first_day, last_day - timedelta(days=1))
    returns = (
        f"returns AS (SELECT DISTINCT actor, {q.period('event_day', d.grain)} AS period "
        f"FROM activity WHERE ({q.matcher_sql(d.return_event)}) "
        f"AND event_day >= {q.day(cal.period_start(d.start, d.grain))})"
    )
    offsets = (
        "offsets AS (SELECT cohorts.cohort, cohorts.bucket, cohorts.actor, "
        f"{_offset('cohorts.cohort', 'returns.period', d.grain)} AS n FROM cohorts "
        "JOIN returns ON returns.actor = cohorts.actor AND returns.period >= cohorts.cohort)"
    )
    ns = q.values_cte("ns", ["n"], [[str(n)] for n in range(d.periods + 1)])
    return q.with_query(
        [*base_ctes(base), _cohorts(d), returns, offsets, ns],
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
