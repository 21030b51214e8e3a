"""Writes to the portfolio. Each runs in a transaction, checks permission through the access_*
doors, checks the caller's version (lost-update protection), records stage moves and audits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio import selectors
from quarterdeck.portfolio.models import (
    Feature,
    FeatureKind,
    ItemType,
    PortfolioItem,
    Product,
    ProductLine,
    StageChange,
)
from quarterdeck.portfolio.validation import (
    check_parent,
    clean_common,
    feature_errors,
    only_fields,
    raise_if,
)

COMMON_FIELDS = {"name", "description", "owner_id", "stage", "target_segments", "links"}
LINE_FIELDS = COMMON_FIELDS | {"parent_id"}
PRODUCT_FIELDS = COMMON_FIELDS | {"line_id"}
FEATURE_FIELDS = COMMON_FIELDS | {"product_id", "parent_id", "kind"}
# Other apps watch stage moves (launches: exit criteria of a stage, binding success metrics at
# launch) without the portfolio importing them: a guard may refuse a move by raising a
# DomainError before anything is saved; a listener runs after the move is recorded, in the same
# transaction. Guards get (actor, item, old stage or "" on create, new stage, reason).
StageGuard = Callable[[User | None, PortfolioItem, str, str, str], None]
StageListener = Callable[[User | None, PortfolioItem, StageChange], None]
_stage_guards: list[StageGuard] = []
_stage_listeners: list[StageListener] = []


def register_stage_guard(guard: StageGuard) -> None:
    if guard not in _stage_guards:
        _stage_guards.append(guard)


def register_stage_listener(listener: StageListener) -> None:
    if listener not in _stage_listeners:
        _stage_listeners.append(listener)


def _guard_stage(actor: User | None, item: PortfolioItem, old: str, reason: str) -> None:
    if old != item.stage:
        for guard in _stage_guards:
            guard(actor, item, old, item.stage, reason)


ITEM_TYPE = {ProductLine: ItemType.LINE, Product: ItemType.PRODUCT, Feature: ItemType.FEATURE}
AUDIT_TYPE = {ProductLine: "product_line", Product: "product", Feature: "feature"}


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
    change = StageChange.objects.create(
        item_type=ITEM_TYPE[type(item)],
        item_id=item.pk,
        from_stage=old,
        to_stage=item.stage,
        reason=reason,
        actor=actor,
    )
    for listener in _stage_listeners:
        listener(actor, item, change)


def _create[Item: (ProductLine, Product, Feature)](
    actor: User | None, item: Item, stage_reason: str
) -> Item:
    _guard_stage(actor, item, "", stage_reason)
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
    _guard_stage(actor, item, old_stage, stage_reason)
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
    try:
        item.delete()
    except ProtectedError as error:  # e.g. outcomes set for it (other modules refer to items)
        raise InvalidInput(
            f"“{item.name}” is still referred to by {_referrers(error)}; "
            "delete those or move them elsewhere first."
        ) from None
    item.pk = pk
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=item,
        before=before,
        object_type=AUDIT_TYPE[type(item)],
    )


def _referrers(error: ProtectedError) -> str:
    """'2 outcome(s) (“A”, “B”)': what protects the item, for the error message."""
    found: dict[str, list[str]] = {}
    for obj in error.protected_objects:
        found.setdefault(str(obj._meta.verbose_name), []).append(f"“{obj}”")
    return "; ".join(
        f"{len(names)} {kind}(s) ({', '.join(names[:3])}{', …' if len(names) > 3 else ''})"
        for kind, names in found.items()
    )


def _children_count(item: PortfolioItem) -> int:
    if isinstance(item, ProductLine):
        return item.children.count() + item.products.count()
    if isinstance(item, Product):
        return item.features.count()
    assert isinstance(item, Feature)
    return item.children.count()


# Product lines --------------------------------------------------------------------------------


def line_create(*, actor: User, data: Mapping[str, Any], stage_reason: str = "") -> ProductLine:
    only_fields(LINE_FIELDS, data)
    clean, errors = clean_common({"name": "", **data})
    parent_id = data.get("parent_id")
    if parent_errors := check_parent(ProductLine, None, parent_id):
        errors["parent_id"] = parent_errors
    raise_if(errors)
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
    only_fields(LINE_FIELDS, data)
    with transaction.atomic():
        line = selectors.access_line(actor, line_id, for_write=True)
        line = ProductLine.objects.select_for_update().get(pk=line.pk)
        clean, errors = clean_common(data)
        if "parent_id" in data and data["parent_id"] != line.parent_id:
            if parent_errors := check_parent(ProductLine, line, data["parent_id"]):
                errors["parent_id"] = parent_errors
            elif data["parent_id"] is None and not rules.changes_everything(actor):
                raise NotAllowed("Only leaders and admins make a product line top-level.")
            elif data["parent_id"] is not None:
                selectors.access_line(actor, data["parent_id"], for_write=True)
            clean["parent_id"] = data["parent_id"]
        raise_if(errors)
        return _update(actor, line, expected_version, clean, stage_reason)


def line_delete(*, actor: User, line_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        line = selectors.access_line(actor, line_id, for_write=True)
        _delete(actor, ProductLine.objects.select_for_update().get(pk=line.pk), expected_version)


# Products -------------------------------------------------------------------------------------


def product_create(*, actor: User, data: Mapping[str, Any], stage_reason: str = "") -> Product:
    only_fields(PRODUCT_FIELDS, data)
    clean, errors = clean_common({"name": "", **data})
    line_id = data.get("line_id")
    if line_id is None:
        errors["line_id"] = ["A product belongs to a product line."]
    raise_if(errors)
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
    only_fields(PRODUCT_FIELDS, data)
    with transaction.atomic():
        product = selectors.access_product(actor, product_id, for_write=True)
        product = Product.objects.select_for_update().get(pk=product.pk)
        clean, errors = clean_common(data)
        if "line_id" in data and data["line_id"] != product.line_id:
            if data["line_id"] is None:
                errors["line_id"] = ["A product belongs to a product line."]
            else:
                selectors.access_line(actor, int(data["line_id"]), for_write=True)
                clean["line_id"] = data["line_id"]
        raise_if(errors)
        return _update(actor, product, expected_version, clean, stage_reason)


def product_delete(*, actor: User, product_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        product = selectors.access_product(actor, product_id, for_write=True)
        _delete(actor, Product.objects.select_for_update().get(pk=product.pk), expected_version)


# Features and initiatives ---------------------------------------------------------------------


def feature_create(*, actor: User, data: Mapping[str, Any], stage_reason: str = "") -> Feature:
    only_fields(FEATURE_FIELDS, data)
    clean, errors = clean_common({"name": "", **data})
    product_id = data.get("product_id")
    if product_id is None:
        errors["product_id"] = ["A feature belongs to a product."]
    errors |= feature_errors(None, data, product_id)
    raise_if(errors)
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
    only_fields(FEATURE_FIELDS, data)
    with transaction.atomic():
        feature = selectors.access_feature(actor, feature_id, for_write=True)
        feature = Feature.objects.select_for_update().get(pk=feature.pk)
        clean, errors = clean_common(data)
        product_id = data.get("product_id", feature.product_id)
        if product_id is None:
            errors["product_id"] = ["A feature belongs to a product."]
        elif product_id != feature.product_id:
            selectors.access_product(actor, int(product_id), for_write=True)
        errors |= feature_errors(feature, data, product_id)
        raise_if(errors)
        for name in ("product_id", "parent_id", "kind"):
            if name in data:
                clean[name] = data[name]
        return _update(actor, feature, expected_version, clean, stage_reason)


def feature_delete(*, actor: User, feature_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        feature = selectors.access_feature(actor, feature_id, for_write=True)
        _delete(actor, Feature.objects.select_for_update().get(pk=feature.pk), expected_version)
