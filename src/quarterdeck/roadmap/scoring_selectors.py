"""Reads of scoring: the doors of scoring models, scores and rounds; ranked lists; the current
scores other parts (the optimizer) use; ballots hidden until a round is revealed."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.portfolio.models import Feature, ProductLine
from quarterdeck.portfolio.selectors import (
    access_feature,
    access_line,
    line_subtree_ids,
    list_features,
    may_change_item,
    may_read_portfolio,
)
from quarterdeck.roadmap.models import (
    Ballot,
    LineScoringDefault,
    RoundState,
    Score,
    ScoreChange,
    ScoringModel,
    ScoringRound,
)


def _signed_in(user: User) -> None:
    if not may_read_portfolio(user):
        raise NotAllowed("Sign in to see scores.")


def list_scoring_models(user: User) -> QuerySet[ScoringModel]:
    _signed_in(user)
    return ScoringModel.objects.all()


def access_scoring_model(user: User, model_id: int, *, for_write: bool = False) -> ScoringModel:
    _signed_in(user)
    model = ScoringModel.objects.filter(pk=model_id).first()
    if model is None:
        raise NotFound(f"There is no scoring model with id {model_id}.")
    if for_write and not rules.changes_everything(user):
        raise NotAllowed("Only leaders and admins change scoring models.")
    return model


def access_score(user: User, score_id: int, *, for_write: bool = False) -> Score:
    _signed_in(user)
    score = Score.objects.select_related("feature", "scoring_model", "updated_by").filter(
        pk=score_id
    )
    found = score.first()
    if found is None:
        raise NotFound(f"There is no score with id {score_id}.")
    if for_write:
        access_feature(user, found.feature_id, for_write=True)
    return found


def find_score(feature: Feature, model: ScoringModel) -> Score | None:
    return Score.objects.filter(feature=feature, scoring_model=model).first()


@dataclass(frozen=True)
class ScoreFilters:
    scoring_model_id: int | None = None
    line_id: int | None = None
    product_id: int | None = None
    stage: str | None = None
    feature_id: int | None = None


def list_scores(user: User, filters: ScoreFilters) -> QuerySet[Score]:
    _signed_in(user)
    return scores_matching(filters)


def scores_matching(filters: ScoreFilters) -> QuerySet[Score]:
    """Scores by the filters, with no user (the operator's CLI; pages go through list_scores)."""
    qs = Score.objects.select_related("feature", "feature__product", "scoring_model", "updated_by")
    if filters.scoring_model_id is not None:
        qs = qs.filter(scoring_model_id=filters.scoring_model_id)
    if filters.line_id is not None:
        qs = qs.filter(feature__product__line_id__in=line_subtree_ids(filters.line_id))
    if filters.product_id is not None:
        qs = qs.filter(feature__product_id=filters.product_id)
    if filters.stage:
        qs = qs.filter(feature__stage=filters.stage)
    if filters.feature_id is not None:
        qs = qs.filter(feature_id=filters.feature_id)
    return qs.order_by("scoring_model__name", "-value", "feature__name")


def score_history(user: User, score: Score) -> QuerySet[ScoreChange]:
    _signed_in(user)
    return score.changes.select_related("actor").all()


# Line defaults and current scores ------------------------------------------------------------


def line_default(line: ProductLine) -> ScoringModel | None:
    """The model a line uses: its own default, else the nearest parent line's."""
    seen: set[int] = set()
    current: ProductLine | None = line
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        found = LineScoringDefault.objects.filter(line=current).select_related("scoring_model")
        if (row := found.first()) is not None:
            return row.scoring_model
        current = current.parent
    return None


def line_default_info(user: User, line_id: int) -> tuple[ProductLine, ScoringModel | None, bool]:
    """The line (through its door), the model it uses, and whether that is inherited."""
    line = access_line(user, line_id)
    model = line_default(line)
    own = LineScoringDefault.objects.filter(line=line).exists()
    return line, model, model is not None and not own


def first_model_id() -> int:
    """The model pages and the matrix show when none is chosen: RICE, else the first."""
    model = ScoringModel.objects.filter(name="RICE").first() or ScoringModel.objects.first()
    if model is None:
        raise NotFound("There is no scoring model yet.")
    return model.pk


def default_model_for(feature: Feature) -> ScoringModel | None:
    return line_default(feature.product.line)


def current_scores(
    *, scoring_model: ScoringModel | None = None, feature_ids: list[int] | None = None
) -> dict[int, float]:
    """Feature id → its score under ``scoring_model`` (under its line's default when None);
    features without a computed score are absent."""
    qs = Score.objects.filter(value__isnull=False)
    if feature_ids is not None:
        qs = qs.filter(feature_id__in=feature_ids)
    if scoring_model is not None:
        rows = qs.filter(scoring_model=scoring_model).values_list("feature_id", "value")
        return {fid: float(value) for fid, value in rows if value is not None}
    return {fid: value for fid, (_, value) in default_scores(feature_ids).items()}


def default_scores(feature_ids: list[int] | None = None) -> dict[int, tuple[int, float]]:
    """Feature id → (scoring model id, score) under its line's default model."""
    qs = Score.objects.filter(value__isnull=False)
    if feature_ids is not None:
        qs = qs.filter(feature_id__in=feature_ids)
    defaults: dict[int, int | None] = {}
    found: dict[int, tuple[int, float]] = {}
    for fid, line_id, model_id, value in qs.values_list(
        "feature_id", "feature__product__line_id", "scoring_model_id", "value"
    ):
        if line_id not in defaults:
            model = line_default(ProductLine.objects.get(pk=line_id))
            defaults[line_id] = model.pk if model else None
        if defaults[line_id] == model_id and value is not None:
            found[fid] = (model_id, float(value))
    return found


# Rounds ---------------------------------------------------------------------------------------


def may_manage_round(user: User, round_: ScoringRound) -> bool:
    """Reveal, finalise, cancel: the opener, leaders and admins."""
    return rules.changes_everything(user) or (
        user.is_active and round_.created_by_id == user.pk and user.pk is not None
    )


def access_round(user: User, round_id: int, *, for_write: bool = False) -> ScoringRound:
    _signed_in(user)
    qs = ScoringRound.objects.select_related("feature", "feature__product", "scoring_model")
    round_ = qs.filter(pk=round_id).first()
    if round_ is None:
        raise NotFound(f"There is no scoring round with id {round_id}.")
    if for_write and not may_manage_round(user, round_):
        raise NotAllowed("Only the round's opener, leaders and admins manage a round.")
    return round_


def visible_ballots(user: User, round_: ScoringRound) -> list[Ballot]:
    """Every ballot once revealed; before that only the user's own — for everyone, the opener
    and leaders included, so nobody anchors on the others."""
    ballots = round_.ballots.select_related("voter")
    if round_.state in (RoundState.REVEALED, RoundState.FINALISED):
        return list(ballots)
    if round_.state == RoundState.CANCELLED and round_.revealed_at is not None:
        return list(ballots)
    return list(ballots.filter(voter=user))


def list_rounds(
    user: User, *, state: str | None = None, feature_id: int | None = None, mine: bool = False
) -> QuerySet[ScoringRound]:
    _signed_in(user)
    qs = ScoringRound.objects.select_related("feature", "scoring_model", "created_by")
    if state:
        qs = qs.filter(state=state)
    if feature_id is not None:
        qs = qs.filter(feature_id=feature_id)
    if mine:
        qs = qs.filter(invited=user) | qs.filter(created_by=user)
    return qs.distinct()


def may_score(user: User, feature: Feature) -> bool:
    return may_change_item(user, feature)


def model_named(text: str) -> ScoringModel:
    """For the operator (CLI): a scoring model by id or name (any case)."""
    text = text.strip()
    qs = ScoringModel.objects.all()
    found = qs.filter(pk=int(text)) if text.isdigit() else qs.filter(name__iexact=text)
    model = found.first()
    if model is None:
        known = ", ".join(qs.values_list("name", flat=True))
        raise NotFound(f"There is no scoring model {text!r} (known: {known}).")
    return model


def score_table(
    user: User, model: ScoringModel, filters: ScoreFilters
) -> list[tuple[Feature, Score | None]]:
    """Every initiative the filters keep with its score under the model (None: not scored
    yet), highest first, the unscored last."""
    features = list_features(
        user, line_id=filters.line_id, product_id=filters.product_id, stage=filters.stage or None
    ).select_related("product")
    scores = {s.feature_id: s for s in Score.objects.filter(scoring_model=model,
                                                              feature__in=features)}  # fmt: skip
    rows = [(f, scores.get(f.pk)) for f in features]
    rows.sort(key=lambda r: (r[1] is None or r[1].value is None, -(_value(r[1])), r[0].name))
    return rows


def _value(score: Score | None) -> float:
    return score.value if score is not None and score.value is not None else 0.0


def feature_scores(user: User, feature: Feature) -> list[tuple[Score, list[ScoreChange]]]:
    """A feature's scores under every model, each with its full history."""
    _signed_in(user)
    scores = Score.objects.filter(feature=feature).select_related("scoring_model", "updated_by")
    return [(s, list(s.changes.select_related("actor"))) for s in scores]


def require_model_editor(user: User) -> None:
    _signed_in(user)
    if not rules.changes_everything(user):
        raise NotAllowed("Only leaders and admins change scoring models.")
