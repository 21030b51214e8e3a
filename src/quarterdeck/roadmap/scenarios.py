"""Scenarios: run the optimizer on the instance built from the database (scenario_instance.py),
save what went in and what came out, rename, delete, and put a plan on the roadmap."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    check_version,
)
from quarterdeck.portfolio.models import Feature
from quarterdeck.roadmap import optimizer
from quarterdeck.roadmap import planning_selectors as selectors
from quarterdeck.roadmap.models import Lane, Scenario
from quarterdeck.roadmap.planning_periods import period_dates
from quarterdeck.roadmap.scenario_instance import clean_options, instance_build

AUDIT_TYPE: Final = "scenario"
LANES: Final = (Lane.NOW, Lane.NEXT)  # period 1 → now, 2 → next, the rest → later


# Running, changing, applying ------------------------------------------------------------------


def _solve(instance: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    try:
        parsed = optimizer.Instance.from_json(instance)
    except optimizer.InstanceError as exc:  # the builder's bug, or odd data: say where
        raise InvalidInput(f"The instance is not valid: {exc}") from None
    plan = optimizer.solve(parsed, time_limit=options["time_limit"], gap=options["gap"])
    result: dict[str, Any] = plan.to_json()
    if "greedy_value" not in result:
        result["greedy_value"] = optimizer.greedy(parsed).value
    return result


def _clean_name(name: Any) -> str:
    text = str(name or "").strip()
    if not text or len(text) > 200 or "\x00" in text:
        message = "A name of 1 to 200 characters, e.g. “Next quarter — base plan”."
        raise InvalidInput(message, fields={"name": [message]})
    return text


def scenario_run(*, actor: User | None, name: str, options: Mapping[str, Any]) -> Scenario:
    """Build the instance, solve it, save the scenario (write roles)."""
    if actor is not None and not rules.may_write_portfolio(actor):
        raise NotAllowed("The optimizer is for members, managers, leaders and admins.")
    name = _clean_name(name)
    clean = clean_options(options)
    instance, skipped = instance_build(clean)
    result = {**_solve(instance, clean), "skipped": skipped}
    with transaction.atomic():
        scenario = Scenario.objects.create(
            name=name,
            line_id=clean["line_id"],
            options=clean,
            instance=instance,
            result=result,
            status=str(result.get("status", "")),
            value=result.get("value"),
            gap=result.get("gap"),
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=scenario,
            after=snapshot(scenario, exclude={"instance", "result"}),
            object_type=AUDIT_TYPE,
        )
    return scenario


def _locked(actor: User | None, scenario_id: int, expected: int | None) -> Scenario:
    if actor is not None:
        selectors.access_scenario(actor, scenario_id, for_write=True)
    scenario = Scenario.objects.select_for_update().filter(pk=scenario_id).first()
    if scenario is None:
        raise NotFound(f"There is no scenario with id {scenario_id}.")
    check_version(scenario.version, expected, f"The scenario “{scenario.name}”")
    return scenario


def scenario_update(
    *, actor: User | None, scenario_id: int, data: Mapping[str, Any], expected_version: int | None
) -> Scenario:
    """Rename a scenario or change its notes."""
    unknown = sorted(set(data) - {"name", "notes"})
    if unknown:
        raise InvalidInput(
            f"Only name and notes can change (not {unknown[0]!r}).",
            fields={unknown[0]: ["Cannot be changed."]},
        )
    with transaction.atomic():
        scenario = _locked(actor, scenario_id, expected_version)
        before = snapshot(scenario, exclude={"instance", "result"})
        if "name" in data:
            scenario.name = _clean_name(data["name"])
        if "notes" in data:
            scenario.notes = str(data["notes"] or "")[:20_000].replace("\x00", "")
        after = snapshot(scenario, exclude={"instance", "result"})
        if after != before:
            scenario.version += 1
            scenario.save()
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=scenario,
                before=before,
                after=after,
                object_type=AUDIT_TYPE,
            )
        return scenario


def scenario_delete(*, actor: User | None, scenario_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        scenario = _locked(actor, scenario_id, expected_version)
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=scenario,
            before=snapshot(scenario, exclude={"instance", "result"}),
            object_type=AUDIT_TYPE,
        )
        scenario.delete()


def lane_of(index: int) -> str:
    return LANES[index] if index < len(LANES) else Lane.LATER


def scenario_apply(*, actor: User | None, scenario_id: int) -> int:
    """Put the plan on the roadmap through the board's ``entry_place``: the first quarter → now,
    the second → next, the rest → later, start/end = the quarter. All or nothing: a feature
    the actor may not change refuses the whole apply (naming it). Returns the entries placed."""
    from quarterdeck.roadmap.board import entry_place

    if actor is not None:
        selectors.access_scenario(actor, scenario_id)
    with transaction.atomic():
        scenario = Scenario.objects.select_for_update().get(pk=scenario_id)
        periods = list(scenario.options.get("periods", []))
        existing = set(Feature.objects.values_list("pk", flat=True))
        placed = 0
        for initiative, period in selectors.assignments(scenario).items():
            if int(initiative) not in existing or period not in periods:
                continue  # deleted since the run
            start, end = period_dates(period)
            lane = lane_of(periods.index(period))
            entry_place(
                actor=actor,
                feature_id=int(initiative),
                lane=lane,
                start=start,
                end=end,
                scenario=scenario,
            )
            placed += 1
        by = actor.email if actor is not None else "system"
        applied = {"at": timezone.now().isoformat(), "by": by, "entries": placed}
        scenario.result = {**scenario.result, "applied": applied}
        scenario.save(update_fields=["result"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=scenario,
            before={"applied": None},
            after={"applied": applied},
            object_type=AUDIT_TYPE,
        )
    return placed
