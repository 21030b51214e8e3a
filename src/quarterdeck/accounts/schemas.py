"""User accounts and personal access tokens at the HTTP edge. Password and token hashes never
leave the server; a new token's raw value is shown once, in the answer that creates it."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

from quarterdeck.accounts.models import Role
from quarterdeck.lib.api_edge import NO_NUL, SearchText, ShortText
from quarterdeck.people.schemas import PersonOut


class UserIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=254, pattern=NO_NUL)
    name: ShortText = ""
    role: Role = Role.VIEWER
    is_active: bool = True
    password: str | None = Field(
        None,
        max_length=200,
        description="Write-only. Leave out for an account that signs in by other means only.",
    )


class UserFilters(Schema):
    role: Role | None = None
    search: SearchText | None = Field(None, description="Part of the e-mail address.")


class UserOut(Schema):
    id: int
    email: str
    name: str
    role: Role
    is_active: bool
    date_joined: datetime
    last_login: datetime | None
    version: int


class MeOut(Schema):
    user: UserOut
    person: PersonOut | None = Field(description="The team member this account belongs to.")


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field("token", max_length=100, pattern=NO_NUL)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to recognise it.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    is_active: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The token itself. Shown only now: store it safely.")
