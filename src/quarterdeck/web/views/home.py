"""The landing page of a product leader."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quarterdeck.portfolio.models import Stage
from quarterdeck.web.home_readers import home_page
from quarterdeck.web.views.common import user_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    page = home_page(user_of(request))
    return render(request, "web/home.html", {"page": page, "stages": Stage.choices})
