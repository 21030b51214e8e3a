"""Success metrics of a launch plan: the door and the writes (audited as "success_metric").

Who may change the plan (its feature's or product's changers) adds, edits and removes its
metrics. Once a metric is bound (the plan launched) only its target may change — the baseline
and the series are history by then — and it can no longer be removed. A metric added to a plan
that has already launched is bound at once: its baseline is still the window before launch.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.kpis.models import FEATURE_METRICS, PRODUCT_METRICS
from quarterdeck.launches import checks
from quarterdeck.launches.models import Direction, LaunchPlan, LaunchStatus, SuccessMetric
from quarterdeck.launches.selectors import Viewer, access_launch_plan, may_change_plan
from quarterdeck.lib.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    check_version,
)
from quarterdeck.portfolio.models import Feature

FIELDS: Final = frozenset({"metric", "feature_id", "label", "direction", "target", "baseline_days"})
AFTER_BINDING: Final = frozenset({"target"})
OBJECT_TYPE: Final = "success_metric"


def _error(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields={field: [message]})


def access_success_metric(
    user: Viewer, metric_id: int, *, for_write: bool = False
) -> SuccessMetric:
    found = SuccessMetric.objects.select_related("plan", "feature").filter(pk=metric_id).first()
    if found is None:
        raise NotFound(f"There is no success metric with id {metric_id}.")
    found.plan = access_launch_plan(user, found.plan_id)
    if for_write and not may_change_plan(user, found.plan):
        raise NotAllowed(f"You may not change the success metrics of “{found.plan.name}”.")
    return found


def _target(value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise _error("target", f"“{value}” is not a number.") from None
    if not math.isfinite(number):
        raise _error("target", "Expected a finite number.")
    return number


def _days(value: Any) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise _error("baseline_days", f"“{value}” is not a whole number of days.") from None
    if not 7 <= days <= 90:
        raise _error("baseline_days", "Expected between 7 and 90 days.")
    return days


def _feature(plan: LaunchPlan, value: Any) -> Feature | None:
    if value in (None, ""):
        if plan.feature is None:
            raise _error("feature_id", "A product launch has no feature: name the feature.")
        return plan.feature
    found = Feature.objects.filter(pk=value if str(value).isdigit() else 0).first()
    if found is None or found.product_id != plan.product_id:
        raise _error("feature_id", f"No feature {value} in the plan's product.")
    return found


def _series(metric: SuccessMetric, plan: LaunchPlan, data: Mapping[str, Any]) -> None:
    """The KPI series: a product metric has no feature; a feature metric measures the named
    feature, by default the plan's."""
    if "metric" in data:
        metric.metric = str(data["metric"] or "").strip()
    if metric.metric in PRODUCT_METRICS:
        if data.get("feature_id") not in (None, ""):
            raise _error("feature_id", f"{metric.metric} is a product metric: leave it empty.")
        metric.feature = None
    elif metric.metric in FEATURE_METRICS:
        if "feature_id" in data or metric.feature_id is None:
            metric.feature = _feature(plan, data.get("feature_id"))
    else:
        names = ", ".join([*PRODUCT_METRICS, *FEATURE_METRICS])
        raise _error("metric", f"Unknown metric “{metric.metric}”; use one of {names}.")


def _apply(metric: SuccessMetric, plan: LaunchPlan, data: Mapping[str, Any]) -> None:
    _series(metric, plan, data)
    if "label" in data:
        metric.label = str(data["label"] or "").strip()[:200]
    if "direction" in data:
        if data["direction"] not in Direction.values:
            raise _error("direction", "Expected “up” (higher is better) or “down”.")
        metric.direction = str(data["direction"])
    if "target" in data:
        metric.target = _target(data["target"])
    if "baseline_days" in data:
        metric.baseline_days = _days(data["baseline_days"])


def _unknown(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise InvalidInput(
            f"Unknown or fixed fields: {', '.join(extra)}.",
            fields={name: ["Cannot be set here."] for name in extra},
        )


def metric_add(*, actor: User | None, plan_id: int, data: Mapping[str, Any]) -> SuccessMetric:
    with transaction.atomic():
        plan = _plan(actor, plan_id)
        if plan.status == LaunchStatus.CANCELLED:
            raise _error("plan", "The plan is cancelled.")
        _unknown(data, FIELDS)
        metric = SuccessMetric(plan=plan, position=plan.metrics.count())
        _apply(metric, plan, {"metric": "", **data})
        metric.save()
        if plan.launched_on is not None:
            checks.metric_bind(metric, plan.launched_on)
            checks.plan_compute(plan)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=metric,
            object_type=OBJECT_TYPE,
            after=snapshot(metric),
        )
    return metric


def _plan(actor: User | None, plan_id: int) -> LaunchPlan:
    if actor is None:
        found = LaunchPlan.objects.select_related("feature", "product").filter(pk=plan_id).first()
        if found is None:
            raise NotFound(f"There is no launch plan with id {plan_id}.")
        return found
    return access_launch_plan(actor, plan_id, for_write=True)


def _metric(actor: User | None, metric_id: int) -> SuccessMetric:
    if actor is None:
        found = SuccessMetric.objects.select_related("plan").filter(pk=metric_id).first()
        if found is None:
            raise NotFound(f"There is no success metric with id {metric_id}.")
        return found
    return access_success_metric(actor, metric_id, for_write=True)


def _check_version(metric: SuccessMetric, expected_version: int | None) -> None:
    check_version(metric.version, expected_version, f"The success metric “{metric}”")


def metric_update(
    *,
    actor: User | None,
    metric_id: int,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> SuccessMetric:
    """Change a metric; after binding only its target (the checks take the new one)."""
    with transaction.atomic():
        metric = _metric(actor, metric_id)
        _check_version(metric, expected_version)
        _unknown(data, AFTER_BINDING if metric.bound_at else FIELDS)
        before = snapshot(metric)
        _apply(metric, metric.plan, data)
        metric.version += 1
        metric.save()
        if metric.bound_at is not None:
            checks.plan_compute(metric.plan)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=metric,
            object_type=OBJECT_TYPE,
            before=before,
            after=snapshot(metric),
        )
    return metric


def metric_delete(
    *, actor: User | None, metric_id: int, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        metric = _metric(actor, metric_id)
        _check_version(metric, expected_version)
        if metric.bound_at is not None:
            raise _error("metric", "Bound at launch: a bound metric stays (change its target).")
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=metric,
            object_type=OBJECT_TYPE,
            before=snapshot(metric),
        )
        metric.delete()


def plan_recompute(*, actor: User | None, plan_id: int) -> int:
    """Bind what is unbound and compute every check of the plan again (after late snapshots)."""
    with transaction.atomic():
        plan = _plan(actor, plan_id)
        if plan.launched_on is None:
            raise _error("plan", "The plan has not launched: there is nothing to check yet.")
        for metric in plan.metrics.select_related("plan"):
            checks.metric_bind(metric, plan.launched_on)
        return checks.plan_compute(plan)
