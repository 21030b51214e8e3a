"""Reads of the portfolio, and the one door per item: access_line, _product and _feature."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.portfolio.models import (
    Feature,
    ItemType,
    PortfolioItem,
    Product,
    ProductLine,
    StageChange,
)


def may_read_portfolio(user: User) -> bool:
    return user.is_authenticated and user.is_active


def line_owner_chain(line: ProductLine) -> list[int | None]:
    owners: list[int | None] = []
    seen: set[int] = set()
    current: ProductLine | None = line
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        owners.append(current.owner_id)
        current = current.parent
    return owners


def product_owner_chain(product: Product) -> list[int | None]:
    return [product.owner_id, *line_owner_chain(product.line)]


def feature_owner_chain(feature: Feature) -> list[int | None]:
    owners: list[int | None] = []
    seen: set[int] = set()
    current: Feature | None = feature
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        owners.append(current.owner_id)
        current = current.parent
    return [*owners, *product_owner_chain(feature.product)]


def owner_chain(item: PortfolioItem) -> list[int | None]:
    if isinstance(item, ProductLine):
        return line_owner_chain(item)
    if isinstance(item, Product):
        return product_owner_chain(item)
    assert isinstance(item, Feature)
    return feature_owner_chain(item)


def may_change_item(user: User, item: PortfolioItem) -> bool:
    return rules.may_change_owned(user, owner_chain(item))


def _access[Item: (ProductLine, Product, Feature)](
    user: User, queryset: QuerySet[Item], pk: int, label: str, for_write: bool
) -> Item:
    if not may_read_portfolio(user):
        raise NotAllowed("Sign in to see the portfolio.")
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise NotFound(f"There is no {label} with id {pk}.")
    if for_write and not may_change_item(user, item):
        raise NotAllowed(f"You may not change the {label} “{item.name}”.")
    return item


def access_line(user: User, line_id: int, *, for_write: bool = False) -> ProductLine:
    qs = ProductLine.objects.select_related("owner", "parent")
    return _access(user, qs, line_id, "product line", for_write)


def access_product(user: User, product_id: int, *, for_write: bool = False) -> Product:
    qs = Product.objects.select_related("owner", "line")
    return _access(user, qs, product_id, "product", for_write)


def access_feature(user: User, feature_id: int, *, for_write: bool = False) -> Feature:
    qs = Feature.objects.select_related("owner", "product", "product__line", "parent")
    return _access(user, qs, feature_id, "feature", for_write)


def _filtered[Item: (ProductLine, Product, Feature)](
    qs: QuerySet[Item], *, owner_id: int | None, stage: str | None, search: str | None
) -> QuerySet[Item]:
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if stage:
        qs = qs.filter(stage=stage)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def list_lines(
    user: User,
    *,
    parent_id: int | None = None,
    owner_id: int | None = None,
    stage: str | None = None,
    search: str | None = None,
) -> QuerySet[ProductLine]:
    if not may_read_portfolio(user):
        raise NotAllowed("Sign in to see the portfolio.")
    qs = ProductLine.objects.select_related("owner", "parent")
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return _filtered(qs, owner_id=owner_id, stage=stage, search=search)


def list_products(
    user: User,
    *,
    line_id: int | None = None,
    owner_id: int | None = None,
    stage: str | None = None,
    search: str | None = None,
) -> QuerySet[Product]:
    if not may_read_portfolio(user):
        raise NotAllowed("Sign in to see the portfolio.")
    qs = Product.objects.select_related("owner", "line")
    if line_id is not None:
        qs = qs.filter(line_id__in=line_subtree_ids(line_id))
    return _filtered(qs, owner_id=owner_id, stage=stage, search=search)


def list_features(
    user: User,
    *,
    product_id: int | None = None,
    line_id: int | None = None,
    parent_id: int | None = None,
    owner_id: int | None = None,
    stage: str | None = None,
    search: str | None = None,
) -> QuerySet[Feature]:
    if not may_read_portfolio(user):
        raise NotAllowed("Sign in to see the portfolio.")
    qs = Feature.objects.select_related("owner", "product", "parent")
    if product_id is not None:
        qs = qs.filter(product_id=product_id)
    if line_id is not None:
        qs = qs.filter(product__line_id__in=line_subtree_ids(line_id))
    if parent_id is not None:
        qs = qs.filter(parent_id=parent_id)
    return _filtered(qs, owner_id=owner_id, stage=stage, search=search)


def line_subtree_ids(line_id: int) -> set[int]:
    found = {line_id}
    frontier = {line_id}
    while frontier:
        frontier = (
            set(ProductLine.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def stage_history(item_type: ItemType, item_id: int) -> QuerySet[StageChange]:
    return StageChange.objects.filter(item_type=item_type, item_id=item_id).select_related("actor")


@dataclass
class FeatureNode:
    feature: Feature
    children: list[FeatureNode] = field(default_factory=list)


@dataclass
class ProductNode:
    product: Product
    features: list[FeatureNode] = field(default_factory=list)


@dataclass
class LineNode:
    line: ProductLine
    children: list[LineNode] = field(default_factory=list)
    products: list[ProductNode] = field(default_factory=list)


def portfolio_tree(
    user: User,
    *,
    line_id: int | None = None,
    owner_id: int | None = None,
    stage: str | None = None,
) -> list[LineNode]:
    """The whole tree in three queries. With owner or stage filters, an item is kept when it or
    anything below it matches, so the path to every match stays visible."""
    lines = list(list_lines(user))
    products = list(list_products(user))
    features = list(list_features(user))

    def matches(item: PortfolioItem) -> bool:
        return (owner_id is None or item.owner_id == owner_id) and (
            not stage or item.stage == stage
        )

    feature_nodes = {f.pk: FeatureNode(f) for f in features}
    product_nodes = {p.pk: ProductNode(p) for p in products}
    line_nodes = {ln.pk: LineNode(ln) for ln in lines}
    for node in feature_nodes.values():
        parent_id = node.feature.parent_id
        if parent_id is not None and parent_id in feature_nodes:
            feature_nodes[parent_id].children.append(node)
        else:
            product_nodes[node.feature.product_id].features.append(node)
    for pnode in product_nodes.values():
        line_nodes[pnode.product.line_id].products.append(pnode)
    roots: list[LineNode] = []
    for lnode in line_nodes.values():
        if lnode.line.parent_id is not None and lnode.line.parent_id in line_nodes:
            line_nodes[lnode.line.parent_id].children.append(lnode)
        else:
            roots.append(lnode)
    if line_id is not None:
        roots = [line_nodes[line_id]] if line_id in line_nodes else []
    if owner_id is None and not stage:
        return roots
    return _prune_lines(roots, matches)


def _prune_features(
    nodes: list[FeatureNode], keep: Callable[[PortfolioItem], bool]
) -> list[FeatureNode]:
    kept = []
    for node in nodes:
        node.children = _prune_features(node.children, keep)
        if keep(node.feature) or node.children:
            kept.append(node)
    return kept


def _prune_lines(nodes: list[LineNode], keep: Callable[[PortfolioItem], bool]) -> list[LineNode]:
    kept = []
    for node in nodes:
        node.children = _prune_lines(node.children, keep)
        products = []
        for pnode in node.products:
            pnode.features = _prune_features(pnode.features, keep)
            if keep(pnode.product) or pnode.features:
                products.append(pnode)
        node.products = products
        if keep(node.line) or node.children or node.products:
            kept.append(node)
    return kept
