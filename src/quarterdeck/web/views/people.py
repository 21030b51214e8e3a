"""The people directory, person pages and the org chart."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.people.selectors import access_person, list_people
from quarterdeck.people.services import person_update
from quarterdeck.web.forms.people import PeopleFilter, PersonForm
from quarterdeck.web.htmx import template_for, vary_on_htmx
from quarterdeck.web.people_readers import org_chart, person_page
from quarterdeck.web.views.common import user_of


@require_GET
def directory(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = PeopleFilter(request.GET, user=user)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "function": data["function"] or None,
            "level": data["level"] or None,
            "team_id": data["team"],
            "search": data["q"] or None,
        }
    context = {"form": form, "people": list_people(user, **filters)}
    template = template_for(request, "web/people/list.html", "results")
    return vary_on_htmx(render(request, template, context, status=200 if form.is_valid() else 400))


@require_GET
def person(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/people/detail.html", {"page": person_page(user_of(request), pk)})


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    target = access_person(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, user=user, person=target, initial=PersonForm.initial_from(target))
    if request.method == "GET":
        return _form(request, form, target)
    if not form.is_valid():
        return _form(request, form, target, status=400)
    try:
        person_update(
            actor=user,
            person_id=pk,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict as exc:
        return _form(
            request, _moved_on(request, form, target, exc.current_version), target, status=409
        )
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _form(request, form, target, status=400)
    messages.success(request, f"Saved {form.cleaned_data['name']}.")
    return redirect("person_detail", pk=pk)


def _moved_on(request: HttpRequest, form: PersonForm, target: Any, version: int) -> PersonForm:
    """The user's values on the new version, with a note: saving again applies them knowingly."""
    data = request.POST.copy()
    data["version"] = str(version)
    moved = PersonForm(data, user=form.user, person=target)
    moved.add_error(
        None,
        "Someone else changed this person while you were editing. Your values "
        "are kept below; save again to apply them on top of theirs.",
    )
    return moved


def _form(
    request: HttpRequest, form: PersonForm, target: Any, *, status: int = 200
) -> HttpResponse:
    return render(request, "web/people/form.html", {"form": form, "person": target}, status=status)


@require_GET
def chart(request: HttpRequest) -> HttpResponse:
    return render(request, "web/people/org_chart.html", {"chart": org_chart(user_of(request))})
