"""Charts of a scenario (Vega-Lite specs built with Altair, themed by the analytics helper so
they look like every other chart and render under the CSP): capacity use per team and quarter
with the capacity as a rule, and the shadow value of one more unit of capacity per team."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import altair as alt

from quarterdeck.analytics.charts import INK, PALETTE, Spec, _finish

ROW_HEIGHT = 22


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def use_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per team and quarter: used, capacity, and the share used."""
    rows = []
    for team in result.get("capacity") or []:
        for cell in team.get("periods", []):
            capacity, used = float(cell["capacity"]), float(cell["used"])
            rows.append({
                "row": f"{team['name']} · {cell['period']}", "team": team["name"],
                "period": cell["period"], "used": used, "capacity": capacity,
                "share": used / capacity if capacity else None, "unit": team.get("unit", ""),
            })  # fmt: skip
    return rows


def capacity_use_chart(result: Mapping[str, Any]) -> Spec | None:
    rows = use_rows(result)
    if not rows:
        return None
    y = alt.Y("row:N", title=None, sort=None)
    tooltip = ["team:N", "period:N", "used:Q", "capacity:Q"]
    bars = (
        alt.Chart(_data(rows))
        .mark_bar(color=PALETTE[0])
        .encode(x=alt.X("used:Q", title="Used (bar) and capacity (rule)"), y=y, tooltip=tooltip)
    )
    rule = (
        alt.Chart(_data(rows))
        .mark_tick(color=INK, thickness=2, size=18)
        .encode(x="capacity:Q", y=y, tooltip=tooltip)
    )
    chart = alt.layer(bars, rule).properties(width="container", height=ROW_HEIGHT * len(rows))
    return _finish(chart, "Capacity used by the plan per team and quarter, against capacity.")


def shadow_rows(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    shadow = result.get("shadow_values") or {}
    return [
        {"team": row["name"], "value": float(row["value"]), "unit": row.get("unit") or "unit",
         "method": row.get("method", "")}
        for row in shadow.get("teams", [])
        if row.get("value") is not None
    ]  # fmt: skip


def shadow_chart(result: Mapping[str, Any]) -> Spec | None:
    rows = shadow_rows(result)
    if not rows:
        return None
    chart = (
        alt.Chart(_data(rows))
        .mark_bar(color=PALETTE[1])
        .encode(
            x=alt.X("value:Q", title="Value of one more unit of capacity in each quarter"),
            y=alt.Y("team:N", title=None, sort="-x"),
            tooltip=["team:N", "value:Q", "method:N"],
        )
        .properties(width="container", height=ROW_HEIGHT * len(rows) + 10)
    )
    return _finish(chart, "Shadow value of capacity per team.")
