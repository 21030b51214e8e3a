"""The Segment HTTP Tracking API: /v1/track, identify, group, page, screen, alias and batch
(analytics.js's short paths /v1/t, /i, /g, /p, /s, /a, /b too) → canonical rows.

Row mapping (engine/schema.py): track → its event; page → its name or "Page Viewed"; screen →
"Screen Viewed" (the name stays in properties); identify: user_id ← userId, anonymous_id ←
anonymousId, traits; group: account_id ← groupId, traits; alias: user_id ← userId,
anonymous_id ← previousId. Activity rows carry account_id ← context.groupId.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from quarterdeck.metrics.ingest.common import (
    Context,
    IngestError,
    Reject,
    checked_time,
    derived_id,
    finish,
    ident,
    json_text,
    name_text,
    obj,
    timestamp,
)
from quarterdeck.metrics.ingest.wire import Converted, convert_all
from quarterdeck.metrics.storage.rows import EventRow

TYPES = ("track", "identify", "group", "page", "screen", "alias")
PATHS = {
    **{kind: kind for kind in (*TYPES, "batch")},
    **{"t": "track", "i": "identify", "g": "group", "p": "page", "s": "screen", "a": "alias"},
    "b": "batch",
    "import": "batch",
}
MAX_BATCH_EVENTS = 2500
NOT_HASHED = ("sentAt", "writeKey", "receivedAt")


def write_key_in(payload: Any) -> str | None:
    value = payload.get("writeKey") if isinstance(payload, dict) else None
    return value if isinstance(value, str) and value else None


def messages(payload: Any, kind: str) -> tuple[list[Any], dict[str, Any]]:
    """The messages of a request and the batch-level fields (sentAt, context)."""
    if not isinstance(payload, dict):
        raise IngestError(400, "invalid_body", "The body must be a JSON object.")
    if kind != "batch":
        return [{**payload, "type": kind}], {}
    batch = payload.get("batch")
    if not isinstance(batch, list):
        raise IngestError(400, "invalid_body", "A batch body needs a 'batch' list of messages.")
    if len(batch) > MAX_BATCH_EVENTS:
        raise IngestError(
            413,
            "too_many_events",
            f"The batch has {len(batch):,} messages; at most {MAX_BATCH_EVENTS:,} per request.",
            "too_large",
        )
    return batch, payload


def _ids(msg: dict[str, Any]) -> tuple[str | None, str | None]:
    user_id = ident(msg.get("userId"), "userId")
    anonymous_id = ident(msg.get("anonymousId"), "anonymousId")
    if user_id is None and anonymous_id is None:
        raise Reject("the message has neither a userId nor an anonymousId")
    return user_id, anonymous_id


@dataclass(frozen=True)
class Shared:
    """The batch-level fields every message inherits, read once per request."""

    sent_at: dt.datetime | None = None
    group_id: str | None = None
    problem: str | None = None  # a bad batch-level field: every message is refused with it

    @classmethod
    def of(cls, batch: dict[str, Any]) -> Shared:
        try:
            context = obj(batch.get("context"), "context") or {}
            return cls(
                timestamp(batch.get("sentAt"), "sentAt"),
                ident(context.get("groupId"), "context.groupId"),
            )
        except Reject as refusal:
            return cls(problem=f"the batch's {refusal.reason}")


def _time(msg: dict[str, Any], shared: Shared, ctx: Context) -> int:
    stamp = timestamp(msg.get("originalTimestamp"), "originalTimestamp") or timestamp(
        msg.get("timestamp"), "timestamp"
    )
    sent_at = timestamp(msg["sentAt"], "sentAt") if "sentAt" in msg else shared.sent_at
    return checked_time(ctx, stamp, sent_at)


def _event_name(kind: str, msg: dict[str, Any]) -> str | None:
    if kind == "track":
        event = name_text(msg.get("event"), "event")
        if event is None:
            raise Reject("a track message needs an 'event' name")
        return event
    if kind == "page":
        return name_text(msg.get("name"), "name") or "Page Viewed"
    return "Screen Viewed" if kind == "screen" else None


def _properties(kind: str, msg: dict[str, Any]) -> dict[str, Any] | None:
    properties = obj(msg.get("properties"), "properties")
    if kind in {"page", "screen"}:
        extra = {k: msg[k] for k in ("name", "category") if isinstance(msg.get(k), str)}
        if extra:
            return {**extra, **(properties or {})}
    return properties


def _account(kind: str, msg: dict[str, Any], shared: Shared) -> str | None:
    if kind == "group":
        group_id = ident(msg.get("groupId"), "groupId")
        if group_id is None:
            raise Reject("a group message needs a groupId")
        return group_id
    context = obj(msg.get("context"), "context")
    if context is not None and "groupId" in context:
        return ident(context["groupId"], "context.groupId")
    return shared.group_id  # the batch's context applies to every message


def _linked(kind: str, msg: dict[str, Any]) -> tuple[str | None, str | None]:
    """(user_id, anonymous_id) of the row."""
    if kind != "alias":
        return _ids(msg)
    user_id = ident(msg.get("userId"), "userId")
    previous_id = ident(msg.get("previousId"), "previousId")
    if user_id is None or previous_id is None:
        raise Reject("an alias message needs both a userId and a previousId")
    return user_id, previous_id


def message_row(msg: Any, shared: Shared, ctx: Context) -> bytes:
    if shared.problem is not None:
        raise Reject(shared.problem)
    if not isinstance(msg, dict):
        raise Reject(f"a message must be a JSON object, got {type(msg).__name__}")
    kind = msg.get("type")
    if kind not in TYPES:
        raise Reject(f"unknown message type {kind!r}; expected one of {', '.join(TYPES)}")
    event_id = ident(msg.get("messageId"), "messageId") or derived_id(msg, NOT_HASHED)
    user_id, anonymous_id = _linked(kind, msg)
    traits = obj(msg.get("traits"), "traits") if kind in {"identify", "group"} else None
    row: EventRow = {
        "event_id": event_id,
        "source_id": ctx.source_id,
        "type": kind,
        "event": _event_name(kind, msg),
        "user_id": user_id,
        "anonymous_id": anonymous_id,
        "account_id": _account(kind, msg, shared),
        "time": _time(msg, shared, ctx),
        "received_at": ctx.received_at_us,
        "properties": json_text(_properties(kind, msg)),
        "traits": json_text(traits),
    }
    return finish(row, ctx)


def convert(payload: Any, kind: str, ctx: Context) -> Converted:
    batch, meta = messages(payload, kind)
    shared = Shared.of(meta)
    return convert_all(batch, lambda msg: message_row(msg, shared, ctx), _message_id)


def _message_id(msg: Any) -> str | None:
    value = msg.get("messageId") if isinstance(msg, dict) else None
    return str(value) if isinstance(value, str | int) else None
