"""§5 Funnels: how far each actor gets from a step-1 event in the range, within the window.

ordered: for each step-1 event (an attempt) take, step by step, the earliest later event of the
next step within the window (earliest is optimal, so the attempt's depth is the best possible).
strict: the next step must be the actor's very next activity event. unordered: from any step
event, the number of distinct steps seen within the window. An actor's depth is their best
attempt; attempts with an exclusion event between the excluded steps do not count.
"""

from __future__ import annotations

from datetime import date, timedelta

from quarterdeck.metrics.engine import sqlparts as q
from quarterdeck.metrics.engine.base import base_ctes
from quarterdeck.metrics.engine.definitions import Exclusion, Funnel
from quarterdeck.metrics.engine.queries.common import Rows, base_for, label, labels
from quarterdeck.metrics.engine.results import FunnelResult, StepCount


def _within(column: str, start: str, seconds: int) -> str:
    return f"{column} <= {start} + INTERVAL '{seconds}' SECOND"


def _steps(d: Funnel) -> str:
    """steps(actor, bucket, time, event_day, seq, is_1..is_n): step events, one scan, with a
    0/1 flag per step they match (an event may match several steps)."""
    ranked = (
        "SELECT activity.*, ROW_NUMBER() OVER (PARTITION BY actor ORDER BY time, event_id) "
        "AS seq FROM activity"
    )
    tests = [q.matcher_sql(m) for m in d.steps]
    flags = ", ".join(f"CASE WHEN {t} THEN 1 ELSE 0 END AS is_{n}" for n, t in enumerate(tests, 1))
    return (
        f"sequenced AS ({ranked}), steps AS (SELECT actor, bucket, time, event_day, seq, {flags} "
        f"FROM sequenced WHERE {q.any_of(tests)})"
    )


def _chain(d: Funnel, seconds: int) -> list[str]:
    """attempt_k(actor, bucket, t1, s1, ..., tk, sk): the k-th step of each attempt (or NULL)."""
    ctes = [
        "attempt_1 AS (SELECT actor, bucket, time AS t1, seq AS s1 FROM steps "
        f"WHERE is_1 = 1 AND {q.between('event_day', d.start, d.end)})"
    ]
    for k in range(2, len(d.steps) + 1):
        known = ", ".join(f"a.t{i}, a.s{i}" for i in range(1, k))
        follows = (
            f"steps.seq = a.s{k - 1} + 1" if d.mode == "strict" else f"steps.time > a.t{k - 1}"
        )
        ctes.append(
            f"attempt_{k} AS (SELECT a.actor, a.bucket, {known}, MIN(steps.time) AS t{k}, "
            f"MIN(steps.seq) AS s{k} FROM attempt_{k - 1} AS a LEFT JOIN steps "
            f"ON steps.actor = a.actor AND steps.is_{k} = 1 AND {follows} "
            f"AND {_within('steps.time', 'a.t1', seconds)} GROUP BY a.actor, a.bucket, {known})"
        )
    return ctes


def _excluded(d: Funnel, exclusion: Exclusion, seconds: int) -> str:
    until = f"COALESCE(a.t{exclusion.to_step}, a.t1 + INTERVAL '{seconds}' SECOND)"
    return (
        f"SELECT a.actor, a.bucket, a.t1 FROM attempt_{len(d.steps)} AS a "
        f"JOIN (SELECT actor, time FROM sequenced WHERE {q.matcher_sql(exclusion.matcher)}) AS x "
        f"ON x.actor = a.actor AND x.time > a.t{exclusion.from_step} AND x.time < {until}"
    )


def _ordered(d: Funnel, seconds: int) -> list[str]:
    last = len(d.steps)
    depth = " ".join(f"WHEN a.t{k} IS NOT NULL THEN {k}" for k in range(last, 1, -1))
    ctes = _chain(d, seconds)
    exclusions = " UNION ".join(_excluded(d, x, seconds) for x in d.exclusions)
    ctes.append(
        f"excluded AS ({exclusions or 'SELECT actor, bucket, t1 FROM attempt_1 WHERE FALSE'})"
    )
    ctes.append(
        f"depths AS (SELECT a.actor, a.bucket, CASE {depth} ELSE 1 END AS depth "
        f"FROM attempt_{last} AS a LEFT JOIN excluded AS x ON x.actor = a.actor "
        "AND x.bucket = a.bucket AND x.t1 = a.t1 WHERE x.actor IS NULL)"
    )
    return ctes


def _unordered(d: Funnel, seconds: int) -> list[str]:
    distinct_steps = " + ".join(f"MAX(steps.is_{n})" for n in range(1, len(d.steps) + 1))
    return [
        "anchors AS (SELECT DISTINCT actor, bucket, time FROM steps "
        f"WHERE {q.between('event_day', d.start, d.end)})",
        f"depths AS (SELECT anchors.actor, anchors.bucket, {distinct_steps} AS depth "
        "FROM anchors JOIN steps ON steps.actor = anchors.actor AND steps.time >= anchors.time "
        f"AND {_within('steps.time', 'anchors.time', seconds)} "
        "GROUP BY anchors.actor, anchors.bucket, anchors.time)",
    ]


def build(d: Funnel, today: date) -> str:
    seconds = int(d.window.total_seconds())
    # Steps may complete after the range, within the window (+1 day for the partial day).
    last_day = d.end + timedelta(days=d.window.days + 1)
    base = base_for(d, d.start, last_day, activity_only=True)
    depths = _unordered(d, seconds) if d.mode == "unordered" else _ordered(d, seconds)
    return q.with_query(
        [*base_ctes(base), _steps(d), *depths],
        "SELECT bucket, depth, COUNT(*) AS actors FROM (SELECT actor, bucket, MAX(depth) AS depth "
        "FROM depths GROUP BY actor, bucket) AS best GROUP BY 1, 2 ORDER BY 1, 2",
    )


def read(d: Funnel, rows: Rows, today: date) -> FunnelResult:
    depths = {(label(d, r[0]), int(r[1])): int(r[2]) for r in rows}
    counts = []
    for bucket in labels(d, rows, 0):
        for step, matcher in enumerate(d.steps, start=1):
            reached = sum(n for (b, depth), n in depths.items() if b == bucket and depth >= step)
            counts.append(StepCount(step, matcher.name, reached, bucket))
    return FunnelResult(tuple(counts))
