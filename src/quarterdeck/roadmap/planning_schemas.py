"""Request and response shapes of the planning API (capacities, efforts, dependencies,
scenarios, the optimizer instance)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id, LongText, ShortText

Period = Annotated[str, Field(pattern=r"^\d{4}-Q[1-4]$")]
Amount = Annotated[float, Field(ge=0, le=100_000)]


class PlanningRef(Schema):
    id: int
    name: str


class CapacityIn(Schema):
    model_config = ConfigDict(extra="forbid")

    capacity: Amount
    unit: str | None = Field(None, max_length=40, pattern=NO_NUL, examples=["engineer-weeks"])


class CapacityOut(Schema):
    team: PlanningRef
    period: str
    capacity: float
    unit: str
    version: int


class CapacityQuery(Schema):
    periods: str = Field(
        "", max_length=200, pattern=NO_NUL, description="Comma-separated, e.g. 2027-Q1,2027-Q2."
    )


class EffortRow(Schema):
    team: PlanningRef
    amount: float


class EffortsOut(Schema):
    feature: PlanningRef
    efforts: list[EffortRow]


class EffortsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    efforts: dict[str, Amount] = Field(
        description="Team id → amount in the team's unit; the feature's efforts become exactly "
        "these (0 or a missing team removes it).",
        examples=[{"3": 4, "5": 2.5}],
    )


class DependencyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    feature_id: Id = Field(description="The initiative that needs the other.")
    needs_id: Id


class DependencyOut(Schema):
    id: int
    feature: PlanningRef
    needs: PlanningRef
    created_at: datetime


class DependencyQuery(Schema):
    feature_id: Id | None = Field(None, description="Both ways: what it needs and what needs it.")


class RunOptions(Schema):
    model_config = ConfigDict(extra="forbid")

    periods: list[Period] | None = Field(None, description="Default: the next quarter.")
    line_id: Id | None = Field(None, description="null: the whole portfolio.")
    scoring_model_id: Id | None = Field(None, description="null: each line's default model.")
    must_have: list[Id] = Field(default_factory=list)
    exclusive_groups: list[list[Id]] = Field(default_factory=list)
    excluded: list[Id] = Field(default_factory=list)
    capacity_overrides: dict[str, dict[str, Amount]] = Field(
        default_factory=dict, examples=[{"5": {"2027-Q1": 36}}]
    )
    gap: float | None = Field(None, ge=0, le=0.5, description="Default 0.005 (0.5 %).")
    time_limit: float | None = Field(None, gt=0, le=60, description="Seconds; default 10.")


class ScenarioIn(RunOptions):
    name: ShortText


class ScenarioPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: ShortText | None = None
    notes: LongText | None = None


class ScenarioBrief(Schema):
    id: int
    name: str
    notes: str
    line: PlanningRef | None
    periods: list[str]
    status: str
    value: float | None
    greedy_value: float | None
    gap: float | None
    chosen: int
    applied: dict[str, Any] | None
    created_by: str | None
    created_at: datetime
    version: int


class ScenarioOut(ScenarioBrief):
    options: dict[str, Any]
    result: dict[str, Any] = Field(
        description="The solver's output (docs/optimizer.md): plan, capacity, left_out, "
        "shadow_values, seconds, bound; plus greedy_value, skipped and applied."
    )


class ApplyOut(Schema):
    scenario_id: int
    placed: int


class CompareQuery(Schema):
    ids: str = Field(max_length=200, pattern=r"^\d+(,\d+){1,4}$")


class CompareOut(Schema):
    scenarios: list[ScenarioBrief]
    periods: list[str]
    teams: list[dict[str, Any]] = Field(description="{id, name, use: [total per scenario]}.")
    initiatives: list[dict[str, Any]] = Field(
        description="{id, name, periods: [period or null per scenario], differs}."
    )


class InstanceQuery(Schema):
    periods: str = Field("", max_length=200, pattern=NO_NUL)
    line_id: Id | None = None
    scoring_model_id: Id | None = None
    excluded: str = Field("", max_length=2000, pattern=r"^[\d,]*$")
    must_have: str = Field("", max_length=2000, pattern=r"^[\d,]*$")
