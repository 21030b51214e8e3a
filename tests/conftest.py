from __future__ import annotations

import pytest
from django.test import Client

from tests.personas import Personas, make_personas


@pytest.fixture
def personas(db: None) -> Personas:
    return make_personas()


@pytest.fixture
def client_for(client: Client):  # type: ignore[no-untyped-def]
    """client_for(user) -> a Django test client signed in as that user."""

    def make(user):  # type: ignore[no-untyped-def]
        c = Client(enforce_csrf_checks=False)
        if user is not None:
            c.force_login(user)
        return c

    return make
