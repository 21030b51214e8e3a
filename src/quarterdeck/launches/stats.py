"""The significance tests of the post-launch checks, and the verdict they lead to (pure: no
Django). Each test compares a baseline sample with the sample after launch and says how sure we
may be that the metric changed; docs/post-launch.md explains which test suits which metric.

Every test returns None when its data cannot carry it (an empty sample, no variance at all, a
zero denominator): the caller then says what it compared instead.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from scipy import stats

ALPHA: Final = 0.05
Z_95: Final = 1.959963984540054  # the two-sided 95 % quantile of the standard normal


@dataclass(frozen=True)
class TestResult:
    """``statistic`` and ``p_value`` (two-sided) of ``name``; ``interval`` is the 95 %
    confidence interval of ``interval_of`` ("difference" after - before, or "ratio")."""

    name: str
    statistic: float
    p_value: float
    interval: tuple[float, float] | None = None
    interval_of: str = "difference"


def two_proportions(x1: int, n1: int, x2: int, n2: int) -> TestResult | None:
    """Two-proportion z-test of x1/n1 (before) against x2/n2 (after), pooled standard error;
    the interval of p2 - p1 is the unpooled (Wald) one."""
    if n1 <= 0 or n2 <= 0 or not (0 <= x1 <= n1 and 0 <= x2 <= n2):
        return None
    p1, p2, pooled = x1 / n1, x2 / n2, (x1 + x2) / (n1 + n2)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if spread == 0:
        return None  # both all 0 % or all 100 %: nothing varies, nothing to test
    z = (p2 - p1) / spread
    p_value = float(2 * stats.norm.sf(abs(z)))
    half = Z_95 * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return TestResult("two-proportion z-test", z, p_value, (p2 - p1 - half, p2 - p1 + half))


def welch(before: Sequence[float], after: Sequence[float]) -> TestResult | None:
    """Welch's t-test of the means of two samples with unequal variances; the interval is that
    of mean(after) - mean(before) with the Welch-Satterthwaite degrees of freedom."""
    if len(before) < 2 or len(after) < 2:
        return None
    if _variance(before) == 0 and _variance(after) == 0:
        return None
    result = stats.ttest_ind(after, before, equal_var=False)
    interval = result.confidence_interval(confidence_level=0.95)
    return TestResult(
        "Welch's t-test",
        float(result.statistic),
        float(result.pvalue),
        (float(interval.low), float(interval.high)),
    )


def _variance(values: Sequence[float]) -> float:
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values)


def poisson_counts(before: int, after: int) -> TestResult | None:
    """Exact conditional test of two Poisson counts over equal exposures: given the total, the
    count after launch is binomial with p = 1/2 when the rates are equal. The statistic is the
    rate ratio after/before; the interval is that ratio's (from Clopper-Pearson bounds of p)."""
    total = before + after
    if before < 0 or after < 0 or total == 0:
        return None
    result = stats.binomtest(after, total, 0.5)
    low, high = result.proportion_ci(confidence_level=0.95, method="exact")
    ratio = after / before if before else math.inf
    return TestResult(
        "exact Poisson test (conditional binomial)",
        ratio,
        float(result.pvalue),
        (_odds(low), _odds(high)),
        "ratio",
    )


def _odds(p: float) -> float:
    return math.inf if p >= 1 else p / (1 - p)


def reached(value: float, target: float, direction: str) -> bool:
    return value >= target if direction == "up" else value <= target


def verdict(
    *,
    value: float | None,
    baseline: float | None,
    target: float | None,
    direction: str,
    p_value: float | None,
    alpha: float = ALPHA,
) -> str:
    """met: the target is reached; improved / worse: a significant change (p < alpha) in the
    right / wrong direction, target not met; no_change otherwise; no_data without a value.
    Without a test (``p_value`` None) only the target decides: met, else no_change."""
    if value is None:
        return "no_data"
    if target is not None and reached(value, target, direction):
        return "met"
    if p_value is None or baseline is None or p_value >= alpha or value == baseline:
        return "no_change"
    better = value > baseline if direction == "up" else value < baseline
    return "improved" if better else "worse"
