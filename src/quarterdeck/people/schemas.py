"""The product team at the HTTP edge: people, teams, the org chart and what a person owns."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from typing import Self

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.lib.api_edge import Id, LongText, SearchText, ShortText
from quarterdeck.people.models import Function, Level, Person, Team
from quarterdeck.people.selectors import OrgNode
from quarterdeck.portfolio.schemas import FeatureOut, LineOut, ProductOut

# Input ----------------------------------------------------------------------------------------


class PersonIn(Schema):
    """PUT replaces all these fields: a field left out gets its default."""

    model_config = ConfigDict(extra="forbid")

    name: ShortText
    email: ShortText | None = Field(None, description="Work e-mail address; unique.")
    title: ShortText = ""
    function: Function = Function.PRODUCT
    level: Level | None = Field(None, description="Career level; partners usually have none.")
    manager_id: Id | None = Field(None, description="The person this one reports to.")
    team_ids: list[Id] = Field(default_factory=list)
    user_id: Id | None = Field(None, description="The user account of this person, if any.")
    location: ShortText = ""


class PersonFilters(Schema):
    manager_id: Id | None = None
    team_id: Id | None = None
    function: Function | None = None
    level: Level | None = None
    search: SearchText | None = None


class TeamIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: ShortText
    description: LongText = ""


# Output ---------------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    name: str
    email: str | None
    title: str
    function: Function
    level: Level | None
    role_label: str
    manager_id: int | None
    manager_name: str | None
    team_ids: list[int]
    user_id: int | None
    location: str
    version: int

    @staticmethod
    def resolve_level(obj: Person) -> str | None:
        return obj.level or None

    @staticmethod
    def resolve_manager_name(obj: Person) -> str | None:
        return obj.manager.name if obj.manager is not None else None

    @staticmethod
    def resolve_team_ids(obj: Person) -> list[int]:
        # .all() reads the prefetched teams of a list; a single person costs one query.
        return sorted(team.pk for team in obj.teams.all())


class TeamOut(Schema):
    id: int
    name: str
    description: str
    member_ids: list[int]
    version: int

    @staticmethod
    def resolve_member_ids(obj: Team) -> list[int]:
        return sorted(person.pk for person in obj.members.all())


class OrgNodeOut(Schema):
    id: int
    name: str
    title: str
    role_label: str
    reports: list["OrgNodeOut"]

    @classmethod
    def of(cls, node: OrgNode) -> Self:
        person = node.person
        return cls(
            id=person.pk,
            name=person.name,
            title=person.title,
            role_label=person.role_label,
            reports=[cls.of(child) for child in node.reports],
        )


class OwnedOut(Schema):
    """What a person owns in the portfolio."""

    lines: list[LineOut]
    products: list[ProductOut]
    features: list[FeatureOut]
