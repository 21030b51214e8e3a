"""Teams: the list, a team's page, and the forms that add and change a team."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people.models import Team
from quarterdeck.people.selectors import access_team, list_teams
from quarterdeck.people.services import team_create, team_set_members, team_update
from quarterdeck.web.forms.people import TeamForm
from quarterdeck.web.people_readers import team_page
from quarterdeck.web.views.common import user_of

ALIASES = {"person_ids": "member_ids"}  # the services' field names -> the form's


@require_GET
def teams(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {"teams": list_teams(user), "may_manage": rules.may_manage_teams(user)}
    return render(request, "web/teams/list.html", context)


@require_GET
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/teams/detail.html", {"page": team_page(user_of(request), pk)})


@require_http_methods(["GET", "POST"])
def team_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not rules.may_manage_teams(user):
        raise NotAllowed("Only admins, leaders and managers add teams.")
    form = TeamForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "GET":
        return _form(request, form, None)
    if not form.is_valid():
        return _form(request, form, None, status=400)
    try:
        created = _save(user, None, form)
    except InvalidInput as exc:
        form.add_service_errors(exc, ALIASES)
        return _form(request, form, None, status=400)
    messages.success(request, f"Team “{created.name}” created.")
    return redirect("team_detail", pk=created.pk)


@require_http_methods(["GET", "POST"])
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    target = access_team(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = TeamForm(data, user=user, initial=TeamForm.initial_from(target))
    form.fields["version"].required = True
    if request.method == "GET":
        return _form(request, form, target)
    if not form.is_valid():
        return _form(request, form, target, status=400)
    try:
        _save(user, target, form)
    except VersionConflict as exc:
        moved = _moved_on(request, user, exc.current_version)
        return _form(request, moved, access_team(user, pk), status=409)
    except InvalidInput as exc:
        form.add_service_errors(exc, ALIASES)
        return _form(request, form, target, status=400)
    messages.success(request, f"Saved {form.cleaned_data['name']}.")
    return redirect("team_detail", pk=pk)


def _save(user: User, team: Team | None, form: TeamForm) -> Team:
    """The team's name and description, then its members: one change, saved whole or not at
    all. The members' write checks the version the first write left."""
    data = form.cleaned_data
    with transaction.atomic():
        if team is None:
            saved = team_create(actor=user, data=form.service_data())
        else:
            saved = team_update(
                actor=user,
                team_id=team.pk,
                data=form.service_data(),
                expected_version=data["version"],
            )
        return team_set_members(
            actor=user,
            team_id=saved.pk,
            person_ids=data["member_ids"],
            expected_version=saved.version,
        )


def _moved_on(request: HttpRequest, user: User, version: int) -> TeamForm:
    """The user's values on the new version, with a note: saving again applies them knowingly."""
    data = request.POST.copy()
    data["version"] = str(version)
    moved = TeamForm(data, user=user)
    moved.add_error(
        None,
        "Someone else changed this team while you were editing. Your values are kept below; "
        "save again to apply them on top of theirs.",
    )
    return moved


def _form(
    request: HttpRequest, form: TeamForm, target: Team | None, *, status: int = 200
) -> HttpResponse:
    return render(request, "web/teams/form.html", {"form": form, "team": target}, status=status)
