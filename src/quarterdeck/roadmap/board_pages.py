"""What the roadmap pages show, shared by the signed-in pages and the public share page: the
lanes of the board, the timeline, and the export responses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils.text import slugify

from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.roadmap import export
from quarterdeck.roadmap.board_selectors import RoadmapItem, lanes_of
from quarterdeck.roadmap.board_validation import BoardFilters
from quarterdeck.roadmap.models import Lane
from quarterdeck.roadmap.timeline import dated, timeline_spec

NEIGHBOURS = {"now": (None, "next"), "next": ("now", "later"), "later": ("next", None)}


@dataclass
class Column:
    key: str
    label: str
    items: list[RoadmapItem]
    before: tuple[str, str] | None  # (key, label) of the lane to the left
    after: tuple[str, str] | None


def _lane(key: str | None) -> tuple[str, str] | None:
    return None if key is None else (key, Lane(key).label)


def columns(items: list[RoadmapItem]) -> tuple[list[Column], list[RoadmapItem]]:
    """The three lanes in order, and the unplaced tray."""
    by_lane = lanes_of(items)
    cols = [
        Column(lane, Lane(lane).label, by_lane[lane], _lane(NEIGHBOURS[lane][0]),
               _lane(NEIGHBOURS[lane][1]))
        for lane in Lane.values
    ]  # fmt: skip
    return cols, by_lane["unplaced"]


def board_context(items: list[RoadmapItem], filters: BoardFilters) -> dict[str, Any]:
    cols, unplaced = columns(items)
    return {
        "columns": cols,
        "unplaced": unplaced,
        "filters": filters,
        "query": filters.query(),
        "placed_count": sum(len(col.items) for col in cols),
    }


def timeline_context(items: list[RoadmapItem], filters: BoardFilters) -> dict[str, Any]:
    with_dates, without = dated(items)
    spec = timeline_spec(with_dates, grain=filters.grain, today=workspace_today())
    return {
        "spec": spec if with_dates else None,
        "with_dates": with_dates,
        "without": without,
        "filters": filters,
        "query": filters.query(),
    }


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "pdf": "application/pdf",
}


def export_response(
    items: list[RoadmapItem], fmt: str, *, layout: str, filters: BoardFilters, title: str
) -> HttpResponse:
    """The file download; an unknown format is a 400 naming the ones there are."""
    if fmt not in export.FORMATS:
        raise InvalidInput(
            f"Unknown export format {fmt!r}; use csv, png or pdf.", fields={"format": ["Unknown."]}
        )
    kwargs = {"layout": layout, "grain": filters.grain, "title": title}
    body: str | bytes
    if fmt == "csv":
        body = export.roadmap_csv(items)
    elif fmt == "png":
        body = export.roadmap_png(items, **kwargs)
    else:
        body = export.roadmap_pdf(items, **kwargs)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = slugify(title) or "roadmap"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
