"""Who may do what: the role and reporting-line rules every access_* door applies.

Roles (PRODUCT.md): admin and leader change everything in the portfolio; a manager changes the
subtree of their group (items they, or anyone reporting to them, own — and everything below
those items); a member changes what they own and everything below it; contributors and viewers
only read. People data (assessments, coaching notes, candidates, pay) is visible to the
person's reporting line — the managers above them — and to admins, never to peers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from quarterdeck.accounts.models import Role, User

if TYPE_CHECKING:
    from quarterdeck.people.models import Person

WRITE_ROLES = {Role.ADMIN, Role.LEADER, Role.MANAGER, Role.MEMBER}
EVERYTHING_ROLES = {Role.ADMIN, Role.LEADER}


def is_admin(user: User) -> bool:
    return user.is_active and user.role == Role.ADMIN


def changes_everything(user: User) -> bool:
    return user.is_active and user.role in EVERYTHING_ROLES


def may_write_portfolio(user: User) -> bool:
    return user.is_active and user.role in WRITE_ROLES


def person_of(user: User) -> Person | None:
    from quarterdeck.people.models import Person

    return Person.objects.filter(user=user).first()


def manager_chain_ids(person: Person) -> list[int]:
    """Ids of the person's managers, nearest first (cycles are cut)."""
    from quarterdeck.people.models import Person

    chain: list[int] = []
    current = person.manager_id
    while current is not None and current not in chain and current != person.pk:
        chain.append(current)
        current = Person.objects.filter(pk=current).values_list("manager_id", flat=True).first()
    return chain


def report_ids(person: Person) -> set[int]:
    """Ids of everyone in the person's reporting subtree, the person excluded."""
    from quarterdeck.people.models import Person

    found: set[int] = set()
    frontier = {person.pk}
    while frontier:
        below = set(Person.objects.filter(manager_id__in=frontier).values_list("pk", flat=True))
        frontier = below - found - {person.pk}
        found |= frontier
    return found


def may_change_owned(user: User, owner_ids: Iterable[int | None]) -> bool:
    """May the user change an item whose owner chain (item and its ancestors) is ``owner_ids``?"""
    if changes_everything(user):
        return True
    if not may_write_portfolio(user):
        return False
    me = person_of(user)
    if me is None:
        return False
    owners = {pk for pk in owner_ids if pk is not None}
    if me.pk in owners:
        return True
    return user.role == Role.MANAGER and bool(owners & report_ids(me))


def may_see_people_data(user: User, person: Person) -> bool:
    if is_admin(user):
        return True
    me = person_of(user)
    return me is not None and me.pk in manager_chain_ids(person)


def may_change_person(user: User, person: Person | None) -> bool:
    """Leaders change anyone; a manager changes the people below them (and adds new ones)."""
    if changes_everything(user):
        return True
    if not (user.is_active and user.role == Role.MANAGER):
        return False
    if person is None:
        return True
    me = person_of(user)
    return me is not None and person.pk in report_ids(me)


def may_manage_teams(user: User) -> bool:
    return user.is_active and user.role in {Role.ADMIN, Role.LEADER, Role.MANAGER}
