"""Load the demo company: the sign-ins, then the portfolio and people through the import service
(so every object is audited, as "system"). Loading twice changes nothing: what exists is kept."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.accounts.services import user_create
from quarterdeck.demo.company import DEMO_PASSWORD, LOGINS, Login
from quarterdeck.demo.history import history
from quarterdeck.lib.progress import Progress
from quarterdeck.transfer import reading
from quarterdeck.transfer.schema import Row, Tables
from quarterdeck.transfer.services import ImportResult, transfer_import_tables
from quarterdeck.transfer.text import path_names

DATA_FILES = ("teams.csv", "people.csv", "lines.csv", "products.csv", "features.csv")


class DemoDataBroken(Exception):
    """The packaged demo data does not import: a bug in Quarterdeck, not in the user's setup."""


@dataclass(frozen=True)
class DemoResult:
    users_created: int
    portfolio: ImportResult

    @property
    def already_loaded(self) -> bool:
        return self.users_created == 0 and not any(self.portfolio.created.values())


def demo_tables(now: dt.datetime) -> Tables:
    folder = resources.files("quarterdeck.demo") / "data"
    files = {name: (folder / name).read_bytes() for name in DATA_FILES}
    tables = reading.read_files("demo", files)
    changes = []
    for row in tables["lines"]:
        path = (*path_names(row.values.get("parent", "")), row.values["name"])
        changes += history("line", path, row.values["stage"], now)
    for row in tables["products"]:
        path = (*path_names(row.values["line"]), row.values["name"])
        changes += history("product", path, row.values["stage"], now)
    for row in tables["features"]:
        path = (*path_names(row.values["line"]), row.values["product"], row.values["name"])
        changes += history("feature", path, row.values["stage"], now)
    tables["stage_changes"] = [
        Row("stage_changes", "demo history", number, values)
        for number, values in enumerate(changes, start=1)
    ]
    return tables


def _ensure_login(login: Login) -> bool:
    if User.objects.filter(email=login.email).exists():
        return False
    data = {"email": login.email, "name": login.name, "role": login.role, "password": DEMO_PASSWORD}
    user_create(actor=None, data=data)
    return True


def demo_load(*, progress: Progress | None = None) -> DemoResult:
    """Create what is missing of the demo company; return what was created."""
    with transaction.atomic():
        users_created = sum(_ensure_login(login) for login in LOGINS)
        tables = demo_tables(timezone.now())
        result = transfer_import_tables(
            actor=None, tables=tables, skip_invalid=False, progress=progress
        )
        if not result.written:
            raise DemoDataBroken("; ".join(str(issue) for issue in result.errors[:5]))
    return DemoResult(users_created, result)
