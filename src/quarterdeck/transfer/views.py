"""The import / export page, for leaders and admins: download an export, upload an import, see
what happened row by row, and download the report of bad and skipped rows."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed
from quarterdeck.transfer.forms import ImportForm
from quarterdeck.transfer.report import report_csv
from quarterdeck.transfer.schema import COLUMNS
from quarterdeck.transfer.services import (
    ImportResult,
    may_transfer,
    report_name,
    transfer_export,
    transfer_import,
)

REPORT_KEY = "transfer_report"


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not may_transfer(user):
        raise NotAllowed("Only leaders and admins import and export the portfolio.")
    return user


def attachment(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        result = transfer_import(
            actor=user,
            filename=upload.name or "upload",
            content=upload.read(),
            skip_invalid=form.cleaned_data["skip_invalid"],
        )
        return _result_page(request, result)
    status = 400 if form.errors else 200
    return render(request, "transfer/index.html", {"form": form, "columns": COLUMNS}, status=status)


def _result_page(request: HttpRequest, result: ImportResult) -> HttpResponse:
    if result.issues:
        # Kept in the session (one report per person) for the "download report" link.
        request.session[REPORT_KEY] = {
            "name": report_name(),
            "csv": report_csv(result.errors, result.skipped, written=result.written),
        }
    else:
        request.session.pop(REPORT_KEY, None)
    context = {"result": result, "counts": _counts(result)}
    return render(request, "transfer/result.html", context, status=200 if result.written else 400)


def _counts(result: ImportResult) -> list[tuple[str, int, int]]:
    return [
        (entity.replace("_", " "), created, result.unchanged.get(entity, 0))
        for entity, created in result.created.items()
    ]


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    exported = transfer_export(actor=user, fmt=request.GET.get("format", "json"))
    return attachment(exported.content, exported.filename, exported.content_type)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    _user(request)
    stored = request.session.get(REPORT_KEY)
    if not stored:
        raise Http404("There is no import report to download; import a file first.")
    return attachment(stored["csv"], stored["name"], "text/csv; charset=utf-8")
