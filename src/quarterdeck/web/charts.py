"""Server-side chart geometry (pure): the template draws the SVG from these numbers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    key: str
    label: str
    count: int
    x: float
    width: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class BarRow:
    label: str
    total: int
    y: float
    text_y: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedBars:
    rows: list[BarRow]
    width: float
    height: float
    bar_x: float
    bar_height: float


def stacked_bars(
    rows: Sequence[tuple[str, Mapping[str, int]]],
    categories: Sequence[tuple[str, str]],
    *,
    width: float = 880,
    label_width: float = 120,
    bar_height: float = 28,
    gap: float = 12,
) -> StackedBars:
    """One horizontal bar per row, each split by category in the given order; every bar is scaled
    to the full width (shares within a row are what matter, the totals are printed beside)."""
    bar_width = width - label_width
    out = []
    for index, (label, counts) in enumerate(rows):
        total = sum(counts.get(key, 0) for key, _ in categories)
        segments, x = [], label_width
        for key, name in categories:
            count = counts.get(key, 0)
            if count and total:
                share = bar_width * count / total
                segments.append(Segment(key, name, count, x, share))
                x += share
        y = index * (bar_height + gap)
        out.append(BarRow(label, total, y, y + bar_height / 2, segments))
    height = len(rows) * (bar_height + gap) - gap if rows else 0
    return StackedBars(out, width, max(height, 0), label_width, bar_height)
