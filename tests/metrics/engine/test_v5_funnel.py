"""METRICS_SPEC §5, vector V5: funnels ordered, with an exclusion, strict and unordered."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from quarterdeck.metrics.engine import Engine, EventMatcher, Exclusion, Funnel, run
from quarterdeck.metrics.engine.definitions import FunnelMode
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import Row, track

T0 = datetime(2024, 1, 1, 0, 0)
A, B, C, X = (EventMatcher(name) for name in "ABCX")


def journey(who: str, *steps: tuple[str, float]) -> list[Row]:
    return [track(who, name, T0 + timedelta(days=day)) for name, day in steps]


def v5_rows() -> list[Row]:
    return [
        *journey("u1", ("A", 0), ("B", 1), ("C", 2)),
        *journey("u2", ("A", 0), ("C", 1), ("B", 2)),
        *journey("u3", ("A", 0), ("B", 8)),
        *journey("u4", ("B", 0), ("C", 1)),
        *journey("u5", ("A", 0), ("X", 0.5), ("B", 1), ("C", 2)),
    ]


def funnel(mode: FunnelMode = "ordered", exclusions: tuple[Exclusion, ...] = ()) -> Funnel:
    return Funnel(
        start=date(2024, 1, 1),
        end=date(2024, 1, 1),
        steps=(A, B, C),
        window=timedelta(days=7),
        mode=mode,
        exclusions=exclusions,
    )


@pytest.fixture
def v5(load: Load) -> Engine:
    return load(v5_rows())


@pytest.mark.parametrize(
    ("definition", "expected"),
    [
        (funnel("ordered"), [4, 3, 2]),
        (funnel("ordered", (Exclusion(X, 1, 2),)), [3, 2, 1]),
        (funnel("strict"), [4, 1, 1]),
        (funnel("unordered"), [5, 4, 3]),
    ],
    ids=["ordered", "exclusion", "strict", "unordered"],
)
def test_funnel(v5: Engine, definition: Funnel, expected: list[int]) -> None:
    result = run(definition, v5)
    assert result.counts() == expected
    assert [s.name for s in result.steps] == ["A", "B", "C"]
