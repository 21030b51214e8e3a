"""The history chart of a key result (a Vega-Lite spec built with Altair): its values as a line,
the baseline and the target as rules, the forecast as a dashed line from the last value to the
end date, over the key result's whole period (start and end on the x axis). It is themed and
validated by the analytics module's helper, so it looks like every other chart and renders
under the CSP with analytics/charts.js."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

from quarterdeck.analytics.charts import INK, MUTED, PALETTE, Spec, _finish

HEIGHT = 200
TARGET_COLOUR = "#15803d"
BASELINE_COLOUR = "#6b7280"


@dataclass(frozen=True)
class History:
    """What the chart draws; ``forecast`` is the forecast value at ``end`` (None: none)."""

    points: Sequence[tuple[dt.date, float]]
    baseline: float
    target: float
    start: dt.date
    end: dt.date
    forecast: float | None = None
    unit: str = ""


def format_number(value: float) -> str:
    """A key result's number as people write it: fewer decimals the larger it is, no trailing
    zeros (1,040,647 · 33.3 · 4.62)."""
    decimals = 0 if abs(value) >= 1000 else 1 if abs(value) >= 100 else 2
    text = f"{value:,.{decimals}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    return "0" if text == "-0" else text


def _day(day: dt.date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _ticks(start: dt.date, end: dt.date) -> list[alt.DateTime]:
    """The start, the first day of each month in between, and the end."""
    days, month = [start], dt.date(start.year, start.month, 1)
    while True:
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        if month >= end:
            break
        if (month - start).days >= 10 and (end - month).days >= 10:
            days.append(month)
    days.append(end)
    return [_day(day) for day in days]


def _x(history: History) -> alt.X:
    domain = [_day(history.start), _day(history.end)]
    return alt.X(
        "day:T",
        title=None,
        scale=alt.Scale(type="utc", domain=domain, nice=False),
        axis=alt.Axis(values=_ticks(history.start, history.end), format="%d %b", grid=False),
    )


def _y(history: History) -> alt.Y:
    values = [history.baseline, history.target, *(v for _, v in history.points)]
    if history.forecast is not None:
        values.append(history.forecast)
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or abs(high) * 0.1 or 1.0
    title = history.unit or None
    return alt.Y("value:Q", title=title, scale=alt.Scale(domain=[low - pad, high + pad], nice=True))


def _rules(history: History) -> Any:
    rows: list[dict[str, Any]] = [
        {"rule": "Baseline", "value": history.baseline},
        {"rule": "Target", "value": history.target},
    ]
    colour = alt.Color(
        "rule:N",
        scale=alt.Scale(domain=["Baseline", "Target"], range=[BASELINE_COLOUR, TARGET_COLOUR]),
        legend=None,
    )
    base = alt.Chart(_data(rows))
    rule = base.mark_rule(strokeWidth=1.5, strokeDash=[2, 3]).encode(
        y="value:Q",
        color=colour,
        tooltip=[alt.Tooltip("rule:N", title="Line"), alt.Tooltip("value:Q", format=",")],
    )
    high = max(rows, key=lambda row: row["value"])
    labels = [_label(history, row, above=row is high) for row in rows]
    return alt.layer(rule, *labels)


def _label(history: History, row: dict[str, Any], *, above: bool) -> Any:
    """The rule's name and value at the right end, on its outer side (above the higher rule,
    below the lower one), where the values between baseline and target rarely run."""
    text = f"{row['rule']} {format_number(row['value'])}"
    colour = TARGET_COLOUR if row["rule"] == "Target" else BASELINE_COLOUR
    mark = alt.Chart(_data([{**row, "text": text}])).mark_text(
        align="right",
        baseline="bottom" if above else "top",
        dy=-3 if above else 3,
        fontSize=11,
        color=colour,
    )
    return mark.encode(x=alt.datum(_day(history.end), type="temporal"), y="value:Q", text="text:N")


def _values(history: History) -> Any:
    rows = [{"day": day.isoformat(), "value": value} for day, value in history.points]
    return (
        alt.Chart(_data(rows))
        .mark_line(point=alt.OverlayMarkDef(size=24), strokeWidth=2, color=PALETTE[0])
        .encode(
            x=_x(history),
            y=_y(history),
            tooltip=[
                alt.Tooltip("day:T", timeUnit="utcyearmonthdate", title="Day"),
                alt.Tooltip("value:Q", title=history.unit or "Value", format=","),
            ],
        )
    )


def _forecast(history: History) -> Any:
    if history.forecast is None or not history.points:
        return None
    last_day, last_value = history.points[-1]
    rows = [
        {"day": last_day.isoformat(), "value": last_value, "what": "Last value"},
        {"day": history.end.isoformat(), "value": history.forecast, "what": "Forecast at end"},
    ]
    return (
        alt.Chart(_data(rows))
        .mark_line(strokeDash=[6, 4], strokeWidth=2, color=MUTED)
        .encode(
            x=_x(history),
            y="value:Q",
            tooltip=[
                alt.Tooltip("what:N", title="Point"),
                alt.Tooltip("day:T", timeUnit="utcyearmonthdate", title="Day"),
                alt.Tooltip("value:Q", title=history.unit or "Value", format=",.1f"),
            ],
        )
    )


def history_chart(history: History, description: str = "") -> Spec:
    """The spec: value line, baseline and target rules, dashed forecast to the end date."""
    layers: list[Any] = [_values(history), _rules(history)]
    forecast = _forecast(history)
    if forecast is not None:
        layers.insert(1, forecast)
    chart = alt.layer(*layers).properties(width="container", height=HEIGHT)
    spec = _finish(chart, description)
    spec["config"]["text"] = {"color": INK}
    return spec
