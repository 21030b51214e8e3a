"""What each page shows, assembled from the selectors (reads only). A view calls one of these
and renders; permission checks stay in the selectors' doors."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import AuditEntry
from quarterdeck.audit.selectors import object_history
from quarterdeck.people.selectors import list_people, list_teams
from quarterdeck.portfolio.models import Feature, PortfolioItem, Product, ProductLine
from quarterdeck.portfolio.selectors import (
    list_features,
    list_lines,
    list_products,
    may_change_item,
    stage_history,
)
from quarterdeck.web.history import HistoryRow, history_rows, referenced_ids
from quarterdeck.web.kinds import Kind


def readable_history(user: User, entries: Iterable[AuditEntry]) -> list[HistoryRow]:
    """Audit entries as rows, with ids of people and portfolio items replaced by their names."""
    entries = list(entries)
    lookups: dict[str, Callable[[User], QuerySet[Any]]] = {
        "person": list_people,
        "line": list_lines,
        "product": list_products,
        "feature": list_features,
        "team": list_teams,
    }
    refs = {
        kind: dict(lookups[kind](user).filter(pk__in=ids).values_list("pk", "name"))
        for kind, ids in referenced_ids(entries).items()
    }
    return history_rows(entries, refs)


def stage_counts(items: QuerySet[Any]) -> dict[str, int]:
    return dict(items.order_by().values_list("stage").annotate(n=Count("id")))


@dataclass
class ChildGroup:
    label: str
    items: list[PortfolioItem]
    new_label: str = ""
    new_url: str = ""


@dataclass
class ItemPage:
    kind: Kind
    item: PortfolioItem
    may_change: bool
    ancestors: list[PortfolioItem]
    groups: list[ChildGroup] = field(default_factory=list)
    stage_changes: list[Any] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)


def ancestors_of(item: PortfolioItem) -> list[PortfolioItem]:
    """The path from the top of the tree down to the item's parent."""
    chain: list[PortfolioItem] = []
    current: PortfolioItem | None = item
    while current is not None and len(chain) < 50:  # the services prevent cycles; be safe anyway
        if isinstance(current, Feature):
            current = current.parent or current.product
        elif isinstance(current, Product):
            current = current.line
        else:
            assert isinstance(current, ProductLine)
            current = current.parent
        if current is not None:
            chain.append(current)
    return chain[::-1]


def child_groups(user: User, item: PortfolioItem, may_change: bool) -> list[ChildGroup]:
    def new(label: str, url: str) -> dict[str, str]:
        return {"new_label": label, "new_url": url} if may_change else {}

    pk = item.pk
    if isinstance(item, ProductLine):
        return [
            ChildGroup(
                "Sub-lines",
                list(list_lines(user, parent_id=pk)),
                **new("Add sub-line", reverse("line_create") + f"?parent={pk}"),
            ),
            ChildGroup(
                "Products",
                list(list_products(user, line_id=pk).filter(line_id=pk)),
                **new("Add product", reverse("product_create") + f"?line={pk}"),
            ),
        ]
    if isinstance(item, Product):
        features = list_features(user, product_id=pk).filter(parent__isnull=True)
        return [
            ChildGroup(
                "Features",
                list(features),
                **new("Add feature", reverse("feature_create") + f"?product={pk}"),
            )
        ]
    assert isinstance(item, Feature)
    url = reverse("feature_create") + f"?product={item.product_id}&parent={pk}"
    return [
        ChildGroup(
            "Sub-features", list(list_features(user, parent_id=pk)), **new("Add sub-feature", url)
        )
    ]


def item_history(user: User, kind: Kind, item: PortfolioItem) -> list[HistoryRow]:
    return readable_history(user, object_history(kind.audit_type, item.pk)[:50])


def item_page(user: User, kind: Kind, pk: int) -> ItemPage:
    item = kind.access(user, pk)
    may_change = may_change_item(user, item)
    return ItemPage(
        kind=kind,
        item=item,
        may_change=may_change,
        ancestors=ancestors_of(item),
        groups=child_groups(user, item, may_change),
        stage_changes=list(stage_history(kind.item_type, item.pk)),
        history=item_history(user, kind, item),
    )
