"""Validation of outcome input (key results: kr_validation.py): every rule a write applies,
with errors collected per field so forms and the API show all of them at once. Values missing
from ``data`` keep the outcome's current value (or the default on create), so a partial update
is checked as a whole."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from quarterdeck.lib import fields
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.validation import only_fields, raise_if
from quarterdeck.strategy.models import Level, Outcome, Pillar
from quarterdeck.strategy.selectors import quarter_bounds

Errors = dict[str, list[str]]
OUTCOME_FIELDS = {
    "title",
    "description",
    "level",
    "line_id",
    "product_id",
    "parent_id",
    "pillar_ids",
    "owner_id",
    "period",
    "start",
    "end",
    "weight",
}
OUTCOME_DEFAULTS: dict[str, Any] = {
    "title": "",
    "description": "",
    "level": None,
    "line_id": None,
    "product_id": None,
    "parent_id": None,
    "owner_id": None,
    "period": "",
    "start": None,
    "end": None,
    "weight": 1.0,
}


# Small checks ---------------------------------------------------------------------------------


def parse_date(raw: Any, name: str, errors: Errors) -> dt.date | None:
    if raw is None or raw == "":
        return None
    return fields.parse_date(raw, name, errors)


def parse_number(raw: Any, name: str, errors: Errors) -> float | None:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        errors[name] = [f"{raw!r} is not a number."]
        return None
    if not math.isfinite(value):
        errors[name] = ["Use a finite number."]
        return None
    return value


def text(raw: Any, name: str, errors: Errors, *, limit: int, required: bool = False) -> str:
    value = str(raw or "").strip()
    if required and not value:
        errors[name] = ["This is required."]
    elif len(value) > limit:
        errors[name] = [f"At most {limit} characters (this one has {len(value)})."]
    return value


def weight(raw: Any, errors: Errors) -> float | None:
    value = parse_number(raw, "weight", errors)
    if value is not None and value <= 0:
        errors["weight"] = ["The weight must be greater than 0."]
    return value


def existing(model: type[Any], pk: Any, name: str, label: str, errors: Errors) -> None:
    if pk is not None and not model.objects.filter(pk=pk).exists():
        errors[name] = [f"There is no {label} with id {pk}."]


def pillar_ids(raw: Any, errors: Errors) -> list[int]:
    if not isinstance(raw, list | tuple) or not all(isinstance(i, int) for i in raw):
        errors["pillar_ids"] = ["Expected a list of pillar ids."]
        return []
    missing = sorted(set(raw) - set(Pillar.objects.filter(pk__in=raw).values_list("pk", flat=True)))
    if missing:
        errors["pillar_ids"] = [f"There is no pillar with id {', '.join(map(str, missing))}."]
    return sorted(set(raw))


# Outcomes -------------------------------------------------------------------------------------


def _current(outcome: Outcome | None) -> dict[str, Any]:
    if outcome is None:
        return dict(OUTCOME_DEFAULTS)
    return {name: getattr(outcome, name) for name in OUTCOME_DEFAULTS}


def _scope_errors(values: Mapping[str, Any], errors: Errors) -> None:
    """The level names what the outcome is about: nothing, a line, or a product."""
    level, line_id, product_id = values["level"], values["line_id"], values["product_id"]
    if level not in Level.values:
        errors["level"] = [f"Unknown level {level!r}; use company, line or product."]
        return
    if level != Level.LINE and line_id is not None:
        errors["line_id"] = [f"A {level} outcome is not about a product line; leave it empty."]
    if level != Level.PRODUCT and product_id is not None:
        errors["product_id"] = [f"A {level} outcome is not about a product; leave it empty."]
    if level == Level.LINE and line_id is None:
        errors["line_id"] = ["A line outcome names its product line."]
    if level == Level.PRODUCT and product_id is None:
        errors["product_id"] = ["A product outcome names its product."]
    existing(ProductLine, line_id, "line_id", "product line", errors)
    existing(Product, product_id, "product_id", "product", errors)


def _period(values: Mapping[str, Any], data: Mapping[str, Any], errors: Errors) -> dict[str, Any]:
    """A quarter sets start and end (given dates must match it); 'custom' needs both dates."""
    period = str(values["period"] or "").strip()
    start = parse_date(values["start"], "start", errors)
    end = parse_date(values["end"], "end", errors)
    if period != "custom":
        try:
            q_start, q_end = quarter_bounds(period)
        except InvalidInput as exc:
            errors |= exc.fields
            return {"period": period}
        for name, given, bound in (("start", start, q_start), ("end", end, q_end)):
            if name in data and given is not None and given != bound:
                errors[name] = [
                    f"{period} runs {q_start} to {q_end}; use 'custom' for other dates."
                ]
        start, end = q_start, q_end
    elif start is None or end is None:
        for name, given in (("start", start), ("end", end)):
            if given is None:
                errors.setdefault(name, ["A custom period needs a start and an end date."])
    elif start > end:
        errors["end"] = ["The end date comes before the start date."]
    return {"period": period, "start": start, "end": end}


def _line_ancestors(line_id: int | None) -> set[int]:
    """The line and every line above it."""
    found: set[int] = set()
    current = line_id
    while current is not None and current not in found:
        found.add(current)
        current = ProductLine.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return found


def _parent_errors(outcome: Outcome | None, values: Mapping[str, Any]) -> list[str]:
    """The parent is one level up or the same level higher in the tree, and no cycle."""
    parent_id = values["parent_id"]
    if parent_id is None:
        return []
    parent = Outcome.objects.filter(pk=parent_id).first()
    if parent is None:
        return [f"There is no outcome with id {parent_id}."]
    seen: set[int] = set()
    current: Outcome | None = parent
    while current is not None and current.pk not in seen:
        if outcome is not None and current.pk == outcome.pk:
            return ["An outcome cannot be aligned under itself or under one of its own children."]
        seen.add(current.pk)
        current = current.parent
    return _level_errors(values, parent)


def _level_errors(values: Mapping[str, Any], parent: Outcome) -> list[str]:
    level = values["level"]
    if parent.level == Level.COMPANY:
        return []
    if level == Level.COMPANY:
        return ["A company outcome can only be aligned under another company outcome."]
    if parent.level == Level.PRODUCT:
        return ["Product outcomes have no outcomes below them; align to a line or company one."]
    if level == Level.LINE:
        above = _line_ancestors(values["line_id"]) - {values["line_id"]}
        if parent.line_id not in above:
            return ["A line outcome aligns to a company outcome or to one of a parent line."]
        return []
    product = Product.objects.filter(pk=values["product_id"]).first()
    if product is None or parent.line_id not in _line_ancestors(product.line_id):
        return ["A product outcome aligns to a company outcome or to one of its own line."]
    return []


def clean_outcome(
    outcome: Outcome | None, data: Mapping[str, Any]
) -> tuple[dict[str, Any], list[int] | None]:
    """(field values to set, pillar ids or None when not given); InvalidInput on any error."""
    only_fields(OUTCOME_FIELDS, data)
    values = {**_current(outcome), **data}
    errors: Errors = {}
    clean: dict[str, Any] = {
        "title": text(values["title"], "title", errors, limit=300, required=True),
        "description": text(values["description"], "description", errors, limit=20_000),
        "weight": weight(values["weight"], errors),
    }
    _scope_errors(values, errors)
    existing(Person, values["owner_id"], "owner_id", "person", errors)
    dates = _period(values, data, errors)
    if "parent_id" not in errors and (problems := _parent_errors(outcome, values)):
        errors["parent_id"] = problems
    pillars = pillar_ids(data["pillar_ids"], errors) if "pillar_ids" in data else None
    raise_if(errors)
    for name in ("level", "line_id", "product_id", "parent_id", "owner_id"):
        clean[name] = values[name]
    return {**clean, **dates}, pillars
