"""Forms of the people pages: the directory filter, the person form and the team form."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import User
from quarterdeck.people.models import Function, Level, Person, Team
from quarterdeck.people.selectors import list_people, list_teams
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices


class PeopleFilter(PageForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    function = forms.ChoiceField(choices=[("", "Any function"), *Function.choices], required=False)
    level = forms.ChoiceField(choices=[("", "Any level"), *Level.choices], required=False)
    team = optional_id("Team")

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "team", id_choices(list_teams(user), empty=("", "Any team")))


class PersonForm(PageForm):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    title = forms.CharField(max_length=200, required=False)
    function = forms.ChoiceField(choices=Function.choices)
    level = forms.ChoiceField(
        choices=[("", "— none (partner role) —"), *Level.choices], required=False
    )
    manager_id = optional_id("Manager")
    team_ids = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Teams", widget=forms.CheckboxSelectMultiple
    )
    location = forms.CharField(max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    data_fields = (
        "name",
        "email",
        "title",
        "function",
        "level",
        "manager_id",
        "team_ids",
        "location",
    )

    def __init__(self, *args: Any, user: User, person: Person, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        others = list_people(user).exclude(pk=person.pk)
        set_choices(
            self, "manager_id", id_choices(others, empty=("", "— nobody (top of the org) —"))
        )
        set_choices(self, "team_ids", id_choices(list_teams(user), empty=None))

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.data_fields}

    @staticmethod
    def initial_from(person: Person) -> dict[str, Any]:
        return {
            "name": person.name,
            "email": person.email or "",
            "title": person.title,
            "function": person.function,
            "level": person.level,
            "manager_id": person.manager_id,
            "team_ids": [team.pk for team in person.teams.all()],
            "location": person.location,
            "version": person.version,
        }


class TeamForm(PageForm):
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    member_ids = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Members", widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.user = user
        set_choices(self, "member_ids", id_choices(list_people(user), empty=None))

    def service_data(self) -> dict[str, Any]:
        return {"name": self.cleaned_data["name"], "description": self.cleaned_data["description"]}

    @staticmethod
    def initial_from(team: Team) -> dict[str, Any]:
        return {
            "name": team.name,
            "description": team.description,
            "member_ids": [person.pk for person in team.members.all()],
            "version": team.version,
        }
