"""`quarterdeck roadmap optimize INSTANCE.json`: the portfolio optimizer on a JSON instance file.

No database and no Django settings: the optimizer core is pure Python (numpy, scipy's HiGHS),
so this runs anywhere the package is installed. The plan goes to stdout as JSON (or --out), a
one-line summary to stderr; a bad file or instance is one red line naming the JSON path."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from quarterdeck.cli.base import fail, note
from quarterdeck.cli.roadmap import roadmap_group


def _read(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"Cannot read {source}: {exc.strerror or exc}.", code=2)
    except UnicodeDecodeError:
        fail(f"{source} is not UTF-8 text: save the instance as UTF-8 JSON.", code=2)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        fail(
            f"{source} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            code=2,
        )


def _summary(plan: dict[str, Any], greedy_value: float | None) -> tuple[str, str | None]:
    if plan["status"] == "infeasible":
        return "Infeasible: " + " ".join(plan["reasons"]), "red"
    if plan["value"] is None:
        return f"{plan['status']}: no plan. " + " ".join(plan["reasons"]), "yellow"
    gap = "" if plan["gap"] is None else f", gap {plan['gap']:.3%}"
    text = (
        f"{plan['status']}: value {plan['value']:g}{gap}, {plan['chosen']} chosen, "
        f"{len(plan['left_out'])} left out, {plan['seconds']:.2f} s"
    )
    if greedy_value is not None and plan["value"] is not None:
        text += f"; greedy by score {greedy_value:g} (+{plan['value'] - greedy_value:g})"
    return text, "yellow" if plan["status"] in ("time_limit", "error") else None


@roadmap_group.command("optimize")
@click.argument("instance_file", metavar="INSTANCE.json")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=10.0, show_default=True)
@click.option("--gap", type=click.FloatRange(min=0.0, max=1.0), default=0.005, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--greedy", "greedy_only", is_flag=True, help="Only the greedy-by-score baseline.")
def optimize_command(
    instance_file: str, time_limit: float, gap: float, out: Path | None, greedy_only: bool
) -> None:
    """Choose initiatives and their periods to maximise value under capacity and dependencies.

    INSTANCE.json (or - for stdin) is described in docs/optimizer.md. Prints the plan as JSON:
    status, value, proven bound and gap, the plan, capacity used, what was left out and which
    constraint bound it, and the value of one more unit of capacity per team."""
    from quarterdeck.roadmap.optimizer import Instance, InstanceError, greedy, solve

    try:
        instance = Instance.from_json(_read(instance_file))
    except InstanceError as exc:
        fail(f"Bad instance at {exc.path or 'the top level'}: {exc.message}.", code=2)
    baseline = greedy(instance)
    plan = baseline if greedy_only else solve(instance, time_limit=time_limit, gap=gap)
    found = plan.to_json()
    if not greedy_only:
        found["greedy_value"] = baseline.value
    text = json.dumps(found, indent=2, ensure_ascii=False)
    if out is None:
        click.echo(text)
    else:
        out.write_text(text + "\n", encoding="utf-8")
    summary, color = _summary(found, None if greedy_only else baseline.value)
    note(summary if out is None else f"{summary}; written to {out}", color)
    if plan.status == "infeasible":
        raise SystemExit(1)
