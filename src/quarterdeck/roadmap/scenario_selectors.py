"""Reading scenarios for people: two to five side by side, and what a plan left out with the
reasons in words (the solver's reasons name teams and initiatives by id)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quarterdeck.accounts.models import User
from quarterdeck.people.models import Team
from quarterdeck.roadmap.models import Scenario
from quarterdeck.roadmap.planning_selectors import access_scenario, assignments, team_use


@dataclass
class Comparison:
    scenarios: list[Scenario]
    periods: list[str]
    teams: list[dict[str, Any]]  # {"name", "use": [per scenario: {period: used}]}
    rows: list[dict[str, Any]]  # per initiative: {"id", "name", "periods": [per scenario]}


def scenario_compare(user: User | None, ids: list[int]) -> Comparison:
    """Side by side: value, gap, per-team use, and every initiative with where each put it."""
    scenarios = [access_scenario(user, pk) for pk in ids]
    periods = sorted({p for s in scenarios for p in s.options.get("periods", [])})
    plans = [assignments(s) for s in scenarios]
    names = (
        {str(i["id"]): i.get("name", "") for s in scenarios for i in s.instance["initiatives"]}
        if scenarios and all("initiatives" in s.instance for s in scenarios)
        else {}
    )
    rows = [
        {
            "id": key,
            "name": names.get(key, key),
            "periods": [plan.get(key) for plan in plans],
            "differs": len({plan.get(key) for plan in plans}) > 1,
        }
        for key in sorted({k for plan in plans for k in plan}, key=lambda k: names.get(k, k))
    ]
    return Comparison(scenarios, periods, _team_use_rows(scenarios), rows)


def _team_use_rows(scenarios: list[Scenario]) -> list[dict[str, Any]]:
    uses = [team_use(s) for s in scenarios]
    team_ids = sorted({team for use in uses for team, _ in use})
    names = dict(Team.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    return [
        {
            "id": team,
            "name": names.get(team, str(team)),
            "use": [sum(v for (t, _), v in use.items() if t == team) for use in uses],
        }
        for team in team_ids
    ]


def _names(scenario: Scenario) -> tuple[dict[str, str], dict[str, str]]:
    """(initiative id → name, team id → name) of the instance the scenario solved."""
    instance = scenario.instance
    items = {str(i["id"]): str(i.get("name", i["id"])) for i in instance.get("initiatives", [])}
    teams = {str(t["id"]): str(t.get("name", t["id"])) for t in instance.get("teams", [])}
    return items, teams


def _in_words(reason: str, items: Mapping[str, str], teams: Mapping[str, str]) -> str:
    """The solver's reason with names for the ids it carries ("No room: 2 needs 16 …" →
    "No room: Fleet Operations needs 16 …"; "It needs 22, …" → "It needs “Carrier …”, …")."""

    def team(match: re.Match[str]) -> str:
        return f"{match.group(1)}{teams.get(match.group(2), match.group(2))} needs "

    def item(match: re.Match[str]) -> str:
        found = items.get(match.group(2))
        return f"{match.group(1)}“{found}”" if found else match.group(0)

    reason = re.sub(r"(No room: |; )(\S+?) needs ", team, reason)
    return re.sub(r"(needs |: )(\w[\w-]*)(?=[,.]| was chosen)", item, reason)


def left_out_rows(scenario: Scenario) -> list[dict[str, Any]]:
    """What the plan left out (and what was skipped before solving), with reasons in words."""
    items, teams = _names(scenario)
    rows = [*(scenario.result.get("left_out") or []), *(scenario.result.get("skipped") or [])]
    return [{**row, "reason": _in_words(str(row.get("reason", "")), items, teams)} for row in rows]
