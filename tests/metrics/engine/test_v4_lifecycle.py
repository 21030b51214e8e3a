"""METRICS_SPEC §4, vector V4: lifecycle (new, returning, resurrecting, dormant) by day."""

from __future__ import annotations

from datetime import date, timedelta

from quarterdeck.metrics.engine import Lifecycle, run
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import Row, active_on, at, identify

D0 = date(2024, 1, 1)


def d(n: int) -> date:
    return D0 + timedelta(days=n)


def v4_rows() -> list[Row]:
    """uA and uD are created by their first event; uB and uC by a created_at trait on an
    identify that arrives later than the creation it states."""
    return [
        *active_on("uA", [d(1), d(2)]),
        identify("uB", at(d(0), 8), traits={"created_at": f"{d(-30)}T10:00:00Z"}),
        *active_on("uB", [d(0), d(2)]),
        identify("uC", at(d(1), 8), traits={"createdAt": f"{d(-10)}T10:00:00+00:00"}),
        *active_on("uC", [d(1), d(2), d(3)]),
        *active_on("uD", [d(3)]),
    ]


def test_lifecycle(load: Load) -> None:
    table = run(Lifecycle(start=d(1), end=d(3)), load(v4_rows()))
    assert [(r.period, r.new, r.returning, r.resurrecting, r.dormant) for r in table.rows] == [
        (d(1), 1, 0, 1, -1),
        (d(2), 0, 2, 1, 0),
        (d(3), 1, 1, 0, -2),
    ]
