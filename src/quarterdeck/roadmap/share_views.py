"""The public, read-only roadmap behind a signed share link (/share/<token>/): no sign-in, no
navigation, no write controls, not indexed; 404 when the link is unknown, tampered with, revoked
or expired."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quarterdeck.roadmap import board_pages, board_selectors
from quarterdeck.roadmap.board_validation import clean_filters


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to linked sites
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def view(request: HttpRequest, token: str) -> HttpResponse:
    saved, _ = board_selectors.view_for_token(token)
    filters = clean_filters(saved.filters or {})
    timeline = saved.layout == "timeline"
    items = board_selectors.roadmap_items(None, filters=filters, include_unplaced=False)
    build = board_pages.timeline_context if timeline else board_pages.board_context
    context = build(items, filters) | {"view": saved, "token": token, "may_place": False}
    return _noindex(render(request, "roadmap/board/share.html", context))


@require_GET
def export(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    saved, _ = board_selectors.view_for_token(token)
    filters = clean_filters(saved.filters or {})
    items = board_selectors.roadmap_items(None, filters=filters, include_unplaced=False)
    response = board_pages.export_response(
        items, fmt, layout=saved.layout, filters=filters, title=saved.name
    )
    return _noindex(response)
