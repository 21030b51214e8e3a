"""Shared pieces of the HTTP API edge: input types the database can hold, the error body, ETags.

Ids are bounded so an absurd number answers 422 instead of overflowing the database driver;
free text refuses NUL characters, which PostgreSQL cannot store.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, Protocol

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema, Status

from quarterdeck.lib.errors import InvalidInput
from quarterdeck.lib.http import etag

if TYPE_CHECKING:
    from quarterdeck.accounts.models import User

MAX_ID = 2**63 - 1
NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
ShortText = Annotated[str, Field(max_length=200, pattern=NO_NUL)]
LongText = Annotated[str, Field(max_length=20_000, pattern=NO_NUL)]
SearchText = Annotated[str, Field(max_length=200, pattern=NO_NUL, description="Part of the name.")]


class ErrorOut(Schema):
    """Every error: a sentence for people and, per input field, what is wrong with it."""

    message: str
    fields: dict[str, list[str]] = Field(default_factory=dict)
    current_version: int | None = Field(
        None, description="On 412 only: the version the object has now."
    )


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """Documented error answers of an operation; 401 and 422 apply to every one."""
    return dict.fromkeys(sorted({401, 422, *codes}), ErrorOut)


def etag_doc(status: int) -> dict[str, Any]:
    """OpenAPI for an answer that carries the object's ETag."""
    header = {
        "description": "The object's version, quoted: send it back as If-Match to change it.",
        "required": True,
        "schema": {"type": "string"},
    }
    return {"responses": {status: {"headers": {"ETag": header}}}}


def if_match_doc(status: int | None = 200) -> dict[str, Any]:
    """OpenAPI for a write that needs If-Match (and, with a status, answers with the new ETag)."""
    parameter = {
        "in": "header",
        "name": "If-Match",
        "required": True,
        "description": "The ETag you read. Missing: 428; no longer current: 412.",
        "schema": {"type": "string"},
    }
    return {"parameters": [parameter], **(etag_doc(status) if status else {})}


class Versioned(Protocol):
    version: int


def tagged[V: Versioned](response: HttpResponse, obj: V) -> V:
    """Set the object's ETag on the response and hand the object on, for `return tagged(...)`."""
    response["ETag"] = etag(obj.version)
    return obj


def no_content() -> Status[None]:
    return Status(204, None)


def as_data(payload: Any) -> dict[str, Any]:
    """A write body as the services expect it: plain values, enums as their string values."""
    data = payload.model_dump(mode="json") if isinstance(payload, Schema) else dict(payload)
    return {name: getattr(value, "value", value) for name, value in data.items()}


def api_user(request: HttpRequest) -> User:
    """The signed-in user of an API call (the API's authentication guarantees one)."""
    from quarterdeck.accounts.models import User

    user = request.user
    assert isinstance(user, User)
    return user


def json_mapping(raw: str, example: str) -> dict[str, str]:
    """A CSV import's ``mapping`` form field: a JSON object of CSV column → field, else a 400
    naming the field (``example`` shows the shape, e.g. '{"Comment": "text"}')."""
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise InvalidInput(
            f"mapping: a JSON object of CSV column → field, e.g. {example}.",
            fields={"mapping": ["Not a JSON object of strings."]},
        )
    return value
