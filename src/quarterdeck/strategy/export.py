"""The portfolio scorecard as files to paste elsewhere: CSV (one row per line and product) and
a PNG picture (Vega-Lite rendered by vl-convert, no browser): a grid of subject by family, each
cell a twelve-week spark line with its value, target and status."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, Final

from quarterdeck.strategy.scorecard_cells import Cell
from quarterdeck.strategy.scorecards import FAMILIES, ScorecardRow

STATUS_COLOURS: Final = {
    "on_track": "#15803d",
    "at_risk": "#b45309",
    "off_track": "#b91c1c",
    "no_data": "#6b7280",
    "no_target": "#1d4ed8",
    "hidden": "#9ca3af",
}
FAMILY_TITLES: Final = {
    "adoption": "Adoption",
    "satisfaction": "Satisfaction",
    "revenue": "Revenue",
}
COLUMNS: Final = ("value", "unit", "target", "status", "change", "change_pct")


def csv_header() -> list[str]:
    return ["name", "level", "line", *(f"{f}_{c}" for f in FAMILIES for c in COLUMNS)]


def _number(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{round(value, digits):g}"


def _cell_columns(cell: Cell) -> list[str]:
    relative = cell.change_relative
    return [
        _number(cell.value),
        cell.unit,
        _number(cell.target),
        cell.status,
        _number(cell.change),
        "" if relative is None else f"{relative * 100:.1f}",
    ]


def scorecard_csv(rows: list[ScorecardRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header())
    for row in rows:
        cells = [column for cell in row.cells for column in _cell_columns(cell)]
        writer.writerow([row.name, row.kind, row.line_name, *cells])
    return out.getvalue()


# PNG -----------------------------------------------------------------------------------------


def _subject(row: ScorecardRow) -> str:
    indent = "    " * row.depth
    return f"{indent}{row.name}" if row.kind == "line" else f"{indent}· {row.name}"


def _label(cell: Cell) -> str:
    parts = [cell.display]
    if cell.target_display:
        parts.append(f"→ {cell.target_display}")
    relative = cell.change_relative
    if relative is not None:
        parts.append(f"({relative * 100:+.0f}% 4w)")
    return "  ".join(parts)


def _values(rows: list[ScorecardRow]) -> list[dict[str, Any]]:
    values: list[dict[str, Any]] = []
    for order, row in enumerate(rows):
        for cell in row.cells:
            family = FAMILY_TITLES[cell.family]
            base = {"subject": _subject(row), "order": order, "family": family}
            base |= {"status": cell.status, "status_label": cell.status_label}
            values.append({**base, "kind": "label", "text": _label(cell)})
            values += [
                {**base, "kind": "point", "day": day.isoformat(), "value": value}
                for day, value in cell.spark
            ]
    return values


def _layers() -> list[dict[str, Any]]:
    colour = {
        "field": "status",
        "type": "nominal",
        "scale": {"domain": list(STATUS_COLOURS), "range": list(STATUS_COLOURS.values())},
        "legend": None,
    }
    line = {
        "transform": [{"filter": "datum.kind === 'point'"}],
        "mark": {"type": "line", "strokeWidth": 2, "interpolate": "monotone"},
        "encoding": {
            "x": {"field": "day", "type": "temporal", "axis": None},
            "y": {
                "field": "value",
                "type": "quantitative",
                "axis": None,
                "scale": {"zero": False, "range": [44, 18]},
            },
            "color": colour,
        },
    }
    text = {
        "transform": [{"filter": "datum.kind === 'label'"}],
        "mark": {"type": "text", "align": "left", "baseline": "top", "fontSize": 12, "dy": -2},
        "encoding": {
            "x": {"value": 0},
            "y": {"value": 0},
            "text": {"field": "text"},
            "color": colour,
        },
    }
    return [line, text]


def scorecard_spec(rows: list[ScorecardRow], today: dt.date) -> dict[str, Any]:
    """A Vega-Lite grid: one row per line / product, one column per family."""
    families = [FAMILY_TITLES[family] for family in FAMILIES]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": f"Portfolio scorecard — {today.isoformat()}", "anchor": "start"},
        "data": {"values": _values(rows)},
        "facet": {
            "row": {
                "field": "subject",
                "sort": {"field": "order", "op": "min"},
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelFontSize": 13,
                    "title": None,
                },
            },
            "column": {
                "field": "family",
                "sort": families,
                "header": {
                    "labelFontSize": 13,
                    "labelFontWeight": "bold",
                    "title": None,
                },
            },
        },
        "spec": {"width": 220, "height": 44, "layer": _layers()},
        "resolve": {"scale": {"y": "independent", "x": "independent"}},
        "config": {"view": {"stroke": "#d6dbe3"}, "font": "DejaVu Sans", "padding": 12},
        "background": "white",
    }


def scorecard_png(rows: list[ScorecardRow], today: dt.date) -> bytes:
    import vl_convert

    png: bytes = vl_convert.vegalite_to_png(scorecard_spec(rows, today), scale=2)
    return png
