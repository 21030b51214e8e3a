"""The analytics pages: the list, a product's analytics (charts loaded one by one with htmx),
saved insights' charts, the CSV download, and the insight builder."""

from __future__ import annotations

from typing import Any, Final

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from quarterdeck.analytics import readers, selectors, services
from quarterdeck.analytics.export import rows_csv
from quarterdeck.analytics.forms import InsightForm
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.queries import parse_query
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.web.views.common import int_param, user_of

CARD: Final = "analytics/_chart_card.html"
BUILDER: Final = "analytics/builder.html"
# Query-string keys that are the page's own, not part of an insight query.
PAGE_PARAMS: Final = ("format", "csrfmiddlewaretoken")


def _days(request: HttpRequest) -> int | None:
    raw = request.GET.get("days", "")
    if not raw:
        return None
    if raw not in {str(days) for days in readers.RANGES}:
        allowed = ", ".join(str(days) for days in readers.RANGES)
        raise InvalidInput(f"days: use one of {allowed} (or leave it out for the defaults).")
    return int(raw)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = readers.home_page(user_of(request))
    return render(request, "analytics/index.html", {"page": page})


@require_GET
def product(request: HttpRequest, pk: int) -> HttpResponse:
    page = readers.product_page(user_of(request), pk, _days(request))
    return render(request, "analytics/product.html", {"page": page})


@require_GET
def product_chart(request: HttpRequest, pk: int, index: int) -> HttpResponse:
    card = readers.overview_chart(user_of(request), pk, index, _days(request))
    return render(request, CARD, {"card": card})


@require_GET
def insight_chart(request: HttpRequest, pk: int) -> HttpResponse:
    card = readers.insight_chart(user_of(request), pk)
    return render(request, CARD, {"card": card})


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Any insight query (the query string) as CSV: what every card's "Download CSV" links to."""
    data = request.GET.copy()
    for name in PAGE_PARAMS:
        data.pop(name, None)
    outcome = services.insight_run(user_of(request), parse_query(data))
    response = HttpResponse(rows_csv(outcome.rows), content_type="text/csv; charset=utf-8")
    name = slugify(f"{outcome.product.name if outcome.product else 'all'}-{outcome.query.kind}")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# The insight builder ---------------------------------------------------------------------------

DEFAULTS: Final[dict[str, Any]] = {
    "kind": "active-users",
    "last_days": "30",
    "measure": ["dau"],
    "grain": "day",
    "actor": "user",
    "retention_mode": "on",
    "cohort_type": "first_time",
    "periods": 8,
    "funnel_mode": "ordered",
    "window_days": 14,
    "denominator": "active",
    "min_uses": 1,
    "time_zone": "UTC",
}


def _linked_initial(request: HttpRequest) -> dict[str, Any]:
    """An "Open in builder" link carries a query; a bad one starts from the defaults."""
    initial = {**DEFAULTS, "product_id": int_param(request, "product_id")}
    if "kind" not in request.GET:
        return initial
    try:
        query = parse_query(request.GET)
    except InvalidInput as exc:
        messages.warning(request, f"The linked query was not usable ({exc.message}).")
        return initial
    return {**initial, **InsightForm.initial_from(query.to_data())}


def _form(request: HttpRequest, data: Any = None, initial: Any = None) -> InsightForm:
    """The builder form, offering the products and the chosen product's features."""
    raw = data.get("product_id") if data is not None else (initial or {}).get("product_id")
    text = str(raw or "")
    product_id = int(text) if text.isdigit() and len(text) < 19 else None
    choices = readers.builder_choices(user_of(request), product_id)
    return InsightForm(data, initial=initial, products=choices.products, features=choices.features)


def _builder(
    request: HttpRequest,
    form: InsightForm,
    insight: SavedInsight | None,
    *,
    status: int = 200,
    conflicts: list[tuple[str, str, str]] | None = None,
) -> HttpResponse:
    user = user_of(request)
    context = {
        "form": form,
        "insight": insight,
        "may_change": insight is None or selectors.may_change_insight(user, insight),
        "conflicts": conflicts or [],
    }
    return render(request, BUILDER, context, status=status)


@require_http_methods(["GET", "POST"])
def insight_new(request: HttpRequest) -> HttpResponse:
    selectors.check_read(user_of(request))
    if request.method == "GET":
        return _builder(request, _form(request, initial=_linked_initial(request)), None)
    return _save(request, _form(request, request.POST), None)


@require_http_methods(["GET", "POST"])
def insight(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_insight(user_of(request), pk)
    if request.method == "GET":
        initial = {**DEFAULTS, **InsightForm.initial_from(found.query)}
        initial |= {"name": found.name, "description": found.description}
        initial |= {"pinned": found.pinned, "version": found.version}
        return _builder(request, _form(request, initial=initial), found)
    return _save(request, _form(request, request.POST), found)


def _save(request: HttpRequest, form: InsightForm, insight: SavedInsight | None) -> HttpResponse:
    """Save (a new insight, or changes to this one) or Save as (a new copy)."""
    if not form.is_valid():
        return _builder(request, form, insight, status=400)
    user = user_of(request)
    data = form.insight_data()
    save_as = insight is None or request.POST.get("action") == "save_as"
    try:
        if save_as:
            saved = services.insight_create(user, data)
        else:
            assert insight is not None
            version = form.cleaned_data["version"]
            saved = services.insight_update(user, insight.pk, data, version)
    except VersionConflict:
        return _conflict(request, form, insight)
    except InvalidInput as exc:
        form.add_query_errors(exc)
        return _builder(request, form, insight, status=400)
    messages.success(request, f"Saved “{saved.name}”.")
    return redirect("analytics:insight", pk=saved.pk)


def _conflict(
    request: HttpRequest, mine: InsightForm, insight: SavedInsight | None
) -> HttpResponse:
    """Keep what the user built, show what is stored now, and move the form onto the stored
    version: saving again applies theirs on top, knowingly."""
    assert insight is not None
    current = selectors.access_insight(user_of(request), insight.pk)
    conflicts = mine.conflicts(current)
    data = request.POST.copy()
    data["version"] = str(current.version)
    return _builder(request, _form(request, data), current, status=409, conflicts=conflicts)


@require_GET
def insight_preview(request: HttpRequest) -> HttpResponse:
    """The builder's live preview: the chart of what the form says now, or what is wrong."""
    form = _form(request, request.GET)
    card = None
    if form.is_valid():
        try:
            query = parse_query(form.query_data())
            card = readers.run_card(
                user_of(request), key="preview-chart", title="Preview", query=query, builder=None
            )
            if card.error:
                form.add_query_errors(InvalidInput(card.error, fields=card.error_fields))
        except InvalidInput as exc:
            form.add_query_errors(exc)
    return render(request, "analytics/_preview.html", {"form": form, "card": card})


@require_GET
def insight_features(request: HttpRequest) -> HttpResponse:
    """The features field for the product just chosen in the builder (none ticked yet)."""
    form = _form(request, initial={"product_id": int_param(request, "product_id")})
    response = render(request, "analytics/_features_field.html", {"form": form})
    response["HX-Trigger-After-Settle"] = "builder-changed"
    return response


@require_http_methods(["GET", "POST"])
def insight_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_insight(user, pk, for_write=True)
    context: dict[str, Any] = {"insight": found}
    if request.method == "GET":
        return render(request, "analytics/delete.html", context)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise InvalidInput("This form has lost its version number; reload and try again.")
        services.insight_delete(user, pk, int(version))
    except (InvalidInput, VersionConflict, NotAllowed) as exc:
        context["error"] = exc.message
        status = 409 if isinstance(exc, VersionConflict) else exc.status
        return render(request, "analytics/delete.html", context, status=status)
    messages.success(request, f"Deleted “{found.name}”.")
    return redirect("analytics:index")
