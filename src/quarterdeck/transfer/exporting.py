"""Read the whole portfolio and the people into export tables, ordered by natural key so the
same data always gives the same file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from quarterdeck.people.models import Person, Team
from quarterdeck.portfolio.models import (
    Feature,
    ItemType,
    PortfolioItem,
    Product,
    ProductLine,
    StageChange,
)
from quarterdeck.transfer.text import path_text

Export = dict[str, list[dict[str, Any]]]


def person_ref(person: Person | None) -> str | None:
    if person is None:
        return None
    return person.email or person.name


def line_paths() -> dict[int, tuple[str, ...]]:
    lines = {line.pk: line for line in ProductLine.objects.all()}
    paths: dict[int, tuple[str, ...]] = {}

    def path(pk: int, seen: frozenset[int] = frozenset()) -> tuple[str, ...]:
        if pk not in paths:
            line = lines[pk]
            parent = line.parent_id
            above = path(parent, seen | {pk}) if parent and parent not in seen else ()
            paths[pk] = (*above, line.name)
        return paths[pk]

    for pk in lines:
        path(pk)
    return paths


def _common(item: PortfolioItem, owners: dict[int, Person]) -> dict[str, Any]:
    return {
        "description": item.description,
        "owner": person_ref(owners.get(item.owner_id)) if item.owner_id else None,
        "stage": item.stage,
        "target_segments": list(item.target_segments or []),
        "links": [
            {"label": link.get("label"), "url": link.get("url")} for link in item.links or []
        ],
    }


def export_teams() -> list[dict[str, Any]]:
    return [{"name": t.name, "description": t.description} for t in Team.objects.order_by("name")]


def export_people() -> list[dict[str, Any]]:
    people = Person.objects.select_related("manager").prefetch_related("teams")
    rows = [
        {
            "name": p.name,
            "email": p.email,
            "title": p.title,
            "function": p.function,
            "level": p.level,
            "manager": person_ref(p.manager),
            "teams": sorted(team.name for team in p.teams.all()),
            "location": p.location,
        }
        for p in people
    ]
    return sorted(rows, key=lambda row: (row["name"], row["email"] or ""))


def export_portfolio(paths: dict[int, tuple[str, ...]]) -> Export:
    owners = {p.pk: p for p in Person.objects.all()}
    lines = [
        {"parent": path_text(paths[ln.pk][:-1]) or None, "name": ln.name, **_common(ln, owners)}
        for ln in ProductLine.objects.all()
    ]
    products = [
        {"line": path_text(paths[p.line_id]), "name": p.name, **_common(p, owners)}
        for p in Product.objects.all()
    ]
    features = [
        _feature_row(f, paths, owners) for f in Feature.objects.select_related("product", "parent")
    ]
    return {
        "lines": sorted(lines, key=lambda r: (r["parent"] or "", r["name"])),
        "products": sorted(products, key=lambda r: (r["line"], r["name"])),
        "features": sorted(features, key=lambda r: (r["line"], r["product"], r["name"])),
    }


def _feature_row(
    f: Feature, paths: dict[int, tuple[str, ...]], owners: dict[int, Person]
) -> dict[str, Any]:
    return {
        "line": path_text(paths[f.product.line_id]),
        "product": f.product.name,
        "parent": f.parent.name if f.parent else None,
        "name": f.name,
        "kind": f.kind,
        **_common(f, owners),
    }


def item_paths(paths: dict[int, tuple[str, ...]]) -> dict[tuple[str, int], str]:
    """Every portfolio item's path, by (item type, id), for the stage history."""
    found = {(ItemType.LINE.value, pk): path_text(path) for pk, path in paths.items()}
    products = {p.pk: (*paths[p.line_id], p.name) for p in Product.objects.all()}
    found |= {(ItemType.PRODUCT.value, pk): path_text(path) for pk, path in products.items()}
    for pk, product_id, name in Feature.objects.values_list("pk", "product_id", "name"):
        found[(ItemType.FEATURE.value, pk)] = path_text((*products[product_id], name))
    return found


def at_text(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


def export_stage_changes(paths: dict[int, tuple[str, ...]]) -> list[dict[str, Any]]:
    items = item_paths(paths)
    rows = [
        {
            "item_type": change.item_type,
            "item": items[(change.item_type, change.item_id)],
            "from_stage": change.from_stage,
            "to_stage": change.to_stage,
            "at": at_text(change.at),
            "reason": change.reason,
        }
        for change in StageChange.objects.order_by("at", "pk")
        # The history of a deleted item stays in the database but has nothing to attach to.
        if (change.item_type, change.item_id) in items
    ]
    order = {kind.value: index for index, kind in enumerate(ItemType)}
    return sorted(rows, key=lambda r: (order[r["item_type"]], r["item"], r["at"]))
