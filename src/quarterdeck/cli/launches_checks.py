"""`quarterdeck launches checks run | show`: post-launch checks at the terminal. ``run`` computes
the checks that are due (what the daily worker task does); the operator acts as the system."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, fail, note, out_console
from quarterdeck.cli.launches import launches_group

if TYPE_CHECKING:
    from quarterdeck.launches.checks import Flag


@launches_group.group("checks")
def checks_group() -> None:
    """Success metrics of launches, checked at +30, +60 and +90 days."""


@checks_group.command("run")
@click.option("--today", default=None, help="Compute as of this day (YYYY-MM-DD; default today).")
@django_command
def checks_run_command(today: str | None) -> None:
    """Compute the checks that are due and those that lacked data before."""
    from quarterdeck.launches.checks import checks_run

    day = None
    if today:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            fail(f"--today: {today!r} is not a date (YYYY-MM-DD).", code=2)
    count = checks_run(today=day)
    note(f"Computed {count} post-launch check{'s' if count != 1 else ''}.", "green")


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if abs(value) < 10 else f"{value:,.1f}"


def _table(plan_name: str, flags: list[Flag]) -> Table:
    table = Table(
        "metric", "check", "due", "verdict", "value", "baseline", "target", "test", "p",
        title=f"Post-launch checks of {plan_name}",
    )  # fmt: skip
    for flag in flags:
        name = flag.metric.label or flag.metric.metric
        for b in flag.badges:
            c = b.check
            p = "—" if c.p_value is None else f"{c.p_value:.4f}"
            table.add_row(
                name, f"+{b.offset_days}", str(c.due_on), f"{b.symbol} {b.text}", _number(c.value),
                _number(c.baseline), _number(c.target), c.test or "—", p,
            )  # fmt: skip
        if not flag.badges:
            table.add_row(name, "—", "—", "not bound yet", "", "", _number(flag.metric.target))
    return table


@checks_group.command("show")
@click.argument("plan_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@django_command
def checks_show(plan_id: int, fmt: str) -> None:
    """A launch plan's success metrics and their +30/+60/+90-day checks."""
    from quarterdeck.launches.checks import plan_flags
    from quarterdeck.launches.checks_selectors import flag_out
    from quarterdeck.launches.models import LaunchPlan

    plan = LaunchPlan.objects.select_related("feature", "product").filter(pk=plan_id).first()
    if plan is None:
        fail(f"There is no launch plan with id {plan_id}.")
    flags = plan_flags(plan)
    if fmt == "json":
        rows: list[dict[str, Any]] = [flag_out(f) for f in flags]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    out_console().print(_table(plan.name, flags))
