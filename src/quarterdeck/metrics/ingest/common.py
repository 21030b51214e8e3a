"""What both wire formats share: refusing one event or a whole request with a reason, checking
ids, objects and times, and turning a finished row into its spool line."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from quarterdeck.metrics.ingest.time import event_time, parse_timestamp
from quarterdeck.metrics.storage.rows import EventRow, dumps, encode_row, micros

MAX_ID_CHARS = 512
MAX_NAME_CHARS = 1024
FUTURE_SLACK = dt.timedelta(days=1)


class Reject(Exception):
    """One event refused; the reason is told to the sender and kept as a warning."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class IngestError(Exception):
    """The whole request refused (nothing stored). ``kind`` is a metrics.models.WarningKind
    value, recorded on the source when the sender is known."""

    def __init__(self, status: int, code: str, message: str, kind: str = "invalid_body") -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Context:
    """Everything a wire format needs to know about the request besides its body."""

    source_id: str
    group_type: str
    received_at: dt.datetime
    max_past: dt.timedelta
    max_event_bytes: int

    @cached_property
    def received_at_us(self) -> int:
        return micros(self.received_at)


def ident(value: Any, name: str) -> str | None:
    """An id: a string or an integer (some SDKs send numbers); empty means absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Reject(f"{name} must be a string, got {type(value).__name__}")
    text = str(value)
    if len(text) > MAX_ID_CHARS:
        raise Reject(f"{name} is longer than {MAX_ID_CHARS} characters")
    return text


def name_text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise Reject(f"{name} must be a string, got {type(value).__name__}")
    if len(value) > MAX_NAME_CHARS:
        raise Reject(f"{name} is longer than {MAX_NAME_CHARS} characters")
    return value


def obj(value: Any, name: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise Reject(f"{name} must be a JSON object, got {type(value).__name__}")
    return value


def json_text(value: dict[str, Any] | None) -> str | None:
    if not value:
        return None
    try:
        return dumps(value)
    except TypeError:  # from a file: dates, decimals...
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    except ValueError:  # 1e400 parses as infinity, which JSON cannot hold
        raise Reject("a number is out of range (infinite)") from None


def timestamp(value: Any, name: str) -> dt.datetime | None:
    try:
        return parse_timestamp(value)
    except ValueError as exc:
        raise Reject(f"{name}: {exc}") from None


def checked_time(ctx: Context, stamp: dt.datetime | None, sent_at: dt.datetime | None) -> int:
    """The event time (clock-skew corrected) in microseconds, within the accepted range."""
    try:
        moment = event_time(received_at=ctx.received_at, sent_at=sent_at, timestamp=stamp)
    except OverflowError:
        raise Reject("the timestamps are out of range") from None
    if moment > ctx.received_at + FUTURE_SLACK:
        raise Reject(f"the event time {moment.isoformat()} is more than 1 day in the future")
    if moment < ctx.received_at - ctx.max_past:
        days = ctx.max_past.days
        raise Reject(f"the event time {moment.isoformat()} is more than {days} days in the past")
    return micros(moment)


def derived_id(message: dict[str, Any], drop: tuple[str, ...]) -> str:
    """An id for a message sent without one: the same message sent again gets the same id, so
    a retry is still stored once."""
    kept = {key: value for key, value in message.items() if key not in drop}
    digest = hashlib.sha256(json.dumps(kept, sort_keys=True, default=str).encode())
    return "qd-" + digest.hexdigest()[:32]


def finish(row: EventRow, ctx: Context) -> bytes:
    """The row's spool line, within the per-event size limit."""
    try:
        line = encode_row(row)
    except UnicodeEncodeError:
        raise Reject("the event contains text that is not valid Unicode") from None
    if len(line) > ctx.max_event_bytes:
        raise Reject(
            f"the event is {len(line):,} bytes stored; the limit is {ctx.max_event_bytes:,}"
        )
    return line
