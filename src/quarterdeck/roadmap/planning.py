"""Writes of planning: team capacity per period, effort per team, dependencies between
initiatives. Each write runs in a transaction, goes through the doors and is audited.

Capacities are set by leaders and admins; an initiative's effort and what it needs by whoever
may change it. ``actor=None`` is the system (CLI, demo): no permission check.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Final

from django.db import transaction

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import (
    InvalidInput,
    NotAllowed,
    NotFound,
    VersionRequired,
    check_version,
)
from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature
from quarterdeck.portfolio.selectors import access_feature
from quarterdeck.roadmap import planning_selectors as selectors
from quarterdeck.roadmap.models import Dependency, Effort, TeamCapacity
from quarterdeck.roadmap.planning_periods import parse_period

MAX_AMOUNT: Final = 100_000.0


def _amount(value: Any, label: str) -> float:
    """A capacity or an effort: a finite number ≥ 0."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{label}: a number, e.g. 12.5 (got {value!r}).") from None
    if not math.isfinite(number) or number < 0 or number > MAX_AMOUNT:
        raise ValueError(f"{label}: a number from 0 to {MAX_AMOUNT:,.0f} (got {value!r}).")
    return number


def _team(team_id: Any) -> Team:
    team = Team.objects.filter(pk=int(team_id)).first() if str(team_id).isdigit() else None
    if team is None:
        raise NotFound(f"There is no team with id {team_id}.")
    return team


def _feature(actor: User | None, feature_id: int) -> Feature:
    if actor is not None:
        return access_feature(actor, feature_id, for_write=True)
    feature = Feature.objects.filter(pk=feature_id).first()
    if feature is None:
        raise NotFound(f"There is no feature with id {feature_id}.")
    return feature


# Capacity -------------------------------------------------------------------------------------


def _check_period(period: str) -> str:
    try:
        year, quarter = parse_period(period)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"period": [str(exc)]}) from None
    return f"{year}-Q{quarter}"


def capacity_set(
    *,
    actor: User | None,
    team_id: int,
    period: str,
    capacity: Any,
    unit: str | None = None,
    expected_version: int | None = None,
    version_required: bool = False,
) -> TeamCapacity:
    """Set (or create) a team's capacity in one quarter. With ``version_required`` (the API),
    changing an existing capacity needs the version the caller read."""
    if actor is not None and not selectors.may_change_capacity(actor):
        raise NotAllowed("Only leaders and admins set team capacities.")
    period = _check_period(period)
    try:
        amount = _amount(capacity, "capacity")
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"capacity": [str(exc)]}) from None
    with transaction.atomic():
        team = _team(team_id)
        row = TeamCapacity.objects.select_for_update().filter(team=team, period=period).first()
        if row is None:
            row = TeamCapacity.objects.create(
                team=team, period=period, capacity=amount, unit=unit or "engineer-weeks"
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=row,
                after=snapshot(row),
                object_type="team_capacity",
            )
            return row
        if version_required and expected_version is None:
            raise VersionRequired(
                f"The capacity of {team.name} in {period} exists: send If-Match with its ETag."
            )
        return _capacity_update(actor, row, amount, unit, expected_version)


def _capacity_update(
    actor: User | None, row: TeamCapacity, amount: float, unit: str | None, expected: int | None
) -> TeamCapacity:
    check_version(row.version, expected, f"The capacity of {row.team.name} in {row.period}")
    before = snapshot(row)
    row.capacity, row.unit = amount, (unit or row.unit)
    if snapshot(row) != before:
        row.version += 1
        row.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=row,
            before=before,
            after=snapshot(row),
            object_type="team_capacity",
        )
    return row


def _capacity_cell(actor: User | None, cell: dict[str, Any]) -> bool:
    team = _team(cell["team_id"])
    before = TeamCapacity.objects.filter(team=team, period=cell["period"]).first()
    row = capacity_set(
        actor=actor,
        team_id=team.pk,
        period=cell["period"],
        capacity=cell["capacity"],
        expected_version=cell["version"],
    )
    return before is None or before.version != row.version


def capacities_set(*, actor: User | None, cells: list[dict[str, Any]]) -> int:
    """Save the capacity grid: every typed cell (``team_id``, ``period``, ``capacity``,
    ``version`` read) in one transaction; empty cells are left alone. Returns cells changed;
    InvalidInput with every bad cell under ``cap-<team>-<period>``."""
    errors: dict[str, list[str]] = {}
    changed = 0
    with transaction.atomic():
        for cell in cells:
            if cell["capacity"] in ("", None):
                continue
            key = f"cap-{cell['team_id']}-{cell['period']}"
            try:
                changed += _capacity_cell(actor, cell)
            except (InvalidInput, NotFound) as exc:
                errors[key] = [exc.message]
        if errors:  # raising rolls the whole grid back
            raise InvalidInput(
                "Some capacities were not saved: fix the cells marked.", fields=errors
            )
    return changed


# Effort ---------------------------------------------------------------------------------------


def _clean_efforts(efforts: Mapping[Any, Any]) -> dict[int, float]:
    clean: dict[int, float] = {}
    errors: dict[str, list[str]] = {}
    for key, value in efforts.items():
        try:
            team = _team(key)
            amount = 0.0 if value in (None, "") else _amount(value, f"effort of {team.name}")
        except (ValueError, NotFound) as exc:
            errors[f"efforts.{key}"] = [getattr(exc, "message", str(exc))]
            continue
        if amount > 0:
            clean[team.pk] = amount
    if errors:
        raise InvalidInput(
            "Some efforts are not valid: " + " ".join(m for ms in errors.values() for m in ms),
            fields=errors,
        )
    return clean


def effort_set(*, actor: User | None, feature_id: int, efforts: Mapping[Any, Any]) -> list[Effort]:
    """Replace the initiative's effort per team (team id → amount; 0 or empty removes)."""
    clean = _clean_efforts(efforts)
    with transaction.atomic():
        feature = _feature(actor, feature_id)
        before = {str(e.team_id): e.amount for e in Effort.objects.filter(feature=feature)}
        Effort.objects.filter(feature=feature).exclude(team_id__in=clean).delete()
        for team_id, amount in clean.items():
            Effort.objects.update_or_create(
                feature=feature, team_id=team_id, defaults={"amount": amount}
            )
        after = {str(k): v for k, v in clean.items()}
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=feature,
            before={"efforts": before},
            after={"efforts": after},
            object_type="effort",
        )
        return selectors.efforts_of(feature)


# Dependencies ---------------------------------------------------------------------------------


def _path(start: int, goal: int) -> list[int] | None:
    """Feature ids from ``start`` to ``goal`` following "needs" edges, if there is a way."""
    edges: dict[int, list[int]] = {}
    for a, b in Dependency.objects.values_list("feature_id", "needs_id"):
        edges.setdefault(a, []).append(b)
    came: dict[int, int] = {}
    frontier, seen = [start], {start}
    while frontier:
        node = frontier.pop()
        if node == goal:
            path = [node]
            while path[-1] != start:
                path.append(came[path[-1]])
            return path[::-1]
        for nxt in edges.get(node, []):
            if nxt not in seen:
                seen.add(nxt)
                came[nxt] = node
                frontier.append(nxt)
    return None


def _refuse_cycle(feature: Feature, needs: Feature) -> None:
    if feature.pk == needs.pk:
        raise InvalidInput("An initiative cannot need itself.", fields={"needs_id": ["Itself."]})
    path = _path(needs.pk, feature.pk)
    if path is None:
        return
    names = dict(Feature.objects.filter(pk__in=path).values_list("pk", "name"))
    cycle = " → ".join(names[pk] for pk in [feature.pk, *path])
    message = f"That would make a cycle: {cycle} (each needs the next)."
    raise InvalidInput(message, fields={"needs_id": [message]})


def dependency_add(*, actor: User | None, feature_id: int, needs_id: int) -> Dependency:
    """``feature`` needs ``needs``; refused when it would close a cycle (the cycle is named)."""
    with transaction.atomic():
        feature = _feature(actor, feature_id)
        needs = Feature.objects.filter(pk=needs_id).first()
        if needs is None:
            raise InvalidInput(
                f"There is no feature with id {needs_id}.",
                fields={"needs_id": ["No such feature."]},
            )
        existing = Dependency.objects.filter(feature=feature, needs=needs).first()
        if existing is not None:
            return existing
        _refuse_cycle(feature, needs)
        dep = Dependency.objects.create(feature=feature, needs=needs, created_by=actor)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=dep,
            after=snapshot(dep),
            object_type="dependency",
        )
        return dep


def dependency_remove(*, actor: User | None, dependency_id: int) -> None:
    with transaction.atomic():
        dep = Dependency.objects.select_related("feature").filter(pk=dependency_id).first()
        if dep is None:
            raise NotFound(f"There is no dependency with id {dependency_id}.")
        _feature(actor, dep.feature_id)
        audit_record(
            actor=actor,
            action=Action.DELETE,
            obj=dep,
            before=snapshot(dep),
            object_type="dependency",
        )
        dep.delete()
