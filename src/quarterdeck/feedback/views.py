"""Feedback pages (placeholder until the pages land)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Feedback inbox")
