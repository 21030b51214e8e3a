"""Definition options beyond the vectors, export rows, and the engine's boundaries."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from typing import Any

from quarterdeck.metrics.engine import (
    ActiveDaysHistogram,
    ActiveUsers,
    Condition,
    DuckDBEngine,
    Eligibility,
    EventMatcher,
    FeatureAdoption,
    Lifecycle,
    Product,
    ProductAdoption,
    run,
)
from tests.metrics.engine.conftest import _postgres_loader, duckdb_table
from tests.metrics.engine.events import Row, at, track

JAN1, JAN2 = date(2024, 1, 1), date(2024, 1, 2)


def rows() -> list[Row]:
    return [
        track("u1", "Signed Up", at(JAN1), props={"product": "reports"}),
        track("u1", "Opened", at(JAN2), props={"product": "reports"}),
        track("u2", "Signed Up", at(JAN1)),
        track("u2", "Heartbeat", at(JAN2)),
        track("u3", "Heartbeat", at("2023-12-01")),
        track("u3", "Opened", at(JAN2), props={"product": "billing"}),
        track("u3", "$feature_flag_called", at(JAN1), props={"flag": "beta"}),
    ]


ENGINE = DuckDBEngine(duckdb_table(rows()))
HEARTBEAT = EventMatcher("Heartbeat")


def test_active_on_narrows_what_counts_as_active() -> None:
    opened = (EventMatcher("Opened"), EventMatcher("Signed Up"))
    series = run(ActiveUsers(start=JAN1, end=JAN2, active_on=opened), ENGINE)
    assert series.values() == [2, 2]  # u2's heartbeat on Jan 2 does not count
    lifecycle = run(Lifecycle(start=JAN2, end=JAN2, active_on=(HEARTBEAT,)), ENGINE)
    # u2 was created on Jan 1 (first event), so a first heartbeat on Jan 2 is not "new"
    assert [(r.new, r.resurrecting, r.dormant) for r in lifecycle.rows] == [(0, 1, 0)]


def test_filters_apply_to_every_event() -> None:
    reports = (Condition("product", "eq", "reports"),)
    histogram = run(ActiveDaysHistogram(start=JAN1, end=JAN2, filters=reports), ENGINE)
    assert histogram.to_rows() == [{"active_periods": 2, "breakdown": None, "actors": 1}]


def test_product_by_property_and_signup_event() -> None:
    reports = Product("Reports", where=(Condition("product", "eq", "reports"),))
    signed_up = ProductAdoption(
        start=JAN1, end=JAN2, product=reports, signup=EventMatcher("Signed Up")
    )
    assert run(signed_up, ENGINE).to_rows() == [
        {"breakdown": None, "numerator": 1, "denominator": 2, "adoption": 0.5}
    ]


def test_eligibility_by_flag_event() -> None:
    beta = Eligibility(
        matcher=EventMatcher("$feature_flag_called", where=(Condition("flag", "eq", "beta"),))
    )
    adoption = run(
        FeatureAdoption(
            start=JAN1,
            end=JAN2,
            feature=EventMatcher("Opened"),
            denominator="eligible",
            eligibility=beta,
        ),
        ENGINE,
    )
    assert (adoption.get().numerator, adoption.get().denominator) == (1, 1)


def test_the_engine_does_not_import_django() -> None:
    code = "import sys, quarterdeck.metrics.engine; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_postgres_session_time_zone_is_left_alone(postgres: Any) -> None:
    load, drop = _postgres_loader(postgres)
    try:
        postgres.execute("SET TIME ZONE 'Asia/Tokyo'")
        assert run(ActiveUsers(start=JAN1, end=JAN2), load(rows())).values() == [3, 3]
        assert postgres.execute("SHOW TIME ZONE").fetchone() == ("Asia/Tokyo",)
    finally:
        postgres.execute("RESET TIME ZONE")
        drop()
