"""Event time (METRICS_SPEC §0), shared with ingestion: Segment's clock-skew correction."""

from __future__ import annotations

from datetime import UTC, datetime


def _utc(moment: datetime) -> datetime:
    # A naive datetime is taken to be UTC: every time the engine stores is UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def event_time(
    timestamp: datetime | None, sent_at: datetime | None, received_at: datetime
) -> datetime:
    """When the event happened, as an aware UTC datetime.

    ``timestamp`` is the client's ``originalTimestamp`` (or ``timestamp``). With ``sent_at`` too,
    the client clock's offset (``sent_at`` vs ``received_at``) is removed:
    ``received_at - (sent_at - timestamp)``; without it the client time is trusted; without either,
    the receive time is used.
    """
    if timestamp is not None and sent_at is not None:
        return _utc(received_at) - (_utc(sent_at) - _utc(timestamp))
    if timestamp is not None:
        return _utc(timestamp)
    return _utc(received_at)
