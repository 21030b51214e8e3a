"""Event time (METRICS_SPEC §0): Segment's clock-skew correction, and strict timestamp parsing."""

from __future__ import annotations

import datetime as dt


def event_time(
    *, received_at: dt.datetime, sent_at: dt.datetime | None, timestamp: dt.datetime | None
) -> dt.datetime:
    """time = receivedAt - (sentAt - timestamp) when both client times are known (the client's
    clock may be off, but the gap between its two readings is right); else the timestamp;
    else the time we received it."""
    if timestamp is None:
        return received_at
    if sent_at is None:
        return timestamp
    return received_at - (sent_at - timestamp)


def parse_timestamp(value: object) -> dt.datetime | None:
    """An ISO 8601 date-time as sent by the SDKs; naive values are UTC. None when absent.
    Raises ValueError with a reason for anything else."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError(f"expected an ISO 8601 date-time string, got {_shown(value)}")
    try:
        parsed = dt.datetime.fromisoformat(value)
        return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ValueError(f"{value!r} is not an ISO 8601 date-time") from None


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
