"""Writes to the vision, its sign-offs and the strategic pillars (re-exported by services.py).

Leaders and admins edit the vision and the pillars and designate who signs for the CPO and CTO
roles; only the user of the designated person signs for a role. The vision's ``version`` counts
changes of its content (statement, horizon): a sign-off counts for the version signed, so editing
the statement asks for new sign-offs, while designating a signer does not."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people.models import Person
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.validation import only_fields, raise_if
from quarterdeck.strategy import selectors
from quarterdeck.strategy.models import Pillar, SignOff, SignOffRole, Vision
from quarterdeck.strategy.validation import Errors, existing, text

VISION_FIELDS = {"statement", "horizon", "cpo_id", "cto_id"}
CONTENT_FIELDS = ("statement", "horizon")
PILLAR_FIELDS = {"name", "description", "position"}


def check_version(obj: Any, expected_version: int | None, label: str) -> None:
    if expected_version is not None and obj.version != expected_version:
        raise VersionConflict(
            f"{label} was changed by someone else (now version {obj.version}, you edited "
            f"version {expected_version}). Reload it and apply your change again.",
            current_version=obj.version,
        )


def _require_editor(actor: User | None) -> None:
    if not selectors.may_edit_strategy(actor):
        raise NotAllowed("Only leaders and admins change the vision and the pillars.")


# Vision ---------------------------------------------------------------------------------------


def _clean_vision(data: Mapping[str, Any]) -> dict[str, Any]:
    only_fields(VISION_FIELDS, data)
    errors: Errors = {}
    clean: dict[str, Any] = {}
    if "statement" in data:
        clean["statement"] = text(data["statement"], "statement", errors, limit=20_000)
    if "horizon" in data:
        clean["horizon"] = text(data["horizon"], "horizon", errors, limit=100)
    for name in ("cpo_id", "cto_id"):
        if name in data:
            existing(Person, data[name], name, "person", errors)
            clean[name] = data[name]
    raise_if(errors)
    return clean


def vision_update(
    *, actor: User | None, data: Mapping[str, Any], expected_version: int | None
) -> Vision:
    _require_editor(actor)
    clean = _clean_vision(data)
    with transaction.atomic():
        found, _ = Vision.objects.select_for_update().get_or_create(pk=1)
        check_version(found, expected_version, "The vision")
        before = snapshot(found)
        content = {name: getattr(found, name) for name in CONTENT_FIELDS}
        for name, value in clean.items():
            setattr(found, name, value)
        after = snapshot(found)
        if after == before:
            return found
        if content != {name: getattr(found, name) for name in CONTENT_FIELDS}:
            found.version += 1  # earlier sign-offs no longer count
        found.updated_at = timezone.now()
        found.save()
        audit_record(
            actor=actor, action=Action.UPDATE, obj=found, before=before, after=after,
            object_type="vision",
        )  # fmt: skip
        return found


def _signer_check(actor: User | None, role: str, found: Vision) -> None:
    if role not in SignOffRole.values:
        raise InvalidInput(f"Unknown role {role!r}.", fields={"role": ["Use cpo or cto."]})
    if not found.statement.strip():
        raise InvalidInput("There is no vision to sign yet; write the statement first.")
    designated: Person | None = getattr(found, role)
    if designated is None:
        raise InvalidInput(
            f"Nobody is designated to sign as {role.upper()}; a leader or admin names them first.",
            fields={"role": [f"No {role.upper()} is designated."]},
        )
    if actor is None or designated.user_id != actor.pk:
        raise NotAllowed(f"Only {designated.name}, the designated {role.upper()}, signs for it.")


def vision_sign(*, actor: User | None, role: str, note: str = "") -> SignOff:
    """Sign the current version; signing it again returns the signer's existing sign-off."""
    with transaction.atomic():
        found = Vision.objects.select_for_update(of=("self",)).select_related("cpo", "cto")
        current = found.filter(pk=1).first() or Vision(pk=1)
        _signer_check(actor, role, current)
        signed = SignOff.objects.filter(role=role, vision_version=current.version, signer=actor)
        done = signed.first()
        if done is not None:
            return done
        errors: Errors = {}
        clean_note = text(note, "note", errors, limit=20_000)
        raise_if(errors)
        sign_off = SignOff.objects.create(
            role=role, signer=actor, vision_version=current.version, note=clean_note
        )
        audit_record(
            actor=actor, action=Action.UPDATE, obj=current, object_type="vision",
            before={f"{role}_signed": None}, after={f"{role}_signed": current.version},
        )  # fmt: skip
        return sign_off


# Pillars --------------------------------------------------------------------------------------


def _clean_pillar(data: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    only_fields(PILLAR_FIELDS, data)
    errors: Errors = {}
    clean: dict[str, Any] = {}
    if creating or "name" in data:
        clean["name"] = text(data.get("name"), "name", errors, limit=200, required=True)
    if "description" in data:
        clean["description"] = text(data["description"], "description", errors, limit=20_000)
    if "position" in data:
        position = data["position"]
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            errors["position"] = ["A whole number, 0 or more."]
        clean["position"] = position
    raise_if(errors)
    return clean


def _save_pillar(pillar: Pillar) -> None:
    try:
        with transaction.atomic():
            pillar.save()
    except IntegrityError as exc:
        raise InvalidInput(
            f"There is already a pillar named “{pillar.name}”.",
            fields={"name": ["Already used by another pillar."]},
        ) from exc


def _audit(actor: User | None, action: Action, obj: models.Model, **snaps: Any) -> None:
    audit_record(actor=actor, action=action, obj=obj, object_type="pillar", **snaps)


def pillar_create(*, actor: User | None, data: Mapping[str, Any]) -> Pillar:
    _require_editor(actor)
    clean = _clean_pillar(data, creating=True)
    with transaction.atomic():
        if "position" not in clean:
            clean["position"] = Pillar.objects.count()
        pillar = Pillar(**clean)
        _save_pillar(pillar)
        _audit(actor, Action.CREATE, pillar, after=snapshot(pillar))
        return pillar


def _locked_pillar(actor: User | None, pillar_id: int, expected_version: int | None) -> Pillar:
    selectors.access_pillar(actor, pillar_id, for_write=True)
    pillar = Pillar.objects.select_for_update().get(pk=pillar_id)
    check_version(pillar, expected_version, f"The pillar “{pillar.name}”")
    return pillar


def _changed(actor: User | None, pillar: Pillar, before: dict[str, Any]) -> Pillar:
    after = snapshot(pillar)
    if after != before:
        pillar.version += 1
        pillar.updated_at = timezone.now()
        _save_pillar(pillar)
        _audit(actor, Action.UPDATE, pillar, before=before, after=after)
    return pillar


def pillar_update(
    *, actor: User | None, pillar_id: int, data: Mapping[str, Any], expected_version: int | None
) -> Pillar:
    clean = _clean_pillar(data, creating=False)
    with transaction.atomic():
        pillar = _locked_pillar(actor, pillar_id, expected_version)
        before = snapshot(pillar)
        for name, value in clean.items():
            setattr(pillar, name, value)
        return _changed(actor, pillar, before)


def pillar_delete(*, actor: User | None, pillar_id: int, expected_version: int | None) -> None:
    """Outcomes, lines and products that served the pillar simply no longer name it."""
    with transaction.atomic():
        pillar = _locked_pillar(actor, pillar_id, expected_version)
        before, pk = snapshot(pillar), pillar.pk
        pillar.delete()
        pillar.pk = pk
        _audit(actor, Action.DELETE, pillar, before=before)


def _ids(raw: Iterable[Any], model: type[Any], name: str, errors: Errors) -> list[int]:
    ids = sorted({int(i) for i in raw})
    missing = sorted(set(ids) - set(model.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        label = model._meta.verbose_name
        errors[name] = [f"There is no {label} with id {', '.join(map(str, missing))}."]
    return ids


def pillar_links_set(
    *,
    actor: User | None,
    pillar_id: int,
    line_ids: Iterable[int],
    product_ids: Iterable[int],
    expected_version: int | None,
) -> Pillar:
    """Replace the product lines and products that serve the pillar."""
    errors: Errors = {}
    lines = _ids(line_ids, ProductLine, "line_ids", errors)
    products = _ids(product_ids, Product, "product_ids", errors)
    with transaction.atomic():
        pillar = _locked_pillar(actor, pillar_id, expected_version)
        raise_if(errors)
        before = snapshot(pillar)
        pillar.lines.set(lines)
        pillar.products.set(products)
        return _changed(actor, pillar, before)
