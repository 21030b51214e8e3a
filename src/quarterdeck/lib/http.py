"""Small HTTP helpers shared by the API and the pages: versions as ETags."""

from __future__ import annotations

from django.http import HttpRequest

from quarterdeck.lib.errors import InvalidInput, VersionRequired


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(request: HttpRequest) -> int:
    """The version the client read, from If-Match; 428 when absent, 400 when malformed."""
    raw = request.headers.get("If-Match")
    if raw is None:
        raise VersionRequired(
            "This change needs an If-Match header with the ETag you read (lost-update protection)."
        )
    value = raw.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    if not value.isdigit():
        raise InvalidInput(f"If-Match {raw!r} is not an ETag of this API (expected e.g. '\"3\"').")
    return int(value)
