"""METRICS_SPEC §0, vector V0: identity, clock skew, time zone, idempotency — on every engine."""

from __future__ import annotations

from datetime import UTC, date, datetime

from quarterdeck.metrics.engine import (
    ActiveDaysHistogram,
    ActiveUsers,
    EventMatcher,
    FeatureAdoption,
    event_time,
    run,
)
from tests.metrics.engine.conftest import Load
from tests.metrics.engine.events import at, identify, page, track

JAN1, JAN2 = date(2024, 1, 1), date(2024, 1, 2)


def test_identify_links_anonymous_events_before_and_after(load: Load) -> None:
    engine = load(
        [
            track("a1", "Signed Up", at(JAN1, 10), anonymous=True),
            identify("u1", at(JAN2, 9), anon="a1"),
            track("u1", "Report Exported", at(JAN2, 9 + 5 / 60)),
            page("a2", at(JAN2, 12), anonymous=True),
        ]
    )
    dau = run(ActiveUsers(start=JAN1, end=JAN2, measure="dau"), engine)
    persons = run(ActiveDaysHistogram(start=JAN1, end=JAN2), engine)

    assert dau.values() == [1.0, 2.0]
    assert persons.total() == 2  # u1 (with a1's event) and a2
    assert persons.as_dict() == {1: 1, 2: 1}


def test_clock_skew_is_removed_from_the_event_time() -> None:
    sent, stamp, received = (
        datetime(2024, 1, 1, 0, m, s, tzinfo=UTC) for m, s in ((0, 10), (0, 0), (5, 10))
    )
    assert event_time(stamp, sent, received) == datetime(2024, 1, 1, 0, 5, 0, tzinfo=UTC)
    assert event_time(stamp, None, received) == stamp
    assert event_time(None, sent, received) == received


def test_naive_times_are_utc() -> None:
    naive = datetime(2024, 1, 1, 0, 0, 0)
    assert event_time(naive, None, naive) == naive.replace(tzinfo=UTC)


def test_workspace_time_zone_decides_the_day(load: Load) -> None:
    engine = load([track("u1", "Report Exported", at(JAN2, 3))])
    local = run(ActiveUsers(start=JAN1, end=JAN2, time_zone="America/New_York"), engine)
    assert local.values() == [1.0, 0.0]


def test_a_message_sent_twice_counts_once(load: Load) -> None:
    first = track("u1", "Report Exported", at(JAN1, 9), event_id="m-1")
    again = track("u1", "Report Exported", at(JAN1, 9), event_id="m-1", received=at(JAN1, 10))
    twice = [track("u2", "Report Exported", at(JAN1, h)) for h in (9, 10)]
    engine = load([first, again, *twice])
    adoption = run(
        FeatureAdoption(start=JAN1, end=JAN1, feature=EventMatcher("Report Exported"), min_uses=2),
        engine,
    )
    assert (adoption.get().numerator, adoption.get().denominator) == (1, 2)
