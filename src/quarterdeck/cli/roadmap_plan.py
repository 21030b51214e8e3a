"""`quarterdeck roadmap capacity | effort | needs | export-instance | scenario …`: planning at
the terminal. The operator acts as the system (no user; changes audited as "system"). Teams,
lines and features are named by id or by name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, out_console
from quarterdeck.cli.roadmap import roadmap_group

if TYPE_CHECKING:
    from quarterdeck.roadmap.models import Scenario

FORMAT = click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f}".removesuffix(".0")


def _periods(raw: str | None, count: int) -> list[str]:
    from quarterdeck.roadmap.planning_periods import clean_periods, next_periods

    if not raw:
        return next_periods(count)
    try:
        return clean_periods(raw)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--periods") from None


# Capacity -------------------------------------------------------------------------------------


@roadmap_group.group("capacity", invoke_without_command=True)
@click.option("--periods", default=None, help="e.g. 2027-Q1,2027-Q2 (default: next 4 quarters).")
@FORMAT
@click.pass_context
@django_command
def capacity_group(ctx: click.Context, periods: str | None, fmt: str) -> None:
    """Team capacity per quarter, and what the latest applied scenario uses of it."""
    if ctx.invoked_subcommand is not None:
        return
    from quarterdeck.roadmap.planning_selectors import capacity_grid

    chosen = _periods(periods, 4)
    rows = capacity_grid(None, chosen)
    if fmt == "json":
        out = [{"team": r.team.name, "team_id": r.team.pk, "periods": r.cells} for r in rows]
        click.echo(json.dumps(out, indent=2))
        return
    table = Table("team", *[f"{p} (used / capacity)" for p in chosen])
    for row in rows:
        cells = [f"{_num(c['used'])} / {_num(c['capacity'])}" for c in row.cells]
        table.add_row(row.team.name, *cells)
    out_console().print(table)


@capacity_group.command("set")
@click.argument("team")
@click.argument("period")
@click.argument("value", type=float)
@click.option("--unit", default=None, help="Default: engineer-weeks.")
@django_command
def capacity_set_command(team: str, period: str, value: float, unit: str | None) -> None:
    """Set TEAM's capacity in PERIOD (e.g. 2027-Q1) to VALUE."""
    from quarterdeck.roadmap.planning import capacity_set
    from quarterdeck.roadmap.planning_selectors import team_named

    found = team_named(team)
    row = capacity_set(actor=None, team_id=found.pk, period=period, capacity=value, unit=unit)
    out_console().print(f"{found.name}: {_num(row.capacity)} {row.unit} in {row.period}.")


# Effort and dependencies ----------------------------------------------------------------------


def _pair(text: str) -> tuple[str, str]:
    team, sep, amount = text.rpartition("=")
    if not sep or not team.strip():
        raise click.BadParameter(f"{text!r}: write TEAM=AMOUNT, e.g. 'Platform=4'.")
    return team.strip(), amount.strip()


@roadmap_group.command("effort")
@click.argument("feature")
@click.argument("pairs", nargs=-1)
@django_command
def effort_command(feature: str, pairs: tuple[str, ...]) -> None:
    """Show FEATURE's effort per team, or replace it: TEAM=AMOUNT … (0 removes a team)."""
    from quarterdeck.roadmap.planning import effort_set
    from quarterdeck.roadmap.planning_selectors import efforts_of, feature_named, team_named

    found = feature_named(feature)
    if pairs:
        clean = dict(_pair(p) for p in pairs)
        effort_set(actor=None, feature_id=found.pk,
                   efforts={team_named(t).pk: a for t, a in clean.items()})  # fmt: skip
    rows = efforts_of(found)
    text = ", ".join(f"{e.team.name} {_num(e.amount)}" for e in rows) or "no effort estimated"
    out_console().print(f"{found.name}: {text}.")


@roadmap_group.command("needs")
@click.argument("feature")
@click.argument("needs")
@click.option("--remove", is_flag=True, help="Remove the dependency instead.")
@django_command
def needs_command(feature: str, needs: str, remove: bool) -> None:
    """FEATURE needs NEEDS (refused when it would make a cycle)."""
    from quarterdeck.roadmap.planning import dependency_add, dependency_remove
    from quarterdeck.roadmap.planning_selectors import feature_named, list_dependencies

    first, second = feature_named(feature), feature_named(needs)
    if remove:
        found = list_dependencies(None).filter(feature=first, needs=second).first()
        if found is not None:
            dependency_remove(actor=None, dependency_id=found.pk)
        out_console().print(f"{first.name} no longer needs {second.name}.")
        return
    dependency_add(actor=None, feature_id=first.pk, needs_id=second.pk)
    out_console().print(f"{first.name} needs {second.name}.")


# The instance and scenarios -------------------------------------------------------------------


def _options(
    periods: str | None, line: str | None, model: int | None, **more: Any
) -> dict[str, Any]:
    from quarterdeck.roadmap.planning_selectors import feature_named, line_named, team_named

    chosen = _periods(periods, 1)
    options: dict[str, Any] = {"periods": chosen, "scoring_model_id": model}
    options["line_id"] = line_named(line).pk if line else None
    for key in ("must_have", "excluded"):
        options[key] = [feature_named(f).pk for f in more.get(key, ())]
    options["exclusive_groups"] = [
        [feature_named(f).pk for f in group.split(",")] for group in more.get("exclusive", ())
    ]
    overrides: dict[str, dict[str, float]] = {}
    for text in more.get("capacity", ()):
        team, amount = _pair(text)
        overrides[str(team_named(team).pk)] = dict.fromkeys(chosen, float(amount))
    options["capacity_overrides"] = overrides
    return options


SCOPE = [
    click.option("--periods", default=None, help="e.g. 2027-Q1,2027-Q2 (default: next quarter)."),
    click.option("--line", default=None, help="A product line (default: the whole portfolio)."),
    click.option("--model", type=int, default=None, help="Scoring model id (default: lines')."),
    click.option("--exclude", "excluded", multiple=True, help="A feature to leave out (repeat)."),
]


def _scope[F: Callable[..., Any]](func: F) -> F:
    for option in reversed(SCOPE):
        func = option(func)
    return func


@roadmap_group.command("export-instance")
@_scope
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@django_command
def export_instance_command(
    periods: str | None, line: str | None, model: int | None, excluded: tuple[str, ...],
    out: Path | None,
) -> None:  # fmt: skip
    """Print the optimizer's JSON instance built from the portfolio (docs/optimizer.md), for
    `quarterdeck roadmap optimize`."""
    from quarterdeck.roadmap.scenario_instance import clean_options, instance_build

    options = _options(periods, line, model, excluded=excluded)
    instance, _ = instance_build(clean_options(options))
    text = json.dumps(instance, indent=2)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n")


@roadmap_group.group("scenario")
def scenario_group() -> None:
    """Optimizer runs saved as scenarios: run, list, show, compare, apply to the roadmap."""


def _brief(s: Scenario) -> dict[str, Any]:
    from quarterdeck.roadmap.planning_api import scenario_brief

    brief = scenario_brief(s)
    return {**brief, "created_at": brief["created_at"].isoformat()}


def _show(s: Scenario, fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({**_brief(s), "options": s.options, "result": s.result}, indent=2))
        return
    r = s.result
    console = out_console()
    console.print(f"Scenario {s.pk} “{s.name}”: {r.get('status')}, value {_num(s.value)} "
                  f"(greedy {_num(r.get('greedy_value'))}), gap {_pct(s.gap)}, "
                  f"{r.get('seconds', 0):.2f} s.")  # fmt: skip
    table = Table("period", "initiative", "value")
    for row in r.get("plan") or []:
        table.add_row(row["period"], row["name"], _num(row["value"]))
    console.print(table)
    from quarterdeck.roadmap.scenario_selectors import left_out_rows

    for row in left_out_rows(s):
        console.print(f"Left out: {row.get('name')} — {row.get('reason', '')}")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f} %"


@scenario_group.command("run")
@click.option("--name", required=True)
@_scope
@click.option("--must-have", "must_have", multiple=True, help="A feature that must be in.")
@click.option("--exclusive", multiple=True, help="Features of which at most one: 'A,B'.")
@click.option("--capacity", multiple=True, help="TEAM=VALUE for every period of this run.")
@click.option("--gap", type=float, default=None, help="Relative gap to stop at (0.005).")
@click.option("--time-limit", type=float, default=None, help="Seconds (10).")
@FORMAT
@django_command
def scenario_run_command(name: str, periods: str | None, line: str | None, model: int | None,
                         gap: float | None, time_limit: float | None, fmt: str,
                         **more: Any) -> None:  # fmt: skip
    """Run the optimizer on the portfolio as it is now and save the result."""
    from quarterdeck.roadmap.scenarios import scenario_run

    options = _options(periods, line, model, **more)
    options |= {k: v for k, v in (("gap", gap), ("time_limit", time_limit)) if v is not None}
    _show(scenario_run(actor=None, name=name, options=options), fmt)


@scenario_group.command("list")
@FORMAT
@django_command
def scenario_list_command(fmt: str) -> None:
    """Saved scenarios, newest first."""
    from quarterdeck.roadmap.planning_selectors import list_scenarios

    rows = [_brief(s) for s in list_scenarios(None)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("id", "name", "periods", "status", "value", "greedy", "gap", "chosen", "applied")
    for r in rows:
        table.add_row(str(r["id"]), r["name"], ", ".join(r["periods"]), r["status"],
                      _num(r["value"]), _num(r["greedy_value"]), _pct(r["gap"]),
                      str(r["chosen"]), "yes" if r["applied"] else "")  # fmt: skip
    out_console().print(table)


@scenario_group.command("show")
@click.argument("scenario_id", type=int)
@FORMAT
@django_command
def scenario_show_command(scenario_id: int, fmt: str) -> None:
    """A scenario's plan per quarter, and what was left out and why."""
    from quarterdeck.roadmap.planning_selectors import access_scenario

    _show(access_scenario(None, scenario_id), fmt)


@scenario_group.command("compare")
@click.argument("ids", type=int, nargs=-1, required=True)
@FORMAT
@django_command
def scenario_compare_command(ids: tuple[int, ...], fmt: str) -> None:
    """Two to five scenarios side by side: value, gap, team use, where each put what."""
    from quarterdeck.roadmap.scenario_selectors import scenario_compare

    if not 2 <= len(ids) <= 5:
        raise click.BadParameter("Give two to five scenario ids.", param_hint="IDS")
    found = scenario_compare(None, list(ids))
    if fmt == "json":
        out = {"scenarios": [_brief(s) for s in found.scenarios], "teams": found.teams,
               "initiatives": found.rows}  # fmt: skip
        click.echo(json.dumps(out, indent=2))
        return
    table = Table("", *[f"{s.pk} {s.name}" for s in found.scenarios])
    table.add_row("value", *[_num(s.value) for s in found.scenarios])
    table.add_row("gap", *[_pct(s.gap) for s in found.scenarios])
    for team in found.teams:
        table.add_row(f"{team['name']} (used)", *[_num(u) for u in team["use"]])
    for row in found.rows:
        if row["differs"]:
            table.add_row(row["name"], *[p or "—" for p in row["periods"]])
    out_console().print(table)


@scenario_group.command("apply")
@click.argument("scenario_id", type=int)
@django_command
def scenario_apply_command(scenario_id: int) -> None:
    """Put the plan on the roadmap: first quarter → now, second → next, the rest → later."""
    from quarterdeck.roadmap.scenarios import scenario_apply

    placed = scenario_apply(actor=None, scenario_id=scenario_id)
    out_console().print(f"Placed {placed} initiatives on the roadmap from scenario {scenario_id}.")
