"""Writes to people and teams, audited, with version checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people import selectors
from quarterdeck.people.models import Function, Level, Person, Team

PERSON_FIELDS = {
    "name",
    "email",
    "title",
    "function",
    "level",
    "manager_id",
    "team_ids",
    "user_id",
    "location",
}
TEAM_FIELDS = {"name", "description"}


def _clean_person(
    person: Person | None, data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - PERSON_FIELDS)
    for name in unknown:
        errors[name] = ["This field does not exist here."]
    if "name" in data:
        clean["name"] = str(data["name"] or "").strip()
        if not clean["name"]:
            errors["name"] = ["A name is required."]
        elif len(clean["name"]) > 200:
            errors["name"] = ["At most 200 characters."]
    for name in ("title", "location"):
        if name in data:
            clean[name] = str(data[name] or "").strip()[:200]
    if "email" in data:
        email = (data["email"] or "").strip().lower() or None
        if email is not None:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = [f"{email!r} is not an e-mail address."]
            else:
                taken = Person.objects.filter(email=email)
                if (taken.exclude(pk=person.pk) if person else taken).exists():
                    errors["email"] = ["Another person already has this e-mail address."]
        clean["email"] = email
    if "function" in data:
        if data["function"] not in Function.values:
            errors["function"] = [f"Unknown function; use one of {', '.join(Function.values)}."]
        clean["function"] = data["function"]
    if "level" in data:
        level = data["level"] or ""
        if level and level not in Level.values:
            errors["level"] = [f"Unknown level; use one of {', '.join(Level.values)}."]
        clean["level"] = level
    if "manager_id" in data:
        if error := _manager_error(person, data["manager_id"]):
            errors["manager_id"] = [error]
        clean["manager_id"] = data["manager_id"]
    if "user_id" in data:
        user_id = data["user_id"]
        if user_id is not None and not User.objects.filter(pk=user_id).exists():
            errors["user_id"] = [f"There is no user with id {user_id}."]
        clean["user_id"] = user_id
    if "team_ids" in data:
        team_ids = list(data["team_ids"] or [])
        missing = set(team_ids) - set(
            Team.objects.filter(pk__in=team_ids).values_list("pk", flat=True)
        )
        if missing:
            errors["team_ids"] = [f"No team with id {', '.join(map(str, sorted(missing)))}."]
    return clean, errors


def _manager_error(person: Person | None, manager_id: int | None) -> str | None:
    if manager_id is None:
        return None
    manager = Person.objects.filter(pk=manager_id).first()
    if manager is None:
        return f"There is no person with id {manager_id}."
    if person is not None and (manager.pk == person.pk or manager.pk in rules.report_ids(person)):
        return "A person cannot report to themselves or to someone who reports to them."
    return None


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        name, messages = next(iter(errors.items()))
        raise InvalidInput(f"{name}: {messages[0]}", fields=errors)


def _save(obj: Person | Team) -> None:
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise InvalidInput(
            "This conflicts with an existing record (a name or e-mail already in use).",
            fields={"name": ["Already in use."]},
        ) from exc


def _check_version(label: str, current: int, expected: int | None) -> None:
    if expected is not None and current != expected:
        raise VersionConflict(
            f"{label} was changed by someone else (now version {current}, you edited version "
            f"{expected}). Reload and apply your change again.",
            current_version=current,
        )


def person_create(*, actor: User, data: Mapping[str, Any]) -> Person:
    clean, errors = _clean_person(None, {"name": "", **data})
    _raise_if(errors)
    with transaction.atomic():
        if not rules.may_change_person(actor, None):
            raise NotAllowed("Only admins, leaders and managers add people.")
        if not rules.changes_everything(actor):
            me = rules.person_of(actor)
            allowed = ({me.pk} | rules.report_ids(me)) if me else set()
            if clean.get("manager_id") not in allowed:
                raise NotAllowed("A manager adds people to their own reporting line only.")
        person = Person(**clean)
        _save(person)
        if "team_ids" in data:
            person.teams.set(data["team_ids"] or [])
        audit_record(actor=actor, action=Action.CREATE, obj=person, after=snapshot(person))
        return person


def person_update(
    *, actor: User, person_id: int, data: Mapping[str, Any], expected_version: int | None
) -> Person:
    with transaction.atomic():
        person = selectors.access_person(actor, person_id, for_write=True)
        person = Person.objects.select_for_update().get(pk=person.pk)
        _check_version(person.name, person.version, expected_version)
        clean, errors = _clean_person(person, data)
        _raise_if(errors)
        before = snapshot(person)
        for name, value in clean.items():
            setattr(person, name, value)
        if "team_ids" in data:
            person.teams.set(data["team_ids"] or [])
        after = snapshot(person)
        if after != before:
            person.version += 1
            _save(person)
            audit_record(actor=actor, action=Action.UPDATE, obj=person, before=before, after=after)
        return person


def person_delete(*, actor: User, person_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        person = selectors.access_person(actor, person_id, for_write=True)
        _check_version(person.name, person.version, expected_version)
        before = snapshot(person)
        pk = person.pk
        person.delete()
        person.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=person, before=before)


def team_create(*, actor: User, data: Mapping[str, Any]) -> Team:
    if not rules.may_manage_teams(actor):
        raise NotAllowed("Only admins, leaders and managers add teams.")
    team = Team(**_clean_team(data, required=True))
    with transaction.atomic():
        _save(team)
        audit_record(actor=actor, action=Action.CREATE, obj=team, after=snapshot(team))
    return team


def _clean_team(data: Mapping[str, Any], *, required: bool) -> dict[str, Any]:
    errors: dict[str, list[str]] = {
        n: ["This field does not exist here."] for n in set(data) - TEAM_FIELDS
    }
    clean: dict[str, Any] = {}
    if "name" in data or required:
        clean["name"] = str(data.get("name") or "").strip()
        if not clean["name"]:
            errors["name"] = ["A name is required."]
    if "description" in data:
        clean["description"] = str(data["description"] or "")
    _raise_if(errors)
    return clean


def team_update(
    *, actor: User, team_id: int, data: Mapping[str, Any], expected_version: int | None
) -> Team:
    with transaction.atomic():
        team = selectors.access_team(actor, team_id, for_write=True)
        team = Team.objects.select_for_update().get(pk=team.pk)
        _check_version(team.name, team.version, expected_version)
        before = snapshot(team)
        for name, value in _clean_team(data, required=False).items():
            setattr(team, name, value)
        after = snapshot(team)
        if after != before:
            team.version += 1
            _save(team)
            audit_record(actor=actor, action=Action.UPDATE, obj=team, before=before, after=after)
        return team


def team_set_members(
    *, actor: User, team_id: int, person_ids: Iterable[int], expected_version: int | None
) -> Team:
    """Make exactly these people the team's members. Audited on the team (members before and
    after). Everyone who joins or leaves gets a new version too: their teams are part of their
    record, so an edit of it opened before this change cannot silently undo it."""
    wanted = set(person_ids)
    with transaction.atomic():
        team = selectors.access_team(actor, team_id, for_write=True)
        team = Team.objects.select_for_update().get(pk=team.pk)
        _check_version(team.name, team.version, expected_version)
        missing = wanted - set(Person.objects.filter(pk__in=wanted).values_list("pk", flat=True))
        if missing:
            message = f"No person with id {', '.join(map(str, sorted(missing)))}."
            raise InvalidInput(f"person_ids: {message}", fields={"person_ids": [message]})
        before = sorted(team.members.values_list("pk", flat=True))
        if sorted(wanted) == before:
            return team
        team.members.set(wanted)
        moved = wanted.symmetric_difference(before)
        Person.objects.filter(pk__in=moved).update(version=F("version") + 1)
        team.version += 1
        _save(team)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=team,
            before={"members": before},
            after={"members": sorted(wanted)},
        )
        return team


def team_delete(*, actor: User, team_id: int, expected_version: int | None) -> None:
    with transaction.atomic():
        team = selectors.access_team(actor, team_id, for_write=True)
        _check_version(team.name, team.version, expected_version)
        before = snapshot(team)
        pk = team.pk
        team.delete()
        team.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=team, before=before)
