"""§1 Active users (DAU/WAU/MAU, stickiness) and the active-days histogram."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from statistics import fmean

from quarterdeck.metrics.engine import periods as cal
from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.base import base_ctes
from quarterdeck.metrics.engine.definitions import ActiveDaysHistogram, ActiveUsers
from quarterdeck.metrics.engine.queries.common import Rows, as_date, base_for, label, labels
from quarterdeck.metrics.engine.results import Bin, Histogram, Point, Series, ratio

MAU_DAYS = 30
WAU_DAYS = 7


def _actor_days(d: ActiveUsers | ActiveDaysHistogram, first_day: date) -> list[str]:
    base = base_ctes(base_for(d, first_day, d.end))
    return [
        *base,
        "actor_days AS (SELECT DISTINCT actor, event_day, bucket FROM activity "
        f"WHERE {q.all_of([q.between('event_day', first_day, d.end), *q.if_any(d.active_on)])})",
    ]


def build(d: ActiveUsers, today: date) -> str:
    if d.measure == "active":
        period = q.period("event_day", d.grain)
        return q.with_query(
            _actor_days(d, d.start),
            f"SELECT {period} AS period, bucket, COUNT(DISTINCT actor) AS actors "
            "FROM actor_days GROUP BY 1, 2 ORDER BY 1, 2",
        )
    window = "actor_days.event_day BETWEEN {lo} AND calendar.day".format(
        lo=q.add_days("calendar.day", 1 - MAU_DAYS)
    )
    calendar = q.values_cte("calendar", ["day"], [[q.day(x)] for x in cal.days(d.start, d.end)])
    week = q.add_days("calendar.day", 1 - WAU_DAYS)
    return q.with_query(
        [*_actor_days(d, d.start - timedelta(days=MAU_DAYS - 1)), calendar],
        "SELECT calendar.day, actor_days.bucket, "
        "COUNT(DISTINCT CASE WHEN actor_days.event_day = calendar.day "
        "THEN actor_days.actor END) AS dau, "
        f"COUNT(DISTINCT CASE WHEN actor_days.event_day >= {week} "
        "THEN actor_days.actor END) AS wau, "
        "COUNT(DISTINCT actor_days.actor) AS mau "
        f"FROM calendar JOIN actor_days ON {window} GROUP BY 1, 2 ORDER BY 1, 2",
    )


def _daily_value(measure: str, dau: int, wau: int, mau: int) -> float:
    return {
        "dau": float(dau),
        "wau": float(wau),
        "mau": float(mau),
        "stickiness": ratio(dau, mau),
        "wau_mau": ratio(wau, mau),
    }[measure]


def _read_active(d: ActiveUsers, rows: Rows) -> Series:
    counts = {(as_date(r[0]), label(d, r[1])): float(r[2]) for r in rows}
    points = [
        Point(p, counts.get((p, b), 0.0), b)
        for b in labels(d, rows, 1)
        for p in cal.periods(d.start, d.end, d.grain)
    ]
    return Series(d.measure, d.grain, tuple(points))


def read(d: ActiveUsers, rows: Rows, today: date) -> Series:
    if d.measure == "active":
        return _read_active(d, rows)
    daily = {(as_date(r[0]), label(d, r[1])): _daily_value(d.measure, *r[2:5]) for r in rows}
    grouped: dict[tuple[date, str | None], list[float]] = defaultdict(list)
    for bucket in labels(d, rows, 1):
        for day in cal.days(d.start, d.end):
            key = (cal.period_start(day, d.grain), bucket)
            grouped[key].append(daily.get((day, bucket), 0.0))
    points = [Point(p, fmean(values), b) for (p, b), values in grouped.items()]
    return Series(d.measure, d.grain, tuple(sorted(points, key=_point_order)))


def _point_order(p: Point) -> tuple[str, date]:
    return (p.breakdown or "", p.period)


def build_histogram(d: ActiveDaysHistogram, today: date) -> str:
    return q.with_query(
        _actor_days(d, d.start),
        f"SELECT active_periods, bucket, COUNT(*) AS actors FROM (SELECT actor, bucket, "
        f"COUNT(DISTINCT {q.period('event_day', d.grain)}) AS active_periods FROM actor_days "
        "GROUP BY actor, bucket) AS per_actor GROUP BY 1, 2 ORDER BY 1, 2",
    )


def read_histogram(d: ActiveDaysHistogram, rows: Rows, today: date) -> Histogram:
    bins = [Bin(int(r[0]), int(r[2]), label(d, r[1])) for r in rows]
    return Histogram(
        d.grain, tuple(sorted(bins, key=lambda b: (b.breakdown or "", b.active_periods)))
    )
