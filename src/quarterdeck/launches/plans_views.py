"""Launch pages: the launch calendar (placeholder until the plans land)."""

from django.http import HttpRequest, HttpResponse


def calendar(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Launches")
