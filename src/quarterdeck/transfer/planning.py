"""Check every row of an import against the upload and the database before anything is written:
cells, natural keys, duplicates, references (manager, owner, teams, parent, line, product, item)
and loops; then skip whatever depends on a bad row."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from quarterdeck.transfer.checking import clean_row
from quarterdeck.transfer.entries import Database, Entry, Plan, key_of
from quarterdeck.transfer.schema import ENTITIES, Row, Tables
from quarterdeck.transfer.text import path_names


def _overlay(stored: dict[Any, Any], entries: list[Entry]) -> dict[Any, Any]:
    """Stored objects by key, with the rows of the upload in place of the ones they name."""
    index = dict(stored)
    for entry in entries:
        if entry.key is not None:
            index[entry.key] = entry
    return index


class Resolver:
    def __init__(self, plan: Plan, database: Database) -> None:
        self.plan = plan
        self.teams = _overlay(database.teams, plan["teams"])
        self.lines = _overlay(database.lines, plan["lines"])
        self.products = _overlay(database.products, plan["products"])
        self.features = _overlay(database.features, plan["features"])
        self._index_people(database, plan["people"])

    def _index_people(self, database: Database, entries: list[Entry]) -> None:
        named = {id(e.existing) for e in entries if e.existing is not None}
        self.by_email: dict[str, Any] = {}
        self.by_name: dict[str, list[Any]] = defaultdict(list)
        for people in database.people_by_name.values():
            for person in people:
                if id(person) not in named:
                    self._index_person(person.email, person.name, person)
        for entry in entries:
            if entry.key is not None:
                self._index_person(entry.clean["email"], entry.clean["name"], entry)

    def _index_person(self, email: str | None, name: str, target: Any) -> None:
        if email:
            self.by_email[email.lower()] = target
        self.by_name[name].append(target)

    def resolve(self) -> None:
        for entry in self.plan["people"]:
            self._person_refs(entry)
        for entity in ("lines", "products", "features"):
            for entry in self.plan[entity]:
                self._item_refs(entity, entry)
        for entry in self.plan["stage_changes"]:
            self._stage_refs(entry)
        self._find_loops("people", "manager", "reports to")
        self._find_loops("features", "parent", "sits under")

    def person(self, entry: Entry, column: str) -> None:
        ref = entry.clean.get(column)
        if not ref:
            return
        if "@" in ref:
            target = self.by_email.get(ref.lower())
            if target is None:
                entry.add(column, f"unknown person {ref!r}: nobody has this e-mail address")
            else:
                entry.refs[column] = target
            return
        found = self.by_name.get(ref, [])
        if not found:
            entry.add(column, f"unknown person {ref!r}: nobody has this name")
        elif len(found) > 1:
            entry.add(column, f"{len(found)} people are named {ref!r}; use the e-mail address")
        else:
            entry.refs[column] = found[0]

    def _person_refs(self, entry: Entry) -> None:
        self.person(entry, "manager")
        targets = []
        for name in entry.clean.get("teams", []):
            if name in self.teams:
                targets.append(self.teams[name])
            else:
                entry.add("teams", f"unknown team {name!r}")
        entry.refs["teams"] = targets

    def lookup(self, entry: Entry, column: str, index: dict[Any, Any], key: Any, noun: str) -> None:
        if key in index:
            entry.refs[column] = index[key]
        else:
            entry.add(column, f"unknown {noun} {entry.clean[column]!r}")

    def _item_refs(self, entity: str, entry: Entry) -> None:
        self.person(entry, "owner")
        clean = entry.clean
        if entity == "lines" and clean.get("parent"):
            self.lookup(entry, "parent", self.lines, path_names(clean["parent"]), "product line")
        if entity in {"products", "features"} and clean.get("line"):
            self.lookup(entry, "line", self.lines, path_names(clean["line"]), "product line")
        if entity == "features" and clean.get("product") and entry.refs.get("line"):
            # A feature hangs on its product (which hangs on the line): name the nearest one
            # when a row it depends on is skipped.
            del entry.refs["line"]
            product_key = (path_names(clean["line"]), clean["product"])
            self.lookup(entry, "product", self.products, product_key, "product")
            if clean.get("parent") and "product" in entry.refs:
                self.lookup(
                    entry, "parent", self.features, (*product_key, clean["parent"]), "feature"
                )

    def _stage_refs(self, entry: Entry) -> None:
        kind, item = entry.clean.get("item_type"), entry.clean.get("item")
        if not kind or not item:
            return
        names = path_names(item)
        keys = {
            "line": (self.lines, names),
            "product": (self.products, (names[:-1], names[-1] if names else "")),
            "feature": (self.features, (names[:-2], *names[-2:])),
        }
        index, key = keys[kind]
        self.lookup(entry, "item", index, key, {"line": "product line"}.get(kind, kind))
        target = entry.refs.get("item")
        entry.existing = target.existing if isinstance(target, Entry) else target

    def _find_loops(self, entity: str, column: str, verb: str) -> None:
        for entry in self.plan[entity]:
            chain = [entry]
            current = entry.refs.get(column)
            while isinstance(current, Entry) and current not in chain:
                chain.append(current)
                current = current.refs.get(column)
            if current is entry:
                names = " → ".join(e.clean["name"] for e in [*chain, entry])
                entry.add(column, f"this makes a loop: {names} ({verb} each other)")


def plan_rows(tables: Tables) -> Plan:
    """Check every row and resolve every reference; nothing is written."""
    database = Database.load()
    plan: Plan = {entity: [] for entity in ENTITIES}
    for entity in ENTITIES:
        seen: dict[Any, Entry] = {}
        for row in tables.get(entity, []):
            entry = Entry(row, *clean_row(row))
            plan[entity].append(entry)
            entry.key = key_of(entity, entry.clean)
            if entry.key is None:
                continue
            if entry.key in seen:
                _duplicate(entry, seen[entry.key].row)
                entry.key = None  # the first row of that name is the one others refer to
                continue
            seen[entry.key] = entry
            entry.existing = database.find(entity, entry.key)
    Resolver(plan, database).resolve()
    _propagate(plan)
    return plan


def _duplicate(entry: Entry, first: Row) -> None:
    where = f"{first.file} row {first.number}"
    if entry.row.entity != "people":
        noun = {"lines": "product line"}.get(entry.row.entity, entry.row.entity.rstrip("s"))
        entry.add("name", f"the same {noun} as {where}")
    elif entry.key[0] == "email":
        entry.add("email", f"the same e-mail address as {where}")
    else:
        hint = "add e-mail addresses to tell them apart"
        entry.add("name", f"{where} has the same name and no e-mail address either; {hint}")


def _propagate(plan: Plan) -> None:
    """Skip every row that depends, directly or not, on an invalid or skipped row."""
    changed = True
    while changed:
        changed = False
        for entries in plan.values():
            for entry in entries:
                if not entry.ok:
                    continue
                blocker = next((dep for dep in entry.deps() if not dep.ok), None)
                if blocker is not None:
                    entry.skip = entry.row.issue(
                        None,
                        f"it depends on {blocker.row.file} row {blocker.row.number}, "
                        "which is not imported",
                    )
                    changed = True
