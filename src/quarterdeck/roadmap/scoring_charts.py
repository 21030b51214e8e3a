"""Vega-Lite spec (built with Altair) of the 2x2 prioritisation matrix: bubbles at (effort,
value), sized by reach or demand, coloured by product, with rules at the medians and the four
quadrants named. Rendered by analytics/charts.js like every other chart."""

from __future__ import annotations

from typing import Any

import altair as alt

from quarterdeck.analytics.charts import INK, PALETTE, Spec, _finish
from quarterdeck.roadmap.scoring_matrix import Matrix

HEIGHT = 420


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _rows(found: Matrix) -> list[dict[str, Any]]:
    return [
        {"feature": p.name, "product": p.product, "stage": p.stage, "x": p.x, "y": p.y,
         "size": p.size, "score": p.score, "quadrant": p.quadrant,
         "url": f"/portfolio/features/{p.feature_id}/"}
        for p in found.points
    ]  # fmt: skip


def _labels(found: Matrix) -> list[dict[str, Any]]:
    xs, ys = [p.x for p in found.points], [p.y for p in found.points]
    left, right, low, high = min(xs), max(xs), min(ys), max(ys)
    return [
        {"x": left, "y": high, "text": "Quick wins", "align": "left"},
        {"x": right, "y": high, "text": "Big bets", "align": "right"},
        {"x": left, "y": low, "text": "Fill-ins", "align": "left"},
        {"x": right, "y": low, "text": "Money pits", "align": "right"},
    ]


def matrix_spec(found: Matrix) -> Spec | None:
    if not found.points:
        return None
    bubbles = (
        alt.Chart(_data(_rows(found)))
        .mark_circle(opacity=0.75, stroke=INK, strokeWidth=0.5)
        .encode(
            x=alt.X("x:Q", title=found.x_label, scale=alt.Scale(zero=False, nice=True)),
            y=alt.Y("y:Q", title=found.y_label, scale=alt.Scale(zero=False, nice=True)),
            size=alt.Size("size:Q", title=found.size_label, scale=alt.Scale(range=[40, 900])),
            color=alt.Color("product:N", title="Product", scale=alt.Scale(range=PALETTE)),
            href=alt.Href("url:N"),
            tooltip=[
                alt.Tooltip("feature:N", title="Initiative"),
                alt.Tooltip("product:N", title="Product"),
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("quadrant:N", title="Quadrant"),
                alt.Tooltip("y:Q", title="Value", format=",.4~g"),
                alt.Tooltip("x:Q", title="Effort", format=",.4~g"),
                alt.Tooltip("size:Q", title=found.size_label, format=",.4~g"),
                alt.Tooltip("score:Q", title="Score", format=",.4~g"),
            ],
        )
    )
    rules = _data([{"x": found.x_median, "y": found.y_median}])
    vrule = alt.Chart(rules).mark_rule(strokeDash=[4, 4], color=INK).encode(x="x:Q")
    hrule = alt.Chart(rules).mark_rule(strokeDash=[4, 4], color=INK).encode(y="y:Q")
    names = [
        alt.Chart(_data([row for row in _labels(found) if row["align"] == side]))
        .mark_text(fontWeight="bold", color=INK, dy=-6, opacity=0.7, align=side)
        .encode(x="x:Q", y="y:Q", text="text:N")
        for side in ("left", "right")
    ]
    chart = alt.layer(vrule, hrule, *names, bubbles).properties(width="container", height=HEIGHT)
    return _finish(chart, f"2x2 matrix of {found.model.name}: value against effort")
