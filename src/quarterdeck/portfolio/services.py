"""Writes to the portfolio. Each runs in a transaction, checks permission through the access_*
doors, checks the caller's version (lost-update protection), records stage moves and audits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people.models import Person
from quarterdeck.portfolio import selectors
from quarterdeck.portfolio.models import (
    Feature,
    FeatureKind,
    ItemType,
    PortfolioItem,
    Product,
    ProductLine,
    Stage,
    StageChange,
)

COMMON_FIELDS = {"name", "description", "owner_id", "stage", "target_segments", "links"}
LINE_FIELDS = COMMON_FIELDS | {"parent_id"}
PRODUCT_FIELDS = COMMON_FIELDS | {"line_id"}
FEATURE_FIELDS = COMMON_FIELDS | {"product_id", "parent_id", "kind"}
ITEM_TYPE = {ProductLine: ItemType.LINE, Product: ItemType.PRODUCT, Feature: ItemType.FEATURE}
AUDIT_TYPE = {ProductLine: "product_line", Product: "product", Feature: "feature"}


def _clean_common(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate the shared fields present in ``data``; return (clean values, errors by field)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if "name" in data:
        name = str(data["name"] or "").strip()
        if not name:
            errors["name"] = ["A name is required."]
        elif len(name) > 200:
            errors["name"] = [f"At most 200 characters (this one has {len(name)})."]
        clean["name"] = name
    if "description" in data:
        clean["description"] = str(data["description"] or "")
    if "owner_id" in data:
        owner_id = data["owner_id"]
        if owner_id is not None and not Person.objects.filter(pk=owner_id).exists():
            errors["owner_id"] = [f"There is no person with id {owner_id}."]
        clean["owner_id"] = owner_id
    if "stage" in data:
        if data["stage"] not in Stage.values:
            errors["stage"] = [
                f"Unknown stage {data['stage']!r}; use one of {', '.join(Stage.values)}."
            ]
        clean["stage"] = data["stage"]
    if "target_segments" in data:
        segments = data["target_segments"] or []
        if not isinstance(segments, list | tuple) or not all(isinstance(s, str) for s in segments):
            errors["target_segments"] = ["Expected a list of segment names."]
        else:
            clean["target_segments"] = [s.strip() for s in segments if s.strip()]
    if "links" in data:
        link_errors = _link_errors(data["links"] or [])
        if link_errors:
            errors["links"] = link_errors
        else:
            clean["links"] = [
                {"label": str(link.get("label") or link["url"]), "url": link["url"]}
                for link in data["links"] or []
            ]
    return clean, errors


def _link_errors(links: Any) -> list[str]:
    if not isinstance(links, list | tuple):
        return ["Expected a list of {label, url} objects."]
    errors = []
    for index, link in enumerate(links, start=1):
        if not isinstance(link, Mapping) or not isinstance(link.get("url"), str):
            errors.append(f"Link {index}: expected an object with a 'url'.")
            continue
        parts = urlsplit(link["url"])
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            errors.append(f"Link {index}: {link['url']!r} is not an http(s) address.")
    return errors


def _check_parent[Item: (ProductLine, Product, Feature)](
    model: type[Item], item: Item | None, parent_id: int | None
) -> list[str]:
    """A parent must exist and must not be the item itself or one of its descendants."""
    if parent_id is None:
        return []
    parent = model.objects.filter(pk=parent_id).first()
    if parent is None:
        return [f"There is no {model._meta.verbose_name} with id {parent_id}."]
    seen: set[int] = set()
    current: Any = parent
    while current is not None and current.pk not in seen:
        if item is not None and current.pk == item.pk:
            return ["An item cannot be placed under itself or under one of its own children."]
        seen.add(current.pk)
        current = current.parent
    return []


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.items()))
        raise InvalidInput(f"{first[0]}: {first[1][0]}", fields=errors)


def _save(item: PortfolioItem) -> None:
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:
        raise InvalidInput(
            "Another item with this name already exists in the same place.",
            fields={"name": ["Already used by another item in the same place."]},
        ) from exc


def _record_stage(actor: User | None, item: PortfolioItem, old: str, reason: str) -> None:
    if old == item.stage:
        return
    StageChange.objects.create(
        item_type=ITEM_TYPE[type(item)],
        item_id=item.pk,
        from_stage=old,
        to_stage=item.stage,
        reason=reason,
        actor=actor,
    )


def _create[Item: (ProductLine, Product, Feature)](
    actor: User | None, item: Item, stage_reason: str
) -> Item:
    _save(item)
    _record_stage(actor, item, "", stage_reason or "Created")
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=item,
        after=snapshot(item),
        object_type=AUDIT_TYPE[type(item)],
    )
    return item


def _update[Item: (ProductLine, Product, Feature)](
    actor: User | None,
    item: Item,
    expected_version: int | None,
    clean: Mapping[str, Any],
    stage_reason: str,
) -> Item:
    if expected_version is not None and item.version != expected_version:
        raise VersionConflict(
            f"“{item.name}” was changed by someone else (now version {item.version}, "
            f"you edited version {expected_version}). Reload it and apply your change again.",
            current_version=item.version,
        )
    before = snapshot(item)
    old_stage = item.stage
    for name, value in clean.items():
        setattr(item, name, value)
    after = snapshot(item)
    if after == before:
        return item
    item.version += 1
    item.updated_at = timezone.now()
    _save(item)
    _record_stage(actor, item, old_stage, stage_reason)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=item,
        before=before,
        after=after,
        object_type=AUDIT_TYPE[type(item)],
    )
    return item


def _delete[Item: (ProductLine, Product, Feature)](
    actor: User | None, item: Item, expected_version: int | None
) -> None:
    if expected_version is not None and item.version != expected_version:
        raise VersionConflict(
            f"“{item.name}” was changed by someone else since you loaded it; reload first.",
            current_version=item.version,
        )
    blockers = _children_count(item)
    if blockers:
        raise InvalidInput(
            f"“{item.name}” still has {blockers} item(s) under it; move or delete them first."
        )
    before = snapshot(item)
    pk = item.pk
    item.delete()
    item.pk = pk
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=item,
        before=before,
        object_type=AUDIT_TYPE[type(item)],
    )


def _children_count(item: PortfolioItem) -> int:
    if isinstance(item, ProductLine):
        return item.children.count() + item.products.count()
    if isinstance(item, Product):
        return item.features.count()
    assert isinstance(item, Feature)
    return item.children.count()


def _only(allowed: set[str], data: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(
            f"Unknown field(s): {', '.join(unknown)}.",
            fields={name: ["This field does not exist here."] for name in unknown},
        )


# Product lines --------------------------------------------------------------------------------


def line_create(*, actor: User, data: Mapping[str, Any], stage_reason: str = "") -> ProductLine:
    _only(LINE_FIELDS, data)
    clean, errors = _clean_common({"name": "", **data})
    parent_id = data.get("parent_id")
    if parent_errors := _check_parent(ProductLine, None, parent_id):
        errors["parent_id"] = parent_errors
    _raise_if(errors)
    with transaction.atomic():
        if parent_id is None:
            if not rules.changes_everything(actor):
                raise NotAllowed("Only leaders and admins add top-level product lines.")
        else:
            selectors.access_line(actor, parent_id, for_write=True)
        return _create(actor, ProductLine(parent_id=parent_id, **clean), stage_reason)


def line_update(
    *,
    actor: User,
    line_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
    stage_reason: str = "",
) -> ProductLine:
    _only(LINE_FIELDS, data)
    with transaction.atomic():
        line = selectors.access_line(actor, line_id, for_write=True)
        line = ProductLine.objects.select_for_update().get(pk=line.pk)
        clean, errors = _clean_common(data)
        if "parent_id" in data and data["parent_id"] != line.parent_id:
            if parent_errors := _check_parent(ProductLine, line, data["parent_id"]):
                errors["parent_id"] = parent_errors
            elif data["parent_id"] is None and not rules.changes_everything(actor):
                raise NotAllowed("Only leaders and admins make a product line top-level.")
            elif data["parent_id"] is not None:
                selectors.access_line(actor, data["parent_id"], for_write=True)
            clean["parent_id"] = data["parent_id"]
        _raise_if(errors)
        return _update(actor, line, expected_version, clean, stage_reason)


def line_delete(*, actor: User, line_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        line = selectors.access_line(actor, line_id, for_write=True)
        _delete(actor, ProductLine.objects.select_for_update().get(pk=line.pk), expected_version)


# Products -------------------------------------------------------------------------------------


def product_create(*, actor: User, data: Mapping[str, Any], stage_reason: str = "") -> Product:
    _only(PRODUCT_FIELDS, data)
    clean, errors = _clean_common({"name": "", **data})
    line_id = data.get("line_id")
    if line_id is None:
        errors["line_id"] = ["A product belongs to a product line."]
    _raise_if(errors)
    with transaction.atomic():
        assert line_id is not None
        selectors.access_line(actor, int(line_id), for_write=True)
        return _create(actor, Product(line_id=line_id, **clean), stage_reason)


def product_update(
    *,
    actor: User,
    product_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
    stage_reason: str = "",
) -> Product:
    _only(PRODUCT_FIELDS, data)
    with transaction.atomic():
        product = selectors.access_product(actor, product_id, for_write=True)
        product = Product.objects.select_for_update().get(pk=product.pk)
        clean, errors = _clean_common(data)
        if "line_id" in data and data["line_id"] != product.line_id:
            if data["line_id"] is None:
                errors["line_id"] = ["A product belongs to a product line."]
            else:
                selectors.access_line(actor, int(data["line_id"]), for_write=True)
                clean["line_id"] = data["line_id"]
        _raise_if(errors)
        return _update(actor, product, expected_version, clean, stage_reason)


def product_delete(*, actor: User, product_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        product = selectors.access_product(actor, product_id, for_write=True)
        _delete(actor, Product.objects.select_for_update().get(pk=product.pk), expected_version)


# Features and initiatives ---------------------------------------------------------------------


def _clean_feature_links(
    feature: Feature | None, data: Mapping[str, Any], product_id: int | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "kind" in data and data["kind"] not in FeatureKind.values:
        errors["kind"] = [f"Unknown kind {data['kind']!r}; use feature or initiative."]
    parent_id = data.get("parent_id", feature.parent_id if feature else None)
    if parent_errors := _check_parent(Feature, feature, parent_id):
        errors["parent_id"] = parent_errors
    elif parent_id is not None:
        parent_product = Feature.objects.filter(pk=parent_id).values_list("product_id", flat=True)
        if parent_product.first() != product_id:
            errors["parent_id"] = ["A sub-feature must belong to the same product as its parent."]
    return errors


def feature_create(*, actor: User, data: Mapping[str, Any], stage_reason: str = "") -> Feature:
    _only(FEATURE_FIELDS, data)
    clean, errors = _clean_common({"name": "", **data})
    product_id = data.get("product_id")
    if product_id is None:
        errors["product_id"] = ["A feature belongs to a product."]
    errors |= _clean_feature_links(None, data, product_id)
    _raise_if(errors)
    with transaction.atomic():
        assert product_id is not None
        parent_id = data.get("parent_id")
        if parent_id is not None:
            selectors.access_feature(actor, int(parent_id), for_write=True)
        else:
            selectors.access_product(actor, int(product_id), for_write=True)
        feature = Feature(
            product_id=product_id,
            parent_id=parent_id,
            kind=data.get("kind", FeatureKind.FEATURE),
            **clean,
        )
        return _create(actor, feature, stage_reason)


def feature_update(
    *,
    actor: User,
    feature_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
    stage_reason: str = "",
) -> Feature:
    _only(FEATURE_FIELDS, data)
    with transaction.atomic():
        feature = selectors.access_feature(actor, feature_id, for_write=True)
        feature = Feature.objects.select_for_update().get(pk=feature.pk)
        clean, errors = _clean_common(data)
        product_id = data.get("product_id", feature.product_id)
        if product_id is None:
            errors["product_id"] = ["A feature belongs to a product."]
        elif product_id != feature.product_id:
            selectors.access_product(actor, int(product_id), for_write=True)
        errors |= _clean_feature_links(feature, data, product_id)
        _raise_if(errors)
        for name in ("product_id", "parent_id", "kind"):
            if name in data:
                clean[name] = data[name]
        return _update(actor, feature, expected_version, clean, stage_reason)


def feature_delete(*, actor: User, feature_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        feature = selectors.access_feature(actor, feature_id, for_write=True)
        _delete(actor, Feature.objects.select_for_update().get(pk=feature.pk), expected_version)
