"""What the post-launch check pages and the item card show (view models built from the
selectors; the templates only lay them out)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quarterdeck.kpis.models import RATIO_METRICS, Metric
from quarterdeck.launches.checks import Flag, item_plans, plan_flags
from quarterdeck.launches.checks_charts import metric_chart
from quarterdeck.launches.checks_compute import kind
from quarterdeck.launches.models import LaunchPlan
from quarterdeck.portfolio.models import Feature, Product


@dataclass
class MetricView:
    flag: Flag
    series: str
    ratio: bool
    spec: dict[str, Any] | None
    spec_id: str
    kind: str


def series_label(metric: str) -> str:
    return str(Metric(metric).label) if metric in Metric.values else metric


def metric_view(flag: Flag, *, chart: bool = True) -> MetricView:
    metric, plan = flag.metric, flag.plan
    caption = f"{metric.label or series_label(metric.metric)} around the launch of {plan.name}"
    spec = metric_chart(metric, plan.launched_on, caption) if chart and plan.launched_on else None
    return MetricView(
        flag=flag,
        series=series_label(metric.metric),
        ratio=metric.metric in RATIO_METRICS,
        spec=spec,
        spec_id=f"launch-metric-{metric.pk}",
        kind=kind(metric.metric),
    )


def grouped(flags: list[Flag], *, chart: bool = True) -> list[dict[str, Any]]:
    """Flags per launch, in the order given: [{"plan", "metrics": [MetricView]}]."""
    groups: dict[int, dict[str, Any]] = {}
    for flag in flags:
        group = groups.setdefault(flag.plan.pk, {"plan": flag.plan, "metrics": []})
        group["metrics"].append(metric_view(flag, chart=chart))
    return list(groups.values())


def plan_groups(plans: list[LaunchPlan], *, chart: bool = True) -> list[dict[str, Any]]:
    """Per launch (plans without metrics too): [{"plan", "metrics": [MetricView]}]."""
    return [
        {"plan": plan, "metrics": [metric_view(f, chart=chart) for f in plan_flags(plan)]}
        for plan in plans
    ]


def item_card(item: Feature | Product) -> dict[str, Any]:
    groups = plan_groups(item_plans(item))
    charts = any(view.spec for group in groups for view in group["metrics"])
    return {"groups": groups, "charts": charts, "item": item}
