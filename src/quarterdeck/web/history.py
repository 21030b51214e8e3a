"""Audit entries made readable: one row per change, with field, old value → new value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from quarterdeck.audit.models import Action, AuditEntry
from quarterdeck.people.models import Function, Level
from quarterdeck.portfolio.models import FeatureKind, Stage

HIDDEN = {"id", "created_at", "updated_at", "version", "date_joined", "last_login"}
# Which kind of object an id in a change points to: (object type, field) -> kind; "*" = any type.
REFERENCES = {
    ("*", "owner"): "person",
    ("*", "manager"): "person",
    ("product_line", "parent"): "line",
    ("product", "line"): "line",
    ("feature", "product"): "product",
    ("feature", "parent"): "feature",
    ("person", "teams"): "team",
    ("team", "members"): "person",
}
CHOICES: dict[str, Mapping[str, str]] = {
    "stage": dict(Stage.choices),
    "level": dict(Level.choices),
    "function": dict(Function.choices),
    "kind": dict(FeatureKind.choices),
}
LABELS = {"line": "Product line"}
EMPTY = "—"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryRow:
    at: dt.datetime
    actor: str
    action: str
    action_label: str
    object_type: str
    object_id: str
    object_repr: str
    changes: list[Change]


def field_label(name: str) -> str:
    return LABELS.get(name) or name.replace("_", " ").capitalize()


def reference_kind(object_type: str, name: str) -> str | None:
    return REFERENCES.get((object_type, name)) or REFERENCES.get(("*", name))


def referenced_ids(entries: Iterable[AuditEntry]) -> dict[str, set[int]]:
    """Ids of people, lines, products and features the changes mention, by kind, so their
    names can be looked up in one query per kind."""
    ids: dict[str, set[int]] = {}
    for entry in entries:
        for name, values in entry.changes.items():
            kind = reference_kind(entry.object_type, name)
            if kind is not None and isinstance(values, list):
                ids.setdefault(kind, set()).update(_ids(values))
    return ids


def _ids(values: list[Any]) -> list[int]:
    """The ids in a change's [before, after], each an id or a list of ids (teams, members)."""
    flat = [v for value in values for v in (value if isinstance(value, list) else [value])]
    return [v for v in flat if isinstance(v, int) and not isinstance(v, bool)]


def format_value(name: str, value: Any, names: Mapping[int, str] | None = None) -> str:
    """A stored value as a person reads it; ``names`` resolves ids when the field is a reference."""
    if value is None or value == "" or value == []:
        return EMPTY
    if names is not None and isinstance(value, int) and not isinstance(value, bool):
        return names.get(value, f"#{value} (deleted)")
    if names is not None and isinstance(value, list):
        return ", ".join(format_value(name, item, names) for item in value)
    if name in CHOICES and isinstance(value, str):
        return CHOICES[name].get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_list_item(item) for item in value)
    return str(value)


def _list_item(item: Any) -> str:
    if isinstance(item, Mapping) and "url" in item:
        label = item.get("label") or item["url"]
        return f"{label} ({item['url']})" if label != item["url"] else str(item["url"])
    return str(item)


def history_row(entry: AuditEntry, refs: Mapping[str, Mapping[int, str]]) -> HistoryRow:
    changes = []
    for name, values in sorted(entry.changes.items()):
        if name in HIDDEN or not isinstance(values, list) or len(values) != 2:
            continue
        kind = reference_kind(entry.object_type, name)
        names = refs.get(kind, {}) if kind else None
        changes.append(
            Change(
                field_label(name),
                format_value(name, values[0], names),
                format_value(name, values[1], names),
            )
        )
    return HistoryRow(
        at=entry.at,
        actor=str(entry.actor) if entry.actor else entry.actor_label or "system",
        action=entry.action,
        action_label=Action(entry.action).label if entry.action in Action.values else entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        changes=changes,
    )


def history_rows(
    entries: Iterable[AuditEntry], refs: Mapping[str, Mapping[int, str]]
) -> list[HistoryRow]:
    return [history_row(entry, refs) for entry in entries]
