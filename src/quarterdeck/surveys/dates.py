"""Dates in survey files: day-first, month-first, ISO, or detected from the file.

``auto`` reads ISO always; slashed dates only when the file proves their order (a first number
above 12 means day-first, a second above 12 month-first), else it refuses to guess. Times
without a zone are in the workspace zone.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.surveys.responses import aware

DateFormat = Literal["auto", "dayfirst", "monthfirst", "iso"]
DATE_FORMATS: Final = ("auto", "dayfirst", "monthfirst", "iso")
SLASHED = re.compile(
    r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$"
)


def _slashed(text: str) -> tuple[int, int, int, int, int, int] | None:
    match = SLASHED.match(text.strip())
    if match is None:
        return None
    a, b, year, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    return a, b, year, hour, minute, second


def detect_format(texts: list[str]) -> DateFormat:
    """The order of slashed dates the file proves (see the module docstring)."""
    day_first = month_first = ambiguous = False
    for text in texts:
        parts = _slashed(text)
        if parts is None:
            continue
        day_first |= parts[0] > 12
        month_first |= parts[1] > 12
        ambiguous |= parts[0] <= 12 and parts[1] <= 12 and parts[0] != parts[1]
    if day_first and month_first:
        raise InvalidInput(
            "Dates: some are day-first and some month-first; fix the file.",
            fields={"date_format": ["Mixed day-first and month-first dates."]},
        )
    if day_first or month_first:
        return "dayfirst" if day_first else "monthfirst"
    if ambiguous:
        raise InvalidInput(
            "Dates: the file's dates read both day-first and month-first (e.g. 04/05/2024); "
            "choose a date format (dayfirst or monthfirst).",
            fields={"date_format": ["Ambiguous: choose dayfirst or monthfirst."]},
        )
    return "iso"


def parse_date(text: str, date_format: DateFormat) -> dt.datetime:
    """ValueError with a reason when the text is not a date of the format."""
    raw = text.strip()
    if not raw:
        raise ValueError("No date.")
    parts = _slashed(raw)
    if parts is None:
        try:
            return aware(dt.datetime.fromisoformat(raw))
        except ValueError:
            raise ValueError(f"{raw!r} is not a date ({_expected(date_format)}).") from None
    if date_format == "iso":
        raise ValueError(f"{raw!r} is not an ISO date (expected e.g. 2024-03-31T14:30).")
    a, b, year, hour, minute, second = parts
    day, month = (a, b) if date_format == "dayfirst" else (b, a)
    try:
        return aware(dt.datetime(year, month, day, hour, minute, second))
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a valid {_expected(date_format)} date: {exc}.") from None


def _expected(date_format: str) -> str:
    return {
        "dayfirst": "day-first, e.g. 31/03/2024 14:30",
        "monthfirst": "month-first, e.g. 03/31/2024 14:30",
    }.get(date_format, "ISO, e.g. 2024-03-31T14:30")
