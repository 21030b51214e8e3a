"""Write the new rows of a checked plan: parents before children, one audit entry per object,
stage histories as they were (with their dates), in the caller's transaction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import models
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.progress import Progress
from quarterdeck.people.models import Person, Team
from quarterdeck.portfolio.models import (
    Feature,
    ItemType,
    PortfolioItem,
    Product,
    ProductLine,
    StageChange,
)
from quarterdeck.transfer.entries import Entry, Plan

AUDIT_TYPES = {"lines": "product_line", "products": "product", "features": "feature"}
ITEM_TYPES = {"lines": ItemType.LINE, "products": ItemType.PRODUCT, "features": ItemType.FEATURE}
IMPORTED = "Imported"


def target(ref: Any) -> Any:
    """The stored object a reference names: a row's object once written, or a stored object."""
    return ref.obj if isinstance(ref, Entry) else ref


def depth(entry: Entry, column: str) -> int:
    count, current = 0, entry.refs.get(column)
    while isinstance(current, Entry) and current.new:
        count, current = count + 1, current.refs.get(column)
    return count


class Writer:
    def __init__(
        self, plan: Plan, actor: User | None, progress: Progress, *, with_history: bool
    ) -> None:
        self.plan = plan
        self.with_history = with_history
        self.actor = actor
        self.progress = progress
        self.history: dict[int, list[Entry]] = defaultdict(list)
        for change in plan["stage_changes"]:
            item = change.refs.get("item")
            if change.new and isinstance(item, Entry):
                self.history[id(item)].append(change)

    def write(self) -> None:
        for entry in self.plan_entries():
            if entry.existing is not None:
                entry.obj = entry.existing
        objects = [e for e in self.plan_entries() if e.new and e.row.entity != "stage_changes"]
        self.progress.start("Writing", len(objects))
        for entry in self.new("teams"):
            self.save(entry, Team(name=entry.clean["name"], description=entry.clean["description"]))
        for entry in sorted(self.new("people"), key=lambda e: depth(e, "manager")):
            self.save_person(entry)
        for entry in sorted(self.new("lines"), key=lambda e: len(e.key)):
            self.save_item(entry, ProductLine(parent=target(entry.refs.get("parent"))))
        for entry in self.new("products"):
            self.save_item(entry, Product(line=target(entry.refs["line"])))
        for entry in sorted(self.new("features"), key=lambda e: depth(e, "parent")):
            feature = Feature(
                product=target(entry.refs["product"]),
                parent=target(entry.refs.get("parent")),
                kind=entry.clean["kind"],
            )
            self.save_item(entry, feature)

    def plan_entries(self) -> list[Entry]:
        return [entry for entries in self.plan.values() for entry in entries]

    def new(self, entity: str) -> list[Entry]:
        return [entry for entry in self.plan[entity] if entry.new]

    def save(self, entry: Entry, obj: models.Model, object_type: str | None = None) -> None:
        obj.save()
        self.record(entry, obj, object_type)

    def record(self, entry: Entry, obj: models.Model, object_type: str | None = None) -> None:
        entry.obj = obj
        audit_record(
            actor=self.actor,
            action=Action.CREATE,
            obj=obj,
            after=snapshot(obj),
            object_type=object_type,
        )
        self.progress.advance()

    def save_person(self, entry: Entry) -> None:
        clean = entry.clean
        fields = ("name", "email", "title", "function", "level", "location")
        person = Person(**{name: clean[name] for name in fields})
        person.manager = target(entry.refs.get("manager"))
        person.user = self.unclaimed_user(clean["email"])
        person.save()
        person.teams.set([target(team) for team in entry.refs.get("teams", [])])
        self.record(entry, person)

    def unclaimed_user(self, email: str | None) -> User | None:
        """The account with the person's e-mail address, when no other person has it yet."""
        if not email:
            return None
        return User.objects.filter(email=email, person__isnull=True).first()

    def save_item(self, entry: Entry, item: PortfolioItem) -> None:
        clean = entry.clean
        for name in ("name", "description", "stage", "target_segments", "links"):
            setattr(item, name, clean[name])
        item.owner = target(entry.refs.get("owner"))
        moments = sorted(change.clean["at"] for change in self.history.get(id(entry), []))
        now = timezone.now()
        item.created_at = moments[0] if moments else now
        item.updated_at = moments[-1] if moments else now
        self.save(entry, item, AUDIT_TYPES[entry.row.entity])
        self.write_history(entry, item, now)

    def write_history(self, entry: Entry, item: PortfolioItem, now: dt.datetime) -> None:
        """The item's stage history as the upload has it, in file order; when the upload has no
        history table, one 'Imported' entry, as if the item had been created here."""
        item_type = ITEM_TYPES[entry.row.entity]
        rows = [
            StageChange(
                item_type=item_type,
                item_id=item.pk,
                from_stage=change.clean["from_stage"],
                to_stage=change.clean["to_stage"],
                at=change.clean["at"],
                reason=change.clean["reason"],
            )
            for change in self.history.get(id(entry), [])
        ]
        if not self.with_history:
            rows = [
                StageChange(
                    item_type=item_type,
                    item_id=item.pk,
                    to_stage=item.stage,
                    reason=IMPORTED,
                    actor=self.actor,
                    at=now,
                )
            ]
        StageChange.objects.bulk_create(rows)
