"""Small helpers for answering htmx requests with template partials."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def is_htmx(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (a history restore wants the whole page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def template_for(request: HttpRequest, page: str, partial: str) -> str:
    """The whole page, or only its ``partial`` (``{% partialdef %}``) for an htmx request."""
    return f"{page}#{partial}" if is_htmx(request) else page


def vary_on_htmx(response: HttpResponse) -> HttpResponse:
    """Caches must keep the fragment and the full page apart."""
    existing = response.get("Vary")
    response["Vary"] = f"{existing}, HX-Request" if existing else "HX-Request"
    return response
