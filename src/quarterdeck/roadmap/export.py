"""The roadmap as files: CSV (one row per initiative on the roadmap), PNG (the board or the
timeline as Vega-Lite, rendered by vl-convert — no browser) and PDF (an A4 landscape page with
that picture and the table, rendered by WeasyPrint)."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
from typing import Any, Final

from django.template.loader import render_to_string

from quarterdeck.analytics.charts import FONT
from quarterdeck.lib.errors import DomainError
from quarterdeck.roadmap.board_selectors import RoadmapItem
from quarterdeck.roadmap.models import Lane
from quarterdeck.roadmap.timeline import timeline_spec

COLUMNS: Final = (
    "lane", "position", "feature", "product", "line", "owner", "stage", "start", "end",
    "score", "needs",
)  # fmt: skip
LANE_COLOURS: Final = {"now": "#1d4ed8", "next": "#0f766e", "later": "#6b7280"}
FORMATS: Final = ("csv", "png", "pdf")


class ExportUnavailable(DomainError):
    """The PDF renderer's system libraries (Pango) are missing on this server."""

    status = 503


def _row(item: RoadmapItem) -> list[str]:
    entry = item.entry
    assert entry is not None
    feature = item.feature
    return [
        entry.lane, str(entry.position + 1), feature.name, feature.product.name, item.line.name,
        feature.owner.name if feature.owner else "", feature.stage,
        entry.start.isoformat() if entry.start else "",
        entry.end.isoformat() if entry.end else "",
        "" if item.score is None else f"{round(item.score, 4):g}",
        "; ".join(need.name for need in item.needs),
    ]  # fmt: skip


def placed(items: list[RoadmapItem]) -> list[RoadmapItem]:
    return [item for item in items if item.entry is not None]


def roadmap_csv(items: list[RoadmapItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for item in placed(items):
        writer.writerow(_row(item))
    return out.getvalue()


# PNG -----------------------------------------------------------------------------------------


def _board_value(item: RoadmapItem) -> dict[str, Any]:
    assert item.entry is not None
    feature = item.feature
    return {
        "lane": Lane(item.entry.lane).label,
        "key": item.entry.lane,
        "slot": item.entry.position,
        "name": feature.name[:38],
        "detail": f"{feature.product.name} · {feature.get_stage_display()}",
    }


def board_spec(items: list[RoadmapItem], title: str) -> dict[str, Any]:
    """The three lanes side by side, one box per initiative (name, then product and stage)."""
    values = [_board_value(item) for item in placed(items)]
    lanes = [Lane(lane).label for lane in Lane.values]
    y = {"field": "slot", "type": "ordinal", "axis": None}
    scale = {"domain": list(LANE_COLOURS), "range": list(LANE_COLOURS.values())}
    box = {
        "mark": {"type": "rect", "cornerRadius": 4, "fill": "#f8fafc", "strokeWidth": 1.5},
        "encoding": {
            "y": y,
            "stroke": {"field": "key", "type": "nominal", "legend": None, "scale": scale},
        },
    }
    name = {
        "mark": {"type": "text", "align": "left", "x": 12, "dy": -7, "fontWeight": "bold"},
        "encoding": {"y": y, "text": {"field": "name"}},
    }
    detail = {
        "mark": {"type": "text", "align": "left", "x": 12, "dy": 8, "color": "#4b5563"},
        "encoding": {"y": y, "text": {"field": "detail"}},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "start", "fontSize": 16},
        "data": {"values": values},
        "facet": {"column": {"field": "lane", "sort": lanes, "title": None,
                             "header": {"labelFontSize": 14, "labelFontWeight": "bold"}}},
        "spec": {"width": 240, "height": {"step": 46}, "layer": [box, name, detail]},
        "resolve": {"scale": {"y": "independent"}},
        "config": {"font": FONT, "view": {"stroke": None}, "padding": 12},
        "background": "white",
    }  # fmt: skip


def chart_spec(items: list[RoadmapItem], *, layout: str, grain: str, title: str) -> dict[str, Any]:
    if layout == "timeline":
        spec = timeline_spec(items, grain=grain)
        spec["title"] = {"text": title, "anchor": "start", "fontSize": 16}
        return spec
    return board_spec(items, title)


def roadmap_png(items: list[RoadmapItem], *, layout: str, grain: str, title: str) -> bytes:
    import vl_convert

    spec = chart_spec(items, layout=layout, grain=grain, title=title)
    png: bytes = vl_convert.vegalite_to_png(spec, scale=2)
    return png


# PDF -----------------------------------------------------------------------------------------


def roadmap_pdf(items: list[RoadmapItem], *, layout: str, grain: str, title: str) -> bytes:
    """A4 landscape: the title, the picture and the table of what is on the roadmap."""
    png = roadmap_png(items, layout=layout, grain=grain, title=title)
    html = render_to_string(
        "roadmap/board/pdf.html",
        {
            "title": title,
            "image": "data:image/png;base64," + base64.b64encode(png).decode(),
            "columns": COLUMNS,
            "rows": [_row(item) for item in placed(items)],
            "generated": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        },
    )
    return _weasyprint(html)


def _weasyprint(html: str) -> bytes:
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: Pango / its libraries are not installed
        raise ExportUnavailable(
            "PDF export is not available on this server: WeasyPrint needs the Pango library "
            f"({error.__class__.__name__}). CSV and PNG exports still work."
        ) from None
    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
