"""Writing the audit log. Services call audit_record after each write, in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action, AuditEntry

Snapshot = dict[str, Any]
HIDDEN_FIELDS = {"password", "token_hash"}


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, *, exclude: Iterable[str] = ()) -> Snapshot:
    """The object's stored fields as JSON-ready values (foreign keys as ids, m2m as sorted ids)."""
    skip = HIDDEN_FIELDS | set(exclude) | {"version", "updated_at"}
    data: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        data[field.name] = _json_value(getattr(obj, field.attname))
    if obj.pk is not None:
        for m2m in obj._meta.many_to_many:
            if m2m.name not in skip:
                data[m2m.name] = sorted(getattr(obj, m2m.name).values_list("pk", flat=True))
    return data


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    keys = sorted(set(before) | set(after))
    return {k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)}


def audit_record(
    *,
    actor: User | None,
    action: Action,
    obj: models.Model,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    object_type: str | None = None,
) -> AuditEntry | None:
    """Record one change; an update that changed nothing is not recorded."""
    changes = diff(before or {}, after or {})
    if action == Action.UPDATE and not changes:
        return None
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=actor.email if actor is not None else "system",
        action=action,
        object_type=object_type or obj._meta.model_name or "object",
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        changes=changes,
    )
