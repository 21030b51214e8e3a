"""Pages of key results: the form (create, edit), delete, and a check-in of a value."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.strategy import selectors, services
from quarterdeck.strategy.kr_forms import KeyResultForm, KrCheckInForm
from quarterdeck.strategy.models import KeyResult, Outcome, Source
from quarterdeck.strategy.views import detail_context
from quarterdeck.web.views.common import user_of

FORM_TEMPLATE = "strategy/key_result_form.html"


def _render_form(
    request: HttpRequest,
    form: KeyResultForm,
    outcome: Outcome,
    kr: KeyResult | None,
    *,
    status: int = 200,
    conflicts: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    context = {"form": form, "outcome": outcome, "kr": kr, "conflicts": conflicts or []}
    return render(request, FORM_TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def key_result_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    outcome = selectors.access_outcome(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    initial = {"source": Source.ANALYTICS, "weight": 1.0, "analytics_days": 30}
    if outcome.product_id:
        initial["analytics_product"] = initial["revenue_product"] = outcome.product_id
    form = KeyResultForm(data, user=user, initial=initial)
    if request.method == "GET":
        return _render_form(request, form, outcome, None)
    if not form.is_valid():
        return _render_form(request, form, outcome, None, status=400)
    try:
        kr = services.key_result_create(actor=user, outcome_id=pk, data=form.service_data())
    except InvalidInput as exc:
        form.add_metric_errors(exc)
        return _render_form(request, form, outcome, None, status=400)
    messages.success(request, f"Key result “{kr.title}” added.")
    return redirect("strategy:outcome", pk)


@require_http_methods(["GET", "POST"])
def key_result_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    kr = selectors.access_key_result(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = KeyResultForm(data, user=user, initial=KeyResultForm.initial_from(kr))
    form.fields["version"].required = True
    if request.method == "GET":
        return _render_form(request, form, kr.outcome, kr)
    if not form.is_valid():
        return _render_form(request, form, kr.outcome, kr, status=400)
    try:
        services.key_result_update(
            actor=user,
            kr_id=pk,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        return _conflict(request, form, pk)
    except InvalidInput as exc:
        form.add_metric_errors(exc)
        return _render_form(request, form, kr.outcome, kr, status=400)
    messages.success(request, f"Saved “{form.cleaned_data['title']}”.")
    return redirect("strategy:outcome", kr.outcome_id)


def _conflict(request: HttpRequest, mine: KeyResultForm, pk: int) -> HttpResponse:
    """As the outcome form does: keep what was typed, show what changed, move to the new version."""
    user = user_of(request)
    current = selectors.access_key_result(user, pk, for_write=True)
    conflicts = mine.conflicts(KeyResultForm.initial_from(current))
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = KeyResultForm(data, user=user)
    return _render_form(request, form, current.outcome, current, status=409, conflicts=conflicts)


@require_http_methods(["GET", "POST"])
def key_result_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    kr = selectors.access_key_result(user, pk, for_write=True)
    context: dict[str, Any] = {"kr": kr, "outcome": kr.outcome}
    if request.method == "GET":
        return render(request, "strategy/key_result_delete.html", context)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise InvalidInput(
                "This form has lost its version number; reload the page and try again."
            )
        services.key_result_delete(actor=user, kr_id=pk, expected_version=int(version))
    except (InvalidInput, VersionConflict) as exc:
        context["error"] = exc.message
        status = 409 if isinstance(exc, VersionConflict) else 400
        return render(request, "strategy/key_result_delete.html", context, status=status)
    messages.success(request, f"Key result “{kr.title}” deleted.")
    return redirect("strategy:outcome", kr.outcome_id)


@require_POST
def key_result_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    kr = selectors.access_key_result(user, pk, for_write=True)
    form = KrCheckInForm(request.POST, prefix=f"kr{pk}")
    if form.is_valid():
        try:
            services.key_result_check_in(actor=user, kr_id=pk, data=form.service_data())
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"Value recorded for “{kr.title}”.")
            return redirect(reverse("strategy:outcome", args=[kr.outcome_id]) + f"#kr-{pk}")
    context = detail_context(request, kr.outcome, kr_forms={pk: form})
    return render(request, "strategy/outcome.html", context, status=400)
