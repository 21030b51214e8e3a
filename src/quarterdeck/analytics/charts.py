"""Vega-Lite specs (built with Altair) for every engine result type.

Each chart inlines the result's rows exactly as ``to_rows()`` gives them — the numbers the API,
the CLI and the CSV download return — and does any reshaping (folding columns, labels) as
Vega-Lite transforms in the browser. So the data in the page is the data of the table below it.
Specs avoid nothing the CSP forbids: the page renders them with vega-interpreter (no eval).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import altair as alt

from quarterdeck.metrics.engine.results import (
    Adoption,
    FunnelResult,
    Histogram,
    LifecycleTable,
    Result,
    RetentionTable,
    Row,
    Series,
)

Spec = dict[str, Any]

INK, MUTED, GRID = "#1f2937", "#4b5563", "#e7eaf0"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif'
# Distinguishable series colours with at least 3:1 contrast against white (WCAG 1.4.11).
PALETTE = ["#1d4ed8", "#0f766e", "#b45309", "#7e22ce", "#be123c", "#374151", "#15803d"]
LIFECYCLE = {
    "new": "#15803d",
    "returning": "#1d4ed8",
    "resurrecting": "#7e22ce",
    "dormant": "#be123c",
}
MEASURE_LABELS = {
    "dau": "DAU",
    "wau": "WAU",
    "mau": "MAU",
    "active": "Active users",
    "stickiness": "Stickiness",
    "wau_mau": "WAU/MAU",
}
RATIO_MEASURES = ("stickiness", "wau_mau")
HEIGHT = 260


def _config() -> dict[str, Any]:
    return {
        "background": "transparent",
        "font": FONT,
        # The page gives the text alternative (aria-label and the table); Vega's own ARIA tree
        # would be a second, unlabelled one (line groups get a role without a name).
        "aria": False,
        "mark": {"aria": False},
        "line": {"aria": False},
        "view": {"stroke": None},
        "axis": {
            "labelColor": MUTED,
            "titleColor": MUTED,
            "gridColor": GRID,
            "domainColor": "#9aa5b5",
            "tickColor": "#9aa5b5",
            "labelFontSize": 12,
            "titleFontSize": 12,
            "titleFontWeight": 600,
            "aria": False,
        },
        "legend": {
            "labelColor": INK,
            "titleColor": MUTED,
            "labelFontSize": 12,
            "orient": "top",
            "aria": False,
        },
        "range": {"category": PALETTE},
    }


def _finish(chart: alt.Chart | alt.LayerChart | alt.FacetChart, description: str) -> Spec:
    chart = chart.properties(description=description).configure(**_config())
    spec: Spec = chart.to_dict()  # validates against the Vega-Lite schema
    return spec


def _data(rows: Sequence[Row]) -> alt.Data:
    return alt.Data(values=[dict(row) for row in rows])  # type: ignore[no-untyped-call]


def _has_breakdown(rows: Sequence[Row]) -> bool:
    return any(row.get("breakdown") is not None for row in rows)


def _x_period(title: str | None = None) -> alt.X:
    return alt.X("period:T", timeUnit="utcyearmonthdate", title=title, axis=alt.Axis(grid=False))


def _labels_expr(labels: dict[str, str], field: str = "datum.label") -> str:
    """A Vega expression mapping known keys to labels (other keys shown as they are)."""
    pairs = ", ".join(f"'{key}': '{label}'" for key, label in labels.items())
    return f"({{{pairs}}})[{field}] || {field}"


def series_chart(rows: Sequence[Row], description: str = "") -> Spec:
    """Active users over time: one line, or one per breakdown value — for several measures
    (DAU, WAU, MAU) the engine's Series has the measure as its breakdown."""
    column = next(iter(_value_columns(rows, ("period", "breakdown"))), "value")
    lines = list(dict.fromkeys(str(row["breakdown"]) for row in rows if row.get("breakdown")))
    measures = lines if column == "value" else [column]
    ratio = bool(measures) and all(m in RATIO_MEASURES for m in measures)
    base = alt.Chart(_data(rows)).transform_calculate(
        line=_labels_expr(MEASURE_LABELS, "datum.breakdown")
    )
    label = MEASURE_LABELS.get(column, "Value")
    tooltip = [
        alt.Tooltip("period:T", timeUnit="utcyearmonthdate", title="Period"),
        alt.Tooltip(f"{column}:Q", title=label, format=".1%" if ratio else ","),
    ]
    encoding: dict[str, Any] = {}
    if lines:
        labels = [MEASURE_LABELS.get(line, line) for line in lines]
        encoding["color"] = alt.Color("line:N", title=None, sort=labels)
        tooltip.insert(1, alt.Tooltip("line:N", title="Measure" if column == "value" else "Of"))
    chart = base.mark_line(
        point=alt.OverlayMarkDef(size=18, aria=False), strokeWidth=2, color=PALETTE[0], aria=False
    ).encode(
        x=_x_period(),
        y=alt.Y(f"{column}:Q", title=None, axis=alt.Axis(format=".0%" if ratio else ",d")),
        tooltip=tooltip,
        **encoding,
    )
    return _finish(chart.properties(width="container", height=HEIGHT), description)


def _value_columns(rows: Sequence[Row], skip: Sequence[str]) -> list[str]:
    """The numeric columns in first-seen order (one per measure)."""
    found: list[str] = []
    for row in rows:
        found += [key for key in row if key not in skip and key not in found]
    return found


def adoption_chart(rows: Sequence[Row], description: str = "") -> Spec:
    """Adoption per breakdown value (per feature): horizontal bars labelled with the share."""
    order = [str(row.get("breakdown") or "All") for row in rows]
    base = alt.Chart(_data(rows)).transform_calculate(
        label="isValid(datum.breakdown) ? datum.breakdown : 'All'"
    )
    y = alt.Y(
        "label:N",
        title=None,
        sort=order,
        scale=alt.Scale(paddingInner=0.35),
        axis=alt.Axis(labelLimit=220),
    )
    x = alt.X("adoption:Q", title=None, scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%"))
    tooltip = [
        alt.Tooltip("label:N", title="Feature"),
        alt.Tooltip("adoption:Q", title="Adoption", format=".1%"),
        alt.Tooltip("numerator:Q", title="Users", format=","),
        alt.Tooltip("denominator:Q", title="Out of", format=","),
    ]
    bars = base.mark_bar(color=PALETTE[0], cornerRadiusEnd=3).encode(x=x, y=y, tooltip=tooltip)
    text = base.mark_text(align="left", dx=4, color=INK, fontSize=12).encode(
        x=x, y=y, text=alt.Text("adoption:Q", format=".1%")
    )
    height = max(180, 36 * len(order))
    chart = alt.layer(bars, text).properties(width="container", height=height)
    return _finish(chart, description)


def _period_columns(rows: Sequence[Row]) -> list[str]:
    return [key for key in (rows[0] if rows else {}) if key.startswith("period_")]


def _cohort_label() -> str:
    return (
        "datum.cohort == 'mean' ? 'Mean' : datum.cohort + ' (' + format(datum.size, ',') + ')'"
        " + (isValid(datum.breakdown) ? ' · ' + datum.breakdown : '')"
    )


def retention_chart(rows: Sequence[Row], description: str = "") -> Spec:
    """The retention triangle as a heat map: cohorts down, periods across, the mean row last."""
    periods: list[Any] = _period_columns(rows)
    later = [r[p] for r in rows for p in periods[1:] if isinstance(r.get(p), (int, float))]
    top = max([float(v) for v in later], default=1.0) or 1.0  # type: ignore[arg-type]
    cohorts = [_row_label(row) for row in rows]
    base = (
        alt.Chart(_data(rows))
        .transform_calculate(row=_cohort_label())
        .transform_fold(periods, as_=["column", "rate"])
        .transform_filter("isValid(datum.rate)")
        .transform_calculate(n="toNumber(replace(datum.column, 'period_', ''))")
    )
    x = alt.X("n:O", title="Periods after the start", axis=alt.Axis(labelAngle=0, orient="top"))
    y = alt.Y("row:N", title=None, sort=cohorts, axis=alt.Axis(labelLimit=240))
    tooltip = [
        alt.Tooltip("row:N", title="Cohort"),
        alt.Tooltip("n:O", title="Period"),
        alt.Tooltip("rate:Q", title="Retained", format=".1%"),
    ]
    scale = alt.Scale(scheme="blues", domain=[0, top], clamp=True)
    cells = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        x=x, y=y, color=alt.Color("rate:Q", scale=scale, legend=None), tooltip=tooltip
    )
    dark = f"datum.rate > {top * 0.6:.6f}"  # white text only on the darker blues
    text = base.mark_text(fontSize=11).encode(
        x=x,
        y=y,
        text=alt.Text("rate:Q", format=".0%"),
        color=alt.condition(dark, alt.value("#ffffff"), alt.value(INK)),
    )
    chart = alt.layer(cells, text).properties(width="container", height=max(60, 24 * len(rows)))
    return _finish(chart, description)


def _row_label(row: Row) -> str:
    """The same label the Vega expression _cohort_label computes, for the sort order."""
    if row.get("cohort") == "mean":
        return "Mean"
    label = f"{row.get('cohort')} ({int(row.get('size') or 0):,})"  # type: ignore[call-overload]
    return label + (f" · {row['breakdown']}" if row.get("breakdown") is not None else "")


def funnel_chart(rows: Sequence[Row], description: str = "") -> Spec:
    """Funnel bars: the count at each step, labelled with the conversion from step 1."""
    base = alt.Chart(_data(rows)).transform_calculate(
        label="format(datum.count, ',') + ' · ' + format(datum.conversion, '.0%')",
        title="datum.step + '. ' + datum.name",
    )
    ordered = sorted(rows, key=lambda row: int(row["step"]))  # type: ignore[call-overload]
    titles = list(dict.fromkeys(f"{row['step']}. {row['name']}" for row in ordered))
    x = alt.X("title:N", title=None, sort=titles, axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("title:N", title="Step"),
        alt.Tooltip("count:Q", title="Reached", format=","),
        alt.Tooltip("conversion:Q", title="From step 1", format=".1%"),
    ]
    y = alt.Y("count:Q", title=None, axis=alt.Axis(format=",d"))
    extra: dict[str, Any] = {}
    if _has_breakdown(rows):
        extra = {"xOffset": "breakdown:N", "color": alt.Color("breakdown:N", title=None)}
        tooltip.insert(1, alt.Tooltip("breakdown:N", title="Breakdown"))
    bars = base.mark_bar(color=PALETTE[0], cornerRadiusEnd=3).encode(
        x=x, y=y, tooltip=tooltip, **extra
    )
    text = base.mark_text(dy=-8, color=INK, fontSize=12).encode(
        x=x, y=y, text="label:N", **({"xOffset": "breakdown:N"} if extra else {})
    )
    chart = alt.layer(bars, text).properties(width="container", height=HEIGHT)
    return _finish(chart, description)


def _x_ordinal_period() -> alt.X:
    """Periods as bands (bars need a band: a week is not a day), labelled like the time axis."""
    label = "utcFormat(toDate(datum.value), '%b %d')"
    return alt.X("period:O", title=None, axis=alt.Axis(labelExpr=label, labelAngle=0))


def lifecycle_chart(rows: Sequence[Row], description: str = "") -> Spec:
    """Lifecycle bars: new, returning and resurrecting stacked up; dormant down (negative)."""
    statuses: list[Any] = list(LIFECYCLE)
    base = alt.Chart(_data(rows)).transform_fold(statuses, as_=["status", "users"])
    color = alt.Color(
        "status:N",
        title=None,
        sort=statuses,
        scale=alt.Scale(domain=statuses, range=list(LIFECYCLE.values())),
        legend=alt.Legend(labelExpr=_labels_expr({s: s.capitalize() for s in statuses})),
    )
    tooltip = [
        alt.Tooltip("period:N", title="Period"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("users:Q", title="Users", format=","),
    ]
    chart = (
        base.transform_calculate(order=f"indexof({statuses!r}, datum.status)")
        .mark_bar()
        .encode(
            x=_x_ordinal_period(),
            y=alt.Y("users:Q", title=None, stack="zero", axis=alt.Axis(format=",d")),
            color=color,
            order=alt.Order("order:Q"),
            tooltip=tooltip,
        )
    )
    if _has_breakdown(rows):
        tooltip.insert(1, alt.Tooltip("breakdown:N", title="Breakdown"))
        facet = chart.encode(tooltip=tooltip).properties(width=640, height=180)
        return _finish(facet.facet(row=alt.Row("breakdown:N", title=None)), description)
    return _finish(chart.properties(width="container", height=HEIGHT), description)


def histogram_chart(rows: Sequence[Row], description: str = "") -> Spec:
    """Active-days histogram: how many actors were active in 1, 2, 3 … periods."""
    tooltip = [
        alt.Tooltip("active_periods:O", title="Active periods"),
        alt.Tooltip("actors:Q", title="Actors", format=","),
    ]
    extra: dict[str, Any] = {}
    if _has_breakdown(rows):
        extra = {"xOffset": "breakdown:N", "color": alt.Color("breakdown:N", title=None)}
        tooltip.insert(1, alt.Tooltip("breakdown:N", title="Breakdown"))
    chart = (
        alt.Chart(_data(rows))
        .mark_bar(color=PALETTE[0], cornerRadiusEnd=2)
        .encode(
            x=alt.X("active_periods:O", title="Active periods", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("actors:Q", title=None, axis=alt.Axis(format=",d")),
            tooltip=tooltip,
            **extra,
        )
    )
    return _finish(chart.properties(width="container", height=HEIGHT), description)


BUILDERS: dict[type, Callable[[Sequence[Row], str], Spec]] = {
    Series: series_chart,
    Adoption: adoption_chart,
    RetentionTable: retention_chart,
    FunnelResult: funnel_chart,
    LifecycleTable: lifecycle_chart,
    Histogram: histogram_chart,
}


def chart_spec(result: Result, rows: Sequence[Row], description: str = "") -> Spec:
    """The Vega-Lite spec for ``result``, drawing exactly ``rows`` (= ``result.to_rows()``)."""
    builder = BUILDERS.get(type(result))
    if builder is None:
        raise TypeError(f"No chart for {type(result).__name__}.")
    return builder(rows, description)
