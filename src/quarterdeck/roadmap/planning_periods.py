"""Planning periods: calendar quarters named "YYYY-Qn" in the workspace's time zone."""

from __future__ import annotations

import datetime as dt
import re

from quarterdeck.lib.dates import workspace_today

PERIOD = re.compile(r"^(\d{4})-Q([1-4])$")


def period_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_period(text: str) -> tuple[int, int]:
    """(year, quarter) of "YYYY-Qn"; ValueError naming the expected shape otherwise."""
    match = PERIOD.match(str(text).strip())
    if match is None:
        raise ValueError(f"{text!r} is not a quarter: write it like 2027-Q1.")
    return int(match.group(1)), int(match.group(2))


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    """The first and the last day of the quarter."""
    year, quarter = parse_period(period)
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + quarter // 4, (3 * quarter) % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def shift(period: str, quarters: int) -> str:
    year, quarter = parse_period(period)
    index = year * 4 + quarter - 1 + quarters
    return f"{index // 4}-Q{index % 4 + 1}"


def current_period() -> str:
    return period_of(workspace_today())


def next_periods(count: int = 4, *, start: str | None = None) -> list[str]:
    """``count`` quarters from ``start`` (default: the NEXT quarter)."""
    first = start or shift(current_period(), 1)
    return [shift(first, n) for n in range(count)]


def clean_periods(values: object) -> list[str]:
    """A scenario's periods: a non-empty list of distinct consecutive quarters, in order."""
    items = values.split(",") if isinstance(values, str) else values
    if not isinstance(items, list | tuple) or not items:
        raise ValueError("Give at least one quarter, e.g. ['2027-Q1'].")
    periods = sorted({f"{y}-Q{q}" for y, q in (parse_period(str(v)) for v in items)})
    if len(periods) > 8:
        raise ValueError("At most 8 quarters (two years) per scenario.")
    if periods != [shift(periods[0], n) for n in range(len(periods))]:
        raise ValueError(f"The quarters must follow each other: {', '.join(periods)} has a hole.")
    return periods
