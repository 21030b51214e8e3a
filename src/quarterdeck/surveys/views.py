"""Pages of the surveys module: the list, a survey's results and verbatims, the import form
(creating, editing and deleting a survey: form_views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.surveys import charts, selectors
from quarterdeck.surveys.form_views import may_create_surveys
from quarterdeck.surveys.forms import SurveyImportForm
from quarterdeck.surveys.importing import ImportRejected, survey_import
from quarterdeck.surveys.metrics import Summary, distribution, score_group
from quarterdeck.web.views.common import user_of

LATEST = 50
LABELS = {
    "nps": ("NPS", "Promoters", "Passives", "Detractors"),
    "csat": ("CSAT (top-2 share)", "Top-2", "Neutral", "Bottom"),
    "ces": ("CES (mean)", "Easy", "Neutral", "Difficult"),
}


def headline(kind: str, value: float | None) -> str:
    """The headline as people read it: NPS +12, CSAT 84 %, CES 5.6."""
    if value is None:
        return "—"
    if kind == "nps":
        return f"{value:+.0f}"
    return f"{100 * value:.0f} %" if kind == "csat" else f"{value:.1f}"


def _row(kind: str, key: str, summary: Summary) -> dict[str, Any]:
    share = summary.share_positive
    return {
        "key": key,
        "count": summary.count,
        "headline": headline(kind, summary.value),
        "mean": "—" if summary.mean is None else f"{summary.mean:.2f}",
        "share": "—" if share is None else f"{100 * share:.0f} %",
        "positive": summary.positive,
        "neutral": summary.neutral,
        "negative": summary.negative,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    surveys = selectors.list_surveys(user_of(request))
    rows = [(s, _row(s.kind, s.name, selectors.survey_summary(s))) for s in surveys]
    context = {"rows": rows, "may_create": may_create_surveys(request)}
    return render(request, "surveys/index.html", context)


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by", "stage")
    return by if by in ("product", "segment", "stage") else "stage"


def _verbatims(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    user = user_of(request)
    if not selectors.may_read_verbatims(user):
        return {"verbatims": None}
    group = request.GET.get("group") or None
    group = group if group in selectors.GROUPS else None
    answers = selectors.list_responses(user, survey_id, group=group)
    return {"verbatims": [a for a in answers if a.comment][:LATEST], "group": group}


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    by = _by(request)
    survey, overall, months = selectors.survey_results(user, pk, "period", grain="month")
    breakdown = selectors.survey_breakdown(survey, by)  # type: ignore[arg-type]  # _by checked it
    scale = selectors.scale_of(survey)
    counts = distribution(scale, selectors.scores_of(survey))
    groups = sorted({score_group(survey.kind, scale, s) for s, _ in counts}, key=_group_order)
    context = {
        "survey": survey,
        "overall": _row(survey.kind, "All answers", overall),
        "months": [_row(survey.kind, r.key, r.summary) for r in months],
        "breakdown": [_row(survey.kind, r.key, r.summary) for r in breakdown],
        "by": by,
        "groups": groups,
        "counts": counts,
        "over_time": charts.score_over_time(survey.kind, months) if months else None,
        "spread": charts.distribution(survey.kind, scale, counts) if overall.count else None,
        "labels": LABELS[survey.kind],
        "may_manage": selectors.may_manage_survey(user, survey.product),
        **_verbatims(request, pk),
    }
    return render(request, "surveys/detail.html", context)


def _group_order(group: str) -> int:
    return ("detractor", "negative", "passive", "neutral", "promoter", "positive").index(group)


@require_http_methods(["GET", "POST"])
def import_form(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    survey = selectors.access_survey(user, pk, for_write=True)
    form = SurveyImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"survey": survey, "form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = survey_import(
                actor=user,
                survey_id=pk,
                content=upload.read(),
                file=upload.name or "upload.csv",
                mapping=form.cleaned_data["mapping"],
                date_format=form.cleaned_data["date_format"],
                skip_invalid=form.cleaned_data["skip_invalid"],
            )
        except ImportRejected as exc:
            context |= {"rejected": exc.report, "message": exc.message}
            return render(request, "surveys/import.html", context, status=400)
        except InvalidInput as exc:
            context["message"] = exc.message
            return render(request, "surveys/import.html", context, status=400)
        messages.success(request, _imported(report.created, report.updated, report.skipped_rows))
        return redirect("surveys:detail", pk=pk)
    return render(request, "surveys/import.html", context, status=400 if form.errors else 200)


def _imported(created: int, updated: int, skipped: int) -> str:
    text = f"Imported {created} new answers ({updated} updated)."
    return text + (f" {skipped} invalid rows were skipped." if skipped else "")
