"""A client for /api/v1, authenticated with a personal access token like a real script."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.test import Client

from quarterdeck.accounts.models import User
from quarterdeck.accounts.services import token_create

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

PREFIX = "/api/v1"


class Api:
    """Calls /api/v1 as one user. Paths are relative to /api/v1; bodies are sent as JSON."""

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is not None:
            _, raw = token_create(actor=user, user=user, name="tests")
            self.headers["Authorization"] = f"Bearer {raw}"

    def get(self, path: str, **query: Any) -> Response:
        return self.client.get(PREFIX + path, query, headers=self.headers)

    def send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        if_match: int | str | None = None,
        raw: str | bytes | None = None,
    ) -> Response:
        headers = dict(self.headers)
        if if_match is not None:
            headers["If-Match"] = f'"{if_match}"' if isinstance(if_match, int) else if_match
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return self.client.generic(
            method, PREFIX + path, data, content_type="application/json", headers=headers
        )

    def post(self, path: str, body: Any) -> Response:
        return self.send("POST", path, body)

    def put(self, path: str, body: Any, *, if_match: int | str | None = None) -> Response:
        return self.send("PUT", path, body, if_match=if_match)

    def patch(self, path: str, body: Any, *, if_match: int | str | None = None) -> Response:
        return self.send("PATCH", path, body, if_match=if_match)

    def delete(self, path: str, *, if_match: int | str | None = None) -> Response:
        return self.send("DELETE", path, if_match=if_match)


def etag_of(response: Response) -> int:
    return int(response.headers["ETag"].strip('"'))
