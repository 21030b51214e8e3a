"""Launch templates, plans, tasks and the launch calendar at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import date
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id

FunctionName = Literal["product", "engineering", "design", "marketing", "sales", "support"]
TaskStatusName = Literal["todo", "doing", "done", "blocked", "skipped"]
PlanStatusName = Literal["planned", "launched", "cancelled"]
Day = date


class TemplateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, pattern=NO_NUL)
    description: str = Field("", max_length=20_000, pattern=NO_NUL)
    phases: list[Annotated[str, Field(max_length=100, pattern=NO_NUL)]] = Field(
        description="Ordered phase names.", max_length=50
    )
    tasks: list[dict[str, Any]] = Field(
        default_factory=list,
        description='[{"key", "phase", "title", "function", "offset_days", "milestone", '
        '"depends_on": [keys]}]; offsets are days from launch day (negative before).',
    )


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    phases: list[str]
    tasks: list[dict[str, Any]]
    version: int


class PlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    feature_id: Id | None = Field(None, description="The feature that launches…")
    product_id: Id | None = Field(None, description="…or the product (a product launch).")
    template_id: Id | None = None
    template: str | None = Field(
        None, max_length=200, pattern=NO_NUL, description="A template's name."
    )
    launch_on: Day
    name: str = Field("", max_length=200, pattern=NO_NUL, description="Default: “X launch”.")
    owner_id: Id | None = Field(None, description="A person; default: the item's owner.")
    notes: str = Field("", max_length=20_000, pattern=NO_NUL)


class PlanPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, pattern=NO_NUL)
    launch_on: Day
    owner_id: Id | None = None
    notes: str = Field(max_length=20_000, pattern=NO_NUL)
    phases: list[Annotated[str, Field(max_length=100, pattern=NO_NUL)]] = Field(max_length=50)
    status: Literal["planned", "cancelled"]


class LaunchedIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: Day = Field(description="The day it launched.")


class LaunchRef(Schema):
    id: int
    name: str


class TaskOut(Schema):
    id: int
    plan_id: int
    phase: str
    title: str
    function: str
    owner: LaunchRef | None
    due_on: Day | None
    status: str
    milestone: bool
    depends_on: list[int]
    waiting_for: list[str]
    overdue: bool
    position: int
    notes: str
    version: int


class ProgressOut(Schema):
    name: str
    done: int
    total: int


class PlanOut(Schema):
    id: int
    name: str
    feature: LaunchRef | None
    product: LaunchRef
    template: LaunchRef | None
    phases: list[str]
    launch_on: Day
    launched_on: Day | None
    status: str
    owner: LaunchRef | None
    notes: str
    version: int
    progress: ProgressOut
    next_milestone: TaskOut | None


class PlanDetailOut(PlanOut):
    tasks: list[TaskOut]
    by_phase: list[ProgressOut]
    by_function: list[ProgressOut]


class TaskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    phase: str | None = Field(
        None, max_length=100, pattern=NO_NUL, description="Default: the last phase."
    )
    title: str = Field(max_length=300, pattern=NO_NUL)
    function: FunctionName
    owner_id: Id | None = None
    due_on: Day | None = None
    status: TaskStatusName = "todo"
    milestone: bool = False
    depends_on: list[Id] = Field(default_factory=list, max_length=300)
    notes: str = Field("", max_length=20_000, pattern=NO_NUL)


class TaskPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    phase: str = Field(max_length=100, pattern=NO_NUL)
    title: str = Field(max_length=300, pattern=NO_NUL)
    function: FunctionName
    owner_id: Id | None = None
    due_on: Day | None = None
    status: TaskStatusName
    milestone: bool
    depends_on: list[Id] = Field(max_length=300)
    notes: str = Field(max_length=20_000, pattern=NO_NUL)


class OrderIn(Schema):
    model_config = ConfigDict(extra="forbid")

    order: list[Id] = Field(description="Every task id of the plan, in the new order.")


class PlanQuery(Schema):
    start: Day | None = Field(None, description="Launch day on or after.")
    end: Day | None = Field(None, description="Launch day on or before.")
    product_id: Id | None = None
    feature_id: Id | None = None
    line_id: Id | None = None
    status: PlanStatusName | None = None


class CalendarQuery(Schema):
    start: Day | None = Field(None, description="Default: the first day of this month.")
    end: Day | None = Field(None, description="Default: the last day of start's month.")
    line_id: Id | None = None
    product_id: Id | None = None
    function: FunctionName | None = None
    status: PlanStatusName | None = None


class EventOut(Schema):
    kind: Literal["launch", "milestone"]
    on: Day
    title: str
    plan_id: int
    plan_name: str
    status: str
    product: str
    feature: str
    function: str
    task_id: int | None
