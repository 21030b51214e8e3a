"""Reads of the post-launch checks through the doors: every signed-in user reads them (like the
launch plans); the flags of a feature or product go through its portfolio door."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quarterdeck.accounts.models import User
from quarterdeck.launches import checks
from quarterdeck.launches.checks import Flag
from quarterdeck.launches.models import LaunchPlan, LaunchStatus
from quarterdeck.launches.selectors import Viewer, access_launch_plan, may_change_plan
from quarterdeck.lib.errors import NotAllowed
from quarterdeck.portfolio.selectors import access_feature, access_product


@dataclass
class PlanChecks:
    plan: LaunchPlan
    flags: list[Flag]
    may_change: bool


def plan_checks(user: Viewer, plan_id: int) -> PlanChecks:
    plan = access_launch_plan(user, plan_id)
    return PlanChecks(plan, checks.plan_flags(plan), may_change_plan(user, plan))


def feature_flags(user: User, feature_id: int) -> list[Flag]:
    return checks.item_flags(access_feature(user, feature_id))


def product_flags(user: User, product_id: int) -> list[Flag]:
    return checks.item_flags(access_product(user, product_id))


def recent_launches(user: Viewer, *, limit: int = 100) -> list[PlanChecks]:
    """Launched plans, the most recent first, with their checks."""
    if not isinstance(user, User) or not user.is_active:
        raise NotAllowed("Sign in to see post-launch checks.")
    plans = LaunchPlan.objects.filter(status=LaunchStatus.LAUNCHED, launched_on__isnull=False)
    plans = plans.select_related("feature", "product").order_by("-launched_on", "name")[:limit]
    return [PlanChecks(p, checks.plan_flags(p), may_change_plan(user, p)) for p in plans]


def check_out(badge: checks.Badge) -> dict[str, Any]:
    check = badge.check
    plain = ("offset_days", "due_on", "verdict", "value", "baseline", "target", "change")
    more = ("test", "statistic", "p_value", "detail", "computed_at")
    return {
        **{name: getattr(check, name) for name in plain + more},
        "symbol": badge.symbol,
        "text": badge.text,
    }


def metric_out(flag_or_metric: Flag | Any) -> dict[str, Any]:
    metric = flag_or_metric.metric if isinstance(flag_or_metric, Flag) else flag_or_metric
    badges = [checks.badge(c) for c in metric.checks.all()]
    plain = ("id", "plan_id", "metric", "feature_id", "label", "direction", "target")
    more = ("baseline", "baseline_days", "baseline_detail", "bound_at", "position", "version")
    return {
        **{name: getattr(metric, name) for name in plain + more},
        "checks": [check_out(b) for b in badges],
    }


def flag_out(flag: Flag) -> dict[str, Any]:
    plan = flag.plan
    latest = flag.latest
    return {
        "plan": {
            "id": plan.pk,
            "name": plan.name,
            "status": plan.status,
            "launched_on": plan.launched_on,
            "feature_id": plan.feature_id,
            "product_id": plan.product_id,
        },
        "metric": metric_out(flag),
        "latest": latest.verdict if latest else None,
    }
