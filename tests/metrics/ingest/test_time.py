"""Event time (METRICS_SPEC §0): the clock-skew rule with the V0 numbers, and parsing."""

from __future__ import annotations

import datetime as dt

import pytest

from quarterdeck.metrics.ingest.time import event_time, parse_timestamp

DAY = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)


def at(hours: int, minutes: int, seconds: int) -> dt.datetime:
    return DAY.replace(hour=hours, minute=minutes, second=seconds)


def test_v0_skew_correction() -> None:
    """sentAt 00:00:10, timestamp 00:00:00, receivedAt 00:05:10 → event time 00:05:00."""
    moment = event_time(received_at=at(0, 5, 10), sent_at=at(0, 0, 10), timestamp=at(0, 0, 0))
    assert moment == at(0, 5, 0)


def test_without_sent_at_the_timestamp_is_trusted() -> None:
    assert event_time(received_at=at(0, 5, 10), sent_at=None, timestamp=at(0, 0, 0)) == at(0, 0, 0)


def test_without_timestamp_the_receive_time_is_used() -> None:
    assert event_time(received_at=at(0, 5, 10), sent_at=at(0, 0, 10), timestamp=None) == at(
        0, 5, 10
    )


def test_a_client_clock_a_year_fast_is_corrected() -> None:
    ahead = dt.timedelta(days=365)
    moment = event_time(
        received_at=at(12, 0, 0), sent_at=at(12, 0, 0) + ahead, timestamp=at(11, 0, 0) + ahead
    )
    assert moment == at(11, 0, 0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02T00:05:00Z", at(0, 5, 0)),
        ("2024-01-02T01:05:00+01:00", at(0, 5, 0)),
        ("2024-01-02T00:05:00.000Z", at(0, 5, 0)),
        ("2024-01-02 00:05:00", at(0, 5, 0)),  # naive: UTC
        (None, None),
        ("", None),
    ],
)
def test_parse_timestamp(text: str | None, expected: dt.datetime | None) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2024-13-01T00:00:00Z", 1704153600, ["x"], "9" * 70])
def test_parse_timestamp_refuses_anything_else_with_a_reason(bad: object) -> None:
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_timestamp(bad)
