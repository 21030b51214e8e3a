"""METRICS_SPEC §3, vector V3: retention on / on-or-after, first-time vs recurring cohorts."""

from __future__ import annotations

from datetime import date

import pytest

from quarterdeck.metrics.engine import Engine, EventMatcher, Retention, run
from quarterdeck.metrics.engine.definitions import CohortType, RetentionMode
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import Row, at, track

JAN1 = date(2024, 1, 1)
START, RETURN = EventMatcher("Signed Up"), EventMatcher("Report Exported")
ON = [0.25, 0.50, 0.25, 0.00, 0.25, 0.00]
ON_OR_AFTER = [0.75, 0.75, 0.50, 0.25, 0.25, 0.00]


def returns(who: str, *days: int) -> list[Row]:
    return [track(who, "Report Exported", at(date(2024, 1, 1 + d))) for d in days]


def v3_rows() -> list[Row]:
    starts = [track(u, "Signed Up", at(JAN1, 9)) for u in ("u1", "u2", "u3", "u4")]
    return [*starts, *returns("u1", 1, 2, 3), *returns("u2", 2), *returns("u3", 5)]


def u5_rows() -> list[Row]:
    return [
        track("u5", "Signed Up", at("2023-12-28")),
        track("u5", "Signed Up", at(JAN1, 8)),
        *returns("u5", 1),
    ]


def retention(mode: RetentionMode = "on", cohort_type: CohortType = "first_time") -> Retention:
    return Retention(
        start=JAN1,
        end=JAN1,
        start_event=START,
        return_event=RETURN,
        periods=6,
        mode=mode,
        cohort_type=cohort_type,
        as_of=date(2024, 2, 1),
    )


@pytest.fixture
def v3(load: Load) -> Engine:
    return load(v3_rows())


@pytest.mark.parametrize(("mode", "expected"), [("on", ON), ("on_or_after", ON_OR_AFTER)])
def test_retention_by_mode(v3: Engine, mode: RetentionMode, expected: list[float]) -> None:
    table = run(retention(mode), v3)
    cohort = table.cohort(JAN1)
    assert cohort is not None
    assert cohort.size == 4
    assert [round(r or 0, 4) for r in cohort.rates[1:]] == expected
    assert [round(r or 0, 4) for r in table.mean()[1:]] == expected


@pytest.mark.parametrize(
    ("cohort_type", "size", "day1"), [("first_time", 4, 0.25), ("recurring", 5, 0.40)]
)
def test_cohort_type(load: Load, cohort_type: CohortType, size: int, day1: float) -> None:
    table = run(retention(cohort_type=cohort_type), load([*v3_rows(), *u5_rows()]))
    cohort = table.cohort(JAN1)
    assert cohort is not None
    assert (cohort.size, round(cohort.rates[1] or 0, 4)) == (size, day1)
