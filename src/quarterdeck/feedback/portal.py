"""The idea portal of a product line: its settings, ideas submitted through it, and votes.

A public portal takes ideas and votes from anyone with the link, who gives an e-mail address
(so they can be told when the idea ships); a signed-in portal takes them from colleagues who
may add feedback (not viewers), under their own name. One vote per e-mail address per idea.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from django.db import IntegrityError, transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.feedback import selectors
from quarterdeck.feedback.models import FeedbackItem, Portal, Source, Visibility, Vote
from quarterdeck.feedback.services import clean_email, clean_text, feedback_create
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.models import Product, ProductLine
from quarterdeck.portfolio.selectors import line_subtree_ids, may_change_item

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PORTAL_FIELDS: Final = {"slug", "title", "intro", "visibility", "enabled"}


# Settings -------------------------------------------------------------------------------------


def _portal_errors(data: Mapping[str, Any], portal: Portal | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in sorted(set(data) - PORTAL_FIELDS):
        errors[name] = ["Not a field of a portal."]
    slug = data.get("slug")
    if slug is not None and (not SLUG.match(str(slug)) or len(str(slug)) > 80):
        errors["slug"] = ["Lower-case letters, digits and dashes, e.g. 'platform-ideas'."]
    elif slug is not None and _taken(str(slug), portal):
        errors["slug"] = [f"The address {slug!r} is taken by another portal."]
    if "title" in data and not str(data["title"] or "").strip():
        errors["title"] = ["Give the portal a title."]
    if "visibility" in data and data["visibility"] not in Visibility.values:
        errors["visibility"] = [f"One of {', '.join(Visibility.values)}."]
    return errors


def _taken(slug: str, portal: Portal | None) -> bool:
    others = Portal.objects.filter(slug=slug)
    if portal is not None:
        others = others.exclude(pk=portal.pk)
    return others.exists()


def portal_save(
    *,
    actor: User | None,
    line: ProductLine,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> Portal:
    """Create the line's portal, or change it (``expected_version``: lost-update check)."""
    if actor is not None and not may_change_item(actor, line):
        raise NotAllowed(f"You may not change the portal of “{line.name}”.")
    portal = Portal.objects.filter(line=line).first()
    if portal is None:
        data = {"slug": _default_slug(line), "title": f"{line.name} ideas", **data}
    if errors := _portal_errors(data, portal):
        summary = "; ".join(f"{k}: {v[0]}" for k, v in errors.items())
        raise InvalidInput(f"Invalid portal — {summary}", fields=errors)
    with transaction.atomic():
        return _store(actor, portal or Portal(line=line), data, expected_version)


def portal_create(*, actor: User | None, line: ProductLine, data: Mapping[str, Any]) -> Portal:
    """Open the line's portal; a line has one portal at most."""
    if Portal.objects.filter(line=line).exists():
        message = f"“{line.name}” has a portal already; change that one."
        raise InvalidInput(message, fields={"line_id": [message]})
    return portal_save(actor=actor, line=line, data=data)


def _store(
    actor: User | None, portal: Portal, data: Mapping[str, Any], expected_version: int | None
) -> Portal:
    creating = portal.pk is None
    if not creating and expected_version is not None and portal.version != expected_version:
        raise VersionConflict(
            f"The portal “{portal.title}” was changed by someone else; reload it.",
            current_version=portal.version,
        )
    before = {} if creating else snapshot(portal)
    for name, value in data.items():
        setattr(portal, name, value.strip() if isinstance(value, str) else value)
    if not creating:
        portal.version += 1
        portal.updated_at = timezone.now()
    try:
        with transaction.atomic():
            portal.save()
    except IntegrityError:
        raise InvalidInput("That address is taken.", fields={"slug": ["Taken."]}) from None
    audit_record(actor=actor, action=Action.CREATE if creating else Action.UPDATE, obj=portal,
                 before=before, after=snapshot(portal), object_type="portal")  # fmt: skip
    return portal


def _default_slug(line: ProductLine) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", line.name.lower()).strip("-") or "portal"
    slug, n = base[:70], 1
    while Portal.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base[:70]}-{n}"
    return slug


def portal_delete(*, actor: User | None, portal: Portal, expected_version: int | None) -> None:
    if actor is not None and not selectors.may_manage_portal(actor, portal):
        raise NotAllowed(f"You may not delete the portal “{portal.title}”.")
    if expected_version is not None and portal.version != expected_version:
        raise VersionConflict(
            "The portal was changed since you read it.", current_version=portal.version
        )
    with transaction.atomic():
        before, pk = snapshot(portal), portal.pk
        portal.delete()
        portal.pk = pk
        audit_record(actor=actor, action=Action.DELETE, obj=portal, before=before,
                     object_type="portal")  # fmt: skip


# Ideas and votes ------------------------------------------------------------------------------


def _voter(portal: Portal, user: User | None, email: str, name: str) -> tuple[str, str]:
    """(e-mail, name) of whoever acts on the portal; NotAllowed/InvalidInput when they may not."""
    if user is not None and portal.visibility == Visibility.SIGNED_IN:
        if not selectors.may_add_feedback(user):
            raise NotAllowed("Viewers read the portal; they do not submit or vote.")
        return user.email, user.name
    if user is None and portal.visibility == Visibility.SIGNED_IN:
        raise selectors.SignInRequired(f"Sign in to take part in “{portal.title}”.")
    if user is not None and not email:
        return user.email, user.name
    try:
        address = clean_email(email)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"email": [str(exc)]}) from None
    if not address:
        message = "Give your e-mail address: we tell you when your idea ships."
        raise InvalidInput(message, fields={"email": [message]})
    return address.lower(), name.strip()[:200]  # one vote per address, whatever its case


def _portal_product(portal: Portal, product_id: int | None) -> int | None:
    if product_id is None:
        return None
    lines = line_subtree_ids(portal.line_id)
    if not Product.objects.filter(pk=product_id, line_id__in=lines).exists():
        known = Product.objects.filter(line_id__in=lines).order_by("name")
        names = ", ".join(known.values_list("name", flat=True)) or "none"
        message = f"Not a product of {portal.line.name} (its products: {names})."
        raise InvalidInput(f"product_id: {message}", fields={"product_id": [message]})
    return product_id


def portal_submit(
    *,
    portal: Portal,
    user: User | None,
    name: str,
    email: str,
    text: str,
    product_id: int | None = None,
) -> FeedbackItem:
    """A new public idea on the portal, processed at once (duplicates show up for triage)."""
    address, who = _voter(portal, user, email, name)
    try:
        clean_text(text)
    except ValueError as exc:
        raise InvalidInput(str(exc), fields={"text": [str(exc)]}) from None
    data = {
        "text": text, "source": Source.PORTAL, "submitter_email": address,
        "submitter_name": who, "product_id": _portal_product(portal, product_id),
        "line_id": portal.line_id, "public": True,
    }  # fmt: skip
    return feedback_create(actor=None, data=data, created_by=user)


def vote_cast(
    *, portal: Portal, item: FeedbackItem, user: User | None, email: str = "", name: str = ""
) -> FeedbackItem:
    """One vote per e-mail address: voting again changes nothing."""
    address, who = _voter(portal, user, email, name)
    with transaction.atomic():
        Vote.objects.get_or_create(
            item=item, voter_email=address, defaults={"voter": user, "voter_name": who}
        )
        return _recount(item)


def vote_withdraw(
    *, portal: Portal, item: FeedbackItem, user: User | None, email: str = ""
) -> FeedbackItem:
    address, _ = _voter(portal, user, email, "")
    with transaction.atomic():
        Vote.objects.filter(item=item, voter_email=address).delete()
        return _recount(item)


def _recount(item: FeedbackItem) -> FeedbackItem:
    item.votes = Vote.objects.filter(item=item).count()
    FeedbackItem.objects.filter(pk=item.pk).update(votes=item.votes)
    return item
