from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from quarterdeck.accounts.models import User
from quarterdeck.accounts.services import token_create
from tests.personas import Personas

Upload = Callable[..., Any]


@pytest.fixture
def upload(personas: Personas) -> Upload:
    """upload(name, content, user=leader, skip_invalid=False) -> the API's response."""

    def send(
        name: str, content: bytes, *, user: User | None = None, skip_invalid: bool = False
    ) -> Any:
        actor = user or personas.leader
        _, raw = token_create(actor=actor, user=actor, name="tests")
        data = {
            "file": SimpleUploadedFile(name, content),
            "skip_invalid": str(skip_invalid).lower(),
        }
        return Client().post("/api/v1/import", data, headers={"Authorization": f"Bearer {raw}"})

    return send
