"""Launch template pages: the list (everyone), one template with its tasks, and the JSON edit
form (leaders and admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.launches import launch_templates, selectors
from quarterdeck.launches.models import LaunchTemplate
from quarterdeck.launches.plans_forms import TemplateForm
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.web.views.common import user_of

FORM = "launches/plans/template_form.html"


@require_GET
def templates(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {
        "templates": selectors.list_launch_templates(user),
        "may_change": selectors.may_change_templates(user),
    }
    return render(request, "launches/plans/templates.html", context)


@require_GET
def template(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_launch_template(user, pk)
    context = {"template": found, "may_change": selectors.may_change_templates(user)}
    return render(request, "launches/plans/template.html", context)


def _save(request: HttpRequest, form: TemplateForm, found: LaunchTemplate | None) -> int | None:
    """The saved template's id, or None with the errors on the form."""
    user = user_of(request)
    try:
        if found is None:
            made = launch_templates.template_create(actor=user, data=form.service_data())
            return made.pk
        launch_templates.template_update(
            actor=user, template_id=found.pk, data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )  # fmt: skip
        return found.pk
    except VersionConflict:
        form.add_error(None, "Someone else changed this template meanwhile: reload it first.")
    except InvalidInput as exc:
        form.add_service_errors(exc)
    return None


@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_launch_template(user_of(request), pk, for_write=True)
    return _form_page(request, found)


def _form_page(request: HttpRequest, found: LaunchTemplate | None) -> HttpResponse:
    if not selectors.may_change_templates(user_of(request)):
        raise NotAllowed("Only leaders and admins change launch templates.")
    initial = TemplateForm.initial_from(found) if found else {"tasks": "[]"}
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, found)
        if saved is not None:
            messages.success(request, "Template saved.")
            return redirect("launches:template", saved)
    context = {"form": form, "template": found}
    return render(request, FORM, context, status=400 if form.errors else 200)


@require_POST
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_launch_template(user, pk, for_write=True)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        raise InvalidInput("The form lost its version; reload the template.") from None
    launch_templates.template_delete(actor=user, template_id=pk, expected_version=version)
    messages.success(request, f"Deleted the template “{found.name}”.")
    return redirect("launches:templates")
