"""Scoring models, scores, rounds and the matrix at the HTTP edge."""

# Annotations stay real objects: Ninja builds the schemas from them at run time.
from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import NO_NUL, Id

FrameworkName = Literal["rice", "ice", "wsjf", "value_effort", "kano", "custom"]
InputValue = float | None


class ScoringRef(Schema):
    id: int
    name: str


class ModelIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=200, pattern=NO_NUL)
    framework: FrameworkName = "custom"
    description: str = Field("", max_length=5000, pattern=NO_NUL)
    criteria: list[dict[str, Any]] = Field(
        max_length=30,
        description='[{"key", "label", "kind": "number"|"choice", "min", "max", "choices", '
        '"labels", "help"}]',
    )
    formula: str = Field(max_length=2000, description="In the scoring formula language.")
    value_key: str = Field("", max_length=100, description="Formula of the matrix's y.")
    effort_key: str = Field("", max_length=100, description="Formula of the matrix's x.")
    size_key: str = Field("", max_length=100, description="Formula of the bubble size.")


class ModelOut(Schema):
    id: int
    name: str
    framework: str
    description: str
    criteria: list[dict[str, Any]]
    formula: str
    value_key: str
    effort_key: str
    size_key: str
    version: int


class FormulaCheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    formula: str = Field(max_length=5000, description="Longer than 2,000 is reported as an error.")
    values: dict[str, float] = Field(default_factory=dict, description="Name → value to try.")
    allowed: list[str] | None = Field(
        None, description="Names the formula may use (default: any name given in values)."
    )


class FormulaErrorOut(Schema):
    message: str
    position: int
    caret: str


class FormulaCheckOut(Schema):
    ok: bool
    value: float | None
    names: list[str]
    error: FormulaErrorOut | None


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    inputs: dict[str, InputValue] = Field(
        description="Criterion → number (merged into the current inputs; null drops one)."
    )
    reason: str = Field("", max_length=2000, pattern=NO_NUL, description="Required on a change.")


class ScoreOut(Schema):
    id: int
    feature: ScoringRef
    product: ScoringRef
    stage: str
    scoring_model: ScoringRef
    inputs: dict[str, float]
    value: float | None
    error: str
    version: int
    updated_by: str | None
    updated_at: datetime


class ChangeOut(Schema):
    id: int
    inputs_before: dict[str, Any]
    inputs_after: dict[str, Any]
    value_before: float | None
    value_after: float | None
    reason: str
    source: str
    actor: str | None
    at: datetime


class LineDefaultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scoring_model_id: Id | None = Field(description="null clears the line's own default.")


class LineDefaultOut(Schema):
    line: ScoringRef
    scoring_model: ScoringRef | None = Field(
        description="The line's own default, else its parent's."
    )
    inherited: bool


class RoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    feature_id: Id
    scoring_model_id: Id
    invited: list[Id] = Field(min_length=1, max_length=50, description="User ids (no viewers).")
    note: str = Field("", max_length=2000, pattern=NO_NUL)


class BallotIn(Schema):
    model_config = ConfigDict(extra="forbid")

    inputs: dict[str, InputValue]
    comment: str = Field("", max_length=2000, pattern=NO_NUL)


class BallotOut(Schema):
    voter: str
    voter_id: int
    inputs: dict[str, float]
    comment: str
    submitted_at: datetime


class SpreadOut(Schema):
    key: str
    label: str
    values: list[float]
    median: float | None
    low: float | None
    high: float | None
    std: float | None
    agreement: float | None


class RoundOut(Schema):
    id: int
    feature: ScoringRef
    scoring_model: ScoringRef
    state: str
    note: str
    invited: list[ScoringRef]
    submitted: int = Field(description="How many ballots came in (their content stays hidden).")
    ballots: list[BallotOut] = Field(description="Before reveal: only your own.")
    spread: list[SpreadOut] | None = Field(description="After reveal only.")
    agreement: float | None
    agreement_label: str
    final_inputs: dict[str, float] | None
    created_by: str | None
    created_at: datetime
    revealed_at: datetime | None
    finalised_at: datetime | None
    version: int


class FinaliseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    inputs: dict[str, InputValue] | None = Field(None, description="Default: each median.")
    reason: str = Field("", max_length=2000, pattern=NO_NUL)


class MatrixPointOut(Schema):
    feature_id: int
    name: str
    product: str
    stage: str
    score: float | None
    x: float
    y: float
    size: float
    quadrant: str


class MatrixOut(Schema):
    scoring_model: ScoringRef
    x_label: str
    y_label: str
    size_label: str
    x_median: float | None
    y_median: float | None
    points: list[MatrixPointOut]
    skipped: list[dict[str, str]]
    spec: dict[str, Any] | None = Field(description="The Vega-Lite chart.")
