"""Reads of users and tokens; only admins see other users."""

from __future__ import annotations

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import ApiToken, User
from quarterdeck.lib.errors import NotAllowed, NotFound


def access_user(actor: User, user_id: int) -> User:
    if not rules.is_admin(actor):
        raise NotAllowed("Only admins see user accounts.")
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    return user


def list_users(
    actor: User, *, role: str | None = None, search: str | None = None
) -> QuerySet[User]:
    if not rules.is_admin(actor):
        raise NotAllowed("Only admins see user accounts.")
    qs = User.objects.all()
    if role:
        qs = qs.filter(role=role)
    if search:
        qs = qs.filter(email__icontains=search)
    return qs


def list_tokens(actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor)
