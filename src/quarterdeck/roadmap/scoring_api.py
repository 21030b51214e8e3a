"""REST API of scoring: scoring models and the formula check, scores and their history, line
defaults, collaborative rounds (ballots hidden until revealed) and the 2x2 matrix."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema, Status

from quarterdeck.accounts.models import User
from quarterdeck.lib.api_edge import Id, api_user, errors, etag_doc, if_match_doc, no_content
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.portfolio.selectors import access_feature
from quarterdeck.roadmap import formula, scoring
from quarterdeck.roadmap import scoring_selectors as sel
from quarterdeck.roadmap.models import Score, ScoringModel
from quarterdeck.roadmap.scoring_charts import matrix_spec
from quarterdeck.roadmap.scoring_matrix import matrix
from quarterdeck.roadmap.scoring_rounds_api import router as rounds_router
from quarterdeck.roadmap.scoring_schemas import (
    ChangeOut,
    FormulaCheckIn,
    FormulaCheckOut,
    LineDefaultIn,
    LineDefaultOut,
    MatrixOut,
    ModelIn,
    ModelOut,
    ScoreIn,
    ScoreOut,
)

router = Router(tags=["roadmap scoring"])
router.add_router("", rounds_router)
WRITE_ERRORS = errors(400, 403, 404, 412, 428)


class ScoreQuery(Schema):
    scoring_model_id: Id | None = None
    line_id: Id | None = None
    product_id: Id | None = None
    stage: str | None = None
    feature_id: Id | None = None


def _ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(getattr(obj, "name", obj))}


def _filters(query: ScoreQuery) -> sel.ScoreFilters:
    return sel.ScoreFilters(**query.model_dump())


# Scoring models ---------------------------------------------------------------------------------


def _model_out(model: ScoringModel, response: HttpResponse | None = None) -> ScoringModel:
    if response is not None:
        response["ETag"] = etag(model.version)
    return model


@router.get("/scoring/models", response={200: list[ModelOut], **errors(403)})
def models_list(request: HttpRequest) -> list[ScoringModel]:
    """Every scoring model (built-in frameworks and custom formulas)."""
    return list(sel.list_scoring_models(api_user(request)))


@router.post("/scoring/models", response={201: ModelOut, **errors(400, 403)},
             openapi_extra=etag_doc(201))  # fmt: skip
def models_create(request: HttpRequest, payload: ModelIn, response: HttpResponse) -> Status[Any]:
    """Add a model (leaders and admins); the formula is checked (errors carry the position)."""
    model = scoring.model_create(actor=api_user(request), data=payload.model_dump())
    return Status(201, _model_out(model, response))


@router.get("/scoring/models/{model_id}", response={200: ModelOut, **errors(403, 404)},
            openapi_extra=etag_doc(200))  # fmt: skip
def models_get(request: HttpRequest, model_id: Id, response: HttpResponse) -> ScoringModel:
    return _model_out(sel.access_scoring_model(api_user(request), model_id), response)


@router.put("/scoring/models/{model_id}", response={200: ModelOut, **WRITE_ERRORS},
            openapi_extra=if_match_doc())  # fmt: skip
def models_put(
    request: HttpRequest, model_id: Id, payload: ModelIn, response: HttpResponse
) -> ScoringModel:
    """Change a model (leaders and admins); a new formula recomputes its scores."""
    user = api_user(request)
    sel.access_scoring_model(user, model_id, for_write=True)
    model = scoring.model_update(actor=user, model_id=model_id, data=payload.model_dump(),
                                 expected_version=if_match_version(request))  # fmt: skip
    return _model_out(model, response)


@router.delete("/scoring/models/{model_id}", response={204: None, **WRITE_ERRORS},
               openapi_extra=if_match_doc(None))  # fmt: skip
def models_delete(request: HttpRequest, model_id: Id) -> Status[None]:
    """Delete an unused model (leaders and admins)."""
    user = api_user(request)
    sel.access_scoring_model(user, model_id, for_write=True)
    scoring.model_delete(actor=user, model_id=model_id, expected_version=if_match_version(request))
    return no_content()


@router.post("/scoring/formula/check", response={200: FormulaCheckOut, **errors(403)})
def formula_check(request: HttpRequest, payload: FormulaCheckIn) -> dict[str, Any]:
    """Parse a formula and, when every name has a value, compute it. Errors carry the 0-based
    position and a caret rendering."""
    api_user(request)
    try:
        expr = formula.parse(payload.formula)
        if payload.allowed is not None:
            formula.check_names(expr, payload.allowed)
        used = sorted(formula.names(expr))
        value = formula.evaluate(expr, payload.values) if set(used) <= set(payload.values) else None
    except formula.FormulaError as exc:
        caret = formula.caret(payload.formula, exc.position)
        error = {"message": exc.message, "position": exc.position, "caret": caret}
        return {"ok": False, "value": None, "names": [], "error": error}
    return {"ok": True, "value": value, "names": used, "error": None}


# Scores ---------------------------------------------------------------------------------------


def score_out(score: Score, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(score.version)
    feature = score.feature
    return {
        "id": score.pk, "feature": _ref(feature), "product": _ref(feature.product),
        "stage": feature.stage, "scoring_model": _ref(score.scoring_model),
        "inputs": score.inputs, "value": score.value, "error": score.error,
        "version": score.version, "updated_at": score.updated_at,
        "updated_by": score.updated_by.email if score.updated_by else None,
    }  # fmt: skip


@router.get("/scoring/scores", response={200: list[ScoreOut], **errors(403)})
def scores_list(request: HttpRequest, query: Query[ScoreQuery]) -> list[dict[str, Any]]:
    """Scores, per model highest first (filter by model, line, product, stage, feature)."""
    return [score_out(s) for s in sel.list_scores(api_user(request), _filters(query))]


@router.get("/scoring/scores/{score_id}", response={200: ScoreOut, **errors(403, 404)},
            openapi_extra=etag_doc(200))  # fmt: skip
def scores_get(request: HttpRequest, score_id: Id, response: HttpResponse) -> dict[str, Any]:
    return score_out(sel.access_score(api_user(request), score_id), response)


@router.put("/scoring/features/{feature_id}/scores/{model_id}",
            response={200: ScoreOut, 201: ScoreOut, **errors(400, 403, 404, 412, 428)},
            openapi_extra=if_match_doc())  # fmt: skip
def scores_put(
    request: HttpRequest, feature_id: Id, model_id: Id, payload: ScoreIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Set a feature's score under a model (who may change the feature). Inputs are merged;
    changing an existing score needs If-Match and a reason; the first one answers 201."""
    user = api_user(request)
    model = sel.access_scoring_model(user, model_id)
    existing = sel.find_score(access_feature(user, feature_id, for_write=True), model)
    expected = if_match_version(request) if existing is not None else None
    score = scoring.score_set(actor=user, feature_id=feature_id, scoring_model_id=model_id,
                              inputs=payload.inputs, reason=payload.reason,
                              expected_version=expected)  # fmt: skip
    return Status(200 if existing else 201, score_out(score, response))


@router.get(
    "/scoring/scores/{score_id}/history", response={200: list[ChangeOut], **errors(403, 404)}
)
def scores_history(request: HttpRequest, score_id: Id) -> list[dict[str, Any]]:
    """Every change of the score, newest first: inputs and value before → after, who, why."""
    user = api_user(request)
    changes = sel.score_history(user, sel.access_score(user, score_id))
    return [{**{f: getattr(c, f) for f in ChangeOut.model_fields if f != "actor"},
             "actor": c.actor.email if c.actor else None} for c in changes]  # fmt: skip


# Line defaults ----------------------------------------------------------------------------------


def _line_default(user: User, line_id: int) -> dict[str, Any]:
    line, model, inherited = sel.line_default_info(user, line_id)
    return {"line": _ref(line), "scoring_model": _ref(model), "inherited": inherited}


@router.get("/scoring/lines/{line_id}/default", response={200: LineDefaultOut, **errors(403, 404)})
def line_default_get(request: HttpRequest, line_id: Id) -> dict[str, Any]:
    return _line_default(api_user(request), line_id)


@router.put(
    "/scoring/lines/{line_id}/default", response={200: LineDefaultOut, **errors(400, 403, 404)}
)
def line_default_put(request: HttpRequest, line_id: Id, payload: LineDefaultIn) -> dict[str, Any]:
    """Set the line's default model (who may change the line)."""
    user = api_user(request)
    scoring.line_default_set(actor=user, line_id=line_id, scoring_model_id=payload.scoring_model_id)
    return _line_default(user, line_id)


# Matrix ---------------------------------------------------------------------------------------


@router.get("/scoring/matrix", response={200: MatrixOut, **errors(400, 403, 404)})
def matrix_get(
    request: HttpRequest, query: Query[ScoreQuery], size: str | None = None
) -> dict[str, Any]:
    """The 2x2 matrix of a model (default: RICE): points, medians and the Vega-Lite spec.
    ``size``: what the bubbles show — reach (when the model has it), demand or equal."""
    user = api_user(request)
    model = sel.access_scoring_model(user, query.scoring_model_id or sel.first_model_id())
    found = matrix(user, model, _filters(query), size=size)
    return {
        "scoring_model": _ref(model), "x_label": found.x_label, "y_label": found.y_label,
        "size_label": found.size_label, "x_median": found.x_median, "y_median": found.y_median,
        "points": [p.__dict__ for p in found.points],
        "skipped": [{"feature": n, "why": why} for n, why in found.skipped],
        "spec": matrix_spec(found),
    }  # fmt: skip
