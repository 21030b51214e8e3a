"""Which events belong to a product and which count as using a feature: the stored definitions
(ProductTracking, FeatureUsage, Source.products) turned into the engine's building blocks.

Read-only and without permission checks: call these on objects already fetched through a
portfolio ``access_*`` door. Parsing (``parse_conditions``) is shared with the services, which
validate what people type before it is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Final

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.metrics.engine.matchers import (
    LIST_OPS,
    NUMBER_OPS,
    Condition,
    DefinitionError,
    EventMatcher,
)
from quarterdeck.metrics.engine.matchers import Product as ProductFilter
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from quarterdeck.portfolio.models import Feature, Product

MAX_CONDITIONS: Final = 20
CONDITION_KEYS: Final = frozenset({"key", "op", "value", "on"})


def parse_condition(raw: object, where: str) -> Condition:
    """One ``{"key", "op", "value", "on"}`` object → a Condition; InvalidInput names ``where``."""
    if not isinstance(raw, Mapping):
        raise _invalid(
            where, 'expected an object like {"key": "plan", "op": "eq", "value": "pro"}.'
        )
    unknown = set(raw) - CONDITION_KEYS
    if unknown:
        raise _invalid(where, f"unknown field(s) {sorted(unknown)}; use key, op, value, on.")
    op = raw.get("op", "eq")
    value = _value(op, raw.get("value"))
    try:
        return Condition(str(raw.get("key", "")), op, value, raw.get("on", "properties"))
    except DefinitionError as exc:
        raise _invalid(where, exc.message) from exc


def _value(op: object, value: object) -> Any:
    """JSON has lists, not tuples; numbers typed as text in a form are numbers for gt/lt."""
    if op in LIST_OPS and isinstance(value, list):
        return tuple(value)
    if op in NUMBER_OPS and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value  # Condition explains that a number is needed
    return value


def parse_conditions(raw: object, field: str = "conditions") -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise _invalid(field, "expected a list of conditions.")
    if len(raw) > MAX_CONDITIONS:
        raise _invalid(field, f"at most {MAX_CONDITIONS} conditions.")
    return tuple(parse_condition(item, f"{field}[{i}]") for i, item in enumerate(raw))


def condition_data(condition: Condition) -> dict[str, Any]:
    """A Condition as stored: the inverse of parse_condition."""
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    data: dict[str, Any] = {"key": condition.key, "op": condition.op}
    if value is not None:
        data["value"] = value
    if condition.on != "properties":
        data["on"] = condition.on
    return data


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", fields={field: [message]})


def _stored(raw: object) -> tuple[Condition, ...]:
    """Stored conditions were validated on the way in; a row edited by hand into something
    unreadable counts as none rather than breaking every chart."""
    try:
        return parse_conditions(raw)
    except InvalidInput:
        return ()


def product_filter(product: Product) -> ProductFilter | None:
    """The product as an engine filter (its sources' ids and its conditions); None when the
    product is not tracked. Revoked sources count: their past events are still the product's."""
    source_ids = tuple(
        str(pk) for pk in product.event_sources.order_by("pk").values_list("pk", flat=True)
    )
    tracking = ProductTracking.objects.filter(product=product).first()
    where = _stored(tracking.conditions) if tracking else ()
    if not source_ids and not where:
        return None
    return ProductFilter(product.name, source_ids=source_ids, where=where)


def usage_matcher(feature: Feature, usage: FeatureUsage) -> EventMatcher | None:
    where = _stored(usage.conditions)
    if not usage.event and not where:
        return None
    return EventMatcher(event=usage.event or None, where=where, label=feature.name)


def feature_matcher(feature: Feature) -> EventMatcher | None:
    """What counts as using the feature, labelled with its name; None when undefined."""
    usage = FeatureUsage.objects.filter(feature=feature).first()
    return usage_matcher(feature, usage) if usage else None


def tracked_features(product: Product) -> list[tuple[Feature, EventMatcher]]:
    """The product's features and sub-features that have a usage definition, by name."""
    usages = FeatureUsage.objects.filter(feature__product=product).select_related("feature")
    found = []
    for usage in sorted(usages, key=lambda u: u.feature.name.casefold()):
        matcher = usage_matcher(usage.feature, usage)
        if matcher is not None:
            found.append((usage.feature, matcher))
    return found


def tracked_products(products: Iterable[Product]) -> list[tuple[Product, ProductFilter]]:
    found = []
    for product in products:
        product_scope = product_filter(product)
        if product_scope is not None:
            found.append((product, product_scope))
    return found
