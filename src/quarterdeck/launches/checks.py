"""Post-launch checks: success metrics bound at launch, their +30/+60/+90-day checks computed
when due, and the flags the feature and product pages show.

``metrics_bind(plan)`` is called by PLANS when a plan is marked launched; ``checks_run`` by the
daily worker task (tasks.py) and the CLI. Binding is audited (as the system); computing a check
is derived work, not anyone's edit, and is not (the metrics' own changes are, in
checks_metrics.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.launches import checks_compute
from quarterdeck.launches.models import (
    LaunchCheck,
    LaunchPlan,
    LaunchStatus,
    SuccessMetric,
    Verdict,
)
from quarterdeck.lib.dates import workspace_today
from quarterdeck.portfolio.models import Feature, Product

OFFSETS = (30, 60, 90)
OPEN = (Verdict.PENDING, Verdict.NO_DATA)  # computed again until they have data
BADGES = {
    "met": ("✓", "met"),
    "improved": ("↑", "improved"),
    "no_change": ("=", "no change"),
    "worse": ("↓", "worse"),
    "pending": ("…", "pending"),
    "no_data": ("?", "no data"),
}


def metric_bind(metric: SuccessMetric, launched_on: dt.date) -> SuccessMetric:
    """Measure the baseline before launch and create the three checks (idempotent)."""
    if metric.bound_at is None:
        before = snapshot(metric)
        sample = checks_compute.baseline(metric, launched_on)
        metric.baseline, metric.baseline_detail = sample.value, sample.detail
        metric.bound_at = timezone.now()
        metric.save(update_fields=["baseline", "baseline_detail", "bound_at"])
        audit_record(actor=None, action=Action.UPDATE, obj=metric, object_type="success_metric",
                     before=before, after=snapshot(metric))  # fmt: skip
        from quarterdeck.launches.tasks import schedule_daily_checks

        transaction.on_commit(schedule_daily_checks)  # the daily rhythm runs while checks wait
    for offset in OFFSETS:
        due = launched_on + dt.timedelta(days=offset)
        LaunchCheck.objects.get_or_create(
            metric=metric, offset_days=offset, defaults={"due_on": due}
        )
    return metric


def metrics_bind(plan: LaunchPlan) -> list[SuccessMetric]:
    """Bind every metric of a launched plan and compute the checks already due (a launch
    recorded late has some); nothing for a plan that has not launched."""
    if plan.launched_on is None:
        return []
    metrics = [metric_bind(m, plan.launched_on) for m in plan.metrics.select_related("plan")]
    plan_compute(plan)
    return metrics


def _save(check: LaunchCheck, launched_on: dt.date, today: dt.date) -> LaunchCheck:
    checks_compute.compute(check, launched_on, today)
    check.computed_at = timezone.now()
    check.save()
    return check


def plan_compute(plan: LaunchPlan, *, today: dt.date | None = None) -> int:
    """Compute (again) every check of ``plan``; the number with a verdict other than pending."""
    if plan.launched_on is None:
        return 0
    today = today or workspace_today()
    checks = LaunchCheck.objects.filter(metric__plan=plan, metric__bound_at__isnull=False)
    done = [_save(c, plan.launched_on, today) for c in checks.select_related("metric__plan")]
    return sum(c.verdict != Verdict.PENDING for c in done)


def checks_run(*, today: dt.date | None = None) -> int:
    """Compute the checks that are due and still open (not computed, or lacking data before);
    the number computed."""
    today = today or workspace_today()
    due = LaunchCheck.objects.filter(
        due_on__lte=today,
        verdict__in=OPEN,
        metric__bound_at__isnull=False,
        metric__plan__launched_on__isnull=False,
    ).select_related("metric__plan")
    count = 0
    for check in due:
        launched_on = check.metric.plan.launched_on
        assert launched_on is not None
        _save(check, launched_on, today)
        count += 1
    return count


# Flags on the feature and product pages --------------------------------------------------------


@dataclass(frozen=True)
class Badge:
    offset_days: int
    verdict: str
    symbol: str
    text: str
    check: LaunchCheck


@dataclass
class Flag:
    """One success metric of one launch and its three checks."""

    plan: LaunchPlan
    metric: SuccessMetric
    badges: list[Badge] = field(default_factory=list)

    @property
    def latest(self) -> Badge | None:
        done = [b for b in self.badges if b.verdict != Verdict.PENDING]
        return done[-1] if done else None


def badge(check: LaunchCheck) -> Badge:
    symbol, text = BADGES.get(check.verdict, ("?", check.verdict))
    return Badge(check.offset_days, check.verdict, symbol, text, check)


def item_plans(item: Feature | Product) -> list[LaunchPlan]:
    plans = LaunchPlan.objects.exclude(status=LaunchStatus.CANCELLED)
    # a product: its own launches and its features' ones (their plans name the product too)
    plans = plans.filter(feature=item) if isinstance(item, Feature) else plans.filter(product=item)
    return list(plans.select_related("feature", "product").order_by("-launched_on", "-launch_on"))


def plan_flags(plan: LaunchPlan) -> list[Flag]:
    flags = []
    for metric in plan.metrics.prefetch_related("checks"):
        flags.append(Flag(plan, metric, [badge(c) for c in metric.checks.all()]))
    return flags


def item_flags(item: Feature | Product) -> list[Flag]:
    """A feature: its launches' metrics and checks; a product: its own launches' and its
    features'. Most recent launch first."""
    return [flag for plan in item_plans(item) for flag in plan_flags(plan)]


# The "success_metrics" exit criterion (GATES) ------------------------------------------------


def success_metrics_requirement(item: Feature | Product) -> str | None:
    """Unmet (why) unless a live launch plan of the item has a success metric with a target."""
    plans = LaunchPlan.objects.exclude(status=LaunchStatus.CANCELLED)
    if isinstance(item, Feature):
        plans = plans.filter(feature=item)
    else:
        plans = plans.filter(product=item, feature__isnull=True)
    found = SuccessMetric.objects.filter(plan__in=plans, target__isnull=False).exists()
    return None if found else "No launch plan has a success metric with a target."


def register_requirement() -> None:
    from quarterdeck.launches import gates

    gates.register_requirement(
        "success_metrics", "Success metrics with targets", success_metrics_requirement
    )
