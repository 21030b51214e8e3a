"""Roadmap pages: the now / next / later board (drag and drop in board.js, keyboard buttons
that work without it), moves and dates of a card, the timeline and the exports. Saved views and
their links: board_saved_views.py; the public share page: share_views.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from quarterdeck.accounts import rules
from quarterdeck.lib.errors import DomainError, InvalidInput, VersionConflict
from quarterdeck.roadmap import board as services
from quarterdeck.roadmap import board_pages, board_selectors
from quarterdeck.roadmap.board_forms import DatesForm, FilterForm, SaveViewForm
from quarterdeck.roadmap.board_validation import BoardFilters, clean_filters
from quarterdeck.web.htmx import is_htmx, vary_on_htmx
from quarterdeck.web.middleware import error_page
from quarterdeck.web.views.common import user_of


def _filters(params: QueryDict) -> BoardFilters:
    return clean_filters({key: params.get(key) for key in params})


def _board_context(request: HttpRequest, params: QueryDict) -> dict[str, Any]:
    user = user_of(request)
    filters = _filters(params)
    items = board_selectors.roadmap_items(user, filters=filters)
    query = filters.query()
    return {
        "next": reverse("roadmap:board") + (f"?{query}" if query else ""),
        **board_pages.board_context(items, filters),
        "form": FilterForm(params, user=user),
        "may_place": rules.may_write_portfolio(user),
        "save_form": SaveViewForm(initial={"layout": "board"}),
    }


@require_GET
def board(request: HttpRequest) -> HttpResponse:
    context = _board_context(request, request.GET)
    return vary_on_htmx(render(request, "roadmap/board/board.html", context))


def _version(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise InvalidInput("The card's version is not a number.", fields={"version": ["Reload."]})
    return int(raw)


def _position(raw: str | None) -> int | None:
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise InvalidInput(f"Position {raw!r} is not a whole number ≥ 0.", fields={"position": []})
    return int(raw)


def _answer(request: HttpRequest, status: int, note: str, kind: str) -> HttpResponse:
    """The lanes again (fetch / htmx) with a note, or back to the board (a plain form post)."""
    query = QueryDict(request.POST.get("q", ""))
    if not is_htmx(request) and status in (403, 404):
        return error_page(request, status, note)
    if not is_htmx(request):
        getattr(messages, "success" if status == 200 else "error")(request, note)
        return redirect(f"{reverse('roadmap:board')}?{query.urlencode()}")
    context = _board_context(request, query) | {"note": note, "note_kind": kind}
    context["focus"] = request.POST.get("feature_id") or ""
    return render(request, "roadmap/board/board.html#lanes", context, status=status)


@require_POST
def move(request: HttpRequest, feature_id: int) -> HttpResponse:
    """Move a card: to a lane and position (drag and drop) or by one step (keyboard buttons)."""
    user = user_of(request)
    post = request.POST
    try:
        version = _version(post.get("version"))
        if post.get("to"):
            entry = services.entry_move(
                actor=user, feature_id=feature_id, to=post["to"], expected_version=version
            )
        else:
            entry = services.entry_place(
                actor=user, feature_id=feature_id, lane=post.get("lane", ""),
                position=_position(post.get("position")), expected_version=version,
                before_feature_id=_position(post.get("before")),
            )  # fmt: skip
    except VersionConflict as error:
        return _answer(
            request, 412, f"{error.message} The board below is the current one.", "error"
        )
    except DomainError as error:
        return _answer(request, error.status, error.message, "error")
    name = entry.feature.name
    note = f"“{name}” is now in {entry.get_lane_display()}, position {entry.position + 1}."
    return _answer(request, 200, note, "success")


@require_POST
def remove(request: HttpRequest, feature_id: int) -> HttpResponse:
    user = user_of(request)
    try:
        version = _version(request.POST.get("version"))
        services.entry_remove(actor=user, feature_id=feature_id, expected_version=version)
    except DomainError as error:
        return _answer(request, error.status, error.message, "error")
    return _answer(request, 200, "Taken off the roadmap (back in the unplaced tray).", "success")


@require_POST
def dates(request: HttpRequest, feature_id: int) -> HttpResponse:
    """The start and end of a card (the timeline draws cards that have both)."""
    user = user_of(request)
    form = DatesForm(request.POST)
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("roadmap:timeline")
    if not form.is_valid():
        errors = "; ".join(str(e) for es in form.errors.values() for e in es)
        messages.error(request, f"Dates: {errors}")
        return redirect(back)
    data = form.cleaned_data
    try:
        services.entry_dates_set(
            actor=user, feature_id=feature_id, start=data["start"], end=data["end"],
            expected_version=data["version"],
        )  # fmt: skip
    except (InvalidInput, VersionConflict) as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, "Dates saved.")
    return redirect(back)


@require_GET
def timeline(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    filters = _filters(request.GET)
    items = board_selectors.roadmap_items(user, filters=filters, include_unplaced=False)
    context = board_pages.timeline_context(items, filters) | {
        "form": FilterForm(request.GET, user=user, timeline=True),
        "save_form": SaveViewForm(initial={"layout": "timeline"}),
        "may_place": rules.may_write_portfolio(user),
        "editable": rules.may_write_portfolio(user),
        "next": request.get_full_path(),
    }
    return render(request, "roadmap/board/timeline.html", context)


@require_GET
def export_file(request: HttpRequest, fmt: str) -> HttpResponse:
    user = user_of(request)
    filters = _filters(request.GET)
    layout = request.GET.get("layout", "board")
    items = board_selectors.roadmap_items(user, filters=filters, include_unplaced=False)
    return board_pages.export_response(
        items, fmt, layout="timeline" if layout == "timeline" else "board", filters=filters,
        title="Roadmap",
    )  # fmt: skip
