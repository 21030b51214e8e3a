"""The sources pages: the list, a source with its write key, endpoints and warnings, the form,
and the revoke / new-key buttons. Leaders and admins manage; members and managers read."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.metrics import selectors, services
from quarterdeck.metrics.forms import SourceForm
from quarterdeck.metrics.models import Source
from quarterdeck.metrics.warehouse import current_config
from quarterdeck.web.views.common import user_of


@require_GET
def sources(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {
        "sources": selectors.list_sources(user),
        "may_manage": selectors.may_manage_sources(user),
        "warehouse": current_config(),
    }
    return render(request, "metrics/sources.html", context)


def endpoints(request: HttpRequest) -> dict[str, str]:
    base = request.build_absolute_uri("/").rstrip("/")
    return {"host": base, "segment": f"{base}/v1/batch", "posthog": f"{base}/batch/"}


@require_GET
def source(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_source(user, pk)
    context = {
        "source": found,
        "may_manage": selectors.may_manage_sources(user),
        "warnings": selectors.list_warnings(user, pk),
        "endpoints": endpoints(request),
    }
    return render(request, "metrics/source.html", context)


def _form(
    request: HttpRequest, form: SourceForm, target: Source | None, *, status: int = 200
) -> HttpResponse:
    return render(request, "metrics/form.html", {"form": form, "source": target}, status=status)


@require_http_methods(["GET", "POST"])
def source_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    selectors.check_manage(user)
    form = SourceForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "GET" or not form.is_valid():
        return _form(request, form, None, status=200 if request.method == "GET" else 400)
    try:
        created = services.source_create(actor=user, data=form.service_data())
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _form(request, form, None, status=400)
    messages.success(request, f"Source “{created.name}” created. Its write key is below.")
    return redirect("metrics:source_detail", pk=created.pk)


@require_http_methods(["GET", "POST"])
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    target = selectors.access_source(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = SourceForm(data, user=user, initial=SourceForm.initial_from(target))
    if request.method == "GET" or not form.is_valid():
        return _form(request, form, target, status=200 if request.method == "GET" else 400)
    try:
        services.source_update(
            actor=user,
            source_id=pk,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        form.add_error(None, "Someone else changed this source meanwhile; reload and try again.")
        return _form(request, form, target, status=409)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _form(request, form, target, status=400)
    messages.success(request, "Saved.")
    return redirect("metrics:source_detail", pk=pk)


@require_POST
def source_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    revoked = services.source_revoke(actor=user_of(request), source_id=pk)
    messages.success(request, f"The write key of “{revoked.name}” is revoked; it no longer works.")
    return redirect("metrics:source_detail", pk=pk)


@require_POST
def source_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    rotated = services.source_rotate_key(actor=user_of(request), source_id=pk)
    messages.success(request, f"“{rotated.name}” has a new write key; the old one no longer works.")
    return redirect("metrics:source_detail", pk=pk)
