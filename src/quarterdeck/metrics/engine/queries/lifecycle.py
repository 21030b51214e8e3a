"""§4 Lifecycle: new / returning / resurrecting / dormant per period.

For an actor active in period p: returning if also active in p-1; else new if p is their first
active period and they were not created before p; else resurrecting (active before, or created
before). Dormant: active in p-1, not in p (reported negative).
"""

from __future__ import annotations

from datetime import date

from quarterdeck.metrics.engine import periods as cal
from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.base import base_ctes, created_cte
from quarterdeck.metrics.engine.definitions import Lifecycle
from quarterdeck.metrics.engine.queries.common import Rows, as_date, base_for, label, labels
from quarterdeck.metrics.engine.results import LifecycleRow, LifecycleTable

STATUSES = ("new", "returning", "resurrecting", "dormant")


def _current(grain: str) -> str:
    created = q.period("created.created_day", grain)
    return (
        "current AS (SELECT calendar.period, now.actor, now.bucket, CASE "
        "WHEN before.actor IS NOT NULL THEN 'returning' "
        f"WHEN firsts.first_period = calendar.period AND {created} >= calendar.period "
        "THEN 'new' ELSE 'resurrecting' END AS status FROM calendar "
        "JOIN actor_periods AS now ON now.period = calendar.period "
        "LEFT JOIN actor_periods AS before ON before.actor = now.actor "
        "AND before.bucket = now.bucket AND before.period = calendar.previous "
        "JOIN firsts ON firsts.actor = now.actor AND firsts.bucket = now.bucket "
        "JOIN created ON created.actor = now.actor)"
    )


DORMANT = (
    "dormant AS (SELECT calendar.period, before.actor, before.bucket, 'dormant' AS status "
    "FROM calendar JOIN actor_periods AS before ON before.period = calendar.previous "
    "LEFT JOIN actor_periods AS now ON now.actor = before.actor AND now.bucket = before.bucket "
    "AND now.period = calendar.period WHERE now.actor IS NULL)"
)


def build(d: Lifecycle, today: date) -> str:
    base = base_for(d, None, d.end)
    conditions = [f"event_day <= {q.day(d.end)}", *q.if_any(d.active_on)]
    periods = cal.periods(d.start, d.end, d.grain)
    calendar = q.values_cte(
        "calendar",
        ["period", "previous"],
        [[q.day(p), q.day(cal.previous_period(p, d.grain))] for p in periods],
    )
    return q.with_query(
        [
            *base_ctes(base),
            created_cte(base),
            f"actor_periods AS (SELECT DISTINCT actor, bucket, {q.period('event_day', d.grain)} "
            f"AS period FROM activity WHERE {q.all_of(conditions)})",
            "firsts AS (SELECT actor, bucket, MIN(period) AS first_period FROM actor_periods "
            "GROUP BY actor, bucket)",
            calendar,
            _current(d.grain),
            DORMANT,
        ],
        "SELECT period, bucket, status, COUNT(*) AS actors FROM (SELECT * FROM current "
        "UNION ALL SELECT * FROM dormant) AS statuses GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    )


def read(d: Lifecycle, rows: Rows, today: date) -> LifecycleTable:
    counts = {(as_date(r[0]), label(d, r[1]), str(r[2])): int(r[3]) for r in rows}
    table = []
    for bucket in labels(d, rows, 1):
        for period in cal.periods(d.start, d.end, d.grain):
            new, returning, resurrecting, dormant = (
                counts.get((period, bucket, s), 0) for s in STATUSES
            )
            table.append(LifecycleRow(period, new, returning, resurrecting, -dormant, bucket))
    return LifecycleTable(d.grain, tuple(table))
