"""Writes of lifecycle gates: exit criteria (leaders and admins), the recommended set, and
checklist ticks (whoever may change the item). Audited; updates are version-checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.launches.gate_selectors import GATED_TYPES, access_gate_criterion, access_item
from quarterdeck.launches.gates import REQUIREMENTS, STAGES, item_type_of
from quarterdeck.launches.models import CriterionKind, GateCriterion, GateTick
from quarterdeck.lib.errors import InvalidInput, NotAllowed, check_version
from quarterdeck.portfolio.models import ItemType, PortfolioItem

FIELDS: Final = {
    "stage",
    "applies_to",
    "kind",
    "requirement",
    "label",
    "help",
    "position",
    "active",
}
F, P = ItemType.FEATURE, ItemType.PRODUCT
CHECK, REQ = CriterionKind.CHECKLIST, CriterionKind.REQUIRED
# (applies_to, stage, kind, requirement, label, help): exit criteria, i.e. what must hold to
# LEAVE the stage. The sunset plan is the exit criterion of "mature": it is needed to enter sunset.
RECOMMENDED: Final[tuple[tuple[str, str, str, str, str, str], ...]] = (
    (F, "idea", REQ, "description", "Problem statement written", "Who has the problem and why."),
    (F, "idea", REQ, "owner", "An owner is named", ""),
    (F, "discovery", REQ, "outcome", "Tied to a product outcome", "What it should move."),
    (F, "discovery", REQ, "score", "Scored", "A score under the line's scoring model."),
    (F, "discovery", CHECK, "", "Customer evidence reviewed", "Interviews, feedback, usage data."),
    (F, "build", REQ, "effort", "Effort estimated", "Effort per team."),
    (F, "build", REQ, "launch_plan", "A launch plan is planned", "From a launch template."),
    (F, "build", REQ, "success_metrics", "Success metrics with targets", "What success means."),
    (F, "build", CHECK, "", "Support and sales briefed", "Release notes, FAQ, demo script."),
    (F, "launch", REQ, "metrics_bound", "Success metrics bound", "Baselines measured at launch."),
    (F, "launch", CHECK, "", "Launch announced", "Customers and the company were told."),
    (F, "growth", CHECK, "", "+90-day review held", "The post-launch checks were discussed."),
    (F, "mature", REQ, "sunset_plan", "Sunset plan with a shutdown date", "Needed for sunset."),
    (P, "idea", REQ, "description", "Problem statement written", ""),
    (P, "idea", REQ, "owner", "An owner is named", ""),
    (P, "discovery", REQ, "outcome", "A product outcome is set", ""),
    (P, "discovery", REQ, "target_segments", "Target segments named", ""),
    (P, "build", CHECK, "", "Pricing and packaging decided", ""),
    (P, "mature", REQ, "sunset_plan", "Sunset plan with a shutdown date", "Needed for sunset."),
)


def _clean(data: Mapping[str, Any], current: GateCriterion | None) -> dict[str, Any]:
    unknown = set(data) - FIELDS
    if unknown:
        raise InvalidInput(f"Unknown field(s): {', '.join(sorted(unknown))}.")
    merged = {name: getattr(current, name) for name in FIELDS} if current else {}
    merged |= dict(data)
    errors: dict[str, list[str]] = {}
    if merged.get("stage") not in STAGES[:-1]:
        errors["stage"] = [f"Use one of {', '.join(STAGES[:-1])} (sunset is the last stage)."]
    if merged.get("applies_to", F) not in GATED_TYPES:
        errors["applies_to"] = ["Use “feature” or “product”."]
    kind = merged.get("kind")
    if kind not in CriterionKind.values:
        errors["kind"] = ["Use “checklist” or “required”."]
    if kind == REQ and merged.get("requirement") not in REQUIREMENTS:
        errors["requirement"] = [f"Use one of {', '.join(sorted(REQUIREMENTS))}."]
    if kind == CHECK:
        merged["requirement"] = ""
    label = str(merged.get("label") or "").strip()
    if not label and kind == REQ and merged.get("requirement") in REQUIREMENTS:
        label = REQUIREMENTS[merged["requirement"]].label
    if not label:
        errors["label"] = ["Say what must hold, e.g. “Legal review done”."]
    if errors:
        raise InvalidInput("The exit criterion is not valid.", fields=errors)
    return {**merged, "label": label[:200]}


def check_leader(actor: User | None) -> None:
    if actor is not None and not rules.changes_everything(actor):
        raise NotAllowed("Only leaders and admins change exit criteria.")


def criterion_create(*, actor: User | None, data: Mapping[str, Any]) -> GateCriterion:
    check_leader(actor)
    clean = _clean({"applies_to": F, **data}, None)
    with transaction.atomic():
        if "position" not in data:
            same = GateCriterion.objects.filter(
                stage=clean["stage"], applies_to=clean["applies_to"]
            )
            clean["position"] = same.count()
        criterion = GateCriterion.objects.create(**clean)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=criterion,
            after=snapshot(criterion),
            object_type="gate_criterion",
        )
    return criterion


def _locked(actor: User | None, criterion_id: int, expected_version: int | None) -> GateCriterion:
    if actor is not None:
        access_gate_criterion(actor, criterion_id, for_write=True)
    criterion = GateCriterion.objects.select_for_update().get(pk=criterion_id)
    check_version(criterion.version, expected_version, f"The criterion “{criterion.label}”")
    return criterion


def criterion_update(
    *,
    actor: User | None,
    criterion_id: int,
    data: Mapping[str, Any],
    expected_version: int | None,
) -> GateCriterion:
    with transaction.atomic():
        criterion = _locked(actor, criterion_id, expected_version)
        before = snapshot(criterion)
        for name, value in _clean(data, criterion).items():
            setattr(criterion, name, value)
        if snapshot(criterion) == before:
            return criterion
        criterion.version += 1
        criterion.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=criterion,
            before=before,
            after=snapshot(criterion),
            object_type="gate_criterion",
        )
    return criterion


def criterion_delete(
    *, actor: User | None, criterion_id: int, expected_version: int | None
) -> None:
    """Delete a criterion and its ticks (deactivate it instead to keep them)."""
    with transaction.atomic():
        criterion = _locked(actor, criterion_id, expected_version)
        before, pk = snapshot(criterion), criterion.pk
        criterion.delete()
        criterion.pk = pk
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=criterion,
            before=before,
            object_type="gate_criterion",
        )


def criterion_move(*, actor: User | None, criterion_id: int, step: int) -> GateCriterion:
    """Swap the criterion with its neighbour in its stage (step -1: up, +1: down)."""
    with transaction.atomic():
        criterion = _locked(actor, criterion_id, None)
        siblings = list(
            GateCriterion.objects.select_for_update().filter(
                stage=criterion.stage, applies_to=criterion.applies_to
            )
        )
        index = siblings.index(criterion)
        other = index + (1 if step > 0 else -1)
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
        for position, row in enumerate(siblings):
            if row.position != position:
                criterion_update(
                    actor=actor,
                    criterion_id=row.pk,
                    data={"position": position},
                    expected_version=None,
                )
        criterion.refresh_from_db()
    return criterion


def criteria_install_defaults(*, actor: User | None) -> int:
    """Add the recommended criteria that are missing (same type, stage and requirement or
    label); answers how many were added. Running it twice adds nothing. Criteria whose data
    check is not registered are skipped."""
    check_leader(actor)
    added = 0
    with transaction.atomic():
        for applies_to, stage, kind, requirement, label, help_ in RECOMMENDED:
            if requirement and requirement not in REQUIREMENTS:
                continue  # its app is not installed: running this again later adds it
            same = GateCriterion.objects.filter(applies_to=applies_to, stage=stage, kind=kind)
            if same.filter(
                requirement=requirement, **({} if requirement else {"label": label})
            ).exists():
                continue
            data = {"applies_to": applies_to, "stage": stage, "kind": kind, "label": label}
            criterion_create(actor=actor, data={**data, "requirement": requirement, "help": help_})
            added += 1
    return added


def tick_set(
    *,
    actor: User | None,
    item: PortfolioItem,
    criterion_id: int,
    done: bool,
    note: str = "",
) -> GateTick:
    """Tick (or untick) a checklist criterion for an item; ``item`` came through its door.
    Users need to be allowed to change the item."""
    item_type = item_type_of(item)
    if actor is not None:
        item = access_item(actor, item_type, item.pk, for_write=True)
    criterion = GateCriterion.objects.filter(pk=criterion_id, applies_to=item_type).first()
    if criterion is None or criterion.kind != CHECK:
        raise InvalidInput(
            f"There is no checklist criterion {criterion_id} for this {item_type}.",
            fields={"criterion_id": ["Not a checklist criterion of this item."]},
        )
    with transaction.atomic():
        tick, _ = GateTick.objects.select_for_update().get_or_create(
            criterion=criterion, item_type=item_type, item_id=item.pk, defaults={"done": done}
        )
        before = snapshot(tick)
        tick.done, tick.note, tick.actor, tick.at = done, note.strip(), actor, timezone.now()
        tick.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=tick,
            before=before,
            after=snapshot(tick),
            object_type="gate_tick",
        )
    return tick
