"""Writes of scoring: scores (with their history), scoring models and line defaults.

Every write is audited; a score change writes a ScoreChange row (inputs and value before and
after, who, when, why). Changing a model's formula or criteria recomputes its scores (history
source "formula").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict, check_version
from quarterdeck.portfolio.models import Feature
from quarterdeck.portfolio.selectors import access_feature, access_line
from quarterdeck.roadmap import formula
from quarterdeck.roadmap.frameworks import clean_criteria, clean_inputs
from quarterdeck.roadmap.models import (
    Framework,
    LineScoringDefault,
    Score,
    ScoreChange,
    ScoringModel,
)
from quarterdeck.roadmap.scoring_fields import FIELDS, field_values

SOURCES = ("manual", "round", "import", "demo", "formula")


def compute(model: ScoringModel, feature: Feature, inputs: Mapping[str, float]) -> tuple[
    float | None, str
]:  # fmt: skip
    """The score's value, or None and why (missing input or field, division by zero…)."""
    try:
        expr = formula.parse(model.formula)
    except formula.FormulaError as exc:
        return None, f"The model's formula is wrong: {exc}"
    wanted = formula.names(expr)
    values: dict[str, float] = {**field_values(feature, wanted - set(inputs)), **inputs}
    missing = sorted(wanted - set(values))
    if missing:
        kinds = ["field without data" if m in FIELDS else "input" for m in missing]
        return None, "Missing " + ", ".join(
            f"{k} '{m}'" for k, m in zip(kinds, missing, strict=True)
        )
    try:
        return formula.evaluate(expr, values), ""
    except formula.FormulaError as exc:
        return None, str(exc)


def _check_version(score: Score, expected_version: int | None) -> None:
    if expected_version is not None and score.version != expected_version:
        raise VersionConflict(
            f"The {score.scoring_model.name} score of “{score.feature.name}” was changed by "
            f"someone else (now version {score.version}, you edited {expected_version}).",
            current_version=score.version,
        )


def _feature(actor: User | None, feature_id: int) -> Feature:
    if actor is None:
        found = Feature.objects.select_related("product").filter(pk=feature_id).first()
        if found is None:
            raise InvalidInput(f"There is no feature with id {feature_id}.")
        return found
    return access_feature(actor, feature_id, for_write=True)


def _model(model_id: int) -> ScoringModel:
    model = ScoringModel.objects.filter(pk=model_id).first()
    if model is None:
        raise InvalidInput(
            f"There is no scoring model with id {model_id}.",
            fields={"scoring_model_id": ["No such scoring model."]},
        )
    return model


def _record(score: Score, before: tuple[dict[str, Any], float | None], **how: Any) -> None:
    ScoreChange.objects.create(
        score=score, inputs_before=before[0], inputs_after=score.inputs, value_before=before[1],
        value_after=score.value, **how,
    )  # fmt: skip


def _merge(
    current: Mapping[str, float], cleaned: Mapping[str, float], raw: Mapping[str, Any]
) -> dict[str, float]:
    """The current inputs with the new ones; an input sent as None is dropped."""
    merged = {**current, **cleaned}
    for key in [k for k, v in raw.items() if v is None]:
        merged.pop(key, None)
    return merged


@transaction.atomic
def score_set(
    *,
    actor: User | None,
    feature_id: int,
    scoring_model_id: int,
    inputs: Mapping[str, Any],
    reason: str,
    expected_version: int | None = None,
    source: str = "manual",
) -> Score:
    """Set (merge) the inputs of a feature's score under a model and recompute its value.
    An input set to None is dropped. Changing an existing score needs a reason."""
    feature = _feature(actor, feature_id)
    model = _model(scoring_model_id)
    merged_in = clean_inputs(model, inputs)
    score = Score.objects.select_for_update().filter(feature=feature, scoring_model=model).first()
    created = score is None
    score = score or Score(feature=feature, scoring_model=model, inputs={})
    if not created:
        _check_version(score, expected_version)
    merged = _merge(score.inputs, merged_in, inputs)
    if not created and merged == score.inputs:
        return score  # nothing changed: no history row, no new version
    reason = (reason or "").strip()
    if not created and not reason:
        raise InvalidInput(
            "Say why you change this score (reason).",
            fields={"reason": ["Required when changing an existing score."]},
        )
    before, audit_before = (dict(score.inputs), score.value), snapshot(score)
    score.inputs = merged
    score.value, score.error = compute(model, feature, merged)
    score.version = 1 if created else score.version + 1
    score.updated_by, score.updated_at = actor, timezone.now()
    score.save()
    _record(score, before, reason=reason, source=source, actor=actor)
    action = Action.CREATE if created else Action.UPDATE
    audit_record(actor=actor, action=action, obj=score, before=None if created else audit_before,
                 after=snapshot(score), object_type="score")  # fmt: skip
    return score


def scores_recompute(*, actor: User | None, model: ScoringModel, reason: str) -> int:
    """Recompute every score of the model (after its formula changed); returns how many moved."""
    moved = 0
    for score in Score.objects.filter(scoring_model=model).select_related("feature"):
        value, error = compute(model, score.feature, score.inputs)
        if value == score.value and error == score.error:
            continue
        before = (dict(score.inputs), score.value)
        score.value, score.error, score.version = value, error, score.version + 1
        score.updated_at = timezone.now()
        score.save(update_fields=["value", "error", "version", "updated_at"])
        _record(score, before, reason=reason, source="formula", actor=actor)
        moved += 1
    return moved


# Scoring models --------------------------------------------------------------------------------

MODEL_FIELDS = ("name", "framework", "description", "criteria", "formula", "value_key",
                "effort_key", "size_key")  # fmt: skip


def _require_leader(actor: User | None) -> None:
    if actor is not None and not rules.changes_everything(actor):
        raise NotAllowed("Only leaders and admins change scoring models.")


def check_expression(text: str, allowed: set[str], field: str) -> formula.Expr:
    """Parse and check the names; InvalidInput naming the field, the position and a caret."""
    try:
        expr = formula.parse(text)
        formula.check_names(expr, allowed)
    except formula.FormulaError as exc:
        raise InvalidInput(
            f"{field}: {exc.message} at {exc.position}.\n{formula.caret(text, exc.position)}",
            fields={field: [f"{exc.message} (at {exc.position})"]},
        ) from None
    return expr


def _clean_model(data: Mapping[str, Any], model: ScoringModel) -> dict[str, Any]:
    cleaned = {name: data[name] for name in MODEL_FIELDS if name in data}
    name = str(cleaned.get("name", model.name) or "").strip()
    if not name or len(name) > 200:
        raise InvalidInput("name: 1 to 200 characters.", fields={"name": ["Required."]})
    clash = ScoringModel.objects.filter(name=name).exclude(pk=model.pk).exists()
    if clash:
        raise InvalidInput(f"A scoring model “{name}” exists.", fields={"name": ["Taken."]})
    framework = cleaned.get("framework", model.framework or Framework.CUSTOM)
    if framework not in Framework.values:
        raise InvalidInput("framework: unknown.", fields={"framework": list(Framework.values)})
    criteria = clean_criteria(cleaned.get("criteria", model.criteria))
    allowed = {c["key"] for c in criteria} | set(FIELDS)
    text = str(cleaned.get("formula", model.formula) or "")
    check_expression(text, allowed, "formula")
    for key in ("value_key", "effort_key", "size_key"):
        if str(cleaned.get(key, getattr(model, key)) or "").strip():
            check_expression(str(cleaned.get(key, getattr(model, key))), allowed, key)
    return {**cleaned, "name": name, "framework": framework, "criteria": criteria}


@transaction.atomic
def model_create(*, actor: User | None, data: Mapping[str, Any]) -> ScoringModel:
    _require_leader(actor)
    model = ScoringModel(framework=Framework.CUSTOM, formula="")
    for name, value in _clean_model(data, model).items():
        setattr(model, name, value)
    model.created_by = actor
    model.save()
    audit_record(actor=actor, action=Action.CREATE, obj=model, after=snapshot(model),
                 object_type="scoring_model")  # fmt: skip
    return model


@transaction.atomic
def model_update(
    *, actor: User | None, model_id: int, data: Mapping[str, Any], expected_version: int | None
) -> ScoringModel:
    """Change a model; a new formula or new criteria recompute its scores."""
    _require_leader(actor)
    model = ScoringModel.objects.select_for_update().get(pk=_model(model_id).pk)
    check_version(model.version, expected_version, f"The scoring model “{model.name}”")
    before = snapshot(model)
    for name, value in _clean_model(data, model).items():
        setattr(model, name, value)
    changed = snapshot(model) != before
    if changed:
        model.version += 1
        model.updated_at = timezone.now()
        model.save()
        audit_record(actor=actor, action=Action.UPDATE, obj=model, before=before,
                     after=snapshot(model), object_type="scoring_model")  # fmt: skip
    if before["formula"] != model.formula or before["criteria"] != model.criteria:
        scores_recompute(actor=actor, model=model, reason="The model's formula changed.")
    return model


@transaction.atomic
def model_delete(*, actor: User | None, model_id: int, expected_version: int | None) -> None:
    _require_leader(actor)
    model = _model(model_id)
    check_version(model.version, expected_version, f"The scoring model “{model.name}”")
    in_use = model.scores.count() + LineScoringDefault.objects.filter(scoring_model=model).count()
    if in_use:
        raise InvalidInput(
            f"“{model.name}” is used by {in_use} scores or line defaults; it cannot be deleted."
        )
    audit_record(actor=actor, action=Action.DELETE, obj=model, before=snapshot(model),
                 object_type="scoring_model")  # fmt: skip
    model.delete()


@transaction.atomic
def line_default_set(
    *, actor: User | None, line_id: int, scoring_model_id: int | None
) -> LineScoringDefault | None:
    """Set (or clear, with None) a line's default scoring model: who may change the line."""
    if actor is not None:
        line = access_line(actor, line_id, for_write=True)
    else:
        from quarterdeck.portfolio.models import ProductLine

        line = ProductLine.objects.get(pk=line_id)
    row = LineScoringDefault.objects.filter(line=line).first()
    before = snapshot(row) if row else None
    if scoring_model_id is None:
        if row is not None:
            audit_record(actor=actor, action=Action.DELETE, obj=row, before=before,
                         object_type="line_scoring_default")  # fmt: skip
            row.delete()
        return None
    model = _model(scoring_model_id)
    row = row or LineScoringDefault(line=line)
    row.scoring_model = model
    row.save()
    action = Action.CREATE if before is None else Action.UPDATE
    audit_record(actor=actor, action=action, obj=row, before=before, after=snapshot(row),
                 object_type="line_scoring_default")  # fmt: skip
    return row
