"""`quarterdeck scorecard`: the portfolio scorecard at the terminal, or as CSV, JSON or PNG."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.markup import escape
from rich.table import Table

from quarterdeck.cli.base import cli, django_command, fail, note, out_console

if TYPE_CHECKING:
    from quarterdeck.strategy.scorecard_cells import Cell
    from quarterdeck.strategy.scorecards import ScorecardRow

FORMATS = ("table", "csv", "json", "png")


def scorecard_table(rows: list[ScorecardRow]) -> Table:
    table = Table(title="Portfolio scorecard (value → target, status, change over 4 weeks)")
    table.add_column("line / product", no_wrap=True)
    for title in ("adoption (MAU)", "satisfaction", "revenue (MRR)"):
        table.add_column(title)
    for row in rows:
        name = "  " * row.depth + (row.name if row.kind == "line" else f"· {row.name}")
        table.add_row(escape(name), *(escape(_cell_text(cell)) for cell in row.cells))
    return table


def _cell_text(cell: Cell) -> str:
    text = cell.display
    if cell.target_display:
        text += f" → {cell.target_display}"
    text += f" ({cell.status_label.lower()})"
    if cell.change_relative is not None:
        text += f" {cell.change_relative * 100:+.0f}%"
    return text


def _content(fmt: str, rows: list[ScorecardRow]) -> str | bytes:
    from quarterdeck.lib.dates import workspace_today
    from quarterdeck.strategy.export import scorecard_csv, scorecard_png
    from quarterdeck.strategy.scorecard_api import row_data

    if fmt == "csv":
        return scorecard_csv(rows)
    if fmt == "png":
        return scorecard_png(rows, workspace_today())
    return json.dumps([row_data(row) for row in rows], default=str, indent=2) + "\n"


@cli.command("scorecard")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="File to write (default: standard output; PNG needs a file or a redirect).",
)
@django_command
def scorecard(fmt: str, out: Path | None) -> None:
    """The portfolio scorecard: per line and product, adoption (MAU), satisfaction (NPS) and
    revenue (MRR) with their targets and status."""
    from quarterdeck.strategy.scorecards import portfolio_scorecard

    rows = portfolio_scorecard(None)
    if fmt == "table":
        if out is not None:
            fail("--out is for csv, json and png; the table prints to the terminal.", code=2)
        out_console().print(scorecard_table(rows))
        return
    if fmt == "png" and out is None and sys.stdout.isatty():
        fail("The PNG is binary: give --out FILE.png or redirect the output.", code=2)
    content = _content(fmt, rows)
    data = content.encode() if isinstance(content, str) else content
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out.write_bytes(data)
    note(f"Wrote {out} ({len(data):,} bytes).", "green")
