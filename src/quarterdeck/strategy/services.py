"""Writes to the strategy: outcomes, their check-ins and key results (the vision and pillars are
in vision_services.py, re-exported here). Each write runs in a transaction, goes through the
access_* doors, checks the caller's version (lost-update protection) and is audited. A change
that can move numbers asks for a refresh (strategy/tasks.py), which runs after the commit.

``actor`` None is the operator at the command line, recorded as "system" in the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.validation import only_fields, raise_if
from quarterdeck.strategy import selectors
from quarterdeck.strategy.kr_validation import clean_key_result, clean_kr_check_in
from quarterdeck.strategy.models import (
    CheckIn,
    Health,
    KeyResult,
    KeyResultCheckIn,
    Outcome,
)
from quarterdeck.strategy.validation import Errors, clean_outcome, text
from quarterdeck.strategy.vision_services import (
    check_version,
    pillar_create,
    pillar_delete,
    pillar_links_set,
    pillar_update,
    vision_sign,
    vision_update,
)

__all__ = [
    "check_in_create",
    "key_result_check_in",
    "key_result_create",
    "key_result_delete",
    "key_result_update",
    "outcome_create",
    "outcome_delete",
    "outcome_update",
    "pillar_create",
    "pillar_delete",
    "pillar_links_set",
    "pillar_update",
    "vision_sign",
    "vision_update",
]


def _refresh(key_result_ids: list[int] | None = None) -> None:
    from quarterdeck.strategy.tasks import schedule_refresh

    schedule_refresh(key_result_ids=key_result_ids)


def _audit(actor: User | None, action: Action, obj: Any, kind: str, **snaps: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, object_type=kind, **snaps)


def _require_writer(actor: User | None) -> None:
    """Viewers and contributors hear "not allowed" before anything about their input."""
    if actor is not None and not rules.may_write_portfolio(actor):
        raise NotAllowed("Your role reads the strategy but does not change it.")


def _check_scope(actor: User | None, clean: Mapping[str, Any]) -> None:
    line = ProductLine.objects.filter(pk=clean["line_id"]).first() if clean["line_id"] else None
    product = (
        Product.objects.filter(pk=clean["product_id"]).first() if clean["product_id"] else None
    )
    if not selectors.may_create_outcome(actor, clean["level"], line, product):
        where = product or line
        raise NotAllowed(
            f"You may not set outcomes for {where.name}." if where is not None
            else "Only leaders and admins set company outcomes."
        )  # fmt: skip


# Outcomes -------------------------------------------------------------------------------------


def outcome_create(*, actor: User | None, data: Mapping[str, Any]) -> Outcome:
    _require_writer(actor)
    clean, pillars = clean_outcome(None, data)
    with transaction.atomic():
        _check_scope(actor, clean)
        outcome = Outcome.objects.create(**clean)
        if pillars:
            outcome.pillars.set(pillars)
        _audit(actor, Action.CREATE, outcome, "outcome", after=snapshot(outcome))
    return outcome


def _locked_outcome(actor: User | None, outcome_id: int) -> Outcome:
    selectors.access_outcome(actor, outcome_id, for_write=True)
    return Outcome.objects.select_for_update().get(pk=outcome_id)


def _follow_period(outcome: Outcome, old: tuple[dt.date, dt.date]) -> list[KeyResult]:
    """Key results on the outcome's old dates move with them; others must still fit inside."""
    moved, outside = [], []
    for kr in outcome.key_results.all():
        start = outcome.start if kr.start == old[0] else kr.start
        end = outcome.end if kr.end == old[1] else kr.end
        if not (outcome.start <= start <= end <= outcome.end):
            outside.append(kr.title)
        elif (start, end) != (kr.start, kr.end):
            kr.start, kr.end = start, end
            moved.append(kr)
    if outside:
        raise InvalidInput(
            f"Key results outside the new dates: {', '.join(outside)}; change them first.",
            fields={"start": [f"Would leave outside: {', '.join(outside)}."]},
        )
    return moved


def outcome_update(
    *, actor: User | None, outcome_id: int, data: Mapping[str, Any], expected_version: int | None
) -> Outcome:
    with transaction.atomic():
        outcome = _locked_outcome(actor, outcome_id)
        check_version(outcome, expected_version, f"The outcome “{outcome.title}”")
        clean, pillars = clean_outcome(outcome, data)
        if any(clean[k] != getattr(outcome, k) for k in ("level", "line_id", "product_id")):
            _check_scope(actor, clean)
        before, old = snapshot(outcome), (outcome.start, outcome.end)
        for name, value in clean.items():
            setattr(outcome, name, value)
        if pillars is not None:
            outcome.pillars.set(pillars)
        after = snapshot(outcome)
        if after == before:
            return outcome
        moved = _follow_period(outcome, old)
        outcome.version += 1
        outcome.updated_at = timezone.now()
        outcome.save()
        for kr in moved:
            kr.save(update_fields=["start", "end"])
        _audit(actor, Action.UPDATE, outcome, "outcome", before=before, after=after)
    _refresh([])  # roll-up only
    return outcome


def outcome_delete(*, actor: User | None, outcome_id: int, expected_version: int | None) -> None:
    """Its key results and check-ins go with it; outcomes aligned below it block the delete."""
    with transaction.atomic():
        outcome = _locked_outcome(actor, outcome_id)
        check_version(outcome, expected_version, f"The outcome “{outcome.title}”")
        children = list(outcome.children.values_list("title", flat=True)[:6])
        if children:
            names = ", ".join(f"“{title}”" for title in children[:5])
            raise InvalidInput(
                f"“{outcome.title}” has outcomes aligned below it ({names}"
                f"{', …' if len(children) > 5 else ''}); move or delete them first."
            )
        before, pk = snapshot(outcome), outcome.pk
        outcome.delete()
        outcome.pk = pk
        _audit(actor, Action.DELETE, outcome, "outcome", before=before)
    _refresh([])  # roll-up only


def check_in_create(*, actor: User | None, outcome_id: int, data: Mapping[str, Any]) -> CheckIn:
    """The owner's health call and note, with the outcome's computed progress at that time."""
    only_fields({"health", "note"}, data)
    errors: Errors = {}
    health = data.get("health")
    if health not in Health.values:
        errors["health"] = [f"Unknown health {health!r}; use {', '.join(Health.values)}."]
    note = text(data.get("note"), "note", errors, limit=20_000)
    raise_if(errors)
    with transaction.atomic():
        outcome = selectors.access_outcome(actor, outcome_id, for_write=True)
        check_in = CheckIn.objects.create(
            outcome=outcome, health=str(health), note=note, progress=outcome.progress,
            status=outcome.status, author=actor,
        )  # fmt: skip
        _audit(actor, Action.CREATE, check_in, "check_in", after=snapshot(check_in))
    return check_in


# Key results ----------------------------------------------------------------------------------


def key_result_create(*, actor: User | None, outcome_id: int, data: Mapping[str, Any]) -> KeyResult:
    _require_writer(actor)
    with transaction.atomic():
        outcome = selectors.access_outcome(actor, outcome_id, for_write=True)
        clean = clean_key_result(None, outcome, data)
        if "position" not in data:
            last = outcome.key_results.aggregate(last=Max("position"))["last"]
            clean["position"] = 0 if last is None else last + 1
        kr = KeyResult.objects.create(outcome=outcome, **clean)
        _audit(actor, Action.CREATE, kr, "key_result", after=snapshot(kr))
    _refresh([kr.pk])
    return kr


def _locked_kr(actor: User | None, kr_id: int, expected_version: int | None) -> KeyResult:
    selectors.access_key_result(actor, kr_id, for_write=True)
    kr = KeyResult.objects.select_for_update().select_related("outcome").get(pk=kr_id)
    check_version(kr, expected_version, f"The key result “{kr.title}”")
    return kr


def key_result_update(
    *, actor: User | None, kr_id: int, data: Mapping[str, Any], expected_version: int | None
) -> KeyResult:
    with transaction.atomic():
        kr = _locked_kr(actor, kr_id, expected_version)
        clean = clean_key_result(kr, kr.outcome, data)
        before = snapshot(kr)
        for name, value in clean.items():
            setattr(kr, name, value)
        after = snapshot(kr)
        if after == before:
            return kr
        kr.version += 1
        kr.updated_at = timezone.now()
        kr.save()
        _audit(actor, Action.UPDATE, kr, "key_result", before=before, after=after)
    _refresh([kr.pk])
    return kr


def key_result_delete(*, actor: User | None, kr_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        kr = _locked_kr(actor, kr_id, expected_version)
        before, pk = snapshot(kr), kr.pk
        kr.delete()
        kr.pk = pk
        _audit(actor, Action.DELETE, kr, "key_result", before=before)
    _refresh([])  # the outcome's roll-up changes


def key_result_check_in(
    *, actor: User | None, kr_id: int, data: Mapping[str, Any]
) -> KeyResultCheckIn:
    """A value measured on a day (required for manual key results) or a note on a bound one."""
    with transaction.atomic():
        kr = selectors.access_key_result(actor, kr_id, for_write=True)
        clean = clean_kr_check_in(kr, data, timezone.localdate())
        check_in = KeyResultCheckIn.objects.create(key_result=kr, author=actor, **clean)
        _audit(actor, Action.CREATE, check_in, "key_result_check_in", after=snapshot(check_in))
    _refresh([kr.pk])
    return check_in
