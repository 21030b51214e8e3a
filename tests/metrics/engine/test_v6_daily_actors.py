"""DailyActors: each day's distinct actors (per bucket), identity resolved as every metric does
(METRICS_SPEC §0) — on every engine; their union over 30 days is the engine's own MAU."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from quarterdeck.metrics.engine import (
    ActiveUsers,
    Breakdown,
    DailyActors,
    DefinitionError,
    Engine,
    EventMatcher,
    run,
)
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import active_on, at, identify, page, track

JAN = [date(2024, 1, d) for d in range(1, 8)]
SEARCH = EventMatcher(event="Search Used", label="search")
EXPORT = EventMatcher(event="Report Exported", label="export")


def rows() -> list[tuple[object, ...]]:
    return [
        *active_on("u1", JAN),
        *active_on("u2", [JAN[0], JAN[2]]),
        track("u1", "Search Used", at(JAN[1], 9)),
        track("u1", "Search Used", at(JAN[1], 10)),  # twice on one day: one actor-day
        track("u2", "Report Exported", at(JAN[1])),
        # Seen anonymously on Jan 3, identified on Jan 20: Jan 3 belongs to u9.
        page("anon-9", at(JAN[2]), anonymous=True),
        identify("u9", at(date(2024, 1, 20)), anon="anon-9"),
        *active_on("u5", [date(2023, 12, 20)]),  # before the range
    ]


@pytest.fixture
def engine(load: Load) -> Engine:
    return load(rows())


def test_each_days_distinct_actors_with_identity_resolved(engine: Engine) -> None:
    found = run(DailyActors(start=JAN[0], end=JAN[6]), engine)
    assert found.actors(JAN[0]) == {"u1", "u2"}
    assert found.actors(JAN[1]) == {"u1", "u2"}
    assert found.actors(JAN[2]) == {"u1", "u2", "u9"}
    assert found.actors(JAN[3]) == {"u1"}
    assert {a.day for a in found.rows} == set(JAN)  # nothing outside the range
    assert len(found.rows) == len({(a.day, a.actor) for a in found.rows})


def test_breakdown_and_active_on_keep_each_features_actors(engine: Engine) -> None:
    features = (SEARCH, EXPORT)
    found = run(
        DailyActors(
            start=JAN[0], end=JAN[6], active_on=features, breakdown=Breakdown.by_features(*features)
        ),
        engine,
    )
    assert [(a.day, a.breakdown, a.actor) for a in found.rows] == [
        (JAN[1], "export", "u2"),
        (JAN[1], "search", "u1"),
    ]


def test_the_union_of_30_days_is_the_engines_mau(engine: Engine) -> None:
    end = JAN[6]
    found = run(DailyActors(start=end - timedelta(days=29), end=end), engine)
    mau = run(ActiveUsers(start=end, end=end, measure="mau"), engine).values()[0]
    assert len({a.actor for a in found.rows}) == mau == 4  # u1, u2, u9 and u5 (Dec 20)


def test_a_bad_range_names_the_field() -> None:
    with pytest.raises(DefinitionError, match="end"):
        DailyActors(start=JAN[6], end=JAN[0])
