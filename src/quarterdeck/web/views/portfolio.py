"""The portfolio tree and the pages of product lines, products and features."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.models import PortfolioItem, Stage
from quarterdeck.portfolio.selectors import portfolio_tree, stage_history
from quarterdeck.web.forms.portfolio import ItemForm, PortfolioFilter
from quarterdeck.web.htmx import template_for, vary_on_htmx
from quarterdeck.web.kinds import KINDS, Kind, item_url
from quarterdeck.web.readers import ancestors_of, item_history, item_page
from quarterdeck.web.views.common import int_param, user_of

FORM_TEMPLATE = "web/portfolio/form.html"


@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = PortfolioFilter(request.GET or None, user=user)
    filters: dict[str, Any] = {}
    status = 200
    if form.is_bound and form.is_valid():
        filters = {
            "line_id": form.cleaned_data["line"],
            "owner_id": form.cleaned_data["owner"],
            "stage": form.cleaned_data["stage"] or None,
        }
    elif form.is_bound:
        status = 400
    context = {
        "form": form,
        "roots": portfolio_tree(user, **filters),
        "filtered": any(v is not None for v in filters.values()),
        "stages": Stage.choices,
        "may_add_line": rules.changes_everything(user),
    }
    template = template_for(request, "web/portfolio/tree.html", "tree")
    return vary_on_htmx(render(request, template, context, status=status))


@require_GET
def detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    page = item_page(user_of(request), KINDS[kind], pk)
    context = {
        "page": page,
        "kind": page.kind,
        "item": page.item,
        "may_change": page.may_change,
        "stage_changes": page.stage_changes,
        "history": page.history,
    }
    return render(request, "web/portfolio/item.html", context)


@require_GET
def history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The History section alone, refreshed by htmx after an inline edit."""
    user, item_kind = user_of(request), KINDS[kind]
    item = item_kind.access(user, pk)
    context = {
        "stage_changes": stage_history(item_kind.item_type, item.pk),
        "history": item_history(user, item_kind, item),
    }
    return render(request, "web/portfolio/item.html#history", context)


def _form(
    kind: Kind, request: HttpRequest, *, initial: dict[str, Any], product_id: int | None = None
) -> ItemForm:
    extra = {"product_id": product_id} if kind.key == "feature" else {}
    data = request.POST if request.method == "POST" else None
    return kind.form(data, user=user_of(request), initial=initial, **extra)


def _render_form(
    request: HttpRequest,
    form: ItemForm,
    kind: Kind,
    item: PortfolioItem | None,
    *,
    status: int = 200,
    conflicts: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "kind": kind,
        "item": item,
        "conflicts": conflicts or [],
        "ancestors": ancestors_of(item) if item else [],
    }
    return render(request, FORM_TEMPLATE, context, status=status)


CREATE_PARAMS = {
    "line": {"parent": "parent_id"},
    "product": {"line": "line_id"},
    "feature": {"product": "product_id", "parent": "parent_id"},
}


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, kind: str) -> HttpResponse:
    user, item_kind = user_of(request), KINDS[kind]
    if not rules.may_write_portfolio(user):
        raise NotAllowed("Your role reads the portfolio but does not change it.")
    initial: dict[str, Any] = {"stage": Stage.IDEA}
    for param, name in CREATE_PARAMS[kind].items():
        initial[name] = int_param(request, param)
    form = _form(item_kind, request, initial=initial, product_id=initial.get("product_id"))
    if request.method == "GET" or not form.is_valid():
        return _render_form(
            request, form, item_kind, None, status=200 if request.method == "GET" else 400
        )
    try:
        item = item_kind.create(
            actor=user, data=form.service_data(), stage_reason=form.cleaned_data["stage_reason"]
        )
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render_form(request, form, item_kind, None, status=400)
    messages.success(request, f"{item_kind.label} “{item.name}” created.")
    return redirect(item_kind.url("detail", item.pk))


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user, item_kind = user_of(request), KINDS[kind]
    item = item_kind.access(user, pk, for_write=True)
    form = _form(
        item_kind,
        request,
        initial=item_kind.form.initial_from(item),
        product_id=getattr(item, "product_id", None),
    )
    form.fields["version"].required = True
    if request.method == "GET":
        return _render_form(request, form, item_kind, item)
    if not form.is_valid():
        return _render_form(request, form, item_kind, item, status=400)
    try:
        item_kind.update(
            actor=user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
            stage_reason=form.cleaned_data["stage_reason"],
            **{item_kind.id_arg: pk},
        )
    except VersionConflict:
        return _conflict(request, form, item_kind, pk)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render_form(request, form, item_kind, item, status=400)
    messages.success(request, f"Saved “{form.cleaned_data['name']}”.")
    return redirect(item_kind.url("detail", pk))


def _conflict(request: HttpRequest, mine: ItemForm, kind: Kind, pk: int) -> HttpResponse:
    """Keep what the user typed, show what changed underneath, and move the form onto the new
    version: saving again applies their values on top, knowingly."""
    current = kind.access(user_of(request), pk, for_write=True)
    conflicts = mine.conflicts(current)
    data = request.POST.copy()
    data["version"], data["stage_was"] = str(current.version), current.stage
    form = kind.form(
        data,
        user=user_of(request),
        **({"product_id": current.product_id} if kind.key == "feature" else {}),
    )
    return _render_form(request, form, kind, current, status=409, conflicts=conflicts)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user, item_kind = user_of(request), KINDS[kind]
    item = item_kind.access(user, pk, for_write=True)
    context: dict[str, Any] = {"kind": item_kind, "item": item, "ancestors": ancestors_of(item)}
    if request.method == "GET":
        return render(request, "web/portfolio/delete.html", context)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise InvalidInput(
                "This form has lost its version number; reload the page and try again."
            )
        item_kind.delete(actor=user, expected_version=int(version), **{item_kind.id_arg: pk})
    except (InvalidInput, VersionConflict) as exc:
        context["error"] = exc.message
        status = 409 if isinstance(exc, VersionConflict) else 400
        return render(request, "web/portfolio/delete.html", context, status=status)
    messages.success(request, f"{item_kind.label} “{item.name}” deleted.")
    parents = context["ancestors"]
    return redirect(item_url(parents[-1]) if parents else "portfolio")
