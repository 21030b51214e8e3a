"""Vega-Lite specs (built with Altair) of the feedback pages: items per week of the top themes
(stacked), one theme's weekly trend, and the top features by demand score. Themed and validated
by the analytics module's helper, so they look like every other chart and render under the CSP
with analytics/charts.js."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import altair as alt

from quarterdeck.analytics.charts import INK, PALETTE, Spec, _finish

HEIGHT = 220


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _week_axis() -> alt.X:
    """One band per week (every week is in the data, empty ones with 0), labelled by its
    Monday."""
    return alt.X(
        "week:O",
        timeUnit="utcyearmonthdate",
        title=None,
        axis=alt.Axis(labelExpr="utcFormat(datum.value, '%d %b')", grid=False, labelAngle=0),
    )


def themes_trend(series: Sequence[tuple[str, Sequence[tuple[dt.date, int]]]]) -> Spec:
    """Items received per week, one stacked colour per theme (the largest themes)."""
    rows = [
        {"week": week.isoformat(), "theme": name, "count": count}
        for name, points in series
        for week, count in points
    ]
    order = [name for name, _ in series]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=_week_axis(),
            y=alt.Y("count:Q", title="Items", stack="zero", axis=alt.Axis(format="d")),
            color=alt.Color(
                "theme:N",
                title=None,
                sort=order,
                scale=alt.Scale(range=PALETTE),
                legend=alt.Legend(columns=2, labelLimit=260),
            ),
            tooltip=[
                alt.Tooltip("week:T", timeUnit="utcyearmonthdate", title="Week of"),
                alt.Tooltip("theme:N", title="Theme"),
                alt.Tooltip("count:Q", title="Items"),
            ],
        )
        .properties(width="container", height=HEIGHT)
    )
    return _finish(chart, "Feedback items per week in the largest themes")


def theme_trend(name: str, points: Sequence[tuple[dt.date, int]]) -> Spec:
    rows = [{"week": week.isoformat(), "count": count} for week, count in points]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar(color=PALETTE[0], cornerRadiusEnd=2)
        .encode(
            x=_week_axis(),
            y=alt.Y("count:Q", title="Items", axis=alt.Axis(format="d", tickMinStep=1)),
            tooltip=[
                alt.Tooltip("week:T", timeUnit="utcyearmonthdate", title="Week of"),
                alt.Tooltip("count:Q", title="Items"),
            ],
        )
        .properties(width="container", height=HEIGHT)
    )
    return _finish(chart, f"Items per week in the theme {name}")


def demand_bars(rows: Sequence[tuple[str, float, int]]) -> Spec:
    """The top features by demand score: (name, score, items), best first."""
    values = [{"name": name, "score": round(score, 2), "items": n} for name, score, n in rows]
    order = [name for name, _, _ in rows]
    y = alt.Y(
        "name:N",
        title=None,
        sort=order,
        scale=alt.Scale(paddingInner=0.35),
        axis=alt.Axis(labelLimit=260),
    )
    x = alt.X("score:Q", title="Demand score")
    base = alt.Chart(_data(values))
    bars = base.mark_bar(color=PALETTE[0], cornerRadiusEnd=3).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("name:N", title="Feature"),
            alt.Tooltip("score:Q", title="Score", format=",.1f"),
            alt.Tooltip("items:Q", title="Items"),
        ],
    )
    text = base.mark_text(align="left", dx=4, color=INK, fontSize=12).encode(
        x=x, y=y, text=alt.Text("score:Q", format=",.1f")
    )
    height = max(80, 30 * len(values))
    chart = alt.layer(bars, text).properties(width="container", height=height)
    return _finish(chart, "Top features by demand score")
