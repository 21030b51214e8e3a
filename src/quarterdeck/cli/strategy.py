"""`quarterdeck outcomes ...` and `quarterdeck strategy ...`: outcomes, key results, check-ins,
the vision and the pillars at the terminal.

The operator acts as the system (like every operator command): changes are audited as
"system". Check-ins and sign-offs have an author, so they take `--as EMAIL` (a sign-off needs
the designated signer's own account)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, out_console

if TYPE_CHECKING:
    from quarterdeck.accounts.models import User
    from quarterdeck.strategy.models import KeyResult, Outcome


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _as_user(email: str | None) -> User | None:
    from quarterdeck.cli.operator import user_by_email

    return user_by_email(email) if email else None


def _json_data(raw: str, name: str) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        fail(f"{name}: not JSON ({exc.msg}); write it like '{{\"survey_id\": 3}}'.", code=2)
    if not isinstance(data, dict):
        fail(f"{name}: expected a JSON object.", code=2)
    return data


# quarterdeck outcomes -------------------------------------------------------------------------


@cli.group()
def outcomes() -> None:
    """Outcomes (company, line, product) with their key results and check-ins."""


def _outcome_row(o: Outcome) -> dict[str, Any]:
    about = o.product.name if o.product else (o.line.name if o.line else "company")
    return {
        "id": o.pk,
        "title": o.title,
        "level": o.level,
        "about": about,
        "period": o.period,
        "progress": o.progress,
        "forecast_progress": o.forecast_progress,
        "status": o.status,
        "parent_id": o.parent_id,
        "owner": o.owner.name if o.owner else None,
    }


@outcomes.command("list")
@click.option("--period", default=None, help="e.g. 2026-Q4.")
@click.option("--level", type=click.Choice(["company", "line", "product"]), default=None)
@click.option(
    "--status", type=click.Choice(["on_track", "at_risk", "off_track", "no_data"]), default=None
)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@django_command
def list_command(period: str | None, level: str | None, status: str | None, fmt: str) -> None:
    """List outcomes with their computed progress and status."""
    from quarterdeck.strategy.selectors import list_outcomes

    rows = [_outcome_row(o) for o in list_outcomes(None, period=period, level=level, status=status)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    table = Table("id", "title", "level", "about", "period", "progress", "forecast", "status")
    for r in rows:
        table.add_row(
            str(r["id"]), r["title"], r["level"], r["about"], r["period"],
            _pct(r["progress"]), _pct(r["forecast_progress"]), r["status"],
        )  # fmt: skip
    out_console().print(table)


def _kr_table(krs: list[KeyResult]) -> Table:
    table = Table("kr", "title", "source", "baseline", "current", "target", "progress", "status")
    for kr in krs:
        current = "—" if kr.current is None else f"{kr.current:g}"
        table.add_row(
            str(kr.pk), kr.title, kr.source, f"{kr.baseline:g}", current,
            f"{kr.target:g} {kr.unit}".strip(), _pct(kr.progress), kr.status,
        )  # fmt: skip
    return table


@outcomes.command("show")
@click.argument("outcome_id", type=int)
@django_command
def show_command(outcome_id: int) -> None:
    """An outcome, its key results and its latest check-in."""
    from quarterdeck.strategy.selectors import access_outcome, latest_check_in, list_key_results

    outcome = access_outcome(None, outcome_id)
    row = _outcome_row(outcome)
    console = out_console()
    console.print(f"[bold]{outcome.title}[/bold] (#{outcome.pk}, {row['level']}: {row['about']})")
    console.print(f"{outcome.period}: {outcome.start} → {outcome.end}, owner {row['owner'] or '—'}")
    console.print(
        f"Progress {_pct(outcome.progress)}, forecast {_pct(outcome.forecast_progress)}, "
        f"status {outcome.status}"
    )
    console.print(_kr_table(list(list_key_results(outcome))))
    check_in = latest_check_in(outcome)
    if check_in is not None:
        console.print(f"Latest check-in {check_in.at:%Y-%m-%d}: {check_in.health} {check_in.note}")


@outcomes.command("create")
@click.option("--title", required=True)
@click.option("--level", type=click.Choice(["company", "line", "product"]), required=True)
@click.option("--product", default=None, help="Product outcomes: 'Product' or 'Line/Product'.")
@click.option("--line", default=None, help="Line outcomes: the product line's name.")
@click.option("--parent", "parent_id", type=int, default=None, help="Aligned under outcome ID.")
@click.option("--period", required=True, help="A quarter like 2026-Q4, or 'custom'.")
@click.option("--start", default=None, help="Custom periods: YYYY-MM-DD.")
@click.option("--end", default=None, help="Custom periods: YYYY-MM-DD.")
@click.option("--owner-email", default=None, help="The owner's (person's) e-mail address.")
@click.option("--weight", type=float, default=1.0, show_default=True)
@django_command
def create_command(
    title: str,
    level: str,
    product: str | None,
    line: str | None,
    parent_id: int | None,
    period: str,
    start: str | None,
    end: str | None,
    owner_email: str | None,
    weight: float,
) -> None:
    """Create an outcome."""
    from quarterdeck.revenue.metrics import subject_named
    from quarterdeck.strategy.selectors import person_by_email
    from quarterdeck.strategy.services import outcome_create

    subject = subject_named(product, line)
    data: dict[str, Any] = {"title": title, "level": level, "period": period, "weight": weight}
    data |= {"parent_id": parent_id, "start": start, "end": end}
    data[f"{'product' if product else 'line'}_id"] = subject.pk if subject else None
    data["owner_id"] = person_by_email(owner_email).pk if owner_email else None
    outcome = outcome_create(actor=None, data=data)
    out_console().print(
        f"Created outcome {outcome.title!r} (id {outcome.pk}, {outcome.start} → {outcome.end})."
    )


@outcomes.command("check-in")
@click.argument("outcome_id", type=int)
@click.option("--health", type=click.Choice(["on_track", "at_risk", "off_track"]), required=True)
@click.option("--note", default="")
@click.option("--as", "email", default=None, help="The author's e-mail (default: the system).")
@django_command
def check_in_command(outcome_id: int, health: str, note: str, email: str | None) -> None:
    """Write a check-in on an outcome: the health call and a note."""
    from quarterdeck.strategy.services import check_in_create

    data = {"health": health, "note": note}
    check_in = check_in_create(actor=_as_user(email), outcome_id=outcome_id, data=data)
    out_console().print(f"Checked in: {check_in.health} (progress {_pct(check_in.progress)}).")


@outcomes.group("kr")
def kr_group() -> None:
    """Key results of an outcome."""


@kr_group.command("add")
@click.argument("outcome_id", type=int)
@click.option("--title", required=True)
@click.option(
    "--source", type=click.Choice(["analytics", "survey", "revenue", "manual"]), required=True
)
@click.option("--metric", default="{}", help="The binding as JSON, e.g. '{\"survey_id\": 3}'.")
@click.option("--baseline", type=float, required=True)
@click.option("--target", type=float, required=True)
@click.option("--start", default=None, help="Default: the outcome's start.")
@click.option("--end", default=None, help="Default: the outcome's end.")
@click.option("--unit", default="")
@click.option("--weight", type=float, default=1.0, show_default=True)
@django_command
def kr_add_command(outcome_id: int, **options: Any) -> None:
    """Add a key result to an outcome (see docs/key-results.md for --metric)."""
    from quarterdeck.strategy.services import key_result_create

    data = {**options, "metric": _json_data(options["metric"], "--metric")}
    kr = key_result_create(actor=None, outcome_id=outcome_id, data=data)
    out_console().print(
        f"Added key result {kr.title!r} (id {kr.pk}): {kr.baseline:g} → {kr.target:g} "
        f"{kr.unit} ({kr.direction}), {kr.start} → {kr.end}."
    )


@kr_group.command("check-in")
@click.argument("kr_id", type=int)
@click.option("--value", type=float, default=None, help="Required for manual key results.")
@click.option("--note", default="")
@click.option("--day", default=None, help="YYYY-MM-DD (default: today).")
@click.option("--as", "email", default=None, help="The author's e-mail (default: the system).")
@django_command
def kr_check_in_command(
    kr_id: int, value: float | None, note: str, day: str | None, email: str | None
) -> None:
    """Record a key result's value on a day (or a note)."""
    from quarterdeck.strategy.services import key_result_check_in

    data = {"value": value, "note": note, "day": day}
    check_in = key_result_check_in(actor=_as_user(email), kr_id=kr_id, data=data)
    shown = "no value" if check_in.value is None else f"{check_in.value:g}"
    out_console().print(f"Recorded {shown} for {check_in.day}.")


@outcomes.command("refresh")
@django_command
def refresh_command() -> None:
    """Recompute key results (from their data or check-ins) and roll outcomes up, now."""
    from quarterdeck.cli.progress import progress_bars
    from quarterdeck.lib.dates import workspace_today
    from quarterdeck.strategy.refresh import GRACE_DAYS, refresh_key_result, rollup_outcomes
    from quarterdeck.strategy.selectors import key_results_due

    today = workspace_today()
    krs = list(key_results_due(today, GRACE_DAYS))
    errors = []
    with progress_bars() as progress:
        progress.start("key results", len(krs))
        for kr in krs:
            if error := refresh_key_result(kr, today=today):
                errors.append(f"#{kr.pk} {kr.title}: {error}")
            progress.advance()
    rolled = rollup_outcomes(today=today)
    out_console().print(f"{len(krs)} key results refreshed, {rolled} outcomes rolled up.")
    for line in errors:
        click.secho(line, fg="yellow", err=True)
    if errors:
        fail(f"{len(errors)} key result(s) could not be refreshed; they keep their last values.")
