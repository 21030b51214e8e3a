"""The three kinds of portfolio item as the pages see them: one table instead of three copies
of every view. Each kind names its access door, its services and its form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from quarterdeck.portfolio import selectors, services
from quarterdeck.portfolio.models import Feature, ItemType, PortfolioItem, Product, ProductLine
from quarterdeck.web.forms.portfolio import FeatureForm, ItemForm, LineForm, ProductForm


@dataclass(frozen=True)
class Kind:
    key: str  # "line", "product", "feature": also the prefix of the URL names
    label: str
    audit_type: str  # object_type in the audit log
    item_type: ItemType  # item_type in the stage history
    id_arg: str  # the services' keyword for the item id
    access: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., None]
    form: type[ItemForm]

    def url(self, view: str, pk: int) -> str:
        return reverse(f"{self.key}_{view}", args=[pk])


LINE = Kind(
    "line",
    "Product line",
    "product_line",
    ItemType.LINE,
    "line_id",
    selectors.access_line,
    services.line_create,
    services.line_update,
    services.line_delete,
    LineForm,
)
PRODUCT = Kind(
    "product",
    "Product",
    "product",
    ItemType.PRODUCT,
    "product_id",
    selectors.access_product,
    services.product_create,
    services.product_update,
    services.product_delete,
    ProductForm,
)
FEATURE = Kind(
    "feature",
    "Feature",
    "feature",
    ItemType.FEATURE,
    "feature_id",
    selectors.access_feature,
    services.feature_create,
    services.feature_update,
    services.feature_delete,
    FeatureForm,
)
KINDS = {kind.key: kind for kind in (LINE, PRODUCT, FEATURE)}


def kind_of(item: PortfolioItem) -> Kind:
    if isinstance(item, ProductLine):
        return LINE
    if isinstance(item, Product):
        return PRODUCT
    assert isinstance(item, Feature)
    return FEATURE


def item_url(item: PortfolioItem) -> str:
    return kind_of(item).url("detail", item.pk)
