"""Pages of outcomes: the tree by period, an outcome with its key results and check-ins, the
outcome form, and the alignment of outcomes to the strategic pillars."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.strategy import pages, selectors, services
from quarterdeck.strategy.forms import CheckInForm, OutcomeForm, OutcomesFilter
from quarterdeck.strategy.kr_forms import KrCheckInForm
from quarterdeck.strategy.models import Level, Outcome, Source
from quarterdeck.web.htmx import template_for, vary_on_htmx
from quarterdeck.web.views.common import int_param, user_of

FORM_TEMPLATE = "strategy/outcome_form.html"


def _period(form: OutcomesFilter) -> str | None:
    """The chosen period (None: all); the current quarter when none (or nonsense) is chosen.
    A filter that is not understood is ignored, the others still apply."""
    form.is_valid()
    chosen = form.cleaned_data.get("period")
    if chosen == "all":
        return None
    return chosen or selectors.period_of(pages.today())


@require_GET
def outcomes(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = OutcomesFilter(request.GET, user=user, today=pages.today())
    period = _period(form)
    cleaned = form.cleaned_data
    filters = pages.Filters(
        level=cleaned.get("level") or None,
        status=cleaned.get("status") or None,
        line_id=cleaned.get("line"),
    )
    rows = pages.tree_rows(selectors.outcome_tree(user, period=period), filters)
    context = {
        "form": form,
        "period": period,
        "rows": rows,
        "filters": filters,
        "may_create": _may_create_any(request),
    }
    status = 400 if form.data and not form.is_valid() else 200
    template = template_for(request, "strategy/outcomes.html", "tree")
    return vary_on_htmx(render(request, template, context, status=status))


def _may_create_any(request: HttpRequest) -> bool:
    """Whether to offer "New outcome": a role that changes some portfolio item (the service
    decides for the outcome itself)."""
    return rules.may_write_portfolio(user_of(request))


@require_GET
def outcome(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = selectors.access_outcome(user, pk)
    return render(request, "strategy/outcome.html", detail_context(request, item))


def detail_context(
    request: HttpRequest,
    item: Outcome,
    *,
    check_in_form: CheckInForm | None = None,
    kr_forms: dict[int, KrCheckInForm] | None = None,
) -> dict[str, Any]:
    """The outcome page; after a refused check-in, with the posted form and its errors."""
    on = pages.today()
    page = pages.outcome_page(user_of(request), item, on=on)
    for card in page.cards:
        if page.may_change and card.kr.source == Source.MANUAL:
            card.check_in_form = (kr_forms or {}).get(card.kr.pk) or KrCheckInForm(
                initial={"day": on}, prefix=f"kr{card.kr.pk}"
            )
    return {
        "outcome": item,
        "may_change": page.may_change,
        "cards": page.cards,
        "children": page.children,
        "check_ins": page.check_ins,
        "check_in_form": check_in_form or CheckInForm(),
    }


@require_POST
def check_in(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = selectors.access_outcome(user, pk, for_write=True)
    form = CheckInForm(request.POST)
    if form.is_valid():
        try:
            services.check_in_create(actor=user, outcome_id=pk, data=form.service_data())
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Check-in added.")
            return redirect("strategy:outcome", pk)
    context = detail_context(request, item, check_in_form=form)
    return render(request, "strategy/outcome.html", context, status=400)


# The outcome form -----------------------------------------------------------------------------


def _render_form(
    request: HttpRequest,
    form: OutcomeForm,
    item: Outcome | None,
    *,
    status: int = 200,
    conflicts: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    context = {"form": form, "outcome": item, "conflicts": conflicts or []}
    return render(request, FORM_TEMPLATE, context, status=status)


def _create_initial(request: HttpRequest) -> dict[str, Any]:
    """A product or line page links here with ?product= or ?line=; a parent with ?parent=."""
    initial: dict[str, Any] = {"period": selectors.period_of(pages.today()), "weight": 1.0}
    initial["level"] = Level.COMPANY
    for param, name, level in (
        ("line", "line_id", Level.LINE),
        ("product", "product_id", Level.PRODUCT),
    ):
        if (value := int_param(request, param)) is not None:
            initial[name], initial["level"] = value, level
    initial["parent_id"] = int_param(request, "parent")
    return initial


@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not _may_create_any(request):
        raise NotAllowed("Your role reads the outcomes but does not change them.")
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, user=user, today=pages.today(), initial=_create_initial(request))
    if request.method == "GET":
        return _render_form(request, form, None)
    if not form.is_valid():
        return _render_form(request, form, None, status=400)
    try:
        item = services.outcome_create(actor=user, data=form.service_data())
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render_form(request, form, None, status=400)
    messages.success(request, f"Outcome “{item.title}” created.")
    return redirect("strategy:outcome", item.pk)


@require_http_methods(["GET", "POST"])
def outcome_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = selectors.access_outcome(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    initial = OutcomeForm.initial_from(item)
    form = OutcomeForm(data, user=user, today=pages.today(), outcome=item, initial=initial)
    form.fields["version"].required = True
    if request.method == "GET":
        return _render_form(request, form, item)
    if not form.is_valid():
        return _render_form(request, form, item, status=400)
    try:
        services.outcome_update(
            actor=user,
            outcome_id=pk,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        return _conflict(request, form, pk)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render_form(request, form, item, status=400)
    messages.success(request, f"Saved “{form.cleaned_data['title']}”.")
    return redirect("strategy:outcome", pk)


def _conflict(request: HttpRequest, mine: OutcomeForm, pk: int) -> HttpResponse:
    """Keep what the user typed, show what changed underneath, and move the form onto the new
    version: saving again applies their values on top, knowingly."""
    user = user_of(request)
    current = selectors.access_outcome(user, pk, for_write=True)
    conflicts = mine.conflicts(OutcomeForm.initial_from(current))
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = OutcomeForm(data, user=user, today=pages.today(), outcome=current)
    return _render_form(request, form, current, status=409, conflicts=conflicts)


@require_http_methods(["GET", "POST"])
def outcome_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    item = selectors.access_outcome(user, pk, for_write=True)
    context: dict[str, Any] = {"outcome": item}
    if request.method == "GET":
        return render(request, "strategy/outcome_delete.html", context)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise InvalidInput(
                "This form has lost its version number; reload the page and try again."
            )
        services.outcome_delete(actor=user, outcome_id=pk, expected_version=int(version))
    except (InvalidInput, VersionConflict) as exc:
        context["error"] = exc.message
        status = 409 if isinstance(exc, VersionConflict) else 400
        return render(request, "strategy/outcome_delete.html", context, status=status)
    messages.success(request, f"Outcome “{item.title}” deleted.")
    return redirect("strategy:outcomes")


# Alignment ------------------------------------------------------------------------------------


@require_GET
def alignment(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = OutcomesFilter(request.GET, user=user, today=pages.today())
    period = _period(form)
    rows = [pages.alignment_row(row) for row in selectors.alignment(user, period=period)]
    return render(
        request, "strategy/alignment.html", {"form": form, "period": period, "rows": rows}
    )
