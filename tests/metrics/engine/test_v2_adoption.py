"""METRICS_SPEC §2, vector V2: feature adoption (three denominators) and product adoption."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.metrics.engine import (
    Eligibility,
    EventMatcher,
    FeatureAdoption,
    Product,
    ProductAdoption,
    run,
)
from quarterdeck.metrics.engine.definitions import Denominator
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import Row, at, group, identify, track

JAN1, JAN31 = date(2024, 1, 1), date(2024, 1, 31)
EXPORT = EventMatcher("export_used")


def january() -> list[Row]:
    """5 active in January (u1-u5), 8 known by Jan 31 (+u6-u8), 4 eligible (pro): u1, u2 by
    their own plan, u3 through account acme, u6 (inactive). u8 becomes pro only in February."""
    return [
        identify("u1", at("2023-12-01"), traits={"plan": "pro"}),
        identify("u2", at("2024-01-03"), traits={"plan": "pro"}),
        group("u3", "acme", at("2023-12-05"), traits={"plan": "pro"}),
        identify("u4", at("2023-12-01"), traits={"plan": "free"}),
        identify("u6", at("2023-12-01"), traits={"plan": "pro"}),
        identify("u7", at("2024-01-10")),
        identify("u8", at("2023-12-01"), traits={"plan": "free"}),
        identify("u8", at("2024-02-02"), traits={"plan": "pro"}),
        identify("u9", at("2024-02-02"), traits={"plan": "pro"}),  # not known in January
        track("u1", "export_used", at("2024-01-05")),
        track("u2", "export_used", at("2024-01-06")),
        track("u2", "export_used", at("2024-01-07")),
        track("u3", "Page Viewed", at("2024-01-08")),
        track("u4", "export_used", at("2023-12-28")),  # before the period
        track("u4", "Page Viewed", at("2024-01-09")),
        track("u5", "Page Viewed", at("2024-01-10")),
    ]


@pytest.mark.parametrize(
    ("denominator", "expected"),
    [("active", (2, 5, 0.40)), ("eligible", (2, 4, 0.50)), ("all", (2, 8, 0.25))],
)
def test_feature_adoption(
    load: Load, denominator: Denominator, expected: tuple[int, int, float]
) -> None:
    adoption = run(
        FeatureAdoption(
            start=JAN1,
            end=JAN31,
            feature=EXPORT,
            denominator=denominator,
            eligibility=Eligibility(plans=("pro",)),
        ),
        load(january()),
    )
    ratio = adoption.get()
    assert (ratio.numerator, ratio.denominator, round(ratio.value, 4)) == expected


def march() -> list[Row]:
    """120 sign-ups in March (60 by trait, 60 by first event); 90 of them used the app source
    in March. Noise: February sign-ups active in March; a trait that dates a March newcomer to
    January; a March sign-up who uses the app only in April."""
    rows: list[Row] = []
    for n in range(120):
        who, day = f"m{n}", f"2024-03-{n % 28 + 1:02d}"
        if n % 2:
            rows.append(identify(who, at(day, 8), traits={"created_at": f"{day}T07:00:00Z"}))
        rows.append(track(who, "Signed In", at(day, 9)))
        if n < 90:
            rows.append(track(who, "Opened", at(day, 10), source="app"))
        elif n == 119:
            rows.append(track(who, "Opened", at("2024-04-02"), source="app"))
    for n in range(10):
        rows.append(track(f"f{n}", "Signed In", at("2024-02-10")))
        rows.append(track(f"f{n}", "Opened", at("2024-03-10"), source="app"))
    rows.append(identify("old", at("2024-03-03"), traits={"created_at": "2024-01-15T00:00:00Z"}))
    rows.append(track("old", "Opened", at("2024-03-03"), source="app"))
    return rows


def test_product_adoption(load: Load) -> None:
    adoption = run(
        ProductAdoption(
            start=date(2024, 3, 1), end=date(2024, 3, 31), product=Product("App", ("app",))
        ),
        load(march()),
    )
    ratio = adoption.get()
    assert (ratio.numerator, ratio.denominator, round(ratio.value, 4)) == (90, 120, 0.75)
