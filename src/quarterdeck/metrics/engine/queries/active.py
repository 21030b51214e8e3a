"""§1 Active users (DAU/WAU/MAU, stickiness) and the active-days histogram."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
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
    base = base_ctes(base_for(d, first_day, d.end, activity_only=True))
    return [
        *base,
        "actor_days AS (SELECT DISTINCT actor, event_day, bucket FROM activity "
        f"WHERE {q.all_of([q.between('event_day', first_day, d.end), *q.if_any(d.active_on)])})",
    ]


def needs_wau(measure: str) -> bool:
    return measure in ("wau", "wau_mau")


def _spans(first_day: date, end: date, *, with_wau: bool) -> str:
    """Each active day of an actor (and bucket) counts in its WAU/MAU for the 7/30 days from it,
    up to the next active day: the spans are disjoint, so WAU/MAU are running sums of +1 at a
    span's start and -1 at its end. Rows: (day, bucket, dau, wau change, mau change) from
    ``first_day``; ``read`` adds the changes up. One sort instead of a 30-day range join.
    Without ``with_wau`` the WAU span ends are left out (a third fewer rows; WAU reads 0)."""
    spans = (
        "spans AS (SELECT event_day, bucket, LEAD(event_day) OVER (PARTITION BY actor, bucket "
        "ORDER BY event_day) AS next_day FROM actor_days)"
    )
    ends = [
        f"SELECT COALESCE(LEAST(next_day, {q.add_days('event_day', n)}), "
        f"{q.add_days('event_day', n)}) AS day, bucket, 0 AS dau, {w} AS wau, {m} AS mau "
        "FROM spans"
        for n, w, m in ((WAU_DAYS, -1, 0), (MAU_DAYS, 0, -1))
        if with_wau or n != WAU_DAYS
    ]
    edges = " UNION ALL ".join(
        ["SELECT event_day AS day, bucket, 1 AS dau, 1 AS wau, 1 AS mau FROM spans", *ends]
    )
    return (
        f"{spans}\nSELECT day, bucket, SUM(dau) AS dau, SUM(wau) AS wau, SUM(mau) AS mau "
        f"FROM ({edges}) AS edges WHERE {q.between('day', first_day, end)} "
        "GROUP BY 1, 2 ORDER BY 1, 2"
    )


def build(d: ActiveUsers, today: date, *, with_wau: bool | None = None) -> str:
    """``with_wau`` (default: whether the measure reads WAU) — run_many sets it for every
    measure of one scope alike, so they compile to one query."""
    if d.measure == "active":
        period = q.period("event_day", d.grain)
        return q.with_query(
            _actor_days(d, d.start),
            f"SELECT {period} AS period, bucket, COUNT(DISTINCT actor) AS actors "
            "FROM actor_days GROUP BY 1, 2 ORDER BY 1, 2",
        )
    if d.measure == "dau":  # no spans: a count per day, in the rows' shape (no WAU/MAU changes)
        return q.with_query(
            _actor_days(d, d.start),
            "SELECT event_day AS day, bucket, COUNT(*) AS dau, 0 AS wau, 0 AS mau "
            "FROM actor_days GROUP BY 1, 2 ORDER BY 1, 2",
        )
    first_day = d.start - timedelta(days=MAU_DAYS - 1)
    wau = needs_wau(d.measure) if with_wau is None else with_wau
    spans, final = _spans(first_day, d.end, with_wau=wau).split("\n", 1)
    return q.with_query([*_actor_days(d, first_day), spans], final)


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


def _daily(d: ActiveUsers, rows: Rows, bucket: str | None) -> Iterator[tuple[date, float]]:
    """(day, value) for each day of the range: WAU/MAU are the running sums of the changes."""
    changes = {as_date(r[0]): r[2:5] for r in rows if label(d, r[1]) == bucket}
    wau = mau = 0
    for day in cal.days(d.start - timedelta(days=MAU_DAYS - 1), d.end):
        dau, more_wau, more_mau = changes.get(day, (0, 0, 0))
        wau, mau = wau + int(more_wau), mau + int(more_mau)
        if day >= d.start:
            yield day, _daily_value(d.measure, int(dau), wau, mau)


def read(d: ActiveUsers, rows: Rows, today: date) -> Series:
    if d.measure == "active":
        return _read_active(d, rows)
    grouped: dict[tuple[date, str | None], list[float]] = defaultdict(list)
    for bucket in labels(d, rows, 1):
        for day, value in _daily(d, rows, bucket):
            grouped[(cal.period_start(day, d.grain), bucket)].append(value)
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
