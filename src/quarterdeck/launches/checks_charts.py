"""The small chart of a success metric around its launch (a Vega-Lite spec built with Altair):
the KPI series from a few weeks before launch to +90 days, the launch day as a vertical rule,
the baseline and the target as horizontal rules. Themed and validated by the analytics module's
helper, so it renders under the CSP with analytics/charts.js like every other chart."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

import altair as alt

from quarterdeck.analytics.charts import PALETTE, Spec, _finish
from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.launches.models import SuccessMetric

HEIGHT: Final = 120
BEFORE: Final = 35  # days of the series shown before launch
AFTER: Final = 95
TARGET_COLOUR: Final = "#15803d"
BASELINE_COLOUR: Final = "#6b7280"


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def series(metric: SuccessMetric, launched_on: dt.date) -> list[tuple[dt.date, float]]:
    first = launched_on - dt.timedelta(days=BEFORE)
    last = launched_on + dt.timedelta(days=AFTER)
    rows = KpiSnapshot.objects.filter(metric=metric.metric, day__range=(first, last))
    if metric.feature_id is not None:
        rows = rows.filter(feature_id=metric.feature_id)
    else:
        rows = rows.filter(product_id=metric.plan.product_id, feature__isnull=True)
    return list(rows.order_by("day").values_list("day", "value"))


def _rules(metric: SuccessMetric) -> list[dict[str, Any]]:
    rules = [("Baseline", metric.baseline), ("Target", metric.target)]
    return [{"rule": name, "value": value} for name, value in rules if value is not None]


def metric_chart(metric: SuccessMetric, launched_on: dt.date, description: str = "") -> Spec | None:
    """None when there is nothing to draw (no snapshots around the launch)."""
    points = series(metric, launched_on)
    if not points:
        return None
    rows = [{"day": day.isoformat(), "value": value} for day, value in points]
    line = (
        alt.Chart(_data(rows))
        .mark_line(strokeWidth=1.5, color=PALETTE[0])
        .encode(
            x=alt.X("day:T", title=None, axis=alt.Axis(format="%d %b", grid=False)),
            y=alt.Y("value:Q", title=None),
            tooltip=[
                alt.Tooltip("day:T", timeUnit="utcyearmonthdate", title="Day"),
                alt.Tooltip("value:Q", title=metric.metric, format=",.3~f"),
            ],
        )
    )
    launch = (
        alt.Chart(_data([{"day": launched_on.isoformat(), "what": "Launch"}]))
        .mark_rule(strokeWidth=1, color="#111827")
        .encode(x="day:T", tooltip=[alt.Tooltip("what:N", title="Line")])
    )
    layers: list[Any] = [line, launch]
    rules = _rules(metric)
    if rules:
        colour = alt.Color(
            "rule:N",
            scale=alt.Scale(domain=["Baseline", "Target"], range=[BASELINE_COLOUR, TARGET_COLOUR]),
            legend=None,
        )
        layers.append(
            alt.Chart(_data(rules))
            .mark_rule(strokeWidth=1.5, strokeDash=[2, 3])
            .encode(y="value:Q", color=colour, tooltip=["rule:N", "value:Q"])
        )
    chart = alt.layer(*layers).properties(width="container", height=HEIGHT)
    return _finish(chart, description)
