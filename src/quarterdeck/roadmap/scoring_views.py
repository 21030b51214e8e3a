"""Pages of scoring: the ranked scores with inline editing, one initiative's scores and history,
the 2x2 matrix, scoring models (with the formula check) and collaborative rounds."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.portfolio.models import Stage
from quarterdeck.portfolio.selectors import (
    access_feature,
    list_lines,
    list_products,
    may_change_item,
)
from quarterdeck.roadmap import formula, rounds, scoring
from quarterdeck.roadmap import scoring_selectors as sel
from quarterdeck.roadmap.scoring_charts import matrix_spec
from quarterdeck.roadmap.scoring_fields import FIELDS
from quarterdeck.roadmap.scoring_forms import (
    ModelForm,
    filters_from,
    parse_inputs,
    parse_version,
)
from quarterdeck.roadmap.scoring_matrix import matrix as build_matrix
from quarterdeck.roadmap.scoring_matrix import size_choices
from quarterdeck.web.htmx import is_htmx, vary_on_htmx
from quarterdeck.web.views.common import user_of


def _filter_context(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    filters = filters_from(request.GET)
    model = sel.access_scoring_model(user, filters.scoring_model_id or sel.first_model_id())
    return {
        "filters": filters, "model": model, "models": sel.list_scoring_models(user),
        "lines": list_lines(user), "products": list_products(user), "stages": Stage.choices,
        "query": request.GET.urlencode(),
    }  # fmt: skip


@require_GET
def scores(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = _filter_context(request)
    table = sel.score_table(user, context["model"], context["filters"])
    rows = [{"feature": f, "score": s, "may_change": may_change_item(user, f)} for f, s in table]
    return render(request, "roadmap/scoring/scores.html", {**context, "rows": rows})


def _row(request: HttpRequest, feature_id: int, model_id: int, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    feature = access_feature(user, feature_id)
    model = sel.access_scoring_model(user, model_id)
    score = sel.find_score(feature, model)
    row = {"feature": feature, "score": score, "may_change": may_change_item(user, feature)}
    return {"row": row, "model": model, **extra}


def _back(request: HttpRequest) -> HttpResponse:
    """To the filtered list the row came from (only a path on this site)."""
    target = request.POST.get("next", "")
    if target.partition("?")[0] == "/roadmap/scores/" and url_has_allowed_host_and_scheme(
        target, None
    ):
        return redirect(target)
    return redirect("roadmap:scores")


@require_POST
def score_save(request: HttpRequest, feature_id: int, model_id: int) -> HttpResponse:
    """Save one row's inputs (htmx: the row comes back, with its errors next to the fields)."""
    user = user_of(request)
    access_feature(user, feature_id, for_write=True)
    model = sel.access_scoring_model(user, model_id)
    try:
        scoring.score_set(actor=user, feature_id=feature_id, scoring_model_id=model_id,
                          inputs=parse_inputs(model, request.POST),
                          reason=request.POST.get("reason", ""),
                          expected_version=parse_version(request.POST.get("version")))  # fmt: skip
    except (InvalidInput, VersionConflict) as exc:
        if not is_htmx(request):  # without JavaScript: back to the list with the message
            problems = "; ".join(f"{k}: {v[0]}" for k, v in exc.fields.items())
            messages.error(request, f"{exc.message} {problems}".strip())
            return _back(request)
        fields = getattr(exc, "fields", {})
        context = _row(request, feature_id, model_id, errors=fields, message=exc.message,
                       posted=request.POST)  # fmt: skip
        return render(request, "roadmap/scoring/_score_row.html", context, status=400)
    if is_htmx(request):
        context = _row(request, feature_id, model_id, saved=True)
        return vary_on_htmx(render(request, "roadmap/scoring/_score_row.html", context))
    messages.success(request, "Score saved.")
    return _back(request)


@require_GET
def feature_scores(request: HttpRequest, feature_id: int) -> HttpResponse:
    """One initiative: its score under every model with the full history, and its rounds."""
    user = user_of(request)
    feature = access_feature(user, feature_id)
    context = {
        "feature": feature, "scored": sel.feature_scores(user, feature),
        "rounds": sel.list_rounds(user, feature_id=feature.pk),
        "may_change": may_change_item(user, feature), "models": sel.list_scoring_models(user),
        "default_model": sel.default_model_for(feature), "invitable": rounds.invitable_users(),
    }  # fmt: skip
    return render(request, "roadmap/scoring/feature.html", context)


@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = _filter_context(request)
    size = request.GET.get("size") or None
    found = build_matrix(user, context["model"], context["filters"], size=size)
    context.update(matrix=found, spec=matrix_spec(found), sizes=size_choices(context["model"]))
    return render(request, "roadmap/scoring/matrix.html", context)


# Scoring models ---------------------------------------------------------------------------------


@require_GET
def models(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {"models": sel.list_scoring_models(user), "may_edit": rules.changes_everything(user),
               "fields": FIELDS}  # fmt: skip
    return render(request, "roadmap/scoring/models.html", context)


def _model_page(request: HttpRequest, form: ModelForm, model: Any, **extra: Any) -> HttpResponse:
    context = {"form": form, "model": model, "fields": FIELDS, **extra}
    status = 400 if form.errors or extra.get("conflicts") else 200
    return render(request, "roadmap/scoring/model_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def model_edit(request: HttpRequest, model_id: int | None = None) -> HttpResponse:
    """Add (no id) or change a scoring model: leaders and admins; formula errors show a caret."""
    user = user_of(request)
    model = sel.access_scoring_model(user, model_id, for_write=True) if model_id else None
    if model is None:
        sel.require_model_editor(user)
    if request.method == "GET":
        return _model_page(request, ModelForm.for_model(model) if model else ModelForm(), model)
    form = ModelForm(request.POST)
    if not form.is_valid():
        return _model_page(request, form, model)
    try:
        if model is None:
            model = scoring.model_create(actor=user, data=form.service_data())
        else:
            model = scoring.model_update(actor=user, model_id=model.pk, data=form.service_data(),
                                         expected_version=form.cleaned_data["version"])  # fmt: skip
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _model_page(request, form, model, problem=exc.message)
    except VersionConflict as exc:
        rows = [("Version", exc.current_version, form.cleaned_data["version"])]
        return _model_page(request, form, model, conflicts=rows)
    messages.success(request, f"Scoring model “{model.name}” saved.")
    return redirect("roadmap:scoring_models")


@require_POST
def formula_check(request: HttpRequest) -> HttpResponse:
    """htmx: the formula's check under the editor (valid and its names, or the caret)."""
    user_of(request)
    text = request.POST.get("formula", "")
    try:
        names = sorted(formula.names(formula.parse(text)))
        context: dict[str, Any] = {"ok": True, "names": names}
    except formula.FormulaError as exc:
        context = {"ok": False, "error": exc, "caret": formula.caret(text, exc.position)}
    return render(request, "roadmap/scoring/_formula_check.html", context)


# Rounds ---------------------------------------------------------------------------------------


@require_GET
def rounds_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {
        "mine": sel.list_rounds(user, state="open", mine=True),
        "recent": sel.list_rounds(user)[:30],
    }
    return render(request, "roadmap/scoring/rounds.html", context)


@require_POST
def round_open(request: HttpRequest, feature_id: int) -> HttpResponse:
    user = user_of(request)
    invited = [int(v) for v in request.POST.getlist("invited") if v.isdigit()]
    model_id = parse_version(request.POST.get("scoring_model_id")) or 0
    try:
        round_ = rounds.round_open(actor=user, feature_id=feature_id, scoring_model_id=model_id,
                                   invited=invited, note=request.POST.get("note", ""))  # fmt: skip
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("roadmap:feature_scores", feature_id)
    messages.success(request, "Round opened: the invited people can score now.")
    return redirect("roadmap:round", round_.pk)


def round_context(request: HttpRequest, round_id: int, **extra: Any) -> dict[str, Any]:
    user = user_of(request)
    round_ = sel.access_round(user, round_id)
    ballots = sel.visible_ballots(user, round_)
    shown = round_.revealed_at is not None
    summary = rounds.summarise(round_.scoring_model, ballots) if shown else None
    mine = next((b for b in ballots if b.voter_id == user.pk), None)
    return {
        "round": round_, "ballots": ballots, "summary": summary, "mine": mine,
        "invited": round_.invited.all(), "submitted": round_.ballots.count(),
        "may_vote": round_.state == "open" and round_.invited.filter(pk=user.pk).exists(),
        "may_manage": sel.may_manage_round(user, round_),
        "defaults": rounds.default_inputs(round_.scoring_model, summary) if summary else {},
        **extra,
    }  # fmt: skip


@require_GET
def round_page(request: HttpRequest, round_id: int) -> HttpResponse:
    return render(request, "roadmap/scoring/round.html", round_context(request, round_id))


@require_POST
def round_ballot(request: HttpRequest, round_id: int) -> HttpResponse:
    user = user_of(request)
    round_ = sel.access_round(user, round_id)
    try:
        rounds.ballot_submit(actor=user, round_id=round_id,
                             inputs=parse_inputs(round_.scoring_model, request.POST),
                             comment=request.POST.get("comment", ""))  # fmt: skip
    except InvalidInput as exc:
        context = round_context(request, round_id, errors=exc.fields, message=exc.message,
                                posted=request.POST)  # fmt: skip
        return render(request, "roadmap/scoring/round.html", context, status=400)
    messages.success(request, "Ballot saved. Nobody else sees it until the round is revealed.")
    return redirect("roadmap:round", round_id)


@require_POST
def round_action(request: HttpRequest, round_id: int, action: str) -> HttpResponse:
    """Reveal, finalise or cancel (the opener, leaders and admins)."""
    user = user_of(request)
    round_ = sel.access_round(user, round_id, for_write=True)
    version = parse_version(request.POST.get("version"))
    try:
        if action == "reveal":
            rounds.round_reveal(actor=user, round_id=round_id, expected_version=version)
        elif action == "finalise":
            inputs = {k: v for k, v in parse_inputs(round_.scoring_model, request.POST).items()
                      if v is not None}  # fmt: skip
            rounds.round_finalise(actor=user, round_id=round_id, inputs=inputs or None,
                                  reason=request.POST.get("reason", ""),
                                  expected_version=version)  # fmt: skip
        else:
            rounds.round_cancel(actor=user, round_id=round_id, expected_version=version)
    except (InvalidInput, VersionConflict) as exc:
        messages.error(request, exc.message)
    return redirect("roadmap:round", round_id)
