"""Sign-in required for every page, and domain errors turned into friendly error pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from quarterdeck.lib.errors import DomainError
from quarterdeck.web.htmx import is_htmx

# Event ingestion (Segment /v1/…, PostHog /batch/, /capture/, /e/, /i/v0/e/) authenticates by
# write key, not by session.
PUBLIC_PREFIXES = (
    "/api/",
    "/portal/",
    "/share/",
    "/static/",
    "/healthz",
    "/v1/",
    "/batch",
    "/capture",
    "/e/",
    "/i/v0/e",
)
PAGE_TEMPLATES = {400: "400.html", 403: "403.html", 404: "404.html"}


class LoginRequired(LoginRequiredMiddleware):
    def process_view(
        self,
        request: HttpRequest,
        view_func: Any,
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponseBase | None:
        if request.path.startswith(PUBLIC_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DomainErrorPages:
    """A NotFound / NotAllowed / InvalidInput raised by a selector or service in a page view
    becomes the 404 / 403 / 400 page in the layout (or a small error fragment for htmx), so views
    need no try/except for the common cases. The API handles these errors itself."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return error_page(request, exception.status, exception.message)


def error_page(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if is_htmx(request):
        template = "web/_error_fragment.html"
    else:
        template = PAGE_TEMPLATES.get(status, "error.html")
    return render(request, template, {"message": message, "status": status}, status=status)
