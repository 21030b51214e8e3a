"""Flat records (CSV and Parquet rows) → canonical rows, through a column mapping.

A column whose name is a canonical column (or a common alias: messageId, userId, distinct_id,
anonymousId, groupId, timestamp...) is used as that column; ``--map col=canonical`` says so for
any other name, ``--map col=properties.name`` files it under a property name and ``--map col=-``
ignores it. Every other column becomes a property. ``type`` defaults to track.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from quarterdeck.metrics.engine.schema import ROW_TYPES
from quarterdeck.metrics.ingest.common import (
    Context,
    Reject,
    checked_time,
    derived_id,
    finish,
    ident,
    json_text,
    name_text,
)
from quarterdeck.metrics.ingest.files import FileProblem
from quarterdeck.metrics.storage.rows import EventRow

TARGETS: tuple[str, ...] = ("event_id", "type", "event", "user_id", "anonymous_id")
TARGETS += ("account_id", "time", "properties", "traits")
ALIASES = {
    "event_id": ("event_id", "messageId", "message_id", "uuid"),
    "type": ("type",),
    "event": ("event", "event_name"),
    "user_id": ("user_id", "userId", "distinct_id"),
    "anonymous_id": ("anonymous_id", "anonymousId"),
    "account_id": ("account_id", "groupId", "group_id"),
    "time": ("time", "timestamp", "originalTimestamp"),
    "properties": ("properties",),
    "traits": ("traits",),
}
IGNORE = "-"
EPOCH_FORMATS = {"epoch": 1, "epoch_ms": 1000}


@dataclass(frozen=True)
class ColumnMap:
    """Which column feeds which canonical column, and how times are written."""

    columns: dict[str, str] = field(default_factory=dict)  # column -> target
    time_format: str = "iso"

    def column_for(self, target: str, record: Mapping[str, Any]) -> str | None:
        for column, mapped in self.columns.items():
            if mapped == target:
                return column
        return next((name for name in ALIASES[target] if name in record), None)


def parse_mapping(pairs: list[str], time_format: str | None) -> ColumnMap:
    columns: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.partition("=")
        column, target = column.strip(), target.strip()
        valid = target in TARGETS or target == IGNORE or target.startswith("properties.")
        if not sep or not column or not valid:
            raise FileProblem(
                f"--map {pair!r}: expected COLUMN=TARGET, TARGET one of {', '.join(TARGETS)}, "
                "properties.NAME or - (ignore)."
            )
        columns[column] = target
    return ColumnMap(columns, time_format or "iso")


def _time_value(value: Any, time_format: str) -> dt.datetime | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, dt.datetime):
            moment = value
        elif time_format in EPOCH_FORMATS:
            moment = dt.datetime.fromtimestamp(float(value) / EPOCH_FORMATS[time_format], dt.UTC)
        elif time_format == "iso":
            moment = dt.datetime.fromisoformat(str(value))
        else:
            moment = dt.datetime.strptime(str(value), time_format)
        return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment
    except (ValueError, OverflowError, OSError):
        raise Reject(f"time {value!r} does not match the time format {time_format!r}") from None


def _object(value: Any, name: str) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise Reject(f"{name} is not a JSON object") from None
    if not isinstance(value, dict):
        raise Reject(f"{name} must be a JSON object")
    return value


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def _extra_properties(
    record: Mapping[str, Any], used: set[str], mapping: ColumnMap
) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    for column, value in record.items():
        target = mapping.columns.get(column)
        if column in used or target == IGNORE or value is None or value == "":
            continue
        name = target.removeprefix("properties.") if target else column
        extra[name] = _plain(value)
    return extra


def _event(kind: str, value: Any) -> str | None:
    event = name_text(value, "event")
    if kind == "track" and event is None:
        raise Reject("a track row needs an event name")
    if kind == "page":
        return event or "Page Viewed"
    if kind == "screen":
        return event or "Screen Viewed"
    return event if kind == "track" else None


def _check_ids(kind: str, row: EventRow) -> None:
    if row["user_id"] is None and row["anonymous_id"] is None:
        raise Reject("the row has neither a user id nor an anonymous id")
    if kind == "alias" and (row["user_id"] is None or row["anonymous_id"] is None):
        raise Reject("an alias row needs both a user id and an anonymous id")
    if kind == "group" and row["account_id"] is None:
        raise Reject("a group row needs an account id")


def flat_row(
    record: Mapping[str, Any], mapping: ColumnMap, ctx: Context, joined: Mapping[str, Any]
) -> bytes:
    columns = {target: mapping.column_for(target, record) for target in TARGETS}
    value = {t: (record[c] if c is not None else None) for t, c in columns.items()}
    kind = str(value["type"] or "track").strip().lower()
    if kind not in ROW_TYPES:
        raise Reject(f"unknown type {value['type']!r}; expected one of {', '.join(ROW_TYPES)}")
    stamp = _time_value(value["time"], mapping.time_format)
    if stamp is None:
        raise Reject("the row has no time")
    event_id = ident(value["event_id"], "event_id") or derived_id(dict(record), ())
    used = {c for c in columns.values() if c is not None}
    properties = {
        **_object(value["properties"], "properties"),
        **_extra_properties(record, used, mapping),
    }
    row: EventRow = {
        "event_id": event_id,
        "source_id": ctx.source_id,
        "type": kind,
        "event": _event(kind, value["event"]),
        "user_id": ident(value["user_id"], "user_id"),
        "anonymous_id": ident(value["anonymous_id"], "anonymous_id"),
        "account_id": ident(value["account_id"], "account_id"),
        "time": checked_time(ctx, stamp, None),
        "received_at": ctx.received_at_us,
        "properties": json_text({**properties, **joined.get(event_id, {})}),
        "traits": json_text(_object(value["traits"], "traits")),
    }
    _check_ids(kind, row)
    return finish(row, ctx)
