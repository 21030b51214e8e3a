"""The demo company's tracking set-up: one event source per product (the products' apps) and,
for every feature, what counts as using it — from events_catalog.py, the same table the event
generator follows, so the definitions match the generated events."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from quarterdeck.demo.events_catalog import DEMO_FEATURE_EVENTS, DEMO_PRODUCT_SOURCES
from quarterdeck.metrics.models import FeatureUsage, Source
from quarterdeck.metrics.services import source_create
from quarterdeck.metrics.tracking_services import feature_usage_set
from quarterdeck.portfolio.models import Feature, Product


def _ensure_sources() -> dict[str, str]:
    ids = {}
    for product_name, source_name in DEMO_PRODUCT_SOURCES.items():
        source = Source.objects.filter(name=source_name).first()
        if source is None:
            product = Product.objects.filter(name=product_name).first()
            products = [product.pk] if product else []
            source = source_create(actor=None, data={"name": source_name, "product_ids": products})
        ids[source_name] = str(source.pk)
    return ids


def _ensure_usage() -> int:
    created = 0
    features = Feature.objects.select_related("product")
    by_key = {(f.product.name, f.name): f for f in features}
    defined = set(FeatureUsage.objects.values_list("feature_id", flat=True))
    for key, usage in DEMO_FEATURE_EVENTS.items():
        feature = by_key.get(key)
        if feature is None or feature.pk in defined:
            continue  # renamed or removed since the demo was loaded; or already defined
        conditions = [{"key": k, "op": "eq", "value": v} for k, v in usage.where.items()]
        data = {"event": usage.event, "conditions": conditions}
        feature_usage_set(actor=None, feature_id=feature.pk, data=data, expected_version=None)
        created += 1
    return created


def demo_tracking_ensure() -> Mapping[str, str]:
    """Create what is missing; return each demo source's name → its id (the ``source_id`` the
    generated events carry)."""
    with transaction.atomic():
        ids = _ensure_sources()
        _ensure_usage()
    return ids
