"""The plan page's timeline (pure geometry, drawn as SVG by the template): one row per task with
a due date, a dot on its due day (a diamond for a milestone), the launch day and today marked,
month ticks along the top."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from quarterdeck.launches.models import LaunchTask
from quarterdeck.launches.plans_tasks import FINISHED, is_overdue

WIDTH = 880.0
LABEL = 260.0
ROW = 18.0
TOP = 28.0
PAD_DAYS = 5


@dataclass(frozen=True)
class Mark:
    label: str
    title: str
    x: float
    y: float
    milestone: bool
    state: str  # "done", "overdue" or "open"

    @property
    def diamond(self) -> str:
        x, y, r = self.x, self.y, 6
        return f"{x},{y - r} {x + r},{y} {x},{y + r} {x - r},{y}"


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    marks: list[Mark]
    ticks: list[Tick]
    launch_x: float
    today_x: float | None
    width: float
    height: float
    label_width: float


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    first = dt.date(start.year, start.month, 1)
    days = []
    while first <= end:
        if first >= start:
            days.append(first)
        first = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return days


def timeline(tasks: Sequence[LaunchTask], launch_on: dt.date, today: dt.date) -> Timeline | None:
    dated = [t for t in tasks if t.due_on is not None]
    if not dated:
        return None
    days = [t.due_on for t in dated if t.due_on] + [launch_on]
    start = min(days) - dt.timedelta(days=PAD_DAYS)
    end = max(days) + dt.timedelta(days=PAD_DAYS)
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(LABEL + (WIDTH - LABEL - 10) * (day - start).days / span, 1)

    marks = []
    for i, task in enumerate(dated):
        assert task.due_on is not None
        state = "done" if task.status in FINISHED else "open"
        state = "overdue" if is_overdue(task, today) else state
        title = f"{task.title}: due {task.due_on:%d %b %Y}, {task.get_status_display()}"
        marks.append(Mark(task.title, title, x(task.due_on), TOP + i * ROW + ROW / 2,
                          task.milestone, state))  # fmt: skip
    ticks = [Tick(x(day), f"{day:%b %Y}") for day in _months(start, end)]
    today_x = x(today) if start <= today <= end else None
    height = TOP + len(dated) * ROW + 8
    return Timeline(marks, ticks, x(launch_on), today_x, WIDTH, height, LABEL)
