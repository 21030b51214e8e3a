"""Reading an instance from JSON (docs/optimizer.md): every check names the JSON path that is
wrong and what was expected there."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from quarterdeck.roadmap.optimizer.instance import (
    Dependency,
    ExclusiveGroup,
    Initiative,
    Instance,
    InstanceError,
    Team,
)


def _object(value: Any, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InstanceError(path, "expected an object")
    return value


def _list(value: Any, path: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple):
        raise InstanceError(path, "expected a list")
    return value


def _number(value: Any, path: str, *, minimum: float | None = 0.0) -> float:
    wanted = "a number" if minimum is None else f"a number >= {minimum:g}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InstanceError(path, f"expected {wanted}")
    if not math.isfinite(value) or (minimum is not None and value < minimum):
        raise InstanceError(path, f"expected {wanted}, got {value!r}")
    return float(value)


def _text(value: Any, path: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # ids may be numbers (feature ids); they are compared as text
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(path, "expected a non-empty string")
    return value


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InstanceError(path, "expected true or false")
    return value


def _unknown(data: Mapping[str, Any], allowed: set[str], path: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        where = f"{path}.{extra[0]}" if path else extra[0]
        raise InstanceError(where, f"unknown key (expected one of {', '.join(sorted(allowed))})")


def _periods(data: Mapping[str, Any]) -> tuple[str, ...]:
    if "periods" not in data:
        raise InstanceError("periods", "required: the ordered period names, e.g. ['2027-Q1']")
    raw = _list(data["periods"], "periods")
    periods = tuple(_text(name, f"periods[{n}]") for n, name in enumerate(raw))
    if not periods:
        raise InstanceError("periods", "expected at least one period")
    if len(set(periods)) != len(periods):
        raise InstanceError("periods", "period names must be unique")
    return periods


def _per_period(value: Any, periods: tuple[str, ...], path: str) -> tuple[float, ...]:
    """A number for every period: one number (the same each period), a list in period order
    or an object by period name."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return tuple(_number(value, path) for _ in periods)
    if isinstance(value, list):
        if len(value) != len(periods):
            raise InstanceError(path, f"expected {len(periods)} numbers, one per period")
        return tuple(_number(v, f"{path}[{n}]") for n, v in enumerate(value))
    if isinstance(value, Mapping):
        _unknown(value, set(periods), path)
        missing = [p for p in periods if p not in value]
        if missing:
            raise InstanceError(f"{path}.{missing[0]}", "missing: give a number for every period")
        return tuple(_number(value[p], f"{path}.{p}") for p in periods)
    raise InstanceError(path, "expected a number, a list per period or an object by period")


def _period_index(value: Any, periods: tuple[str, ...], path: str) -> int | None:
    if value is None:
        return None
    if value not in periods:
        raise InstanceError(path, f"unknown period {value!r} (periods: {', '.join(periods)})")
    return periods.index(value)


TEAM_KEYS = {"id", "name", "capacity", "unit"}
ITEM_KEYS = {"id", "name", "value", "effort", "earliest", "latest", "must_have", "fixed_period"}


def _team(raw: Any, periods: tuple[str, ...], path: str) -> Team:
    data = _object(raw, path)
    _unknown(data, TEAM_KEYS, path)
    team_id = _text(data.get("id"), f"{path}.id")
    if "capacity" not in data:
        raise InstanceError(f"{path}.capacity", "required: a number per period")
    capacity = _per_period(data["capacity"], periods, f"{path}.capacity")
    unit = data.get("unit", "")
    if not isinstance(unit, str):
        raise InstanceError(f"{path}.unit", "expected a string")
    name = _text(data["name"], f"{path}.name") if "name" in data else team_id
    return Team(id=team_id, name=name, capacity=capacity, unit=unit)


def _effort(raw: Any, teams: set[str], path: str) -> dict[str, float]:
    data = _object(raw if raw is not None else {}, path)
    for team_id in data:
        if team_id not in teams:
            raise InstanceError(f"{path}.{team_id}", "unknown team (not in teams)")
    return {team_id: _number(v, f"{path}.{team_id}") for team_id, v in data.items()}


def _window(data: Mapping[str, Any], periods: tuple[str, ...], path: str) -> tuple[int | None, ...]:
    earliest = _period_index(data.get("earliest"), periods, f"{path}.earliest")
    latest = _period_index(data.get("latest"), periods, f"{path}.latest")
    fixed = _period_index(data.get("fixed_period"), periods, f"{path}.fixed_period")
    if earliest is not None and latest is not None and earliest > latest:
        raise InstanceError(f"{path}.latest", "is before earliest")
    if fixed is not None and not (earliest or 0) <= fixed <= (
        len(periods) if latest is None else latest
    ):
        raise InstanceError(f"{path}.fixed_period", "is outside earliest..latest")
    return earliest, latest, fixed


def _initiative(raw: Any, periods: tuple[str, ...], teams: set[str], path: str) -> Initiative:
    data = _object(raw, path)
    _unknown(data, ITEM_KEYS, path)
    item_id = _text(data.get("id"), f"{path}.id")
    if "value" not in data:
        raise InstanceError(f"{path}.value", "required: a number >= 0 (the score)")
    earliest, latest, fixed = _window(data, periods, path)
    return Initiative(
        id=item_id,
        name=_text(data["name"], f"{path}.name") if "name" in data else item_id,
        value=_number(data["value"], f"{path}.value"),
        effort=_effort(data.get("effort"), teams, f"{path}.effort"),
        earliest=earliest,
        latest=latest,
        must_have=_flag(data.get("must_have", False), f"{path}.must_have"),
        fixed=fixed,
    )


def _unique(ids: Sequence[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for n, found in enumerate(ids):
        if found in seen:
            raise InstanceError(f"{path}[{n}].id", f"duplicate {what} id {found!r}")
        seen.add(found)


def _dependency(raw: Any, known: set[str], path: str) -> Dependency:
    data = _object(raw, path)
    _unknown(data, {"initiative", "needs", "strict"}, path)
    ends = []
    for key in ("initiative", "needs"):
        found = _text(data.get(key), f"{path}.{key}")
        if found not in known:
            raise InstanceError(f"{path}.{key}", f"unknown initiative {found!r}")
        ends.append(found)
    if ends[0] == ends[1]:
        raise InstanceError(f"{path}.needs", "an initiative cannot need itself")
    strict = _flag(data["strict"], f"{path}.strict") if "strict" in data else False
    return Dependency(ends[0], ends[1], strict=strict)


def _group(raw: Any, known: set[str], path: str) -> ExclusiveGroup:
    data = _object(raw, path)
    _unknown(data, {"id", "initiatives"}, path)
    members = _list(data.get("initiatives"), f"{path}.initiatives")
    ids = tuple(_text(m, f"{path}.initiatives[{n}]") for n, m in enumerate(members))
    for n, found in enumerate(ids):
        if found not in known:
            raise InstanceError(f"{path}.initiatives[{n}]", f"unknown initiative {found!r}")
    if len(set(ids)) != len(ids):
        raise InstanceError(f"{path}.initiatives", "an initiative is listed twice")
    return ExclusiveGroup(id=_text(data.get("id"), f"{path}.id"), initiatives=ids)


TOP_KEYS = {
    "periods", "period_weights", "strict", "teams", "initiatives", "dependencies",
    "exclusive_groups",
}  # fmt: skip


def parse(raw: Mapping[str, Any]) -> Instance:
    """The instance in ``raw`` (docs/optimizer.md), or InstanceError naming the JSON path."""
    data = _object(raw, "")
    _unknown(data, TOP_KEYS, "")
    periods = _periods(data)
    raw_teams = _list(data.get("teams", []), "teams")
    teams = tuple(_team(t, periods, f"teams[{n}]") for n, t in enumerate(raw_teams))
    _unique([t.id for t in teams], "teams", "team")
    team_ids = {t.id for t in teams}
    raw_items = _list(data.get("initiatives", []), "initiatives")
    items = tuple(
        _initiative(i, periods, team_ids, f"initiatives[{n}]") for n, i in enumerate(raw_items)
    )
    _unique([i.id for i in items], "initiatives", "initiative")
    known = {i.id for i in items}
    strict = _flag(data.get("strict", False), "strict")
    deps = _list(data.get("dependencies", []), "dependencies")
    groups = _list(data.get("exclusive_groups", []), "exclusive_groups")
    weights = data.get("period_weights")
    return Instance(
        periods=periods,
        teams=teams,
        initiatives=items,
        dependencies=tuple(_dependency(d, known, f"dependencies[{n}]") for n, d in enumerate(deps)),
        exclusive_groups=tuple(
            _group(g, known, f"exclusive_groups[{n}]") for n, g in enumerate(groups)
        ),
        period_weights=() if weights is None else _per_period(weights, periods, "period_weights"),
        strict=strict,
    )
