"""The revenue page (MRR over time, movements, a table per line and product, filters) and its
import form (leaders and admins)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.revenue import charts, engine, importing, metrics, overview, selectors
from quarterdeck.web.views.common import int_param, user_of


def _day(request: HttpRequest, name: str) -> date | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        message = f"{raw!r} is not a date (2024-03-31)."
        raise InvalidInput(f"{name}: {message}", fields={name: [message]}) from error


def _filters(request: HttpRequest) -> dict[str, Any]:
    start, end = metrics.default_range(_day(request, "from"), _day(request, "to"))
    return {
        "product": int_param(request, "product"),
        "line": int_param(request, "line"),
        "start": overview.month_start(start),
        "end": overview.month_end(end),
    }


def _context(request: HttpRequest) -> dict[str, Any]:
    user = user_of(request)
    chosen = _filters(request)
    subject = metrics.subject_of(user, chosen["product"], chosen["line"])
    context: dict[str, Any] = {
        "filters": chosen,
        "subject": subject,
        "products": Product.objects.order_by("name"),
        "lines": ProductLine.objects.order_by("name"),
        "currency": selectors.reporting_currency(),
        "may_import": selectors.may_change_revenue(user),
    }
    try:
        found = overview.revenue_overview(user, subject, chosen["start"], chosen["end"])
    except engine.MissingRate as missing:
        context["error"] = str(missing)
        return context
    context["overview"] = found
    context["last"] = found.series[-1] if found.series else None
    context["mrr_spec"] = charts.mrr_chart(found.series, context["currency"])
    context["movements_spec"] = charts.movements_chart(found.series, context["currency"])
    return context


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "revenue/index.html", _context(request))


@require_POST
def import_file(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    selectors.check_change(user)
    upload = request.FILES.get("file")
    if upload is None:
        raise InvalidInput("file: choose a CSV file to import.", fields={"file": ["required"]})
    result = importing.revenue_import(
        actor=user,
        content=upload.read(),
        filename=upload.name or "upload.csv",
        skip_invalid=request.POST.get("skip_invalid") == "1",
    )
    status = 200 if result.written else 400
    return render(request, "revenue/import_result.html", {"result": result}, status=status)
