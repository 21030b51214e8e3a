"""Pages of the scorecards: the portfolio scorecard with its CSV and PNG downloads.

The lead appends ``scorecard_urlpatterns`` to strategy/urls.py (names ``strategy:scorecards``,
``strategy:scorecard_csv``, ``strategy:scorecard_png``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from quarterdeck.lib.dates import workspace_today
from quarterdeck.revenue.selectors import reporting_currency
from quarterdeck.strategy.export import scorecard_csv, scorecard_png
from quarterdeck.strategy.scorecard_html import row_views
from quarterdeck.strategy.scorecards import portfolio_scorecard
from quarterdeck.web.views.common import user_of


def _download(content: str | bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def scorecards(request: HttpRequest) -> HttpResponse:
    today = workspace_today()
    rows = portfolio_scorecard(user_of(request), today=today)
    context = {"rows": row_views(rows), "today": today, "currency": reporting_currency()}
    return render(request, "strategy/scorecards.html", context)


@require_GET
def scorecard_csv_download(request: HttpRequest) -> HttpResponse:
    today = workspace_today()
    rows = portfolio_scorecard(user_of(request), today=today)
    return _download(scorecard_csv(rows), "text/csv; charset=utf-8", f"scorecard-{today}.csv")


@require_GET
def scorecard_png_download(request: HttpRequest) -> HttpResponse:
    today = workspace_today()
    rows = portfolio_scorecard(user_of(request), today=today)
    return _download(scorecard_png(rows, today), "image/png", f"scorecard-{today}.png")


scorecard_urlpatterns: list[URLPattern] = [
    path("scorecards/", scorecards, name="scorecards"),
    path("scorecards/scorecard.csv", scorecard_csv_download, name="scorecard_csv"),
    path("scorecards/scorecard.png", scorecard_png_download, name="scorecard_png"),
]
