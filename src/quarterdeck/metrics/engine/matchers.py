"""What an event must look like to count: property conditions, event matchers, products,
breakdowns. These are the building blocks of every metric definition (definitions.py).

A *feature* is an EventMatcher (event name and/or row type plus property conditions); a *product*
is a filter (its sources, or a property condition). All are frozen and validated on construction,
so a definition that exists is a definition the engine can run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal, get_args

from quarterdeck.metrics.engine.schema import ACTIVITY_TYPES

Op = Literal[
    "eq", "neq", "in", "not_in", "contains", "gt", "gte", "lt", "lte", "is_set", "is_not_set"
]
On = Literal["properties", "traits", "column"]
BreakdownBy = Literal["property", "account", "plan", "product", "feature"]

TEXT_OPS: Final = ("eq", "neq", "contains")
LIST_OPS: Final = ("in", "not_in")
NUMBER_OPS: Final = ("gt", "gte", "lt", "lte")
PRESENCE_OPS: Final = ("is_set", "is_not_set")
# Canonical columns a condition may test directly ("account" is the resolved account, §0).
CONDITION_COLUMNS: Final = ("event", "type", "source_id", "account", "user_id", "anonymous_id")
# Quote characters would need per-dialect JSON-path escaping; no real property name needs them.
_BAD_KEY = re.compile(r"[\"'\\\[\]\x00-\x1f]")


class DefinitionError(ValueError):
    """A metric definition is malformed: ``field`` names the part, the message says the fix."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_property_key(where: str, key: str) -> None:
    if not key or _BAD_KEY.search(key) or len(key) > 200:
        raise DefinitionError(
            where,
            f"{key!r} is not a usable property name (1-200 characters, no quotes, "
            "backslashes or brackets).",
        )


@dataclass(frozen=True)
class Condition:
    """One test on an event: ``properties.<key>`` (default), ``traits.<key>`` or a canonical column.

    Text ops compare the value as text (JSON numbers and booleans as they are written, e.g. '42',
    'true'); gt/gte/lt/lte compare numerically and never match a non-numeric value; neq and not_in
    also match events where the property is missing.
    """

    key: str
    op: Op = "eq"
    value: str | float | tuple[str, ...] | None = None
    on: On = "properties"

    def __post_init__(self) -> None:
        where = f"condition on {self.key!r}"
        if self.op not in get_args(Op):
            raise DefinitionError(
                where, f"unknown operator {self.op!r}; use one of {get_args(Op)}."
            )
        if self.on not in get_args(On):
            raise DefinitionError(where, f"'on' must be one of {get_args(On)}, not {self.on!r}.")
        if self.on == "column" and self.key not in CONDITION_COLUMNS:
            raise DefinitionError(where, f"not a column; use one of {CONDITION_COLUMNS}.")
        if self.on != "column":
            check_property_key(where, self.key)
        _check_value(where, self.op, self.value)


def _check_value(where: str, op: str, value: object) -> None:
    if op in TEXT_OPS and not isinstance(value, str):
        raise DefinitionError(where, f"{op} needs a text value (use gt/lt for numbers).")
    if op in LIST_OPS and not (
        isinstance(value, tuple) and value and all(isinstance(v, str) for v in value)
    ):
        raise DefinitionError(where, f"{op} needs a non-empty tuple of text values.")
    if op in NUMBER_OPS and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise DefinitionError(where, f"{op} needs a number.")
    if op in PRESENCE_OPS and value is not None:
        raise DefinitionError(where, f"{op} takes no value.")


@dataclass(frozen=True)
class EventMatcher:
    """Activity events with this name and/or row type whose properties meet every condition.

    An empty matcher matches every activity event.
    """

    event: str | None = None
    row_type: str | None = None
    where: tuple[Condition, ...] = ()
    label: str | None = None

    def __post_init__(self) -> None:
        if self.row_type is not None and self.row_type not in ACTIVITY_TYPES:
            raise DefinitionError(
                f"matcher {self.name!r}", f"row_type must be one of {ACTIVITY_TYPES}."
            )
        if not isinstance(self.where, tuple):
            raise DefinitionError(
                f"matcher {self.name!r}", "'where' must be a tuple of Conditions."
            )

    @property
    def name(self) -> str:
        return self.label or self.event or self.row_type or "any event"


@dataclass(frozen=True)
class Product:
    """A product as a filter: events from its sources and/or events meeting its conditions."""

    name: str
    source_ids: tuple[str, ...] = ()
    where: tuple[Condition, ...] = ()

    def __post_init__(self) -> None:
        if not self.source_ids and not self.where:
            raise DefinitionError(
                f"product {self.name!r}", "give its source_ids or a property condition."
            )

    @property
    def conditions(self) -> tuple[Condition, ...]:
        if not self.source_ids:
            return self.where
        return (Condition("source_id", "in", self.source_ids, on="column"), *self.where)


@dataclass(frozen=True)
class Breakdown:
    """Split a metric by an event property, the account, the actor's plan, product or feature.

    Per-event breakdowns (property, account, product, feature) put an actor in every bucket they
    have events in; "plan" is per actor. Events in no bucket are reported under "(none)".
    """

    by: BreakdownBy
    key: str | None = None
    products: tuple[Product, ...] = ()
    features: tuple[EventMatcher, ...] = ()

    def __post_init__(self) -> None:
        if self.by not in get_args(BreakdownBy):
            raise DefinitionError("breakdown", f"unknown {self.by!r}; use {get_args(BreakdownBy)}.")
        if self.by == "property":
            check_property_key("breakdown", self.key or "")
        if self.by == "product" and not self.products:
            raise DefinitionError("breakdown", "by product needs the products.")
        if self.by == "feature" and not self.features:
            raise DefinitionError("breakdown", "by feature needs the features (labelled matchers).")

    @classmethod
    def by_property(cls, key: str) -> Breakdown:
        return cls("property", key=key)

    @classmethod
    def by_account(cls) -> Breakdown:
        return cls("account")

    @classmethod
    def by_plan(cls) -> Breakdown:
        return cls("plan")

    @classmethod
    def by_products(cls, *products: Product) -> Breakdown:
        return cls("product", products=products)

    @classmethod
    def by_features(cls, *features: EventMatcher) -> Breakdown:
        return cls("feature", features=features)


@dataclass(frozen=True)
class Eligibility:
    """Who may use a feature: actors whose plan (trait ``trait``, as of the end of the range) is
    one of ``plans``, or who have an event matching ``matcher`` (a flag event) by then."""

    plans: tuple[str, ...] = ()
    matcher: EventMatcher | None = None
    trait: str = "plan"

    def __post_init__(self) -> None:
        if not self.plans and self.matcher is None:
            raise DefinitionError("eligibility", "give the eligible plans or a matcher.")
        check_property_key("eligibility.trait", self.trait)
