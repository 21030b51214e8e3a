"""The KPI page: each refreshed product's latest DAU, MAU and stickiness, and its refresh state;
leaders and admins can start a refresh."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from quarterdeck.accounts import rules
from quarterdeck.kpis import selectors, services
from quarterdeck.web.views.common import user_of


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {
        "rows": selectors.kpi_overview(user),
        "may_refresh": rules.changes_everything(user),
    }
    return render(request, "kpis/index.html", context)


@require_POST
def refresh(request: HttpRequest) -> HttpResponse:
    services.kpis_refresh_start(actor=user_of(request), full=request.POST.get("full") == "1")
    messages.success(request, "KPI refresh started; it runs in the background.")
    return redirect("kpis:index")
