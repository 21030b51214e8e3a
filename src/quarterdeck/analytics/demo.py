"""The demo company's saved insights: a few that tell the demo events' story (events_catalog.py).
Call after the demo's tracking set-up (demo.tracking): they use its features' usage definitions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction

from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.services import insight_create
from quarterdeck.demo.events_catalog import DECAYING_FEATURE, LAUNCHED_FEATURE
from quarterdeck.portfolio.models import Feature, Product

PLAN_PAGE: Final = {"event": "Page Viewed", "where": {"path": "/routes/plan"}}
DISPATCH_PAGE: Final = {"event": "Page Viewed", "where": {"path": "/dispatch"}}


def _insights() -> list[dict[str, Any]]:
    """name, product, the query without its product, pinned; features by (product, name)."""
    return [
        {
            "name": "RouteIQ: plan → optimise → dispatch",
            "description": "Dispatchers who open the route plan, optimise a route and then open "
            "the dispatch board within a day.",
            "product": "RouteIQ",
            "query": {
                "kind": "funnel",
                "events": [PLAN_PAGE, "Route Optimized", DISPATCH_PAGE],
                "window_days": 1,
                "last_days": 30,
            },
            "pinned": True,
        },
        {
            "name": "DriverHub: weekly retention",
            "description": "Drivers by the week of their first use, and how many come back.",
            "product": "DriverHub",
            "query": {"kind": "retention", "grain": "week", "periods": 12, "last_days": 84},
        },
        {
            "name": "Drag-and-drop planner vs classic editor",
            "description": "Adoption of the new route planner, launched to replace the classic "
            "editor, and of the editor it replaces (last 30 days).",
            "product": "RouteIQ",
            "query": {"kind": "feature-adoption", "last_days": 30},
            "features": [LAUNCHED_FEATURE, DECAYING_FEATURE],
        },
    ]


def _data(spec: Mapping[str, Any]) -> dict[str, Any] | None:
    """The insight_create data, or None when the portfolio lacks the product or a feature."""
    product = Product.objects.filter(name=spec["product"]).first()
    if product is None:
        return None
    query = {**spec["query"], "product_id": product.pk}
    if "features" in spec:
        names = [name for product_name, name in spec["features"]]
        found = dict(
            Feature.objects.filter(product=product, name__in=names).values_list("name", "pk")
        )
        if len(found) != len(names):
            return None
        query["features"] = [found[name] for name in names]
    fields = ("name", "description", "pinned")
    return {**{f: spec[f] for f in fields if f in spec}, "query": query}


def demo_insights_ensure() -> int:
    """Create the demo's saved insights that are missing (as the system, audited); return how
    many were created. Loading twice creates nothing."""
    created = 0
    with transaction.atomic():
        for spec in _insights():
            if SavedInsight.objects.filter(name=spec["name"]).exists():
                continue
            data = _data(spec)
            if data is not None:
                insight_create(None, data)
                created += 1
    return created
