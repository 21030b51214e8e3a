"""The progress, forecast, status and roll-up method (strategy/progress.py, docs/key-results.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quarterdeck.strategy.progress import forecast, progress, rollup, status_of

START = date(2026, 10, 1)
END = date(2026, 12, 31)
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def test_progress_is_the_share_of_the_way_from_baseline_to_target() -> None:
    assert progress(1500, 1000, 2000) == 0.5
    assert progress(2500, 1000, 2000) == 1.5  # not clamped on the key result itself
    assert progress(None, 1000, 2000) is None
    assert progress(5, 5, 5) is None  # no way to go


def test_a_decrease_target_counts_the_way_down() -> None:
    # Churn from 4 % down to 2 %: at 3 % half the way is done; going up is negative progress.
    assert progress(3.0, 4.0, 2.0) == 0.5
    assert progress(2.0, 4.0, 2.0) == 1.0
    assert progress(5.0, 4.0, 2.0) == -0.5


def test_the_trend_is_a_least_squares_line_through_the_last_28_days() -> None:
    # 10 a day over the last four weeks; an old outlier outside them does not bend the line.
    points = [(START, 5000.0)] + [
        (START + timedelta(days=30 + n), 1000.0 + 10 * n) for n in range(0, 28, 7)
    ]
    today = START + timedelta(days=60)
    found = forecast(points, end=END, today=today, start=START, baseline=1000)
    assert found is not None
    assert found.method == "trend"
    assert found.slope_per_day == pytest.approx(10)
    last_day, last_value = points[-1]
    assert found.value == pytest.approx(last_value + 10 * (END - last_day).days)


def test_without_enough_points_the_forecast_is_the_pace_since_the_start() -> None:
    # Two points within a week: no trend; baseline 100 at the start, 130 ten days later.
    points = [(START + timedelta(days=7), 120.0), (START + timedelta(days=10), 130.0)]
    found = forecast(points, end=END, today=START + timedelta(days=10), start=START, baseline=100)
    assert found is not None
    assert found.method == "pace"
    assert found.slope_per_day == pytest.approx(3.0)
    assert found.value == pytest.approx(130 + 3.0 * (END - points[-1][0]).days)


def test_no_forecast_without_points_or_a_pace() -> None:
    assert forecast([], end=END, today=START) is None
    assert forecast([(START, 5.0)], end=END, today=START, start=START, baseline=1) is None


def test_after_the_end_the_last_value_is_final() -> None:
    points = [(START, 1.0), (END, 9.0)]
    found = forecast(points, end=END, today=END + timedelta(days=3), start=START, baseline=0)
    assert found is not None
    assert (found.value, found.method) == (9.0, "final")


@pytest.mark.parametrize(
    ("forecast_progress", "status"),
    [(1.2, "on_track"), (1.0, "on_track"), (0.7, "at_risk"), (0.69, "off_track")],
)
def test_status_follows_the_forecast(forecast_progress: float, status: str) -> None:
    assert status_of(0.1, forecast_progress, ended=False) == status


def test_status_after_the_end_is_whether_the_target_was_reached() -> None:
    assert status_of(1.0, 0.2, ended=True) == "on_track"
    assert status_of(0.95, 3.0, ended=True) == "off_track"
    assert status_of(None, 1.0, ended=False) == "no_data"
    assert status_of(0.8, None, ended=False) == "at_risk"  # no forecast: judged on progress


def test_rollup_is_the_weighted_mean_of_clamped_children() -> None:
    # A runaway key result (300 %) counts as done, not as three; the weight-3 one dominates.
    assert rollup([(1, 3.0, 3.0), (3, 0.5, 0.6)]) == pytest.approx((0.625, 0.7))
    assert rollup([(1, -0.4, -1.0), (1, 1.0, 1.0)]) == pytest.approx((0.5, 0.5))


def test_rollup_skips_children_without_data_and_zero_weights() -> None:
    assert rollup([(1, None, None), (0, 0.0, 0.0), (2, 0.5, None)]) == (0.5, 0.5)
    assert rollup([(1, None, None)]) == (None, None)
    assert rollup([]) == (None, None)


@given(baseline=finite, target=finite)
def test_progress_is_zero_at_the_baseline_and_one_at_the_target(
    baseline: float, target: float
) -> None:
    if baseline == target:
        return
    assert progress(baseline, baseline, target) == 0
    assert progress(target, baseline, target) == pytest.approx(1)


@given(baseline=finite, gap=st.floats(min_value=1e-3, max_value=1e6), a=finite, b=finite)
def test_progress_rises_with_the_value_of_an_increase_target(
    baseline: float, gap: float, a: float, b: float
) -> None:
    low, high = sorted((a, b))
    low_progress = progress(low, baseline, baseline + gap)
    high_progress = progress(high, baseline, baseline + gap)
    assert low_progress is not None
    assert high_progress is not None
    assert low_progress <= high_progress


@given(st.lists(st.tuples(st.floats(0, 10), st.floats(-5, 5), st.floats(-5, 5)), max_size=8))
def test_rollup_stays_within_zero_and_one(items: list[tuple[float, float, float]]) -> None:
    done, expected = rollup(items)
    for value in (done, expected):
        assert value is None or 0.0 <= value <= 1.0 + 1e-9
