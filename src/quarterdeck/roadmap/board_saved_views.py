"""Pages of saved roadmap views: the list, saving the current filters, a view (its board or
timeline), its settings, and its signed share links (create — the URL is shown once — and
revoke)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.roadmap import board as services
from quarterdeck.roadmap import board_pages, board_selectors
from quarterdeck.roadmap.board_forms import LinkForm, SaveViewForm
from quarterdeck.roadmap.board_validation import clean_filters
from quarterdeck.roadmap.models import RoadmapView
from quarterdeck.web.views.common import user_of


@require_GET
def views(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rows = [
        (view, board_selectors.may_change_view(user, view))
        for view in board_selectors.list_roadmap_views(user)
    ]
    return render(request, "roadmap/board/views.html", {"rows": rows, "query": ""})


@require_POST
def view_create(request: HttpRequest) -> HttpResponse:
    """Save the filters the board or timeline shows (``q``) under a name."""
    user = user_of(request)
    form = SaveViewForm(request.POST)
    query = QueryDict(request.POST.get("q", ""))
    if form.is_valid():
        filters = clean_filters({key: query.get(key) for key in query}).to_json()
        try:
            view = services.view_create(
                actor=user, data={**form.service_data(), "filters": filters}
            )
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Saved the view “{view.name}”.")
            return redirect("roadmap:view_detail", view.pk)
    return render(request, "roadmap/board/view_form.html", {"form": form, "view": None}, status=400)


def _view_filters(view: RoadmapView) -> Any:
    return clean_filters(view.filters or {})


@require_GET
def view_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    view = board_selectors.access_roadmap_view(user, pk)
    filters = _view_filters(view)
    timeline = view.layout == "timeline"
    items = board_selectors.roadmap_items(user, filters=filters, include_unplaced=not timeline)
    build = board_pages.timeline_context if timeline else board_pages.board_context
    context = build(items, filters) | {
        "view": view,
        "may_change": board_selectors.may_change_view(user, view),
        "may_place": rules.may_write_portfolio(user),
        "editable": rules.may_write_portfolio(user),
        "next": request.get_full_path(),
    }
    return render(request, "roadmap/board/view.html", context)


@require_http_methods(["GET", "POST"])
def view_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    view = board_selectors.access_roadmap_view(user, pk, for_write=True)
    initial = {k: getattr(view, k) for k in ("name", "description", "layout", "shared", "version")}
    form = SaveViewForm(request.POST or None, initial=initial)
    context: dict[str, Any] = {"form": form, "view": view}
    if request.method == "POST" and form.is_valid():
        try:
            services.view_update(
                actor=user, view_id=pk, data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )  # fmt: skip
        except VersionConflict:
            view.refresh_from_db()
            context["conflicts"] = _conflicts(view, form.service_data())
            context["current_url"] = reverse("roadmap:view_detail", args=[pk])
            data = request.POST.copy()
            data["version"] = str(view.version)
            context["form"] = SaveViewForm(data)
            return render(request, "roadmap/board/view_form.html", context, status=412)
        except InvalidInput as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "View saved.")
            return redirect("roadmap:view_detail", pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "roadmap/board/view_form.html", context, status=status)


def _conflicts(view: RoadmapView, yours: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [
        (name.capitalize(), str(getattr(view, name)), str(value))
        for name, value in yours.items()
        if getattr(view, name) != value
    ]


@require_POST
def view_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    raw = request.POST.get("version", "")
    version = int(raw) if raw.isdigit() else None
    try:
        services.view_delete(actor=user, view_id=pk, expected_version=version)
    except VersionConflict as error:
        messages.error(request, error.message)
        return redirect("roadmap:view_detail", pk)
    messages.success(request, "View deleted; its share links no longer work.")
    return redirect("roadmap:views")


@require_GET
def view_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    user = user_of(request)
    view = board_selectors.access_roadmap_view(user, pk)
    filters = _view_filters(view)
    items = board_selectors.roadmap_items(user, filters=filters, include_unplaced=False)
    return board_pages.export_response(
        items, fmt, layout=view.layout, filters=filters, title=view.name
    )


@require_http_methods(["GET", "POST"])
def links(request: HttpRequest, pk: int) -> HttpResponse:
    """The view's share links; a new one's URL is shown once (only its hash is stored)."""
    user = user_of(request)
    view = board_selectors.access_roadmap_view(user, pk, for_write=True)
    form = LinkForm(request.POST or None)
    context: dict[str, Any] = {"view": view, "form": form}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                _, token = services.link_create(
                    actor=user, view_id=pk, label=form.cleaned_data["label"],
                    expires_days=form.cleaned_data["expires_days"],
                )  # fmt: skip
            except InvalidInput as error:
                form.add_service_errors(error)
            else:
                url = request.build_absolute_uri(reverse("share:view", args=[token]))
                context |= {"new_url": url, "form": LinkForm()}
                status = 201
    context["links"] = board_selectors.list_share_links(user, pk)
    context["now"] = timezone.now()
    return render(request, "roadmap/board/links.html", context, status=status)


@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    link = services.link_revoke(actor=user, link_id=pk)
    messages.success(request, "Link revoked: it no longer opens the view.")
    return redirect("roadmap:links", link.view_id)
