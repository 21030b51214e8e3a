"""The post-launch significance tests against hand-computed values (no database)."""

from __future__ import annotations

import math

import pytest

from quarterdeck.launches import stats


def test_two_proportions_by_hand() -> None:
    # 45/100 before, 60/100 after: pooled p = 0.525, se = sqrt(.525 * .475 * (2/100)) = 0.070622
    result = stats.two_proportions(45, 100, 60, 100)
    assert result is not None
    assert result.statistic == pytest.approx(0.15 / 0.0706222, rel=1e-5)
    assert result.p_value == pytest.approx(0.03367, abs=1e-4)
    half = 1.959964 * math.sqrt(0.45 * 0.55 / 100 + 0.6 * 0.4 / 100)
    assert result.interval == pytest.approx((0.15 - half, 0.15 + half))


def test_two_proportions_without_variation_or_sample() -> None:
    assert stats.two_proportions(0, 50, 0, 80) is None
    assert stats.two_proportions(3, 0, 1, 10) is None
    assert stats.two_proportions(11, 10, 1, 10) is None


def test_welch_by_hand() -> None:
    # means 3 and 6, variances 2.5 and 10: se = sqrt(0.5 + 2) = 1.5811, t = 1.8974,
    # df = 2.5² / (0.5²/4 + 2²/4) = 5.882; p from the t distribution with that df
    result = stats.welch([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])
    assert result is not None
    assert result.statistic == pytest.approx(3 / math.sqrt(2.5), rel=1e-6)
    assert result.p_value == pytest.approx(0.1076, abs=5e-4)
    assert result.interval is not None
    low, high = result.interval
    assert low < 3 < high
    assert (low + high) / 2 == pytest.approx(3)


def test_welch_needs_two_values_and_some_variance() -> None:
    assert stats.welch([1.0], [2.0, 3.0]) is None
    assert stats.welch([4.0, 4.0], [4.0, 4.0]) is None


def test_poisson_counts_by_hand() -> None:
    # 10 before, 20 after: P(X >= 20 | n=30, p=1/2) = 0.049369, two-sided 0.098737
    result = stats.poisson_counts(10, 20)
    assert result is not None
    assert result.statistic == 2.0
    assert result.p_value == pytest.approx(0.098737, abs=1e-5)
    assert result.interval_of == "ratio"
    assert result.interval is not None
    assert result.interval[0] < 2.0 < result.interval[1]
    assert stats.poisson_counts(0, 0) is None


def test_poisson_counts_large_change_is_significant() -> None:
    result = stats.poisson_counts(400, 520)
    assert result is not None
    assert result.p_value < 0.001


@pytest.mark.parametrize(
    ("value", "baseline", "target", "direction", "p", "expected"),
    [
        (None, 1.0, 2.0, "up", None, "no_data"),
        (2.5, 1.0, 2.0, "up", 0.01, "met"),
        (1.5, 1.0, 2.0, "up", 0.01, "improved"),
        (1.5, 1.0, 2.0, "up", 0.20, "no_change"),
        (0.5, 1.0, 2.0, "up", 0.01, "worse"),
        (0.5, 1.0, 0.6, "down", 0.01, "met"),
        (1.5, 1.0, 0.6, "down", 0.01, "worse"),
        (0.8, 1.0, None, "down", 0.03, "improved"),
        (0.1, 0.0, 0.3, "up", None, "no_change"),
        (0.4, 0.0, 0.3, "up", None, "met"),
    ],
)
def test_verdicts(
    value: float | None,
    baseline: float,
    target: float | None,
    direction: str,
    p: float | None,
    expected: str,
) -> None:
    found = stats.verdict(
        value=value, baseline=baseline, target=target, direction=direction, p_value=p
    )
    assert found == expected
