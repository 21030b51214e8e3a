"""Writes to users and API tokens, and the login throttle."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import ApiToken, LoginFailure, Role, User, hash_token
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound, VersionConflict

TOKEN_PREFIX = "qd_"  # noqa: S105 - a marker, not a secret
USER_FIELDS = {"email", "name", "role", "is_active", "password"}


def _clean_user(user: User | None, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {
        n: ["This field does not exist here."] for n in set(data) - USER_FIELDS
    }
    clean: dict[str, Any] = {}
    if "email" in data:
        email = str(data["email"] or "").strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [f"{email!r} is not an e-mail address."]
        others = User.objects.filter(email=email)
        if (others.exclude(pk=user.pk) if user else others).exists():
            errors["email"] = ["A user with this e-mail address already exists."]
        clean["email"] = email
    if "name" in data:
        clean["name"] = str(data["name"] or "").strip()[:200]
    if "role" in data:
        if data["role"] not in Role.values:
            errors["role"] = [f"Unknown role; use one of {', '.join(Role.values)}."]
        clean["role"] = data["role"]
    if "is_active" in data:
        clean["is_active"] = bool(data["is_active"])
    if data.get("password") is not None:
        try:
            validate_password(data["password"], user)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
    if errors:
        name, messages = next(iter(errors.items()))
        raise InvalidInput(f"{name}: {messages[0]}", fields=errors)
    return clean


def user_create(*, actor: User | None, data: Mapping[str, Any]) -> User:
    """Create a user. ``actor=None`` is the operator at the command line (first admin, CLI)."""
    if actor is not None and not rules.is_admin(actor):
        raise NotAllowed("Only admins add users.")
    clean = _clean_user(None, {"email": "", **data})
    with transaction.atomic():
        user = User(**clean)
        user.is_staff = user.role == Role.ADMIN
        user.is_superuser = user.role == Role.ADMIN
        if data.get("password"):
            user.set_password(data["password"])
        else:
            user.set_unusable_password()
        user.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=user,
            after=snapshot(user, exclude=["last_login"]),
        )
    return user


def user_update(
    *, actor: User | None, user_id: int, data: Mapping[str, Any], expected_version: int | None
) -> User:
    if actor is not None and not rules.is_admin(actor):
        raise NotAllowed("Only admins change users.")
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=user_id).first()
        if user is None:
            raise NotFound(f"There is no user with id {user_id}.")
        if expected_version is not None and user.version != expected_version:
            raise VersionConflict(
                f"User {user.email} was changed by someone else; reload and try again.",
                current_version=user.version,
            )
        clean = _clean_user(user, data)
        before = snapshot(user, exclude=["last_login"])
        for name, value in clean.items():
            setattr(user, name, value)
        user.is_staff = user.is_superuser = user.role == Role.ADMIN
        if data.get("password"):
            user.set_password(data["password"])
        after = snapshot(user, exclude=["last_login"])
        if after != before or data.get("password"):
            user.version += 1
            user.save()
            audit_record(actor=actor, action=Action.UPDATE, obj=user, before=before, after=after)
        return user


def token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new personal access token; the raw value is returned once and stored only hashed."""
    if actor is not None and actor.pk != user.pk and not rules.is_admin(actor):
        raise NotAllowed("You may create tokens for yourself only.")
    name = name.strip() or "token"
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=raw[:10], token_hash=hash_token(raw)
    )
    audit_record(
        actor=actor, action=Action.CREATE, obj=token, after={"name": token.name, "user": user.pk}
    )
    return token, raw


def token_revoke(*, actor: User | None, token_id: int) -> ApiToken:
    """Revoke a token: its owner or an admin; ``actor=None`` is the operator at the command line."""
    token = ApiToken.objects.filter(pk=token_id).select_related("user").first()
    hidden = actor is not None and token is not None and token.user_id != actor.pk
    if token is None or (hidden and actor is not None and not rules.is_admin(actor)):
        raise NotFound(f"There is no token with id {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=token,
            before={"revoked": False},
            after={"revoked": True},
        )
    return token


def token_authenticate(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(token_hash=hash_token(raw)).first()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write last_used_at at most once a minute, so busy API clients do not write on every call.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def login_blocked(*, email: str, ip: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW)
    recent = LoginFailure.objects.filter(at__gte=since)
    limit = settings.LOGIN_THROTTLE_LIMIT
    return (
        recent.filter(email=email.lower()).count() >= limit
        or recent.filter(ip=ip).count() >= limit * 4
    )


def login_failed(*, email: str, ip: str) -> None:
    LoginFailure.objects.create(email=email.lower()[:254], ip=ip[:45])
    cutoff = timezone.now() - dt.timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW * 4)
    LoginFailure.objects.filter(at__lt=cutoff).delete()


def login_succeeded(*, email: str) -> None:
    LoginFailure.objects.filter(email=email.lower()).delete()
