"""The Tracking card of product and feature pages: which events are the product's, what counts
as using the feature, with a link to change it for those who may."""

from __future__ import annotations

from typing import Any

from django import template

from quarterdeck.metrics.conditions_text import format_condition
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from quarterdeck.portfolio.models import Feature, Product

register = template.Library()


@register.inclusion_tag("metrics/_tracking_card.html")
def tracking_card(item: Product | Feature, may_change: bool) -> dict[str, Any]:
    """``item`` was fetched through its portfolio door by the page's view."""
    if isinstance(item, Product):
        row = ProductTracking.objects.filter(product=item).first()
        sources = list(item.event_sources.all())
        conditions = row.conditions if row else []
        return {
            "kind": "product",
            "item": item,
            "may_change": may_change,
            "sources": sources,
            "conditions": [format_condition(c) for c in conditions],
            "tracked": bool(sources or conditions),
        }
    usage = FeatureUsage.objects.filter(feature=item).first()
    return {
        "kind": "feature",
        "item": item,
        "may_change": may_change,
        "usage": usage,
        "conditions": [format_condition(c) for c in usage.conditions] if usage else [],
    }
