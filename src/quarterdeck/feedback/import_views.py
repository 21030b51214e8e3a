"""The CSV import (upload, map the columns, all or nothing), the survey-verbatims import, and the
portal settings of each product line."""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.feedback import importing, selectors, services
from quarterdeck.feedback.forms import ImportForm, PortalForm
from quarterdeck.feedback.portal import portal_save
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.selectors import access_line, list_lines, may_change_item
from quarterdeck.web.views.common import user_of

TEMPLATE = "feedback/import.html"
# The uploaded file waits here between the upload and the mapping step (one per session).
PENDING = Path(tempfile.gettempdir()) / "quarterdeck-feedback-imports"
SESSION_KEY = "feedback_import"


def _check(request: HttpRequest) -> None:
    if not selectors.may_triage(user_of(request)):
        raise NotAllowed("Members and up import feedback files.")


def _keep(request: HttpRequest, content: bytes, name: str) -> None:
    PENDING.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16)
    (PENDING / f"{token}.csv").write_bytes(content)
    request.session[SESSION_KEY] = {"token": token, "name": name}


def _kept(request: HttpRequest) -> tuple[bytes, str] | None:
    pending = request.session.get(SESSION_KEY) or {}
    token = str(pending.get("token", ""))
    path = PENDING / f"{token}.csv"
    if not token.isalnum() or not path.exists():
        return None
    return path.read_bytes(), str(pending.get("name", "upload.csv"))


def _forget(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None) or {}
    token = str(pending.get("token", ""))
    if token.isalnum():
        (PENDING / f"{token}.csv").unlink(missing_ok=True)


def _page(request: HttpRequest, form: ImportForm, status: int = 200, **extra: Any) -> HttpResponse:
    context = {"form": form, "may_surveys": True, **extra}
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest) -> HttpResponse:
    """Step 1 uploads the file and shows its columns; step 2 maps them and imports. A POST
    carrying both the file and the mapping imports at once."""
    _check(request)
    if request.method == "GET":
        return _page(request, ImportForm())
    upload = request.FILES.get("file")
    if upload is not None:
        return _uploaded(request, upload.read(), upload.name or "upload.csv")
    kept = _kept(request)
    if kept is None:
        form = ImportForm(request.POST, request.FILES)
        form.is_valid()  # names the missing file
        return _page(request, form, status=400)
    return _mapped(request, *kept)


def _uploaded(request: HttpRequest, content: bytes, name: str) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        header, _ = importing.read_csv(content, name)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _page(request, form, status=400)
    if any(key.startswith("map_") for key in request.POST):
        form = ImportForm(request.POST, request.FILES, columns=header)
        return _run(request, form, content, name, header)
    _keep(request, content, name)
    initial = {"date_format": form.cleaned_data["date_format"] or "auto"}
    mapping = ImportForm(columns=header, initial=initial)
    return _page(request, mapping, file=name, columns=header)


def _mapped(request: HttpRequest, content: bytes, name: str) -> HttpResponse:
    header, _ = importing.read_csv(content, name)
    form = ImportForm(request.POST, columns=header)
    form.fields["file"].required = False
    return _run(request, form, content, name, header)


def _run(
    request: HttpRequest, form: ImportForm, content: bytes, name: str, header: list[str]
) -> HttpResponse:
    extra = {"file": name, "columns": header}
    if not form.is_valid():
        return _page(request, form, status=400, **extra)
    try:
        report = importing.feedback_import_csv(
            actor=user_of(request),
            file=content,
            mapping=form.mapping(),
            date_format=form.cleaned_data["date_format"] or "auto",
            name=name,
        )
    except importing.ImportRejected as exc:
        return _page(request, form, status=400, rejected=exc.report, message=exc.message, **extra)
    except InvalidInput as exc:
        form.add_service_errors(exc, aliases={"mapping": "__all__"})
        return _page(request, form, status=400, **extra)
    _forget(request)
    messages.success(
        request,
        f"Imported {report.created} new items ({report.updated} updated) from {name}; "
        "the model reads them in the background.",
    )
    return redirect("feedback:inbox")


@require_POST
def import_surveys(request: HttpRequest) -> HttpResponse:
    _check(request)
    count = services.feedback_from_surveys(actor=user_of(request))
    messages.success(request, f"{count} survey comment{'s' if count != 1 else ''} added.")
    return redirect("feedback:inbox")


# Portal settings --------------------------------------------------------------------------------


@require_GET
def portals(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    by_line = {portal.line_id: portal for portal in selectors.list_portals(user)}
    rows = [
        {"line": line, "portal": by_line.get(line.pk), "may_change": may_change_item(user, line)}
        for line in list_lines(user)
    ]
    return render(request, "feedback/portals.html", {"rows": rows})


def _portal_initial(portal: Any, line: Any) -> dict[str, Any]:
    if portal is None:
        return {"title": f"{line.name} ideas", "visibility": "signed_in", "enabled": True}
    fields = ("slug", "title", "intro", "visibility", "enabled", "version")
    return {name: getattr(portal, name) for name in fields}


@require_http_methods(["GET", "POST"])
def portal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    line = access_line(user, pk, for_write=True)
    portal = getattr(line, "portal", None)
    data = request.POST if request.method == "POST" else None
    form = PortalForm(data, initial=_portal_initial(portal, line))
    context: dict[str, Any] = {"form": form, "line": line, "portal": portal}
    if request.method == "GET" or not form.is_valid():
        return render(request, "feedback/portal_form.html", context, status=400 if data else 200)
    values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    try:
        saved = portal_save(
            actor=user, line=line, data=values, expected_version=form.cleaned_data["version"]
        )
    except VersionConflict as exc:
        form.add_error(None, exc.message)
        return render(request, "feedback/portal_form.html", context, status=409)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return render(request, "feedback/portal_form.html", context, status=400)
    messages.success(request, f"Portal “{saved.title}” saved: /portal/{saved.slug}/")
    return redirect("feedback:portals")
