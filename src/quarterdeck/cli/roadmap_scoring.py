"""`quarterdeck roadmap scores | score | formula | scoring-models`: scoring at the terminal.

The operator acts as the system (actor None), like the other commands: changes are audited as
"system" and recorded in the score's history.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import click
from rich.table import Table

from quarterdeck.cli.base import django_command, fail, out_console
from quarterdeck.cli.roadmap import roadmap_group


def _pairs(values: tuple[str, ...]) -> dict[str, float]:
    """--set name=value pairs; a bad one exits 2 naming it."""
    found: dict[str, float] = {}
    for pair in values:
        name, sep, raw = pair.partition("=")
        try:
            if not sep or not name.strip():
                raise ValueError
            found[name.strip()] = float(raw)
        except ValueError:
            fail(f"--set {pair!r}: write name=number, e.g. --set reach=500", code=2)
    return found


@roadmap_group.command("formula")
@click.argument("text")
@click.option("--set", "values", multiple=True, help="name=number (repeat for more).")
def formula_command(text: str, values: tuple[str, ...]) -> None:
    """Check a scoring formula and compute it; an error prints a caret under its position and
    exits 2."""
    from quarterdeck.roadmap import formula

    given = _pairs(values)
    try:
        expr = formula.parse(text)
        names = formula.names(expr)
        missing = sorted(names - set(given))
        if missing:
            out_console().print(f"Valid. Names: {', '.join(sorted(names))}.")
            out_console().print(f"Give --set for {', '.join(missing)} to compute it.")
            return
        click.echo(f"{formula.evaluate(expr, given):.10g}")
    except formula.FormulaError as exc:
        click.secho(formula.caret(text, exc.position), err=True)
        fail(f"Error at {exc.position}: {exc.message}", code=2)


def _rows(model: str | None, line: str | None) -> list[dict[str, Any]]:
    from quarterdeck.roadmap.planning_selectors import line_named
    from quarterdeck.roadmap.scoring_selectors import ScoreFilters, model_named, scores_matching

    filters = ScoreFilters(
        scoring_model_id=model_named(model).pk if model else None,
        line_id=line_named(line).pk if line else None,
    )
    qs = scores_matching(filters)
    return [
        {"feature_id": s.feature_id, "feature": s.feature.name, "product": s.feature.product.name,
         "stage": s.feature.stage, "model": s.scoring_model.name, "value": s.value,
         "inputs": s.inputs, "error": s.error, "updated_at": s.updated_at.isoformat()}
        for s in qs
    ]  # fmt: skip


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["feature_id", "feature", "product", "stage", "model", "value", "inputs"])
    for r in rows:
        inputs = json.dumps(r["inputs"], sort_keys=True)
        writer.writerow([r["feature_id"], r["feature"], r["product"], r["stage"], r["model"],
                         "" if r["value"] is None else r["value"], inputs])  # fmt: skip
    return buffer.getvalue()


def _table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Scores")
    for name in ("#", "Initiative", "Product", "Stage", "Model", "Score", "Inputs"):
        table.add_column(name, justify="right" if name in ("#", "Score") else "left")
    for index, r in enumerate(rows, 1):
        value = r["error"] if r["value"] is None else f"{r['value']:,.4g}"
        inputs = ", ".join(f"{k}={v:g}" for k, v in r["inputs"].items())
        table.add_row(str(index), r["feature"], r["product"], r["stage"], r["model"], value, inputs)
    return table


@roadmap_group.command("scores")
@click.option("--model", default=None, help="Scoring model (name or id).")
@click.option("--line", default=None, help="Product line (name or id), its sub-lines included.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
              show_default=True)  # fmt: skip
@django_command
def scores_command(model: str | None, line: str | None, fmt: str) -> None:
    """The ranked scores, per model highest first."""
    rows = _rows(model, line)
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    elif fmt == "csv":
        click.echo(_csv(rows), nl=False)
    else:
        out_console().print(_table(rows))


@roadmap_group.command("score")
@click.argument("feature")
@click.option("--model", required=True, help="Scoring model (name or id).")
@click.option("--set", "values", multiple=True, help="criterion=number (repeat for more).")
@click.option("--reason", default="", help="Why (required when the score exists).")
@django_command
def score_command(feature: str, model: str, values: tuple[str, ...], reason: str) -> None:
    """Set a feature's score (FEATURE: name or id); the inputs are merged into the current ones."""
    from quarterdeck.roadmap.planning_selectors import feature_named
    from quarterdeck.roadmap.scoring import score_set
    from quarterdeck.roadmap.scoring_selectors import model_named

    target, chosen = feature_named(feature), model_named(model)
    score = score_set(actor=None, feature_id=target.pk, scoring_model_id=chosen.pk,
                      inputs=_pairs(values), reason=reason)  # fmt: skip
    shown = f"{score.value:,.4g}" if score.value is not None else f"none ({score.error})"
    out_console().print(f"{target.name} — {chosen.name}: {shown} (version {score.version}).")


@roadmap_group.command("scoring-models")
@django_command
def models_command() -> None:
    """The scoring models: framework, criteria and formula."""
    from quarterdeck.roadmap.models import ScoringModel

    table = Table(title="Scoring models")
    for name in ("Id", "Name", "Framework", "Criteria", "Formula"):
        table.add_column(name)
    for m in ScoringModel.objects.all():
        criteria = ", ".join(c["key"] for c in m.criteria)
        table.add_row(str(m.pk), m.name, m.get_framework_display(), criteria, m.formula)
    out_console().print(table)
