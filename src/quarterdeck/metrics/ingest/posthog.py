"""PostHog capture: /batch/, /capture/, /e/ and /i/v0/e/ → canonical rows.

A body is one event, a list of events, or {"batch": [...]}; the key is ``api_key`` or ``token``
(top level, or in the events as posthog-js sends it). Row mapping (engine/schema.py): every
event keeps its name and user_id ← distinct_id; $pageview → page, $screen → screen, others →
track, with account_id ← properties.$groups[<the source's group type>]. $identify → identify
(anonymous_id ← $anon_distinct_id, traits ← $set); $set → identify (traits ← $set);
$create_alias → alias (anonymous_id ← properties.alias); $groupidentify → group (account_id ←
$group_key, traits ← $group_set) when its group type is the source's account group type.
"""

from __future__ import annotations

import datetime as dt
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

ROW_TYPES = {
    "$identify": "identify",
    "$set": "identify",
    "$create_alias": "alias",
    "$groupidentify": "group",
    "$pageview": "page",
    "$screen": "screen",
}
MAX_BATCH_EVENTS = 10_000
NOT_HASHED = ("sent_at", "api_key", "token", "offset")
HIDDEN_PROPERTIES = ("token", "api_key")  # the write key is not event data


def _key(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def api_key_in(payload: Any) -> str | None:
    """The project key, wherever the SDK put it."""
    if isinstance(payload, dict):
        found = _key(payload.get("api_key")) or _key(payload.get("token"))
        if found is not None:
            return found
        payload = payload.get("batch") if "batch" in payload else [payload]
    if isinstance(payload, list) and payload and isinstance(payload[0], dict):
        first = payload[0]
        properties = first.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        return (
            _key(first.get("api_key")) or _key(first.get("token")) or _key(properties.get("token"))
        )
    return None


def events(payload: Any) -> tuple[list[Any], dict[str, Any]]:
    """The events of a request and the request-level fields (sent_at)."""
    if isinstance(payload, list):
        found, meta = payload, {}
    elif isinstance(payload, dict) and "batch" in payload:
        found, meta = payload["batch"], payload
        if not isinstance(found, list):
            raise IngestError(400, "invalid_body", "'batch' must be a list of events.")
    elif isinstance(payload, dict):
        found, meta = [payload], {}
    else:
        raise IngestError(400, "invalid_body", "The body must be an event, a list or a batch.")
    if len(found) > MAX_BATCH_EVENTS:
        raise IngestError(
            413,
            "too_many_events",
            f"The request has {len(found):,} events; at most {MAX_BATCH_EVENTS:,}.",
            "too_large",
        )
    return found, meta


def _time(ev: dict[str, Any], meta: dict[str, Any], ctx: Context) -> int:
    stamp = timestamp(ev.get("timestamp"), "timestamp")
    sent_at = timestamp(ev.get("sent_at") or meta.get("sent_at"), "sent_at")
    offset = ev.get("offset")
    if stamp is None and isinstance(offset, int) and not isinstance(offset, bool):
        stamp, sent_at = ctx.received_at - dt.timedelta(milliseconds=offset), None
    return checked_time(ctx, stamp, sent_at)


def _group(props: dict[str, Any], ctx: Context) -> str:
    group_type = props.get("$group_type")
    if group_type != ctx.group_type:
        raise Reject(
            f"$groupidentify for group type {group_type!r}: this source keeps accounts of "
            f"group type {ctx.group_type!r} only (change it on the source page)"
        )
    key = ident(props.get("$group_key"), "$group_key")
    if key is None:
        raise Reject("$groupidentify needs a $group_key")
    return key


def _account(props: dict[str, Any], ctx: Context) -> str | None:
    groups = props.get("$groups")
    if not isinstance(groups, dict):
        return None
    return ident(groups.get(ctx.group_type), f"$groups.{ctx.group_type}")


def _links(kind: str, props: dict[str, Any], ctx: Context) -> tuple[str | None, str | None]:
    """(anonymous_id, account_id) of the row."""
    if kind == "identify":
        return ident(props.get("$anon_distinct_id"), "$anon_distinct_id"), None
    if kind == "alias":
        alias = ident(props.get("alias"), "properties.alias")
        if alias is None:
            raise Reject("$create_alias needs properties.alias")
        return alias, None
    if kind == "group":
        return None, _group(props, ctx)
    return None, _account(props, ctx)


def _traits(name: str, props: dict[str, Any]) -> dict[str, Any] | None:
    if name == "$groupidentify":
        return obj(props.get("$group_set"), "$group_set")
    if name in {"$identify", "$set"}:
        once = obj(props.get("$set_once"), "$set_once") or {}
        return {**once, **(obj(props.get("$set"), "$set") or {})} or None
    return None


def event_row(ev: Any, meta: dict[str, Any], ctx: Context) -> bytes:
    if not isinstance(ev, dict):
        raise Reject(f"an event must be a JSON object, got {type(ev).__name__}")
    name = name_text(ev.get("event"), "event")
    if name is None:
        raise Reject("the event has no name ('event')")
    props = obj(ev.get("properties"), "properties") or {}
    raw_id = ev.get("distinct_id")
    user_id = ident(props.get("distinct_id") if raw_id in (None, "") else raw_id, "distinct_id")
    if user_id is None:
        raise Reject("the event has no distinct_id")
    kind = ROW_TYPES.get(name, "track")
    anonymous_id, account_id = _links(kind, props, ctx)
    row: EventRow = {
        "event_id": ident(ev.get("uuid"), "uuid") or derived_id(ev, NOT_HASHED),
        "source_id": ctx.source_id,
        "type": kind,
        "event": name if kind in {"track", "page", "screen"} else None,
        "user_id": user_id,
        "anonymous_id": anonymous_id,
        "account_id": account_id,
        "time": _time(ev, meta, ctx),
        "received_at": ctx.received_at_us,
        "properties": json_text({k: v for k, v in props.items() if k not in HIDDEN_PROPERTIES}),
        "traits": json_text(_traits(name, props)),
    }
    return finish(row, ctx)


def convert(payload: Any, ctx: Context, sent_at: str | None = None) -> Converted:
    found, meta = events(payload)
    if sent_at and "sent_at" not in meta:
        meta = {**meta, "sent_at": sent_at}
    return convert_all(found, lambda ev: event_row(ev, meta, ctx), _uuid)


def _uuid(ev: Any) -> str | None:
    value = ev.get("uuid") if isinstance(ev, dict) else None
    return value if isinstance(value, str) else None
