"""Scorecard figures as HTML: inline SVG spark lines drawn on the server (no script, nothing
the Content Security Policy would block) and status pills, wrapped for the templates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from quarterdeck.strategy.scorecard_cells import HIDDEN, NO_TARGET, Cell
from quarterdeck.strategy.scorecards import ScorecardRow

WIDTH: Final = 96
HEIGHT: Final = 24
PAD: Final = 2
STROKES: Final = {
    "on_track": "#15803d",
    "at_risk": "#b45309",
    "off_track": "#b91c1c",
}
DEFAULT_STROKE: Final = "#1d4ed8"
MARKS: Final = {"on_track": "●", "at_risk": "▲", "off_track": "■"}


def _points(spark: list[tuple[dt.date, float]]) -> str:
    values = [value for _, value in spark]
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (WIDTH - 2 * PAD) / max(1, len(values) - 1)
    coords = (
        (PAD + i * step, HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD))
        for i, value in enumerate(values)
    )
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)


def spark_svg(spark: list[tuple[dt.date, float]], status: str, label: str) -> SafeString:
    """A 96x24 line of the weekly points, coloured by status; empty with fewer than two."""
    if len(spark) < 2:
        return mark_safe('<span class="spark-none" aria-hidden="true"></span>')
    return format_html(
        '<svg class="spark" width="{}" height="{}" viewBox="0 0 {} {}" role="img" '
        'aria-label="{}"><polyline fill="none" stroke="{}" stroke-width="1.6" '
        'stroke-linejoin="round" points="{}"/></svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        label,
        STROKES.get(status, DEFAULT_STROKE),
        _points(spark),
    )


def pill(status: str, label: str) -> SafeString:
    """A status in colour and words (and a shape, so colour is never the only cue)."""
    key = status if status in MARKS else "no_data"
    mark = MARKS.get(status, "○")
    return format_html(
        '<span class="pill status-{}"><span aria-hidden="true">{}</span> {}</span>',
        key,
        mark,
        label,
    )


@dataclass(frozen=True)
class CellView:
    cell: Cell

    @property
    def spark(self) -> SafeString:
        first = self.cell.spark[0][0] if self.cell.spark else None
        label = f"{self.cell.label}, weekly since {first}" if first else self.cell.label
        return spark_svg(self.cell.spark, self.cell.status, label)

    @property
    def pill(self) -> SafeString:
        return pill(self.cell.status, self.cell.status_label)

    @property
    def shows_pill(self) -> bool:
        return self.cell.status not in (NO_TARGET, HIDDEN)

    @property
    def hidden(self) -> bool:
        return self.cell.status == HIDDEN


@dataclass(frozen=True)
class RowView:
    row: ScorecardRow

    @property
    def cells(self) -> list[CellView]:
        return [CellView(cell) for cell in self.row.cells]

    @property
    def indent(self) -> str:
        """A CSS class for the row's nesting (no inline style under the CSP)."""
        return f"sc-indent-{min(self.row.depth, 3)}"


def row_views(rows: list[ScorecardRow]) -> list[RowView]:
    return [RowView(row) for row in rows]
