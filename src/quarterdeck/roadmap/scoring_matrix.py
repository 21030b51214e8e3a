"""The 2x2 matrix of a scoring model: each scored initiative at (effort, value), its bubble
sized by reach or demand, cut into quadrants at the medians.

x, y and size come from the model's ``effort_key``, ``value_key`` and ``size_key``: small
formulas over the criteria and fields (an empty value key uses the score itself).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.roadmap import formula
from quarterdeck.roadmap.models import Score, ScoringModel
from quarterdeck.roadmap.scoring_fields import field_values
from quarterdeck.roadmap.scoring_selectors import ScoreFilters, list_scores

QUADRANTS = {
    (True, True): "Quick wins",  # (high value, low effort)
    (True, False): "Big bets",
    (False, True): "Fill-ins",
    (False, False): "Money pits",
}


@dataclass
class Point:
    feature_id: int
    name: str
    product: str
    stage: str
    score: float | None
    x: float
    y: float
    size: float
    quadrant: str = ""


@dataclass
class Matrix:
    model: ScoringModel
    points: list[Point] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (feature name, why)
    x_median: float | None = None
    y_median: float | None = None
    size_key: str = ""

    @property
    def x_label(self) -> str:
        return f"Effort ({self.model.effort_key})" if self.model.effort_key else "Effort"

    @property
    def y_label(self) -> str:
        return f"Value ({self.model.value_key})" if self.model.value_key else "Score"

    @property
    def size_label(self) -> str:
        return self.size_key or "equal size"


def _value(text: str, values: dict[str, float], default: float | None) -> float | None:
    if not text.strip():
        return default
    return formula.calculate(text, values)


def size_choices(model: ScoringModel) -> list[str]:
    """What a bubble's size may show: the model's own choice, reach when the model has it,
    customer-voice demand, or nothing (equal bubbles)."""
    keys = [c.get("key") for c in model.criteria if isinstance(c, dict)]
    reach = ["reach"] if "reach" in keys else []
    return [k for k in dict.fromkeys([model.size_key, *reach, "demand", "equal"]) if k]


def _size_key(model: ScoringModel, size: str | None) -> str:
    if not size:
        return model.size_key
    allowed = size_choices(model)
    if size not in allowed:
        message = f"Bubble size {size!r} is not one of {', '.join(allowed)}."
        raise InvalidInput(message, fields={"size": [message]})
    return "" if size == "equal" else size


def _point(model: ScoringModel, score: Score, size_key: str) -> Point:
    """Raises FormulaError when a coordinate cannot be computed."""
    keys = [model.value_key, model.effort_key, size_key]
    wanted = set().union(*(formula.names(formula.parse(k)) for k in keys if k.strip()))
    values = {**field_values(score.feature, wanted - set(score.inputs)), **score.inputs}
    x = _value(model.effort_key, values, None)
    y = _value(model.value_key, values, score.value)
    if x is None or y is None:
        raise formula.FormulaError("no effort key or no score", 0)
    size = _value(size_key, values, 1.0) or 0.0
    feature = score.feature
    return Point(feature.pk, feature.name, feature.product.name, feature.stage, score.value,
                 x, y, max(size, 0.0))  # fmt: skip


def matrix(
    user: User, model: ScoringModel, filters: ScoreFilters, *, size: str | None = None
) -> Matrix:
    """``size``: one of size_choices(model) ("equal": no size), else the model's own."""
    found = Matrix(model, size_key=_size_key(model, size))
    given = {**filters.__dict__, "scoring_model_id": model.pk}
    for score in list_scores(user, ScoreFilters(**given)):
        try:
            found.points.append(_point(model, score, found.size_key))
        except formula.FormulaError as exc:
            found.skipped.append((score.feature.name, exc.message))
    if found.points:
        found.x_median = statistics.median(p.x for p in found.points)
        found.y_median = statistics.median(p.y for p in found.points)
        for p in found.points:
            p.quadrant = QUADRANTS[(p.y >= found.y_median, p.x <= found.x_median)]
    return found
