"""The roadmap timeline as a Vega-Lite spec (built with Altair): one bar per initiative from its
start to its end, rows grouped by product (or line) and coloured by it, a connector from the end
of what an initiative needs to its own start (red when it starts before its need ends), and a
rule at today. The same spec is drawn in the page (vega-embed) and rendered to PNG for exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import altair as alt

from quarterdeck.analytics.charts import FONT, GRID, INK, MUTED, PALETTE
from quarterdeck.roadmap.board_selectors import RoadmapItem

Spec = dict[str, Any]
ROW_HEIGHT = 26
LATE = "#b91c1c"
LINK = "#4b5563"


@dataclass(frozen=True)
class Bar:
    feature_id: int
    row: str  # unique label of the row (feature · product)
    name: str
    group: str
    lane: str
    start: dt.date
    end: dt.date


def _bars(items: list[RoadmapItem], group_by: str) -> list[Bar]:
    bars = []
    for item in items:
        entry = item.entry
        if entry is None or entry.start is None or entry.end is None:
            continue
        product = item.feature.product
        group = item.line.name if group_by == "line" else product.name
        row = f"{item.feature.name} · {product.name}"
        bars.append(
            Bar(item.feature.pk, row, item.feature.name, group, entry.lane, entry.start, entry.end)
        )
    bars.sort(key=lambda bar: (bar.group.lower(), bar.start, bar.name.lower()))
    return bars


def dated(items: list[RoadmapItem]) -> tuple[list[RoadmapItem], list[RoadmapItem]]:
    """(items with both dates, items on the roadmap without them: "no dates yet")."""
    with_dates: list[RoadmapItem] = []
    without: list[RoadmapItem] = []
    for item in items:
        if item.entry is None:
            continue
        has = item.entry.start is not None and item.entry.end is not None
        (with_dates if has else without).append(item)
    return with_dates, without


def _links(items: list[RoadmapItem], bars: list[Bar]) -> list[dict[str, Any]]:
    bar_of = {bar.feature_id: bar for bar in bars}
    links = []
    for item in items:
        target = bar_of.get(item.feature.pk)
        for need in item.needs:
            source = bar_of.get(need.feature_id)
            if target is None or source is None:
                continue
            links.append({
                "from": source.row, "to": target.row,
                "x": source.end.isoformat(), "x2": target.start.isoformat(),
                "late": target.start <= source.end,
                "label": f"{target.name} needs {source.name}",
            })  # fmt: skip
    return links


def _data(values: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=values)  # type: ignore[no-untyped-call]


def _axis(grain: str) -> alt.Axis:
    if grain == "month":
        return alt.Axis(format="%b %Y", tickCount="month", title=None, labelColor=MUTED)
    return alt.Axis(
        tickCount={"interval": "month", "step": 3}, format="Q%q %Y", title=None, labelColor=MUTED
    )


def timeline_spec(
    items: list[RoadmapItem], *, grain: str = "quarter", group_by: str = "product",
    today: dt.date | None = None, width: int = 860,
) -> Spec:  # fmt: skip
    bars = _bars(items, group_by)
    rows = [bar.row for bar in bars]
    values = [
        {"row": b.row, "name": b.name, "group": b.group, "lane": b.lane,
         "start": b.start.isoformat(), "end": b.end.isoformat()}
        for b in bars
    ]  # fmt: skip
    # An explicit domain keeps the rows grouped (layers with their own y would sort by name).
    y = alt.Y(
        "row:N", sort=None, scale=alt.Scale(domain=rows), title=None,
        axis=alt.Axis(labelLimit=260, labelColor=INK),
    )  # fmt: skip
    x = alt.X("start:T", title=None, axis=_axis(grain))
    bar_layer = (
        alt.Chart(_data(values))
        .mark_bar(cornerRadius=3, height=ROW_HEIGHT - 8)
        .encode(
            y=y, x=x, x2="end:T",
            color=alt.Color("group:N", title=group_by.capitalize(), scale=alt.Scale(range=PALETTE)),
            tooltip=[alt.Tooltip("name:N", title="Initiative"), alt.Tooltip("group:N"),
                     alt.Tooltip("lane:N"), alt.Tooltip("start:T"), alt.Tooltip("end:T")],
        )
    )  # fmt: skip
    layers: list[Any] = [bar_layer]
    links = _links(items, bars)
    if links:
        layers += _link_layers(links, rows)
    marker = today or dt.date.today()
    layers.append(
        alt.Chart(_data([{"today": marker.isoformat()}]))
        .mark_rule(color=LATE, strokeDash=[4, 3])
        .encode(x="today:T")
    )
    chart = alt.layer(*layers).properties(width=width, height=max(ROW_HEIGHT * len(rows), 60))
    spec: Spec = chart.to_dict()
    # The page gives the text alternative (aria-label and the table below the chart).
    spec["config"] = {
        "font": FONT, "view": {"stroke": None}, "background": "white", "aria": False,
        **{kind: {"aria": False} for kind in ("mark", "bar", "rule", "point", "text")},
        "axis": {"aria": False, "labelFontSize": 12, "gridColor": GRID},
        "legend": {"orient": "bottom", "labelColor": INK, "titleColor": INK, "aria": False},
    }  # fmt: skip
    return spec


def _link_layers(links: list[dict[str, Any]], rows: list[str]) -> list[Any]:
    data = _data(links)
    colour = alt.condition("datum.late", alt.value(LATE), alt.value(LINK))
    rule = (
        alt.Chart(data)
        .mark_rule(strokeWidth=1.5)
        .encode(
            y=alt.Y("from:N", sort=None, scale=alt.Scale(domain=rows)), y2="to:N",
            x="x:T", x2="x2:T", color=colour,
            tooltip=[alt.Tooltip("label:N", title="Dependency")],
        )
    )  # fmt: skip
    arrow = (
        alt.Chart(data)
        .mark_point(shape="triangle-right", filled=True, size=60)
        .encode(y=alt.Y("to:N", sort=None, scale=alt.Scale(domain=rows)), x="x2:T", color=colour)
    )
    return [rule, arrow]
