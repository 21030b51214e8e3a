"""Writes of tracking definitions: a product's event conditions and a feature's usage definition.

Whoever may change the product (or feature) may change its definitions: they go through the
portfolio doors with ``for_write``. Every write is validated (the engine must be able to run it),
version-checked and audited. ``actor=None`` is the system (the demo loader), which skips the door.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, VersionConflict, VersionRequired
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from quarterdeck.metrics.tracking import condition_data, parse_conditions
from quarterdeck.portfolio import selectors as portfolio
from quarterdeck.portfolio.models import Feature, Product

PRODUCT_FIELDS: Final = frozenset({"conditions"})
FEATURE_FIELDS: Final = frozenset({"event", "conditions"})
MAX_EVENT_NAME: Final = 200


def _unknown(data: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(
            f"Unknown field(s): {', '.join(unknown)}.",
            fields={name: ["This field does not exist here."] for name in unknown},
        )


def _check_version(row: ProductTracking | FeatureUsage | None, expected: int | None) -> None:
    if row is None:
        if expected not in (None, 0):
            raise VersionConflict("There is no definition yet to update.", current_version=0)
        return
    if expected is None:
        raise VersionRequired("Send the version you read (If-Match) to change a definition.")
    if expected != row.version:
        raise VersionConflict(
            "Somebody changed this definition since you read it.", current_version=row.version
        )


def _save(
    actor: User | None, row: ProductTracking | FeatureUsage, before: dict[str, Any] | None
) -> None:
    if before is not None:
        row.version += 1
    row.updated_at = timezone.now()
    row.save()
    action = Action.UPDATE if before is not None else Action.CREATE
    audit_record(actor=actor, action=action, obj=row, before=before, after=snapshot(row))


def _product(actor: User | None, product_id: int) -> Product:
    if actor is None:
        return Product.objects.get(pk=product_id)
    return portfolio.access_product(actor, product_id, for_write=True)


def _feature(actor: User | None, feature_id: int) -> Feature:
    if actor is None:
        return Feature.objects.get(pk=feature_id)
    return portfolio.access_feature(actor, feature_id, for_write=True)


def product_tracking_set(
    *, actor: User | None, product_id: int, data: Mapping[str, Any], expected_version: int | None
) -> ProductTracking:
    """Set the property conditions every event of the product meets (on top of its sources)."""
    _unknown(data, PRODUCT_FIELDS)
    conditions = parse_conditions(data.get("conditions", []))
    with transaction.atomic():
        product = _product(actor, product_id)
        row = ProductTracking.objects.select_for_update().filter(product=product).first()
        _check_version(row, expected_version)
        before = snapshot(row) if row else None
        row = row or ProductTracking(product=product)
        row.conditions = [condition_data(c) for c in conditions]
        _save(actor, row, before)
    return row


def _clean_event(raw: object) -> str:
    event = "" if raw is None else raw
    if not isinstance(event, str):
        raise InvalidInput("event: expected text.", fields={"event": ["Expected text."]})
    event = event.strip()
    if len(event) > MAX_EVENT_NAME:
        message = f"At most {MAX_EVENT_NAME} characters (this one has {len(event)})."
        raise InvalidInput(f"event: {message}", fields={"event": [message]})
    return event


def feature_usage_set(
    *, actor: User | None, feature_id: int, data: Mapping[str, Any], expected_version: int | None
) -> FeatureUsage:
    """Set what counts as using the feature: an event name and/or property conditions."""
    _unknown(data, FEATURE_FIELDS)
    event = _clean_event(data.get("event"))
    conditions = parse_conditions(data.get("conditions", []))
    if not event and not conditions:
        message = "Give the event name, a property condition, or both."
        raise InvalidInput(message, fields={"event": [message]})
    with transaction.atomic():
        feature = _feature(actor, feature_id)
        row = FeatureUsage.objects.select_for_update().filter(feature=feature).first()
        _check_version(row, expected_version)
        before = snapshot(row) if row else None
        row = row or FeatureUsage(feature=feature)
        row.event = event
        row.conditions = [condition_data(c) for c in conditions]
        _save(actor, row, before)
    return row


def feature_usage_clear(
    *, actor: User | None, feature_id: int, expected_version: int | None
) -> None:
    """Remove the usage definition: the feature is no longer measured."""
    with transaction.atomic():
        feature = _feature(actor, feature_id)
        row = FeatureUsage.objects.select_for_update().filter(feature=feature).first()
        if row is None:
            return
        _check_version(row, expected_version)
        audit_record(actor=actor, action=Action.DELETE, obj=row, before=snapshot(row))
        row.delete()
