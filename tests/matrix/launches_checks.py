"""Permission-matrix rows of success metrics and post-launch checks.

Everyone signed in reads them; the metrics of a launch of Mia's Atlas Search are added, changed
and removed, and its checks recomputed, by those who may change the feature (ATLAS)."""

from __future__ import annotations

import datetime as dt

from tests.matrix.base import ATLAS, PAGE_ATLAS, PAGE_READ, READ, Page, Row
from tests.personas import Personas


def _plan(p: Personas, *, launched: bool = False) -> int:
    from quarterdeck.launches.models import LaunchPlan

    day = dt.date(2026, 1, 5)
    plan = LaunchPlan.objects.create(
        feature=p.search, product=p.atlas, name="Matrix launch", launch_on=day,
        launched_on=day if launched else None, status="launched" if launched else "planned",
    )  # fmt: skip
    return plan.pk


def _launched(p: Personas) -> int:
    return _plan(p, launched=True)


def _metric(p: Personas) -> int:
    from quarterdeck.launches.checks_metrics import metric_add

    return metric_add(actor=None, plan_id=_plan(p), data={"metric": "feature_users"}).pk


METRICS = "/launch-plans/{plan_id}/success-metrics"
METRIC = "/success-metrics/{metric_id}"

API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", METRICS): Row(READ, lambda p: f"/launch-plans/{_plan(p)}/success-metrics"),
    ("POST", METRICS): Row(
        ATLAS,
        lambda p: f"/launch-plans/{_plan(p)}/success-metrics",
        lambda p: {"metric": "feature_adoption_30d", "target": 0.3},
    ),
    ("GET", METRIC): Row(READ, lambda p: f"/success-metrics/{_metric(p)}"),
    ("PATCH", METRIC): Row(
        ATLAS, lambda p: f"/success-metrics/{_metric(p)}", lambda p: {"target": 12}, True
    ),
    ("DELETE", METRIC): Row(ATLAS, lambda p: f"/success-metrics/{_metric(p)}", versioned=True),
    ("GET", "/launch-plans/{plan_id}/checks"): Row(
        READ, lambda p: f"/launch-plans/{_launched(p)}/checks"
    ),
    ("POST", "/launch-plans/{plan_id}/checks/recompute"): Row(
        ATLAS, lambda p: f"/launch-plans/{_launched(p)}/checks/recompute"
    ),
    ("GET", "/launch-checks"): Row(READ, lambda p: "/launch-checks"),
    ("GET", "/features/{feature_id}/launch-checks"): Row(
        READ, lambda p: f"/features/{p.search.pk}/launch-checks"
    ),
    ("GET", "/products/{product_id}/launch-checks"): Row(
        READ, lambda p: f"/products/{p.atlas.pk}/launch-checks"
    ),
}

API_ELSEWHERE: dict[tuple[str, str], str] = {}

METRIC_FORM = {"metric": "feature_users", "direction": "up", "baseline_days": "28"}

PAGES: dict[str, Page] = {
    "launches/checks/": Page(PAGE_READ, lambda p: "/launches/checks/"),
    "launches/checks/<int:plan_id>/": Page(
        PAGE_READ, lambda p: f"/launches/checks/{_launched(p)}/"
    ),
    "launches/checks/<int:plan_id>/metrics/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/checks/{_plan(p)}/metrics/",
        "POST",
        lambda p: METRIC_FORM,
    ),
    "launches/checks/<int:plan_id>/recompute/": Page(
        PAGE_ATLAS, lambda p: f"/launches/checks/{_launched(p)}/recompute/", "POST"
    ),
    "launches/checks/metrics/<int:metric_id>/target/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/checks/metrics/{_metric(p)}/target/",
        "POST",
        lambda p: {"target": "3"},
    ),
    "launches/checks/metrics/<int:metric_id>/delete/": Page(
        PAGE_ATLAS, lambda p: f"/launches/checks/metrics/{_metric(p)}/delete/", "POST"
    ),
}
