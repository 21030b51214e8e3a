"""Progress, forecast, status and roll-up of key results and outcomes (Django-free).

The method is part of the product — every figure traces to data and a definition — and
docs/key-results.md states it with a worked example. In short:

- progress = (current - baseline) / (target - baseline): 0 at the baseline, 1 at the target, for
  increase and decrease targets alike (the sign of the denominator flips). Not clamped on the
  key result itself: 1.3 says "30 % past the target".
- forecast: the value expected at ``end``. A least-squares line through the points of the last
  28 days (at least 3 points spanning at least 7 days); otherwise the straight pace from
  (start, baseline) to the last point.
- status: on_track when the forecast progress is at least 1.0, at_risk from 0.7, else
  off_track; once ``end`` has passed, on_track if progress reached 1, else off_track; no_data
  without a current value.
- roll-up: the weighted mean of the children's progress and forecast progress, each clamped
  to [0, 1] first so that one runaway key result cannot carry an outcome.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final, Literal

TREND_DAYS: Final = 28
TREND_MIN_POINTS: Final = 3
TREND_MIN_SPAN_DAYS: Final = 7
ON_TRACK: Final = 1.0
AT_RISK: Final = 0.7

Method = Literal["trend", "pace", "final"]


def progress(current: float | None, baseline: float, target: float) -> float | None:
    """Share of the way from baseline to target (None without a value, or when target equals
    baseline: there is no way to go)."""
    if current is None or target == baseline:
        return None
    return (current - baseline) / (target - baseline)


@dataclass(frozen=True)
class Forecast:
    """The value expected at the end date and how it was found (per-day slope included)."""

    value: float
    method: Method
    slope_per_day: float


def forecast(
    points: Sequence[tuple[date, float]],
    *,
    end: date,
    today: date,
    start: date | None = None,
    baseline: float | None = None,
) -> Forecast | None:
    """The value at ``end`` from ``points`` (oldest first). After ``end`` (or with a point on
    it) the last value is final. Without a trend, the pace needs ``start`` and ``baseline``."""
    if not points:
        return None
    last_day, last_value = points[-1]
    if today >= end or last_day >= end:
        return Forecast(last_value, "final", 0.0)
    recent = [(d, v) for d, v in points if d > last_day - timedelta(days=TREND_DAYS)]
    span = (recent[-1][0] - recent[0][0]).days
    if len(recent) >= TREND_MIN_POINTS and span >= TREND_MIN_SPAN_DAYS:
        slope, intercept = _least_squares(recent, origin=recent[0][0])
        return Forecast(intercept + slope * (end - recent[0][0]).days, "trend", slope)
    if start is None or baseline is None or (last_day - start).days <= 0:
        return None
    slope = (last_value - baseline) / (last_day - start).days
    return Forecast(last_value + slope * (end - last_day).days, "pace", slope)


def _least_squares(points: Sequence[tuple[date, float]], *, origin: date) -> tuple[float, float]:
    """(slope per day, value at ``origin``) of the least-squares line through the points."""
    xs = [float((d - origin).days) for d, _ in points]
    ys = [v for _, v in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return slope, mean_y - slope * mean_x


def status_of(progress: float | None, forecast_progress: float | None, *, ended: bool) -> str:
    """on_track / at_risk / off_track / no_data (see the module docstring). Without a forecast
    the progress so far is judged instead."""
    if progress is None:
        return "no_data"
    if ended:
        return "on_track" if progress >= ON_TRACK else "off_track"
    expected = progress if forecast_progress is None else forecast_progress
    if expected >= ON_TRACK:
        return "on_track"
    return "at_risk" if expected >= AT_RISK else "off_track"


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def rollup(
    items: Iterable[tuple[float, float | None, float | None]],
) -> tuple[float | None, float | None]:
    """(progress, forecast progress) of a parent from its children's (weight, progress,
    forecast progress): weighted means of the clamped values. Children without progress, and
    weights of zero or less, do not count; without any child that counts, (None, None). A
    child without a forecast counts with its progress."""
    total = done = expected = 0.0
    for weight, child_progress, child_forecast in items:
        if child_progress is None or weight <= 0:
            continue
        total += weight
        done += weight * _clamp(child_progress)
        forecasted = child_progress if child_forecast is None else child_forecast
        expected += weight * _clamp(forecasted)
    if total == 0:
        return None, None
    return done / total, expected / total
