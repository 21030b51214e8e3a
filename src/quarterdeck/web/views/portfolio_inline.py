"""Inline edits of one field (stage, owner) on an item page, answered with htmx fragments."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.portfolio.models import PortfolioItem
from quarterdeck.portfolio.selectors import may_change_item
from quarterdeck.web.forms.common import PageForm
from quarterdeck.web.forms.portfolio import OwnerInlineForm, StageInlineForm
from quarterdeck.web.kinds import KINDS, Kind
from quarterdeck.web.views.common import user_of

PAGE = "web/portfolio/item.html"
FORMS: dict[str, type[StageInlineForm] | type[OwnerInlineForm]] = {
    "stage": StageInlineForm,
    "owner": OwnerInlineForm,
}


def _show(
    request: HttpRequest, kind: Kind, item: PortfolioItem, field: str, **extra: Any
) -> HttpResponse:
    context = {
        "kind": kind,
        "item": item,
        "may_change": may_change_item(user_of(request), item),
        **extra,
    }
    return render(request, f"{PAGE}#{field}-field", context)


def _edit(
    request: HttpRequest,
    kind: Kind,
    item: PortfolioItem,
    field: str,
    form: PageForm,
    *,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    context = {"kind": kind, "item": item, "form": form, "notice": notice}
    return render(request, f"{PAGE}#{field}-edit", context, status=status)


@require_http_methods(["GET", "POST"])
def inline(request: HttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """GET: the field's editor (or, with ?show, its display again); POST: save and show."""
    if field not in FORMS:
        raise Http404(f"No inline editor for {field!r}.")
    user, item_kind = user_of(request), KINDS[kind]
    if request.method == "GET" and "show" in request.GET:
        return _show(request, item_kind, item_kind.access(user, pk), field)
    item = item_kind.access(user, pk, for_write=True)
    form_class = FORMS[field]
    if request.method == "GET":
        return _edit(
            request,
            item_kind,
            item,
            field,
            form_class(initial=form_class.initial_from(item), user=user),
        )
    form = form_class(request.POST, user=user)
    if not form.is_valid():
        return _edit(request, item_kind, item, field, form, status=400)
    try:
        item = item_kind.update(
            actor=user,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
            stage_reason=form.cleaned_data.get("stage_reason", ""),
            **{item_kind.id_arg: pk},
        )
    except VersionConflict:
        return _conflict(request, item_kind, pk, field, form_class)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _edit(request, item_kind, item, field, form, status=400)
    response = _show(request, item_kind, item, field)
    response["HX-Trigger"] = "item-changed"
    return response


def _conflict(
    request: HttpRequest,
    kind: Kind,
    pk: int,
    field: str,
    form_class: type[StageInlineForm] | type[OwnerInlineForm],
) -> HttpResponse:
    """Someone saved first: show the editor again on the new version, with their value."""
    current = kind.access(user_of(request), pk, for_write=True)
    form = form_class(initial=form_class.initial_from(current), user=user_of(request))
    notice = (
        "Someone else changed this while you were editing; it now shows their value. "
        "Pick again to apply yours."
    )
    return _edit(request, kind, current, field, form, status=409, notice=notice)
