"""`quarterdeck feedback evaluate`: score themes, linking and duplicates on labelled data.

Django-free (no database, no settings): it reads CSV files, runs the ML core and a TF-IDF
baseline in the same run, and prints one table per task (or JSON with --json).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.table import Table

from quarterdeck.cli.base import fail, note, out_console
from quarterdeck.cli.feedback import feedback_group

if TYPE_CHECKING:
    from quarterdeck.feedback.ml.evaluate import Method, Result

TASKS = ("themes", "linking", "duplicates")
DEFAULT_TEXT = {"themes": "text", "linking": "Review content", "duplicates": "Summary,Description"}


def _data_dir(given: Path | None) -> Path:
    if given is not None:
        return given
    return Path(os.environ.get("QUARTERDECK_SHARED_DATA", "../shared/data"))


def _methods(cache: bool) -> list[Method]:
    from quarterdeck.feedback.ml.cache import embed_cached
    from quarterdeck.feedback.ml.encoder import embed
    from quarterdeck.feedback.ml.evaluate import TFIDF, minilm

    if cache:
        return [minilm(embed_cached), TFIDF]
    return [minilm(lambda texts: embed(texts).vectors), TFIDF]


@dataclass(frozen=True)
class Inputs:
    """Where each task's data is and which columns hold what."""

    data_dir: Path
    data: Path | None
    text_column: str | None
    label_column: str
    feature_column: str
    relevant_column: str
    id_column: str
    duplicates: Path | None
    limit: int | None

    def text(self, task: str) -> str:
        return self.text_column or DEFAULT_TEXT[task]


def _run_task(task: str, inputs: Inputs, methods: list[Method]) -> list[Result]:
    from quarterdeck.feedback.ml import datasets as d
    from quarterdeck.feedback.ml import evaluate as e

    base, text = inputs.data_dir, inputs.text(task)
    if task == "themes":
        path = inputs.data or base / d.BANKING
        themes = d.themes_data(path, text, inputs.label_column, inputs.limit)
        return [e.evaluate_themes(themes, m) for m in methods]
    if task == "linking":
        path = inputs.data or base / d.JUDGEMENTS
        links = d.linking_data(
            path, text, inputs.feature_column, inputs.relevant_column, inputs.limit
        )
        return [e.evaluate_linking(links, m) for m in methods]
    bugs = d.duplicates_data(
        inputs.data or base / d.BUGS,
        inputs.duplicates or base / d.BUG_PAIRS,
        inputs.id_column,
        d.split_columns(text),
    )
    return [e.evaluate_duplicates(bugs, m) for m in methods]


def _table(task: str, results: list[Result]) -> Table:
    metrics = list(results[0].scores)
    table = Table("method", *metrics, "n", "seconds", title=f"{task}")
    for r in results:
        cells = [_cell(name, r.scores[name]) for name in metrics]
        table.add_row(r.method, *cells, str(r.n), f"{r.seconds:.1f}")
    return table


def _cell(name: str, value: float) -> str:
    return (
        str(int(value))
        if name in {"themes found", "true labels", "pairs ≥ threshold"}
        else (f"{value:.3f}")
    )


@feedback_group.command("evaluate")
@click.option("--task", type=click.Choice([*TASKS, "all"]), default="all", show_default=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the labelled sets [default: $QUARTERDECK_SHARED_DATA or ../shared/data].",
)
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Score this CSV instead of the task's default file (needs --task).",
)
@click.option("--text-column", default=None, help="Text column(s), comma-separated.")
@click.option(
    "--label-column", default="category", show_default=True, help="themes: the true label."
)
@click.option(
    "--feature-column", default="Query (Orginal)", show_default=True, help="linking: the feature."
)
@click.option(
    "--relevant-column", default="relevant", show_default=True, help="linking: Y/N judgement."
)
@click.option("--id-column", default="Issue id", show_default=True, help="duplicates: report id.")
@click.option(
    "--duplicates",
    type=click.Path(dir_okay=False, path_type=Path),
    help="duplicates: CSV of (id, duplicate id) pairs.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=2),
    default=None,
    help="Only N rows (themes: spread evenly; linking: the first N items).",
)
@click.option("--no-cache", is_flag=True, help="Embed again instead of using cached vectors.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def evaluate_command(
    task: str, data_dir: Path | None, no_cache: bool, as_json: bool, **columns: Any
) -> None:
    """Score themes, linking and duplicates on labelled data, beside a TF-IDF baseline."""
    from quarterdeck.feedback.ml.datasets import DataError

    if columns["data"] is not None and task == "all":
        fail("--data scores one file: say which task it is for with --task.", code=2)
    inputs = Inputs(data_dir=_data_dir(data_dir), **columns)
    methods = _methods(cache=not no_cache)
    results: dict[str, list[Result]] = {}
    for name in TASKS if task == "all" else (task,):
        if not as_json:
            note(f"Scoring {name}…")
        try:
            results[name] = _run_task(name, inputs, methods)
        except DataError as error:
            fail(str(error), code=2)
        if not as_json:
            out_console().print(_table(name, results[name]))
    if as_json:
        payload = {k: [asdict(r) for r in v] for k, v in results.items()}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
