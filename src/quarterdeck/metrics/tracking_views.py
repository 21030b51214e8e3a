"""The tracking pages: which events are a product's (sources + conditions) and what counts as
using a feature. Reached from the product / feature page's Tracking card; whoever may change the
item may change its definitions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.metrics import tracking_services
from quarterdeck.metrics.models import FeatureUsage, ProductTracking
from quarterdeck.metrics.tracking_forms import FeatureUsageForm, ProductTrackingForm
from quarterdeck.portfolio import selectors as portfolio
from quarterdeck.web.views.common import user_of

TEMPLATE = "metrics/tracking_form.html"
CONFLICT = "Somebody changed this definition while you edited it. Your text is kept below; "
CONFLICT += "saving again replaces theirs."


@require_http_methods(["GET", "POST"])
def product_tracking(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    product = portfolio.access_product(user, pk, for_write=True)
    row = ProductTracking.objects.filter(product=product).first()
    initial = ProductTrackingForm.initial_from(row)
    form = ProductTrackingForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {
        "form": form,
        "item": product,
        "kind": "product",
        "sources": product.event_sources.all(),
    }
    failed = _submit(
        request,
        form,
        context,
        lambda data, version: tracking_services.product_tracking_set(
            actor=user, product_id=pk, data=data, expected_version=version
        ),
    )
    if failed is not None:
        return failed
    messages.success(request, f"Saved which events belong to “{product.name}”.")
    return redirect("product_detail", pk=pk)


@require_http_methods(["GET", "POST"])
def feature_usage(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    feature = portfolio.access_feature(user, pk, for_write=True)
    row = FeatureUsage.objects.filter(feature=feature).first()
    form = FeatureUsageForm(
        request.POST if request.method == "POST" else None,
        initial=FeatureUsageForm.initial_from(row),
    )
    context = {"form": form, "item": feature, "kind": "feature", "defined": row is not None}
    if request.method == "POST" and request.POST.get("action") == "clear":
        return _clear(request, feature.pk, row, context)
    failed = _submit(
        request,
        form,
        context,
        lambda data, version: tracking_services.feature_usage_set(
            actor=user, feature_id=pk, data=data, expected_version=version
        ),
    )
    if failed is not None:
        return failed
    messages.success(request, f"Saved what counts as using “{feature.name}”.")
    return redirect("feature_detail", pk=pk)


def _submit(
    request: HttpRequest,
    form: ProductTrackingForm | FeatureUsageForm,
    context: dict[str, object],
    save: Callable[[dict[str, Any], int | None], object],
) -> HttpResponse | None:
    """Show the form (GET, or invalid input) or save it; None when saved."""
    if request.method == "GET" or not form.is_valid():
        return render(request, TEMPLATE, context, status=200 if request.method == "GET" else 400)
    try:
        save(form.service_data(), form.cleaned_data["version"])
    except VersionConflict as exc:
        return _conflict(request, form, context, exc)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return render(request, TEMPLATE, context, status=400)
    return None


def _clear(
    request: HttpRequest, pk: int, row: FeatureUsage | None, context: dict[str, object]
) -> HttpResponse:
    version = request.POST.get("version", "")
    try:
        tracking_services.feature_usage_clear(
            actor=user_of(request),
            feature_id=pk,
            expected_version=int(version) if version.isdigit() else None,
        )
    except VersionConflict as exc:
        form = context["form"]
        assert isinstance(form, FeatureUsageForm)
        return _conflict(request, form, context, exc)
    if row is not None:
        messages.success(request, "The feature is no longer measured.")
    return redirect("feature_detail", pk=pk)


def _conflict(
    request: HttpRequest,
    form: ProductTrackingForm | FeatureUsageForm,
    context: dict[str, object],
    exc: VersionConflict,
) -> HttpResponse:
    """Keep what the user typed and move the form onto the current version."""
    data = request.POST.copy()
    data["version"] = str(exc.current_version)
    context["form"] = type(form)(data)
    context["notice"] = CONFLICT
    return render(request, TEMPLATE, context, status=409)
