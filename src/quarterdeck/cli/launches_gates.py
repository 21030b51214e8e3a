"""`quarterdeck launches gates | move | sunset`: lifecycle gates at the terminal.

The operator acts as the system: moves are not gated (unmet criteria are printed as a
warning) and changes are audited as "system"."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, fail, note, out_console
from quarterdeck.cli.launches import launches_group

if TYPE_CHECKING:
    from quarterdeck.launches.models import SunsetPlan
    from quarterdeck.portfolio.models import Feature


def _feature(ref: str) -> Feature:
    from quarterdeck.cli.feedback_insight import _feature as find

    return find(ref)


@launches_group.group("gates")
def gates_group() -> None:
    """Exit criteria of the lifecycle stages."""


@gates_group.command("list")
@click.option("--type", "applies_to", type=click.Choice(["feature", "product"]), default=None)
@django_command
def gates_list(applies_to: str | None) -> None:
    """The exit criteria, by item type and stage."""
    from quarterdeck.launches.models import GateCriterion

    table = Table("id", "type", "leaving", "kind", "criterion", "active")
    criteria = GateCriterion.objects.all()
    if applies_to:
        criteria = criteria.filter(applies_to=applies_to)
    for c in criteria:
        kind = f"data: {c.requirement}" if c.requirement else "checklist"
        table.add_row(str(c.pk), c.applies_to, c.stage, kind, c.label, "yes" if c.active else "no")
    out_console().print(table)


@gates_group.command("install-defaults")
@django_command
def gates_install_defaults() -> None:
    """Add the recommended exit criteria that are missing (running it twice adds nothing)."""
    from quarterdeck.launches.gate_criteria import criteria_install_defaults

    added = criteria_install_defaults(actor=None)
    out_console().print(f"Installed the recommended criteria: {added} added.")


@gates_group.command("status")
@click.argument("feature")
@django_command
def gates_status(feature: str) -> None:
    """The exit criteria of FEATURE's stage (id, name or 'Product/Feature'), met or not."""
    from quarterdeck.launches.gates import gate_status, label_of

    item = _feature(feature)
    status = gate_status(item)
    console = out_console()
    nxt = status.next_stage or "— (last stage)"
    console.print(f"{item.product.name} / {item.name}: in {status.stage}, next {nxt}")
    table = Table("", "criterion", "why not")
    for row in status.criteria:
        table.add_row("✓" if row.met else "✗", label_of(row.criterion), row.reason)
    console.print(table if status.criteria else "No exit criteria for this stage.")


@launches_group.command("move")
@click.argument("feature")
@click.option("--to", "to_stage", required=True, help="The stage to move to (e.g. launch).")
@click.option("--reason", required=True, help="Why: recorded in the stage history.")
@django_command
def launches_move(feature: str, to_stage: str, reason: str) -> None:
    """Move FEATURE to another stage as the system (not gated; unmet criteria are warned)."""
    from quarterdeck.launches.gates import evaluate, stage_move, stages_left, unmet_message

    item = _feature(feature)
    unmet = [s for s in evaluate(item, stages_left(item.stage, to_stage)) if not s.met]
    for line in unmet_message(unmet):
        note(f"warning: unmet exit criterion — {line}", "yellow")
    change = stage_move(
        actor=None, item_type="feature", item_id=item.pk, to_stage=to_stage, reason=reason
    )
    out_console().print(f"Moved “{item.name}” from {change.from_stage} to {change.to_stage}.")


def _affected_table(plan: SunsetPlan) -> Table:
    from quarterdeck.launches.sunset import affected_rows

    table = Table("account", "name", "users", "active days", "last seen", "MRR")
    for row in affected_rows(plan, with_mrr=True):
        mrr = "" if row["mrr"] is None else f"{row['mrr']:,.0f}"
        table.add_row(
            row["account"], row["name"], str(row["users"]), str(row["active_days"]),
            row["last_seen"], mrr,
        )  # fmt: skip
    return table


@launches_group.command("sunset")
@click.argument("feature")
@click.option("--recompute", is_flag=True, help="Compute the affected accounts again first.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv"]), default="table")
@django_command
def launches_sunset(feature: str, recompute: bool, fmt: str) -> None:
    """FEATURE's sunset plan and the accounts it affects."""
    from quarterdeck.launches.gate_selectors import sunset_plan_of
    from quarterdeck.launches.sunset import affected_csv, sunset_recompute

    item = _feature(feature)
    plan = sunset_plan_of("feature", item.pk)
    if plan is None:
        fail(f"“{item.name}” has no sunset plan; write one on its page or through the API.")
    if recompute:
        plan = sunset_recompute(actor=None, plan_id=plan.pk)
    if fmt == "csv":
        click.echo(affected_csv(plan, with_mrr=True), nl=False)
        return
    console = out_console()
    successor = plan.successor.name if plan.successor else "—"
    console.print(
        f"Sunset of {item.name}: successor {successor}; announce {plan.announce_on or '—'}, "
        f"read-only {plan.read_only_on or '—'}, shutdown {plan.shutdown_on or '—'}."
    )
    console.print(_affected_table(plan))
