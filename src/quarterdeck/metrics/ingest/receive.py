"""The ingestion service: one HTTP request of either wire format → rows in the spool, and an
answer that tells the sender the fate of every event.

- 200: every event is durably stored (written and fsynced before we answer).
- 207: the events not listed under ``rejected`` are stored; the listed ones were refused, each
  with its index and reason (and recorded as warnings on the source). Segment SDKs take 2xx as
  done; PostHog SDKs retry anything but 200 — harmless, the stored events are deduplicated.
- 400 / 413 / 415: nothing stored; the reason says why (every refused event is listed).
- 401: no write key, an unknown one or a revoked one.
- 429 + Retry-After: the backlog of uncompacted events is over its limit; nothing stored.
- 503 + Retry-After: the disk refused the write; nothing stored.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from quarterdeck.metrics import services
from quarterdeck.metrics.ingest import body, posthog, segment
from quarterdeck.metrics.ingest.common import Context, IngestError
from quarterdeck.metrics.ingest.keys import KeyInfo, source_of_key
from quarterdeck.metrics.ingest.wire import Converted
from quarterdeck.metrics.models import WarningKind
from quarterdeck.metrics.storage.spool import backlog_bytes

log = logging.getLogger(__name__)

SEGMENT_BATCH_BYTES = 500 * 1024
SEGMENT_EVENT_BYTES = 32 * 1024
POSTHOG_BODY_BYTES = 20 * 1024 * 1024
POSTHOG_EVENT_BYTES = 1024 * 1024
RETRY_AFTER_SECONDS = 10
BACKLOG_CACHE_SECONDS = 0.5


@dataclass(frozen=True)
class Incoming:
    """What the HTTP edge read from the request."""

    wire: str  # "segment" or "posthog"
    kind: str  # Segment: the message type or "batch"; PostHog: "capture"
    body: bytes
    authorization: str = ""
    content_encoding: str = ""
    content_type: str = ""
    compression: str = ""  # PostHog's ?compression=
    sent_at: str | None = None  # PostHog's ?_= (milliseconds), as ISO 8601

    @property
    def body_limit(self) -> int:
        return body_limit(self.wire, self.kind)


def body_limit(wire: str, kind: str) -> int:
    if wire == "posthog":
        return POSTHOG_BODY_BYTES
    return SEGMENT_BATCH_BYTES if kind == "batch" else SEGMENT_EVENT_BYTES


@dataclass
class Outcome:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def basic_user(authorization: str) -> str | None:
    """The user name of HTTP Basic credentials (Segment: the write key, no password)."""
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return decoded.partition(":")[0] or None


def _authenticate(key: str | None) -> KeyInfo:
    if key is None:
        raise IngestError(
            401,
            "unauthorized",
            "No write key: send it as the HTTP Basic user name, or as writeKey / api_key in "
            "the body.",
        )
    source = source_of_key(key)
    if source is None:
        raise IngestError(401, "unauthorized", "Unknown write key.")
    if source.revoked:
        services.warnings_record(
            source.source_id,
            [(WarningKind.REVOKED_KEY, "A request used the revoked write key.", "")],
        )
        raise IngestError(401, "unauthorized", "This write key was revoked; ask for a new one.")
    return source


_backlog: dict[str, tuple[float, int]] = {}


def _overloaded() -> bool:
    root = settings.EVENTS_DIR
    checked, size = _backlog.get(str(root), (0.0, 0))
    now = time.monotonic()
    if now - checked >= BACKLOG_CACHE_SECONDS:
        size = backlog_bytes(root)
        _backlog[str(root)] = (now, size)
    return size > settings.INGEST_MAX_BACKLOG_MB * 1024 * 1024


def _context(incoming: Incoming, source: KeyInfo, received_at: dt.datetime) -> Context:
    return Context(
        source_id=str(source.source_id),
        group_type=source.group_type,
        received_at=received_at,
        max_past=dt.timedelta(days=settings.INGEST_MAX_PAST_DAYS),
        max_event_bytes=POSTHOG_EVENT_BYTES if incoming.wire == "posthog" else SEGMENT_EVENT_BYTES,
    )


def _convert(incoming: Incoming, payload: Any, ctx: Context) -> Converted:
    if incoming.wire == "posthog":
        return posthog.convert(payload, ctx, incoming.sent_at)
    return segment.convert(payload, incoming.kind, ctx)


def _accept(incoming: Incoming, source: KeyInfo, payload: Any) -> Outcome:
    if _overloaded():
        raise IngestError(
            429,
            "overloaded",
            "Too many events are waiting to be stored; retry later.",
            WarningKind.OVERLOADED,
        )
    converted = _convert(incoming, payload, _context(incoming, source, services.now()))
    if converted.lines:
        try:
            services.events_append(b"".join(converted.lines))
        except OSError:
            log.exception("Could not write received events to the spool.")
            raise IngestError(
                503, "unavailable", "The events could not be written; retry later.", ""
            ) from None
    if converted.rejected:
        services.warnings_record(
            source.source_id,
            [(WarningKind.INVALID_EVENT, r.reason, r.sample) for r in converted.rejected],
        )
    return _answer(incoming.wire, converted)


def _answer(wire: str, converted: Converted) -> Outcome:
    if not converted.rejected:
        return Outcome(200, {"status": 1} if wire == "posthog" else {"success": True})
    stored = len(converted.lines)
    refused = len(converted.rejected)
    message = f"Stored {stored} of {converted.total} events; refused {refused} (see 'rejected')."
    rejected = [
        {"index": r.index, "id": r.event_id, "reason": r.reason} for r in converted.rejected
    ]
    status = 207 if stored else 400
    code = "partially_rejected" if stored else "invalid_events"
    return Outcome(status, _error_body(code, message, stored=stored, rejected=rejected))


def _error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    # "message" and "code" for Segment SDKs, "detail" for PostHog's, the same text in both.
    return {"success": False, "code": code, "message": message, "detail": message, **extra}


def _refused(exc: IngestError) -> Outcome:
    # No WWW-Authenticate on 401: a browser would answer it with a sign-in dialog.
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if exc.status in {429, 503} else {}
    return Outcome(exc.status, _error_body(exc.code, exc.message, stored=0), headers)


def events_receive(incoming: Incoming) -> Outcome:
    header_key = basic_user(incoming.authorization) if incoming.wire == "segment" else None
    source = None
    try:
        source = _authenticate(header_key) if header_key else None
        payload = body.decode(
            incoming.body,
            encoding=incoming.content_encoding,
            compression=incoming.compression,
            content_type=incoming.content_type,
            limit=incoming.body_limit,
        )
        if source is None:
            key_in = posthog.api_key_in if incoming.wire == "posthog" else segment.write_key_in
            source = _authenticate(key_in(payload))
        return _accept(incoming, source, payload)
    except IngestError as exc:
        if source is not None and exc.kind:
            services.warnings_record(source.source_id, [(exc.kind, exc.message, _sample(incoming))])
        return _refused(exc)


def _sample(incoming: Incoming) -> str:
    return incoming.body[:500].decode("utf-8", "replace")
