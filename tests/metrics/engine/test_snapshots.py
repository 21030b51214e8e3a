"""The generated SQL, per dialect, compared with files in snapshots/.

After an intended change, regenerate with ``QUARTERDECK_UPDATE_SNAPSHOTS=1 pytest <this file>``
and review the diff.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest

from quarterdeck.metrics.engine import (
    ActiveUsers,
    Breakdown,
    Condition,
    Definition,
    Eligibility,
    EventMatcher,
    Exclusion,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    Retention,
    compile_sql,
    run,
)
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import Row, at, identify, page, track

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("QUARTERDECK_UPDATE_SNAPSHOTS") == "1"
JAN1, JAN31 = date(2024, 1, 1), date(2024, 1, 31)

DEFINITIONS: dict[str, Definition] = {
    "stickiness_by_plan_new_york": ActiveUsers(
        start=JAN1,
        end=date(2024, 1, 3),
        measure="stickiness",
        time_zone="America/New_York",
        breakdown=Breakdown.by_property("plan"),
    ),
    "adoption_eligible": FeatureAdoption(
        start=JAN1,
        end=JAN31,
        feature=EventMatcher("export_used"),
        denominator="eligible",
        min_uses=2,
        eligibility=Eligibility(plans=("pro", "team")),
    ),
    "retention_weekly_on_or_after": Retention(
        start=JAN1,
        end=JAN31,
        start_event=EventMatcher("Signed Up"),
        grain="week",
        mode="on_or_after",
        periods=4,
        actor="account",
        as_of=JAN31,
    ),
    "lifecycle_monthly": Lifecycle(start=JAN1, end=date(2024, 3, 31), grain="month"),
    "funnel_strict_excluding": Funnel(
        start=JAN1,
        end=JAN31,
        mode="strict",
        window=timedelta(days=7),
        steps=(
            EventMatcher("A"),
            EventMatcher("B", where=(Condition("seats", "gt", 3),)),
            EventMatcher(row_type="page"),
        ),
        exclusions=(Exclusion(EventMatcher("X"), 1, 3),),
    ),
}


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "spark"])
@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_generated_sql(name: str, dialect: str) -> None:
    sql = compile_sql(DEFINITIONS[name], dialect, today=JAN31) + "\n"
    path = SNAPSHOTS / f"{name}.{dialect}.sql"
    if UPDATE or not path.exists():
        path.write_text(sql, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"wrote a new snapshot {path.name}: review it and run again")
    assert sql == path.read_text(encoding="utf-8"), (
        f"{path.name} changed; if intended, run with QUARTERDECK_UPDATE_SNAPSHOTS=1"
    )


def snapshot_rows() -> list[Row]:
    return [
        identify("u1", at(JAN1, 1), traits={"plan": "pro"}),
        track("u1", "Signed Up", at(JAN1, 2), account="acme"),
        track("u1", "A", at(JAN1, 3), props={"plan": "pro"}),
        track("u1", "B", at(JAN1, 4), props={"seats": 5}),
        page("u1", at(JAN1, 5)),
        track("u1", "export_used", at("2024-01-09")),
        track("u1", "export_used", at("2024-01-10")),
        track("u1", "Signed Up", at("2024-01-09"), account="acme"),
    ]


def test_the_snapshotted_queries_run(load: Load) -> None:
    """The snapshots are only compared as text; this runs each of them on every engine."""
    engine = load(snapshot_rows())
    results = {
        name: run(definition, engine, today=JAN31) for name, definition in DEFINITIONS.items()
    }
    assert results["funnel_strict_excluding"].to_rows()[-1]["count"] == 1
    assert results["adoption_eligible"].to_rows()[0]["adoption"] == 1.0
    assert results["retention_weekly_on_or_after"].to_rows()[0]["period_1"] == 1.0
    assert [r["new"] for r in results["lifecycle_monthly"].to_rows()] == [1, 0, 0]
    # In New York, u1's "A" (03:00 UTC) is on Dec 31: in January's MAU, not its DAU.
    sticky = {
        (r["period"], r["breakdown"]): r["stickiness"]
        for r in results["stickiness_by_plan_new_york"].to_rows()
    }
    assert (sticky[("2024-01-01", "(none)")], sticky[("2024-01-01", "pro")]) == (1.0, 0.0)
