"""The canonical row as it travels from ingestion to storage: the columns of
engine.schema.EVENT_COLUMNS, times as integer microseconds since the epoch (UTC)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import TypedDict

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class EventRow(TypedDict):
    event_id: str
    source_id: str
    type: str
    event: str | None
    user_id: str | None
    anonymous_id: str | None
    account_id: str | None
    time: int
    received_at: int
    properties: str | None
    traits: str | None


def micros(moment: dt.datetime) -> int:
    """Microseconds since the epoch; exact (no float rounding)."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(value: int) -> dt.datetime:
    return EPOCH + dt.timedelta(microseconds=value)


def day_of(value: int) -> str:
    """The UTC date (partition name) of a time in microseconds."""
    return from_micros(value).date().isoformat()


def _not_json(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not a JSON value")


# json.dumps builds a C encoder on every call; on the ingestion path (a few encodes per event)
# building it once halves the cost. Compact, UTF-8, no NaN; values come from parsed JSON.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_c_make_encoder = getattr(json.encoder, "c_make_encoder", None)
_encode_chunks: Callable[[object, int], Sequence[str]] | None = (
    _c_make_encoder(
        None, _not_json, json.encoder.encode_basestring, None, ":", ",", False, False, False
    )
    if _c_make_encoder is not None
    else None
)


def dumps(value: object) -> str:
    """Compact JSON text of a JSON-shaped value (dicts, lists, str, int, float, bool, None)."""
    if _encode_chunks is None:
        return _ENCODER.encode(value)
    return "".join(_encode_chunks(value, 0))


def encode_row(row: EventRow) -> bytes:
    """One NDJSON line. Raises UnicodeEncodeError for text that is not valid Unicode (a lone
    surrogate sent as an escape), which Parquet could not store."""
    return (dumps(row) + "\n").encode()
