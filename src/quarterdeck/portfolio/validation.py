"""Validation of portfolio input: the checks every create and update applies, with errors
collected per field so forms and the API can show all of them at once."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Feature, FeatureKind, Product, ProductLine, Stage


def clean_common(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
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
        if problems := link_errors(data["links"] or []):
            errors["links"] = problems
        else:
            clean["links"] = [
                {"label": str(link.get("label") or link["url"]), "url": link["url"]}
                for link in data["links"] or []
            ]
    return clean, errors


def link_errors(links: Any) -> list[str]:
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


def check_parent[Item: (ProductLine, Product, Feature)](
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


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.items()))
        raise InvalidInput(f"{first[0]}: {first[1][0]}", fields=errors)


def only_fields(allowed: set[str], data: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise InvalidInput(
            f"Unknown field(s): {', '.join(unknown)}.",
            fields={name: ["This field does not exist here."] for name in unknown},
        )


def feature_errors(
    feature: Feature | None, data: Mapping[str, Any], product_id: int | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if "kind" in data and data["kind"] not in FeatureKind.values:
        errors["kind"] = [f"Unknown kind {data['kind']!r}; use feature or initiative."]
    parent_id = data.get("parent_id", feature.parent_id if feature else None)
    if parent_errors := check_parent(Feature, feature, parent_id):
        errors["parent_id"] = parent_errors
    elif parent_id is not None:
        parent_product = Feature.objects.filter(pk=parent_id).values_list("product_id", flat=True)
        if parent_product.first() != product_id:
            errors["parent_id"] = ["A sub-feature must belong to the same product as its parent."]
    return errors
