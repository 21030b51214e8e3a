"""Vega-Lite specs of the survey pages, built with Altair and finished (theme, validation) by
the analytics module's helper, so they look like every other chart and render under the CSP
with analytics/charts.js."""

from __future__ import annotations

from typing import Any

import altair as alt

from quarterdeck.analytics.charts import HEIGHT, PALETTE, Spec, _finish
from quarterdeck.surveys.metrics import Scale, score_group
from quarterdeck.surveys.selectors import ResultRow

GROUP_COLOURS = {
    "detractor": "#be123c",
    "passive": "#9ca3af",
    "promoter": "#15803d",
    "negative": "#be123c",
    "neutral": "#9ca3af",
    "positive": "#15803d",
}
HEADLINE = {"nps": "NPS", "csat": "CSAT (top-2 share)", "ces": "CES (mean)"}


def _values(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def score_over_time(kind: str, rows: list[ResultRow], description: str = "") -> Spec:
    """The headline per period (month labels, '2024-03'), with the answer count in the tooltip."""
    data = [{"period": r.key, "value": r.summary.value, "answers": r.summary.count} for r in rows]
    ratio = kind == "csat"
    chart = (
        alt.Chart(_values(data))
        .mark_line(point=alt.OverlayMarkDef(size=30), strokeWidth=2, color=PALETTE[0])
        .encode(
            x=alt.X("period:O", title=None, sort=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "value:Q",
                title=HEADLINE[kind],
                axis=alt.Axis(format=".0%" if ratio else ",.1~f"),
                scale=alt.Scale(zero=False),
            ),
            tooltip=[
                alt.Tooltip("period:O", title="Period"),
                alt.Tooltip("value:Q", title=HEADLINE[kind], format=".1%" if ratio else ".1f"),
                alt.Tooltip("answers:Q", title="Answers", format=","),
            ],
        )
    )
    return _finish(chart.properties(width="container", height=HEIGHT), description)


def distribution(
    kind: str, scale: Scale, counts: list[tuple[int, int]], description: str = ""
) -> Spec:
    """Answers per score point, coloured by group (detractor / passive / promoter for NPS)."""
    data = [{"score": s, "answers": n, "group": score_group(kind, scale, s)} for s, n in counts]
    groups = list(dict.fromkeys(score_group(kind, scale, s) for s, _ in counts))
    chart = (
        alt.Chart(_values(data))
        .mark_bar()
        .encode(
            x=alt.X("score:O", title="Score", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("answers:Q", title="Answers", axis=alt.Axis(format=",d")),
            color=alt.Color(
                "group:N",
                title=None,
                sort=groups,
                scale=alt.Scale(domain=groups, range=[GROUP_COLOURS[g] for g in groups]),
            ),
            tooltip=[
                alt.Tooltip("score:O", title="Score"),
                alt.Tooltip("answers:Q", title="Answers", format=","),
                alt.Tooltip("group:N", title="Group"),
            ],
        )
    )
    return _finish(chart.properties(width="container", height=HEIGHT), description)
