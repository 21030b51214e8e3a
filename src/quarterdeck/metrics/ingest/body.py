"""Request bodies as the tracking SDKs send them: JSON, gzip (Content-Encoding or PostHog's
``compression=gzip-js``), deflate, and PostHog's form-encoded ``data=`` (plain or base64).
Decompression is capped, so a small gzip bomb cannot fill the memory."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any
from urllib.parse import parse_qs

from quarterdeck.metrics.ingest.common import IngestError

GZIP_WINDOW = 16 + zlib.MAX_WBITS
ZLIB_WINDOW = zlib.MAX_WBITS


def too_large(limit: int) -> IngestError:
    return IngestError(413, "too_large", f"The request body is over {limit:,} bytes.", "too_large")


def _inflate(raw: bytes, window: int, limit: int, name: str) -> bytes:
    inflater = zlib.decompressobj(window)
    try:
        data = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        message = f"The body is not valid {name} data ({exc})."
        raise IngestError(400, "invalid_body", message) from None
    if len(data) > limit:
        raise IngestError(
            413, "too_large", f"The body is over {limit:,} bytes once decompressed.", "too_large"
        )
    if not inflater.eof:
        raise IngestError(400, "invalid_body", f"The {name} data ends early (truncated body).")
    return data


def _decompress(raw: bytes, encoding: str, compression: str, limit: int) -> bytes:
    encoding = encoding.strip().lower()
    if encoding == "gzip" or compression in {"gzip", "gzip-js"}:
        return _inflate(raw, GZIP_WINDOW, limit, "gzip")
    if encoding == "deflate":
        return _inflate(raw, ZLIB_WINDOW, limit, "deflate")
    if encoding not in {"", "identity"}:
        raise IngestError(
            415,
            "unsupported_encoding",
            f"Content-Encoding {encoding!r} is not supported; "
            "send gzip, deflate or an uncompressed body.",
        )
    if compression not in {"", "none", "base64"}:
        raise IngestError(
            415,
            "unsupported_encoding",
            f"compression={compression!r} is not supported; use gzip-js, base64 or none.",
        )
    return raw


def _form_data(body: bytes, compression: str) -> bytes:
    """PostHog's ``data=<json or base64 json>`` form bodies."""
    try:
        fields = parse_qs(body.decode("ascii"), strict_parsing=True)
    except (UnicodeDecodeError, ValueError):
        raise IngestError(400, "invalid_body", "The form-encoded body cannot be read.") from None
    values = fields.get("data")
    if not values:
        raise IngestError(400, "invalid_body", "The form-encoded body has no 'data' field.")
    value = values[0].strip()
    if compression != "base64" and value[:1] in {"{", "["}:
        return value.encode()
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=False)
    except (binascii.Error, ValueError):
        raise IngestError(400, "invalid_body", "The 'data' field is not base64.") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_json(body: bytes) -> Any:
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise IngestError(400, "invalid_json", f"Not valid JSON: {exc.msg} ({where}).") from None
    except (ValueError, RecursionError) as exc:
        raise IngestError(400, "invalid_json", f"Not valid JSON: {exc}.") from None


def decode(raw: bytes, *, encoding: str, compression: str, content_type: str, limit: int) -> Any:
    """The parsed JSON of a request body; IngestError (4xx) with the reason otherwise."""
    if len(raw) > limit:
        raise too_large(limit)
    compression = compression.strip().lower()
    body = _decompress(raw, encoding, compression, limit)
    if not body.strip():
        raise IngestError(400, "invalid_body", "The request body is empty.")
    if content_type.startswith("application/x-www-form-urlencoded") or body.startswith(b"data="):
        body = _form_data(body, compression)
    elif compression == "base64":
        body = _b64(body)
    if len(body) > limit:
        raise too_large(limit)
    return parse_json(body)


def _b64(body: bytes) -> bytes:
    try:
        return base64.b64decode(body.strip() + b"=" * (-len(body.strip()) % 4))
    except (binascii.Error, ValueError):
        raise IngestError(400, "invalid_body", "The body is not base64.") from None
