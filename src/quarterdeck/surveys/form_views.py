"""Pages that change surveys: create, edit (version-checked) and delete a survey."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.surveys import selectors, services
from quarterdeck.surveys.forms import SurveyForm
from quarterdeck.surveys.models import Survey
from quarterdeck.web.views.common import user_of

FORM_TEMPLATE = "surveys/form.html"


def may_create_surveys(request: HttpRequest) -> bool:
    """Who sees the form: leaders and admins, and those who may change some product (the
    service then checks the product they pick)."""
    return rules.may_write_portfolio(user_of(request))


def _render(
    request: HttpRequest,
    form: SurveyForm,
    survey: Survey | None = None,
    *,
    status: int = 200,
    conflicts: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    context = {"form": form, "survey": survey, "conflicts": conflicts or []}
    return render(request, FORM_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not may_create_surveys(request):
        raise NotAllowed("Your role reads surveys but does not create them.")
    form = SurveyForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "GET":
        return _render(request, form)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        survey = services.survey_create(actor=user, data=form.service_data())
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render(request, form, status=400)
    except NotAllowed as exc:  # a product this user may not change: say so on the field
        form.add_error("product_id", exc.message)
        return _render(request, form, status=403)
    messages.success(request, f"Survey “{survey.name}” created.")
    return redirect("surveys:detail", pk=survey.pk)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    survey = selectors.access_survey(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = SurveyForm(data, user=user, survey=survey, initial=SurveyForm.initial_from(survey))
    if request.method == "GET":
        return _render(request, form, survey)
    if not form.is_valid():
        return _render(request, form, survey, status=400)
    try:
        services.survey_update(
            actor=user,
            survey_id=pk,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        return _conflict(request, form, pk)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render(request, form, survey, status=400)
    except NotAllowed as exc:  # moving it to a product this user may not change
        form.add_error("product_id", exc.message)
        return _render(request, form, survey, status=403)
    messages.success(request, f"Saved “{form.cleaned_data['name']}”.")
    return redirect("surveys:detail", pk=pk)


def _conflict(request: HttpRequest, mine: SurveyForm, pk: int) -> HttpResponse:
    """Keep what the user typed, show what changed underneath, and move the form onto the new
    version: saving again applies their values on top, knowingly."""
    user = user_of(request)
    current = selectors.access_survey(user, pk, for_write=True)
    conflicts = mine.conflicts(current)
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = SurveyForm(data, user=user, survey=current)
    return _render(request, form, current, status=409, conflicts=conflicts)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    survey = selectors.access_survey(user, pk, for_write=True)
    context: dict[str, Any] = {"survey": survey, "answers": survey.responses.count()}
    if request.method == "GET":
        return render(request, "surveys/delete.html", context)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit() or len(version) > 18:
            raise InvalidInput("This form has lost its version number; reload the page.")
        services.survey_delete(actor=user, survey_id=pk, expected_version=int(version))
    except (InvalidInput, NotAllowed, VersionConflict) as exc:
        context["error"] = exc.message
        return render(request, "surveys/delete.html", context, status=_status_of(exc))
    messages.success(request, f"Survey “{survey.name}” and its answers deleted.")
    return redirect("surveys:index")


def _status_of(exc: InvalidInput | NotAllowed | VersionConflict) -> int:
    if isinstance(exc, VersionConflict):
        return 409
    return 403 if isinstance(exc, NotAllowed) else 400
