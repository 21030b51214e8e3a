"""A scenario's run options, checked, and the optimizer instance built from the database.

The instance (docs/optimizer.md) holds the initiatives in scope — features in idea, discovery
or build, in the scenario's line (or the whole portfolio), minus the excluded ones — with their
current score as value, their effort per team, the teams' capacity per quarter (with the run's
overrides) and the dependencies between them. A dependency on an initiative that is already
launched is met; one on an initiative outside the scenario (another line, excluded) cannot be
met in it, so the initiative is left out before solving and listed under ``skipped``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed
from quarterdeck.people.models import Team
from quarterdeck.portfolio.models import Feature, ProductLine
from quarterdeck.roadmap import planning_selectors as selectors
from quarterdeck.roadmap.models import Dependency, Effort, ScoringModel, TeamCapacity
from quarterdeck.roadmap.planning_periods import clean_periods, next_periods

OPTION_KEYS: Final = frozenset(
    {
        "periods",
        "scoring_model_id",
        "line_id",
        "must_have",
        "exclusive_groups",
        "excluded",
        "capacity_overrides",
        "gap",
        "time_limit",
    }
)
MAX_TIME_LIMIT: Final = 60.0


# Options --------------------------------------------------------------------------------------


def _ids(value: Any, name: str) -> list[int]:
    if value in (None, ""):
        return []
    items = value.split(",") if isinstance(value, str) else value
    try:
        return sorted({int(v) for v in items if str(v).strip()})
    except (TypeError, ValueError):
        raise ValueError(f"{name}: a list of feature ids, e.g. [12, 15].") from None


def _groups(value: Any) -> list[list[int]]:
    if not value:
        return []
    if not isinstance(value, list) or not all(isinstance(g, list | tuple | str) for g in value):
        raise ValueError("exclusive_groups: a list of lists of feature ids, e.g. [[3, 4]].")
    groups = [_ids(g, "exclusive_groups") for g in value]
    if any(len(g) < 2 for g in groups):
        raise ValueError("exclusive_groups: each group names at least two initiatives.")
    return groups


def _overrides(value: Any) -> dict[str, dict[str, float]]:
    if not value:
        return {}
    message = 'capacity_overrides: {"team id": {"2027-Q1": 30}} with numbers ≥ 0.'
    if not isinstance(value, Mapping):
        raise ValueError(message)
    clean: dict[str, dict[str, float]] = {}
    for team, periods in value.items():
        if not str(team).isdigit() or not isinstance(periods, Mapping):
            raise ValueError(message)
        try:
            clean[str(team)] = {str(p): float(v) for p, v in periods.items() if float(v) >= 0}
        except (TypeError, ValueError):
            raise ValueError(message) from None
        if len(clean[str(team)]) != len(periods):
            raise ValueError(message)
    return clean


def _bounded(value: Any, name: str, default: float, low: float, high: float) -> float:
    number = default if value in (None, "") else value
    try:
        number = float(number)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: a number from {low:g} to {high:g}.") from None
    if not low <= number <= high:
        raise ValueError(f"{name}: a number from {low:g} to {high:g} (got {number:g}).")
    return number


def _optional_id(value: Any, name: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not str(value).isdigit():
        raise ValueError(f"{name}: an id (a whole number).")
    return int(value)


def clean_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The run options, checked; InvalidInput naming each wrong option."""
    unknown = sorted(set(options) - OPTION_KEYS)
    if unknown:
        allowed = ", ".join(sorted(OPTION_KEYS))
        raise InvalidInput(
            f"Unknown option {unknown[0]!r} (options: {allowed}).",
            fields={unknown[0]: ["Unknown option."]},
        )
    cleaners: dict[str, Callable[[Any], Any]] = {
        "periods": lambda v: clean_periods(v) if v else next_periods(1),
        "scoring_model_id": lambda v: _optional_id(v, "scoring_model_id"),
        "line_id": lambda v: _optional_id(v, "line_id"),
        "must_have": lambda v: _ids(v, "must_have"),
        "excluded": lambda v: _ids(v, "excluded"),
        "exclusive_groups": _groups,
        "capacity_overrides": _overrides,
        "gap": lambda v: _bounded(v, "gap", 0.005, 0.0, 0.5),
        "time_limit": lambda v: _bounded(v, "time_limit", 10.0, 0.1, MAX_TIME_LIMIT),
    }
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for key, cleaner in cleaners.items():
        try:
            clean[key] = cleaner(options.get(key))
        except ValueError as exc:
            errors[key] = [str(exc)]
    if errors:
        raise InvalidInput(" ".join(m[0] for m in errors.values()), fields=errors)
    _check_references(clean)
    return clean


def _check_references(clean: Mapping[str, Any]) -> None:
    line, model = clean["line_id"], clean["scoring_model_id"]
    if line is not None and not ProductLine.objects.filter(pk=line).exists():
        raise InvalidInput(
            f"There is no product line with id {line}.",
            fields={"line_id": ["No such product line."]},
        )
    if model is not None and not ScoringModel.objects.filter(pk=model).exists():
        raise InvalidInput(
            f"There is no scoring model with id {model}.",
            fields={"scoring_model_id": ["No such scoring model."]},
        )


# The instance ---------------------------------------------------------------------------------


def _in_scope(options: Mapping[str, Any]) -> tuple[dict[int, Feature], list[dict[str, Any]]]:
    """The initiatives that go in, and those skipped because a need cannot be met here."""
    features = {
        f.pk: f
        for f in selectors.features_in_scope(options["line_id"])
        if f.pk not in options["excluded"]
    }
    deps = list(Dependency.objects.filter(feature_id__in=features).select_related("needs"))
    skipped: list[dict[str, Any]] = []
    changed = True
    while changed:  # leaving one out may strand those that need it
        changed = False
        for dep in deps:
            if dep.feature_id in features and dep.needs_id not in features:
                if dep.needs.stage in selectors.DELIVERED:
                    continue
                feature = features.pop(dep.feature_id)
                skipped.append(
                    {
                        "initiative": str(feature.pk),
                        "name": feature.name,
                        "reason": f"needs “{dep.needs.name}”, which is not in this "
                        "scenario (another line, excluded or left out)",
                    }
                )
                changed = True
    return features, skipped


def _teams(periods: list[str], efforts: list[Effort], overrides: Mapping[str, Any]) -> list[Any]:
    caps = TeamCapacity.objects.filter(period__in=periods)
    found = {(c.team_id, c.period): c for c in caps}
    team_ids = {c.team_id for c in caps} | {e.team_id for e in efforts}
    teams = []
    for team in Team.objects.filter(pk__in=team_ids).order_by("name"):
        mine = overrides.get(str(team.pk), {})
        capacity = {
            p: mine.get(p, found[(team.pk, p)].capacity if (team.pk, p) in found else 0.0)
            for p in periods
        }
        unit = next((found[(team.pk, p)].unit for p in periods if (team.pk, p) in found), "")
        teams.append(
            {
                "id": str(team.pk),
                "name": team.name,
                "unit": unit or "engineer-weeks",
                "capacity": capacity,
            }
        )
    return teams


def _must_be_in(ids: list[int], features: Mapping[int, Feature], option: str) -> None:
    missing = [pk for pk in ids if pk not in features]
    if missing:
        message = (
            f"{option}: feature {missing[0]} is not among the initiatives of this scenario "
            "(launched, excluded, outside the line, or stranded by a dependency)."
        )
        raise InvalidInput(message, fields={option: [message]})


def instance_build(options: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The optimizer's JSON instance for cleaned options, and the initiatives skipped."""
    features, skipped = _in_scope(options)
    _must_be_in(options["must_have"], features, "must_have")
    for group in options["exclusive_groups"]:
        _must_be_in(group, features, "exclusive_groups")
    values = selectors.scores_for(list(features), options["scoring_model_id"])
    efforts = list(Effort.objects.filter(feature_id__in=features))
    per_feature: dict[int, dict[str, float]] = {}
    for effort in efforts:
        per_feature.setdefault(effort.feature_id, {})[str(effort.team_id)] = effort.amount
    must = set(options["must_have"])
    initiatives = [
        {
            "id": str(pk),
            "name": f.name,
            "value": max(0.0, float(values.get(pk, 0.0))),
            "effort": per_feature.get(pk, {}),
            "must_have": pk in must,
        }
        for pk, f in features.items()
    ]
    deps = Dependency.objects.filter(feature_id__in=features, needs_id__in=features)
    instance = {
        "periods": options["periods"],
        "teams": _teams(options["periods"], efforts, options["capacity_overrides"]),
        "initiatives": initiatives,
        "dependencies": [
            {"initiative": str(a), "needs": str(b)}
            for a, b in deps.values_list("feature_id", "needs_id")
        ],
        "exclusive_groups": [
            {"id": f"group {n + 1}", "initiatives": [str(pk) for pk in group]}
            for n, group in enumerate(options["exclusive_groups"])
        ],
    }
    return instance, skipped


def instance_for(user: User, options: Mapping[str, Any]) -> dict[str, Any]:
    """What the optimizer would see with these options (write roles, like running it)."""
    if not selectors.may_read_scenarios(user):
        raise NotAllowed("The optimizer is for members, managers, leaders and admins.")
    instance, _ = instance_build(clean_options(options))
    return instance
