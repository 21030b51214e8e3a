"""Lifecycle gates and sunset plans at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id

StageName = Literal["idea", "discovery", "build", "launch", "growth", "mature", "sunset"]
ExitStage = Literal["idea", "discovery", "build", "launch", "growth", "mature"]
GatedType = Literal["feature", "product"]
KindName = Literal["checklist", "required"]


class CriterionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: ExitStage = Field(description="The stage this criterion lets an item LEAVE (forwards).")
    applies_to: GatedType = "feature"
    kind: KindName
    requirement: str = Field(
        "", max_length=40, pattern=NO_NUL, description="For kind required: a data check's key."
    )
    label: str = Field("", max_length=200, pattern=NO_NUL)
    help: str = Field("", max_length=2000, pattern=NO_NUL)
    position: int | None = Field(None, ge=0, le=10_000)
    active: bool = True


class CriterionPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: ExitStage
    applies_to: GatedType
    kind: KindName
    requirement: str = Field(max_length=40, pattern=NO_NUL)
    label: str = Field(max_length=200, pattern=NO_NUL)
    help: str = Field(max_length=2000, pattern=NO_NUL)
    position: int = Field(ge=0, le=10_000)
    active: bool


class CriterionOut(Schema):
    id: int
    stage: str
    applies_to: str
    kind: str
    requirement: str
    label: str
    help: str
    position: int
    active: bool
    version: int


class RequirementOut(Schema):
    key: str
    label: str


class InstalledOut(Schema):
    added: int


class TickOut(Schema):
    done: bool
    note: str
    by: str | None
    at: datetime


class CriterionStatusOut(Schema):
    criterion: CriterionOut
    met: bool
    reason: str
    tick: TickOut | None


class GateOut(Schema):
    item_type: str
    item_id: int
    stage: str
    next_stage: str | None
    all_met: bool
    criteria: list[CriterionStatusOut]


class TickIn(Schema):
    model_config = ConfigDict(extra="forbid")

    done: bool = True
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class StageMoveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    to_stage: StageName
    reason: str = Field("", max_length=5000, pattern=NO_NUL)
    override: bool = Field(
        False, description="Leaders and admins: move although exit criteria are unmet."
    )
    version: int | None = Field(None, description="The item's version you read (optional).")


class MoveOut(Schema):
    id: int
    item_type: str
    item_id: int
    from_stage: str
    to_stage: str
    reason: str
    by: str | None
    at: datetime
    overridden: list[dict[str, object]] | None = Field(
        None, description="The unmet criteria a leader's override went past."
    )


class SunsetIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item_type: GatedType
    item_id: Id
    successor_id: Id | None = None
    migration_path: str = Field("", max_length=20_000, pattern=NO_NUL)
    announce_on: date | None = None
    read_only_on: date | None = None
    shutdown_on: date | None = None
    usage_days: int = Field(90, ge=1, le=730)


class SunsetPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    successor_id: Id | None = None
    migration_path: str = Field("", max_length=20_000, pattern=NO_NUL)
    announce_on: date | None = None
    read_only_on: date | None = None
    shutdown_on: date | None = None
    usage_days: int = Field(90, ge=1, le=730)


class AffectedOut(Schema):
    account: str
    name: str
    users: int
    active_days: int
    last_seen: str
    mrr: float | None = Field(description="null: hidden from you (revenue), or no revenue data.")


class SunsetOut(Schema):
    id: int
    item_type: str
    item_id: int
    item_name: str
    successor: dict[str, object] | None
    migration_path: str
    announce_on: date | None
    read_only_on: date | None
    shutdown_on: date | None
    usage_days: int
    affected: list[AffectedOut]
    affected_computed_at: datetime | None
    version: int
