"""What the operator at the command line may read and do without signing in: they run the
server, so they see every account, token and migration. Only the CLI imports this module."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet

from quarterdeck.accounts.models import ApiToken, Role, User
from quarterdeck.lib.errors import NotFound


def user_by_email(email: str) -> User:
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        raise NotFound(f"There is no user with the e-mail address {email!r}.")
    return user


def token_by_id(token_id: int) -> ApiToken:
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        raise NotFound(f"There is no token with id {token_id}.")
    return token


def all_tokens(email: str | None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user")
    return tokens.filter(user=user_by_email(email)) if email else tokens


def has_admin() -> bool:
    return User.objects.filter(role=Role.ADMIN, is_active=True).exists()


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
