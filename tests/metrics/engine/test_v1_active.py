"""METRICS_SPEC §1, vector V1: DAU/WAU/MAU, stickiness, active-days histogram — on every engine."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quarterdeck.metrics.engine import (
    ActiveDaysHistogram,
    ActiveUsers,
    Engine,
    Series,
    run,
    run_many,
)
from quarterdeck.metrics.engine.definitions import Measure
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import active_on

JAN = [date(2024, 1, d) for d in range(1, 8)]
JAN7 = date(2024, 1, 7)


def v1_rows() -> list[tuple[object, ...]]:
    return [
        *active_on("u1", JAN),
        *active_on("u2", [JAN[0], JAN[2], JAN[4]]),
        *active_on("u3", [JAN7]),
        *active_on("u4", [JAN[1], JAN7]),
        *active_on("u5", [date(2023, 12, 20)]),
    ]


@pytest.fixture
def v1(load: Load) -> Engine:
    return load(v1_rows())


def test_daily_active_users(v1: Engine) -> None:
    series = run(ActiveUsers(start=JAN[0], end=JAN7, measure="dau"), v1)
    assert [p.period for p in series.points] == JAN
    assert series.values() == [2, 2, 2, 1, 2, 1, 3]


def test_rolling_measures_on_jan_7(v1: Engine) -> None:
    measures: list[Measure] = ["dau", "wau", "mau", "stickiness", "wau_mau"]
    results = run_many([ActiveUsers(start=JAN7, end=JAN7, measure=m) for m in measures], v1)
    values = [round(r.values()[0], 4) for r in results if isinstance(r, Series)]
    assert dict(zip(measures, values, strict=True)) == {
        "dau": 3,
        "wau": 4,
        "mau": 5,
        "stickiness": 0.60,
        "wau_mau": 0.80,
    }


def test_average_stickiness_over_the_week(v1: Engine) -> None:
    series = run(ActiveUsers(start=JAN[0], end=JAN7, measure="stickiness", grain="week"), v1)
    assert [(p.period, round(p.value, 4)) for p in series.points] == [(JAN[0], 0.4667)]


def test_active_days_histogram(v1: Engine) -> None:
    histogram = run(ActiveDaysHistogram(start=JAN[0], end=JAN7), v1)
    assert histogram.as_dict() == {1: 1, 2: 1, 3: 1, 7: 1}


def test_days_without_activity_are_zero(v1: Engine) -> None:
    later = JAN7 + timedelta(days=40)
    series = run(ActiveUsers(start=later, end=later, measure="mau"), v1)
    assert series.values() == [0.0]
