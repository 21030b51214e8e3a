"""Signed share links. The token in the URL is ``django.core.signing`` of the link's id and a
random nonce (salted, so a token of another part of the app is never valid here); only its
SHA-256 is stored, so a copy of the database cannot rebuild a working link. A link that is
unknown, tampered with, revoked or expired is simply not found (404): the public page does not
say which, so nobody can probe for links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core import signing
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotFound
from quarterdeck.roadmap.models import RoadmapView, ShareLink

SALT = "quarterdeck.roadmap.share-link"
NOT_FOUND = "This roadmap link does not exist, or it was revoked or has expired."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_new(
    view: RoadmapView, label: str, expires_at: dt.datetime | None, actor: User | None
) -> tuple[ShareLink, str]:
    """Create the link row and its token (the caller holds the transaction)."""
    placeholder = secrets.token_hex(32)  # unique until the real hash, which needs the id
    link = ShareLink.objects.create(
        view=view, label=label, token_hash=placeholder, expires_at=expires_at,
        created_by=actor if actor is not None and actor.pk else None,
    )  # fmt: skip
    token = signing.dumps({"l": link.pk, "n": secrets.token_urlsafe(12)}, salt=SALT, compress=True)
    link.token_hash = token_hash(token)
    link.save(update_fields=["token_hash"])
    return link, token


def link_for_token(token: str) -> ShareLink:
    """The live link behind a token, or NotFound (unknown, tampered, revoked or expired)."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise NotFound(NOT_FOUND) from None
    link = ShareLink.objects.select_related("view").filter(token_hash=token_hash(token)).first()
    if link is None or not isinstance(payload, dict) or payload.get("l") != link.pk:
        raise NotFound(NOT_FOUND)
    if not link_is_live(link):
        raise NotFound(NOT_FOUND)
    return link


def link_is_live(link: ShareLink, now: dt.datetime | None = None) -> bool:
    moment = now or timezone.now()
    return link.revoked_at is None and (link.expires_at is None or link.expires_at > moment)


def link_touch(link: ShareLink) -> None:
    """Record the use (shown to the owner as "last used"); not audited, it is not a change."""
    link.last_used_at = timezone.now()
    ShareLink.objects.filter(pk=link.pk).update(last_used_at=link.last_used_at)
