"""Reads of people and teams, and their doors: access_person / access_team / access_person_data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.people.models import Person, Team


def may_read_people(user: User) -> bool:
    return user.is_authenticated and user.is_active


def access_person(user: User, person_id: int, *, for_write: bool = False) -> Person:
    if not may_read_people(user):
        raise NotAllowed("Sign in to see the team.")
    person = Person.objects.select_related("manager", "user").filter(pk=person_id).first()
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    if for_write and not rules.may_change_person(user, person):
        raise NotAllowed(f"You may not change {person.name}'s record.")
    return person


def access_person_data(user: User, person_id: int) -> Person:
    """The door for people data (assessments, coaching notes, candidates, pay): only the
    person's reporting line and admins pass. Outsiders get 404, so existence does not leak."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not rules.may_see_people_data(user, person):
        raise NotFound(f"There is no people data you may see for person {person_id}.")
    return person


def access_team(user: User, team_id: int, *, for_write: bool = False) -> Team:
    if not may_read_people(user):
        raise NotAllowed("Sign in to see the team.")
    team = Team.objects.filter(pk=team_id).first()
    if team is None:
        raise NotFound(f"There is no team with id {team_id}.")
    if for_write and not rules.may_manage_teams(user):
        raise NotAllowed("Only admins, leaders and managers change teams.")
    return team


def list_people(
    user: User,
    *,
    manager_id: int | None = None,
    team_id: int | None = None,
    function: str | None = None,
    level: str | None = None,
    search: str | None = None,
) -> QuerySet[Person]:
    if not may_read_people(user):
        raise NotAllowed("Sign in to see the team.")
    qs = Person.objects.select_related("manager").prefetch_related("teams")
    if manager_id is not None:
        qs = qs.filter(manager_id=manager_id)
    if team_id is not None:
        qs = qs.filter(teams=team_id)
    if function:
        qs = qs.filter(function=function)
    if level:
        qs = qs.filter(level=level)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def list_teams(user: User) -> QuerySet[Team]:
    if not may_read_people(user):
        raise NotAllowed("Sign in to see the team.")
    return Team.objects.prefetch_related("members")


@dataclass
class OrgNode:
    person: Person
    reports: list[OrgNode] = field(default_factory=list)


def org_tree(user: User) -> list[OrgNode]:
    """Everyone as a forest of reporting lines (roots: people without a manager)."""
    people = list(list_people(user))
    nodes = {p.pk: OrgNode(p) for p in people}
    roots = []
    for node in nodes.values():
        manager_id = node.person.manager_id
        if manager_id is not None and manager_id in nodes and manager_id != node.person.pk:
            nodes[manager_id].reports.append(node)
        else:
            roots.append(node)
    return roots
