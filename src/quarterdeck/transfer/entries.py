"""The rows of an import as entries, their natural keys, and what the database already holds.

Each row becomes an Entry: new (to be created), existing (its natural key is already in the
database: left unchanged), invalid (its own issues) or skipped (it depends on an invalid or
skipped row). References resolve to another Entry of the same upload or to a database object.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from quarterdeck.people.models import Person, Team
from quarterdeck.portfolio.models import Feature, Product, ProductLine
from quarterdeck.transfer.exporting import line_paths
from quarterdeck.transfer.schema import Issue, Row
from quarterdeck.transfer.text import path_names


@dataclass(eq=False)
class Entry:
    row: Row
    clean: dict[str, Any]
    issues: list[Issue]
    key: Any = None
    existing: models.Model | None = None
    refs: dict[str, Any] = field(default_factory=dict)
    skip: Issue | None = None
    obj: Any = None

    @property
    def ok(self) -> bool:
        return not self.issues and self.skip is None

    @property
    def new(self) -> bool:
        return self.ok and self.existing is None

    def deps(self) -> list[Entry]:
        found: list[Entry] = []
        for value in self.refs.values():
            for target in value if isinstance(value, list) else [value]:
                if isinstance(target, Entry):
                    found.append(target)
        return found

    def add(self, column: str | None, message: str) -> None:
        self.issues.append(self.row.issue(column, message))


Plan = dict[str, list[Entry]]


KEY_COLUMNS = {
    "teams": ("name",),
    "people": ("name", "email"),
    "lines": ("name", "parent"),
    "products": ("name", "line"),
    "features": ("name", "line", "product"),
}


def key_of(entity: str, clean: dict[str, Any]) -> Any:
    """The natural key of a row: what names it in the file and in the database (None: unknown)."""
    columns = KEY_COLUMNS.get(entity, ())
    if not columns or any(column not in clean for column in columns) or not clean["name"]:
        return None
    name = clean["name"]
    if entity == "teams":
        return name
    if entity == "people":
        return ("email", clean["email"]) if clean["email"] else ("name", name)
    if entity == "lines":
        return (*path_names(clean["parent"] or ""), name)
    if entity == "products":
        return (path_names(clean["line"] or ""), name)
    return (path_names(clean["line"] or ""), clean["product"] or "", name)


@dataclass
class Database:
    """What is already stored, by natural key."""

    teams: dict[Any, Any]
    people: dict[Any, Any]
    people_by_name: dict[str, list[Any]]
    lines: dict[Any, Any]
    products: dict[Any, Any]
    features: dict[Any, Any]

    @classmethod
    def load(cls) -> Database:
        paths = line_paths()
        lines = {paths[ln.pk]: ln for ln in ProductLine.objects.all()}
        products = {(paths[p.line_id], p.name): p for p in Product.objects.all()}
        by_product = {p.pk: key for key, p in products.items()}
        features = {(*by_product[f.product_id], f.name): f for f in Feature.objects.all()}
        people = list(Person.objects.all())
        by_name: dict[str, list[Any]] = defaultdict(list)
        for person in people:
            by_name[person.name].append(person)
        return cls(
            teams={t.name: t for t in Team.objects.all()},
            people={("email", p.email): p for p in people if p.email},
            people_by_name=by_name,
            lines=lines,
            products=products,
            features=features,
        )

    def find(self, entity: str, key: Any) -> models.Model | None:
        if entity == "people" and key[0] == "name":
            unnamed = [p for p in self.people_by_name.get(key[1], []) if not p.email]
            return unnamed[0] if len(unnamed) == 1 else None
        table: dict[Any, Any] = getattr(self, entity, {})
        found: models.Model | None = table.get(key)
        return found
