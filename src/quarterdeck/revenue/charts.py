"""Vega-Lite specs of the revenue page, built with Altair like analytics/charts.py (whose
configuration, data helper and line chart they reuse) and drawn by analytics/charts.js."""

from __future__ import annotations

from typing import Any

import altair as alt

from quarterdeck.analytics.charts import HEIGHT, Spec, _data, _finish, series_chart
from quarterdeck.revenue import engine

# Growth above the axis, losses below it.
MOVEMENTS = {
    "new": ("New", "#15803d"),
    "expansion": ("Expansion", "#1d4ed8"),
    "reactivation": ("Reactivation", "#7e22ce"),
    "contraction": ("Contraction", "#b45309"),
    "churn": ("Churn", "#be123c"),
}


def mrr_chart(series: list[engine.PeriodResult], currency: str) -> Spec:
    rows = [{"period": r.period.start.isoformat(), "value": float(r.mrr)} for r in series]
    return series_chart(rows, f"MRR per month, {currency}")


def movement_rows(series: list[engine.PeriodResult]) -> list[dict[str, Any]]:
    rows = []
    for r in series:
        m = r.movements
        rows.append(
            {
                "period": r.period.start.strftime("%Y-%m"),
                "new": float(m.new),
                "expansion": float(m.expansion),
                "reactivation": float(m.reactivation),
                "contraction": -float(m.contraction),
                "churn": -float(m.churn),
            }
        )
    return rows


def movements_chart(series: list[engine.PeriodResult], currency: str) -> Spec:
    """Stacked bars per month: new, expansion, reactivation up; contraction, churn down."""
    names: list[Any] = list(MOVEMENTS)
    color = alt.Color(
        "movement:N",
        title=None,
        sort=names,
        scale=alt.Scale(domain=names, range=[c for _, c in MOVEMENTS.values()]),
    )
    tooltip = [
        alt.Tooltip("period:N", title="Month"),
        alt.Tooltip("movement:N", title="Movement"),
        alt.Tooltip("amount:Q", title=currency, format=",.2f"),
    ]
    chart = (
        alt.Chart(_data(movement_rows(series)))
        .transform_fold(names, as_=["movement", "amount"])
        .transform_calculate(order=f"indexof({names!r}, datum.movement)")
        .mark_bar()
        .encode(
            x=alt.X("period:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("amount:Q", title=None, stack="zero", axis=alt.Axis(format=",d")),
            color=color,
            order=alt.Order("order:Q"),
            tooltip=tooltip,
        )
    )
    return _finish(chart.properties(width="container", height=HEIGHT), "MRR movements per month")
