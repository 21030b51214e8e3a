"""Roadmap pages: the now/next/later board (placeholder until the board lands)."""

from django.http import HttpRequest, HttpResponse


def board(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Roadmap")
