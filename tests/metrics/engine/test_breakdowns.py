"""Breakdowns (by property, account, plan, product, feature), actor=account, grains, time zones."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.metrics.engine import (
    ActiveDaysHistogram,
    ActiveUsers,
    Breakdown,
    Condition,
    DuckDBEngine,
    Engine,
    EventMatcher,
    FeatureAdoption,
    Funnel,
    Lifecycle,
    Product,
    Retention,
    run,
)
from tests.metrics.engine.conftest import Load, duckdb_table
from tests.metrics.engine.events import Row, at, group, identify, track

JAN1, JAN2 = date(2024, 1, 1), date(2024, 1, 2)


def accounts_rows() -> list[Row]:
    """u1's events carry acme; u2 joins globex (after their events); u3 has no account."""
    return [
        track("u1", "Opened", at(JAN1), account="acme", props={"plan": "pro"}),
        track("u1", "Opened", at(JAN2), account="acme", props={"plan": "free"}),
        track("u2", "Opened", at(JAN1), props={"plan": "pro"}),
        track("u2", "Opened", at(JAN2)),
        group("u2", "globex", at("2024-01-05")),
        track("u3", "Opened", at(JAN2), source="app"),
        identify("u3", at("2023-12-01"), traits={"plan": "team"}),
    ]


@pytest.fixture
def accounts(load: Load) -> Engine:
    return load(accounts_rows())


def by(series_points: list[tuple[date, float, str | None]]) -> dict[tuple[str | None, date], float]:
    return {(b, p): v for p, v, b in series_points}


def test_breakdown_by_account(accounts: Engine) -> None:
    series = run(ActiveUsers(start=JAN1, end=JAN2, breakdown=Breakdown.by_account()), accounts)
    assert {b: series.values(b) for b in ("acme", "globex", "(none)")} == {
        "acme": [1, 1],
        "globex": [1, 1],  # the group call applies to events made before it
        "(none)": [0, 1],
    }


def test_breakdown_by_property(accounts: Engine) -> None:
    series = run(
        ActiveUsers(start=JAN1, end=JAN2, breakdown=Breakdown.by_property("plan")), accounts
    )
    assert {b: series.values(b) for b in ("pro", "free", "(none)")} == {
        "pro": [2, 0],
        "free": [0, 1],
        "(none)": [0, 2],
    }


def test_accounts_as_actors(accounts: Engine) -> None:
    histogram = run(ActiveDaysHistogram(start=JAN1, end=JAN2, actor="account"), accounts)
    assert histogram.as_dict() == {2: 2}  # acme and globex; u3 has no account


def test_breakdown_by_plan_product_and_feature() -> None:
    engine = DuckDBEngine(duckdb_table(accounts_rows()))
    plans = run(ActiveDaysHistogram(start=JAN1, end=JAN2, breakdown=Breakdown.by_plan()), engine)
    assert {b.breakdown: b.actors for b in plans.bins} == {"team": 1, "(none)": 2}
    products = Breakdown.by_products(Product("App", ("app",)), Product("Web", ("web",)))
    series = run(ActiveUsers(start=JAN2, end=JAN2, breakdown=products), engine)
    assert {p.breakdown: p.value for p in series.points} == {"App": 1, "Web": 2}
    pro = EventMatcher("Opened", where=(Condition("plan", "eq", "pro"),), label="Pro opens")
    series = run(ActiveUsers(start=JAN1, end=JAN1, breakdown=Breakdown.by_features(pro)), engine)
    assert {p.breakdown: p.value for p in series.points} == {"Pro opens": 2}


def test_adoption_and_funnel_breakdowns() -> None:
    engine = DuckDBEngine(duckdb_table(accounts_rows()))
    adoption = run(
        FeatureAdoption(
            start=JAN1,
            end=JAN2,
            feature=EventMatcher(where=(Condition("plan", "is_set"),)),
            breakdown=Breakdown.by_account(),
        ),
        engine,
    )
    assert {(r.breakdown, r.numerator, r.denominator) for r in adoption.ratios} == {
        ("acme", 1, 1),
        ("globex", 1, 1),
        ("(none)", 0, 1),
    }
    funnel = run(
        Funnel(
            start=JAN1,
            end=JAN2,
            steps=(EventMatcher("Opened"),) * 2,
            breakdown=Breakdown.by_account(),
        ),
        engine,
    )
    assert funnel.counts("acme") == [1, 1]
    assert funnel.counts("(none)") == [1, 0]


def weekly_rows() -> list[Row]:
    jan = [date(2024, 1, d) for d in (1, 3, 8, 9, 15, 31)]
    return [
        track("u1", "Opened", at(jan[0])),  # week 1
        track("u1", "Opened", at(jan[2])),  # week 2
        track("u2", "Opened", at(jan[1])),  # week 1
        track("u2", "Opened", at(jan[4])),  # week 3
        track("u3", "Opened", at(jan[3])),  # week 2
        track("u3", "Opened", at("2024-02-05")),  # February, week 6
    ]


def test_weekly_and_monthly_active_users() -> None:
    engine = DuckDBEngine(duckdb_table(weekly_rows()))
    weekly = run(
        ActiveUsers(start=JAN1, end=date(2024, 1, 21), measure="active", grain="week"), engine
    )
    assert [(p.period.day, p.value) for p in weekly.points] == [(1, 2), (8, 2), (15, 1)]
    monthly = run(
        ActiveUsers(start=JAN1, end=date(2024, 2, 29), measure="active", grain="month"), engine
    )
    assert [(p.period.month, p.value) for p in monthly.points] == [(1, 3), (2, 1)]
    average = run(ActiveUsers(start=JAN1, end=date(2024, 1, 14), grain="week"), engine)
    assert [round(v, 4) for v in average.values()] == [round(2 / 7, 4), round(2 / 7, 4)]


def test_a_range_starting_mid_week_labels_the_week_by_its_monday() -> None:
    engine = DuckDBEngine(duckdb_table(weekly_rows()))
    weekly = run(
        ActiveUsers(start=JAN2, end=date(2024, 1, 7), measure="active", grain="week"), engine
    )
    assert [(p.period, p.value) for p in weekly.points] == [(JAN1, 1)]  # u1's Jan 1 is outside


def test_weekly_retention_and_monthly_lifecycle() -> None:
    engine = DuckDBEngine(duckdb_table(weekly_rows()))
    table = run(
        Retention(
            start=JAN1,
            end=date(2024, 1, 14),
            start_event=EventMatcher("Opened"),
            periods=2,
            grain="week",
            as_of=date(2024, 1, 10),
        ),
        engine,
    )
    week1, week2 = table.cohorts
    assert (week1.period, week1.size, week1.retained) == (JAN1, 2, (2, 1, None))
    assert (week2.period, week2.size, week2.retained) == (date(2024, 1, 8), 1, (1, None, None))
    assert table.mean() == (1.0, 0.5, None)  # week 2's cohort has not reached period 1
    lifecycle = run(Lifecycle(start=JAN1, end=date(2024, 2, 29), grain="month"), engine)
    assert [(r.new, r.returning, r.resurrecting, r.dormant) for r in lifecycle.rows] == [
        (3, 0, 0, 0),
        (0, 1, 0, -2),
    ]


def test_month_boundary_in_the_workspace_zone() -> None:
    engine = DuckDBEngine(duckdb_table([track("u1", "Opened", at("2024-01-31", 23.5))]))
    berlin = ActiveUsers(
        start=JAN1,
        end=date(2024, 2, 29),
        measure="active",
        grain="month",
        time_zone="Europe/Berlin",
    )
    assert run(berlin, engine).values() == [0, 1]
