"""Rich progress bars for the services' Progress protocol (quarterdeck.transfer.writing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from quarterdeck.cli.base import err_console


class RichProgress:
    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.task: TaskID | None = None

    def start(self, label: str, total: int) -> None:
        self._finish()
        self.task = self.bars.add_task(label, total=max(total, 1))

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.bars.advance(self.task, count)

    def _finish(self) -> None:
        if self.task is not None:
            total = self.bars.tasks[self.task].total
            self.bars.update(self.task, completed=total)


@contextmanager
def progress_bars() -> Iterator[RichProgress]:
    columns = (
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console()) as bars:
        reporter = RichProgress(bars)
        yield reporter
        reporter._finish()
