"""Parsing of one input field while collecting per-field errors (the shape InvalidInput carries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

Errors = dict[str, list[str]]


def parse_date(raw: Any, name: str, errors: Errors) -> dt.date | None:
    """A date from a date, a datetime or YYYY-MM-DD text; None (and an error under ``name``)
    for anything else. Empty values are the caller's business."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        errors[name] = [f"{raw!r} is not a date; write it as YYYY-MM-DD."]
        return None
