"""The demo's post-launch results: success metrics on the two story launches (demo_story.py),
bound at their launch and checked at +30, +60 and +90 days from the demo's KPI snapshots.

WORKED (the drag-and-drop route planner) promised 30 % of RouteIQ's monthly users within 30
days and to move three quarters of the classic route editor's daily users off it; FLOPPED (the
yard check-in kiosk) promised 25 % adoption and half the paper gate passes gone, and got
neither (demo/events_story.py keeps the kiosk's usage low and the paper passes in use).
PLANS's demo makes the launched plans (this step makes a bare one if it is missing). The KPI
snapshots are normally computed by the worker after the demo events; when the two products have
none yet they are computed here, for them only.
"""

from __future__ import annotations

from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.kpis.models import KpiSnapshot
from quarterdeck.launches import checks, checks_metrics
from quarterdeck.launches.demo_story import FLOPPED, WORKED
from quarterdeck.launches.models import LaunchPlan, LaunchStatus, SuccessMetric
from quarterdeck.portfolio.models import Feature, Product, StageChange

# (metric, feature measured (None: the product), label, direction, target); a target given
# as ("baseline", factor) is aimed at that multiple of the measured baseline.
Target = float | tuple[str, float]
METRICS: Final[dict[tuple[str, str], list[tuple[str, str | None, str, str, Target]]]] = {
    WORKED: [
        ("feature_adoption_30d", WORKED[1], "30-day adoption of the planner", "up", 0.30),
        ("feature_users", "Classic route editor", "Daily users left on the classic editor",
         "down", ("baseline", 0.25)),
    ],
    FLOPPED: [
        ("feature_adoption_30d", FLOPPED[1], "30-day adoption of the kiosk", "up", 0.25),
        ("feature_users", "Paper gate pass", "Daily users still printing gate passes",
         "down", ("baseline", 0.5)),
    ],
}  # fmt: skip


def _feature(key: tuple[str, str]) -> Feature | None:
    return Feature.objects.filter(product__name=key[0], name=key[1]).first()


def _launch_day(feature: Feature) -> Any:
    change = StageChange.objects.filter(
        item_type="feature", item_id=feature.pk, to_stage="launch"
    ).first()
    return None if change is None else timezone.localdate(change.at)


def _plan(feature: Feature) -> LaunchPlan | None:
    """The launched plan of the feature (PLANS's demo made it), else a bare one made here."""
    plans = LaunchPlan.objects.filter(feature=feature).exclude(status=LaunchStatus.CANCELLED)
    found = plans.filter(status=LaunchStatus.LAUNCHED).first()
    day = _launch_day(feature)
    if found is not None or day is None:
        return found
    from quarterdeck.launches import plans as plan_services

    plan = plans.first() or plan_services.plan_create(
        actor=None, data={"feature_id": feature.pk, "launch_on": day.isoformat()}
    )
    return plan_services.plan_mark_launched(actor=None, plan_id=plan.pk, on=day)


def _ensure_snapshots(products: list[Product]) -> None:
    missing = [p for p in products if not KpiSnapshot.objects.filter(product=p).exists()]
    if not missing:
        return
    from quarterdeck.kpis.services import kpis_refresh

    kpis_refresh(products=missing)


def _ensure_metrics(plan: LaunchPlan, key: tuple[str, str]) -> int:
    added = 0
    for name, measured, label, direction, target in METRICS[key]:
        if SuccessMetric.objects.filter(plan=plan, label=label).exists():
            continue
        feature = _feature((key[0], measured)) if measured else None
        data: dict[str, Any] = {"metric": name, "label": label, "direction": direction}
        data["feature_id"] = feature.pk if feature else None
        if isinstance(target, float):
            data["target"] = target
        metric = checks_metrics.metric_add(actor=None, plan_id=plan.pk, data=data)
        if isinstance(target, tuple) and metric.baseline is not None:
            aimed = round(metric.baseline * target[1], 1)
            checks_metrics.metric_update(actor=None, metric_id=metric.pk, data={"target": aimed})
        added += 1
    return added


def demo_checks_ensure() -> str:
    """Add what is missing; the one-line summary of what the checks say."""
    features = {key: _feature(key) for key in (WORKED, FLOPPED)}
    found = {key: f for key, f in features.items() if f is not None}
    if not found:
        return ""
    _ensure_snapshots([f.product for f in found.values()])
    added, results = 0, []
    with transaction.atomic():
        for key, feature in found.items():
            plan = _plan(feature)
            if plan is None:
                continue
            added += _ensure_metrics(plan, key)
            checks.plan_compute(plan)
            results.append(_summary(plan))
        added += _ensure_ready_metric()
    if not added:
        return ""
    return f"Demo post-launch checks: {added} success metrics; " + "; ".join(results) + "."


def _ensure_ready_metric() -> int:
    """The feature ready to launch (demo_gates.READY) promises an adoption target, so its
    "success metrics" exit criterion is met and a leader can move it to launch."""
    from quarterdeck.launches.demo_gates import READY

    feature = _feature(READY)
    plan = (
        None
        if feature is None
        else LaunchPlan.objects.filter(feature=feature, status=LaunchStatus.PLANNED).first()
    )
    if plan is None or plan.metrics.exists():
        return 0
    data = {
        "metric": "feature_adoption_30d",
        "feature_id": feature.pk if feature else None,
        "label": "30-day adoption of the door optimiser",
        "direction": "up",
        "target": 0.2,
    }
    checks_metrics.metric_add(actor=None, plan_id=plan.pk, data=data)
    return 1


def _summary(plan: LaunchPlan) -> str:
    flags = checks.plan_flags(plan)
    verdicts = [b.text for f in flags[:1] for b in f.badges]
    return f"{plan.feature or plan.product} +30/+60/+90: {', '.join(verdicts)}"
