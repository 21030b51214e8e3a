"""Pages of the inbox: the filtered list with keyboard triage, quick add, an item with its
suggestions, links and duplicates, and its edit form (triage actions: triage_views.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.feedback import pages, selectors, services
from quarterdeck.feedback.forms import InboxFilter, ItemForm, PassageLinkForm
from quarterdeck.feedback.models import FeedbackItem, Source
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.selectors import list_features
from quarterdeck.web.htmx import template_for, vary_on_htmx
from quarterdeck.web.views.common import user_of


def _themes() -> Any:
    return pages.theme_choices()


def tab_query(params: QueryDict) -> str:
    """The filters the status tabs keep (all but the status and the page)."""
    kept = params.copy()
    for name in ("status", "page"):
        kept.pop(name, None)
    return kept.urlencode()


def status_tabs_context(request: HttpRequest, params: QueryDict) -> dict[str, Any]:
    """The status tabs under the filters in ``params`` (the inbox's own URL)."""
    user = user_of(request)
    values = InboxFilter(params, user=user, themes=_themes()).values()
    return {"tabs": pages.status_tabs(user, values), "tab_query": tab_query(params)}


def inbox_context(request: HttpRequest, add_form: ItemForm | None = None) -> dict[str, Any]:
    user = user_of(request)
    form = InboxFilter(request.GET, user=user, themes=_themes())
    values = form.values()
    page, rows = pages.inbox_page(user, values, request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "tab_query": tab_query(request.GET),
        "form": form,
        "values": values,
        "tabs": pages.status_tabs(user, values),
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_add": selectors.may_add_feedback(user),
        "may_triage": selectors.may_triage(user),
        "add_form": add_form or ItemForm(user=user),
    }


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    context = inbox_context(request)
    template = template_for(request, "feedback/inbox.html", "results")
    return vary_on_htmx(render(request, template, context))


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Quick add: the item is created and processed at once, so its suggestions show."""
    user = user_of(request)
    if not selectors.may_add_feedback(user):
        raise NotAllowed("Your role reads feedback but does not add it.")
    form = ItemForm(request.POST, user=user)
    if form.is_valid():
        try:
            data = {**form.service_data(), "source": Source.FORM}
            item = services.feedback_create(actor=user, data=data)
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Feedback added; here is what the model suggests.")
            return redirect("feedback:item", item.pk)
    return render(request, "feedback/inbox.html", inbox_context(request, form), status=400)


def _features(user: Any, item: FeedbackItem) -> list[tuple[int, str]]:
    """The features a passage may be linked to: the item's product's first, then the rest."""
    features = list(list_features(user).select_related("product"))
    features.sort(key=lambda f: (f.product_id != item.product_id, f.product.name, f.name))
    return [(f.pk, f"{f.product.name} · {f.name}") for f in features]


def item_context(
    request: HttpRequest, item: FeedbackItem, link_form: PassageLinkForm | None = None
) -> dict[str, Any]:
    user = user_of(request)
    may_triage = selectors.may_triage(user)
    if link_form is None and may_triage:
        link_form = PassageLinkForm(features=_features(user, item))
    return {
        "page": pages.item_page(user, item),
        "item": item,
        "may_triage": may_triage,
        "link_form": link_form,
    }


@require_GET
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_feedback(user_of(request), pk)
    return render(request, "feedback/item.html", item_context(request, found))


@require_POST
def link_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Link the item, or the passage selected in its text, to a feature."""
    user = user_of(request)
    found = selectors.access_feedback(user, pk, for_write=True)
    form = PassageLinkForm(request.POST, features=_features(user, found))
    if form.is_valid():
        from quarterdeck.feedback.links import link_create as create
        from quarterdeck.portfolio.selectors import access_feature

        data = form.cleaned_data
        try:
            create(
                actor=user,
                item=found,
                feature=access_feature(user, data["feature_id"]),
                importance=data["importance"],
                passage_start=data["passage_start"],
                passage_end=data["passage_end"],
            )
        except InvalidInput as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "Linked.")
            return redirect("feedback:item", pk)
    context = item_context(request, found, form)
    return render(request, "feedback/item.html", context, status=400)


# Edit -----------------------------------------------------------------------------------------


def _render_edit(
    request: HttpRequest,
    form: ItemForm,
    item: FeedbackItem,
    *,
    status: int = 200,
    conflicts: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    context = {"form": form, "item": item, "conflicts": conflicts or []}
    return render(request, "feedback/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_feedback(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = ItemForm(data, user=user, initial=ItemForm.initial_from(found))
    form.fields["version"].required = True
    if request.method == "GET":
        return _render_edit(request, form, found)
    if not form.is_valid():
        return _render_edit(request, form, found, status=400)
    try:
        services.feedback_update(
            actor=user,
            item=found,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        return _conflict(request, form, pk)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _render_edit(request, form, found, status=400)
    messages.success(request, "Saved.")
    return redirect("feedback:item", pk)


def _conflict(request: HttpRequest, mine: ItemForm, pk: int) -> HttpResponse:
    """Keep what the user typed, show what changed underneath, move the form onto the new
    version: saving again applies their values on top, knowingly."""
    user = user_of(request)
    current = selectors.access_feedback(user, pk, for_write=True)
    conflicts = mine.conflicts(ItemForm.initial_from(current))
    data = request.POST.copy()
    data["version"] = str(current.version)
    form = ItemForm(data, user=user)
    form.is_valid()
    return _render_edit(request, form, current, status=409, conflicts=conflicts)
