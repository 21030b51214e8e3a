"""One post-launch check computed from the KPI snapshots: the windows compared, the test suited
to the metric (stats.py) and the verdict. docs/post-launch.md explains the choices.

Three kinds of metric:
- daily counts (dau, feature_users): the mean of the daily values over the ``baseline_days``
  before launch against the mean of the WINDOW days ending at launch + N; Welch's t-test;
- rolling counts (wau, mau, feature_users_30d): the value on one day before launch against the
  value on launch + N; exact test of two Poisson counts;
- ratios (stickiness, feature_adoption_30d): numerator / denominator of the same two days;
  two-proportion z-test.
The day before launch compared with launch + N is the last one before launch that falls on the
same weekday, so weekday effects (weekends are quiet) do not pass for an effect of the launch.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final

from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.launches import stats
from quarterdeck.launches.models import LaunchCheck, SuccessMetric

DAILY: Final = frozenset({"dau", "feature_users"})
ROLLING: Final = frozenset({"wau", "mau", "feature_users_30d"})
RATIO: Final = frozenset({"stickiness", "feature_adoption_30d"})
WINDOW: Final = 28  # four whole weeks after launch: the same weekday mix as the baseline
MIN_DAYS: Final = 7  # fewer daily values than this on either side: not enough data


@dataclass
class Sample:
    """What one side of a comparison measured; ``value`` None when there is too little data."""

    value: float | None
    detail: dict[str, Any] = field(default_factory=dict)
    values: list[float] = field(default_factory=list)
    counts: tuple[int, int] | None = None  # numerator, denominator (ratios)


def kind(metric: str) -> str:
    if metric in DAILY:
        return "daily"
    return "ratio" if metric in RATIO else "rolling"


def _rows(metric: SuccessMetric, first: dt.date, last: dt.date) -> dict[dt.date, KpiSnapshot]:
    rows = KpiSnapshot.objects.filter(metric=metric.metric, day__range=(first, last))
    if metric.feature_id is not None:
        rows = rows.filter(feature_id=metric.feature_id)
    else:
        rows = rows.filter(product_id=metric.plan.product_id, feature__isnull=True)
    return {row.day: row for row in rows}


def _window(metric: SuccessMetric, first: dt.date, last: dt.date) -> Sample:
    rows = _rows(metric, first, last)
    values = [rows[day].value for day in sorted(rows)]
    detail = {"window": [first.isoformat(), last.isoformat()], "n": len(values)}
    if len(values) < MIN_DAYS:
        detail["note"] = f"only {len(values)} daily values (at least {MIN_DAYS} needed)"
        return Sample(None, detail, values)
    return Sample(sum(values) / len(values), detail, values)


def _day(metric: SuccessMetric, day: dt.date) -> Sample:
    row = _rows(metric, day, day).get(day)
    detail: dict[str, Any] = {"day": day.isoformat()}
    if row is None:
        detail["note"] = f"no snapshot for {day.isoformat()}"
        return Sample(None, detail)
    if kind(metric.metric) == "ratio":
        counts = (row.numerator or 0, row.denominator or 0)
        detail |= {"numerator": counts[0], "denominator": counts[1]}
        return Sample(row.value, detail, counts=counts)
    return Sample(row.value, detail)


def baseline_day(launched_on: dt.date, day: dt.date) -> dt.date:
    """The last day before launch on the weekday of ``day``."""
    back = (day - (launched_on - dt.timedelta(days=1))).days % 7
    return launched_on - dt.timedelta(days=1 + (7 - back) % 7)


def baseline(metric: SuccessMetric, launched_on: dt.date, day: dt.date | None = None) -> Sample:
    """The pre-launch side: the ``baseline_days`` before launch (daily counts), else one day
    before launch (the day before, or the last one on the weekday of ``day``)."""
    if kind(metric.metric) == "daily":
        first = launched_on - dt.timedelta(days=metric.baseline_days)
        return _window(metric, first, launched_on - dt.timedelta(days=1))
    chosen = baseline_day(launched_on, day) if day else launched_on - dt.timedelta(days=1)
    return _day(metric, chosen)


def observed(metric: SuccessMetric, day: dt.date) -> Sample:
    if kind(metric.metric) == "daily":
        return _window(metric, day - dt.timedelta(days=WINDOW - 1), day)
    return _day(metric, day)


def _test(metric: str, before: Sample, after: Sample) -> stats.TestResult | None:
    if kind(metric) == "daily":
        return stats.welch(before.values, after.values)
    if kind(metric) == "ratio":
        if before.counts is None or after.counts is None:
            return None
        return stats.two_proportions(*before.counts, *after.counts)
    assert before.value is not None
    assert after.value is not None
    return stats.poisson_counts(round(before.value), round(after.value))


def _clear(check: LaunchCheck) -> None:
    check.value = check.baseline = check.change = check.statistic = check.p_value = None
    check.test = ""


def compute(check: LaunchCheck, launched_on: dt.date, today: dt.date) -> LaunchCheck:
    """Fill ``check`` (not saved) as of ``today``: pending before its due day."""
    metric = check.metric
    check.target = metric.target
    _clear(check)
    day = launched_on + dt.timedelta(days=check.offset_days)
    if day > today:
        check.verdict, check.detail = "pending", {"due_on": day.isoformat()}
        return check
    before, after = baseline(metric, launched_on, day), observed(metric, day)
    check.detail = {"kind": kind(metric.metric), "baseline": before.detail, "after": after.detail}
    if before.value is None or after.value is None:
        check.verdict = "no_data"
        check.detail["note"] = "Not enough data; checked again every day until there is."
        return check
    check.value, check.baseline = after.value, before.value
    check.change = after.value - before.value
    result = None if before.value == 0 else _test(metric.metric, before, after)
    _fill_test(check, result, before.value)
    check.verdict = stats.verdict(
        value=check.value,
        baseline=check.baseline,
        target=check.target,
        direction=metric.direction,
        p_value=check.p_value,
    )
    return check


def _fill_test(check: LaunchCheck, result: stats.TestResult | None, before: float) -> None:
    if result is not None:
        check.test, check.statistic, check.p_value = result.name, result.statistic, result.p_value
        if result.interval is not None:
            low, high = result.interval
            check.detail["interval"] = {"of": result.interval_of, "low": low, "high": high}
        return
    if before == 0:
        check.test = "target only"
        check.detail["note"] = (
            "The baseline is 0 (a new feature has no usage before launch): there is nothing "
            "to test a change against, so the check compares the value with the target only."
        )
    else:
        check.test = "none"
        check.detail["note"] = "No test possible: the values do not vary."
