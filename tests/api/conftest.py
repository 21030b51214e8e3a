from __future__ import annotations

from collections.abc import Callable

import pytest

from quarterdeck.accounts.models import User
from tests.api.client import Api
from tests.personas import Personas


@pytest.fixture
def api_as(personas: Personas) -> Callable[[User | None], Api]:
    """api_as(user) -> an Api client for that user; api_as(None) sends no credentials."""
    return Api
