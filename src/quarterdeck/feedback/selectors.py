"""Reads of the feedback inbox: who may do what, the one door per object, the filtered list.

Rules: every active signed-in user reads feedback; everyone but viewers adds it; the write
roles (admin, leader, manager, member) triage it and see the submitters' contacts — others see
contacts only on the items they added themselves. A portal is read by anyone when it is public
and enabled, by signed-in users when it is ``signed_in``; it is changed by whoever may change
its product line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import Role, User
from quarterdeck.feedback.models import (
    DuplicateCandidate,
    DuplicateState,
    FeedbackItem,
    FeedbackLink,
    LinkState,
    Portal,
    Theme,
    Visibility,
)
from quarterdeck.lib.errors import DomainError, NotAllowed, NotFound
from quarterdeck.portfolio.selectors import line_subtree_ids, may_change_item

Viewer = User | AnonymousUser | None


class SignInRequired(DomainError):
    """The object exists but only signed-in users may see it (401 at the API, login on pages)."""

    status = 401


def signed_in(user: Viewer) -> User | None:
    """The user when signed in and active, else None (anonymous)."""
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def may_read_feedback(user: Viewer) -> bool:
    return signed_in(user) is not None


def may_add_feedback(user: Viewer) -> bool:
    active = signed_in(user)
    return active is not None and active.role != Role.VIEWER


def may_triage(user: Viewer) -> bool:
    active = signed_in(user)
    return active is not None and rules.may_write_portfolio(active)


def may_see_contacts(user: Viewer, item: FeedbackItem) -> bool:
    active = signed_in(user)
    if active is None:
        return False
    return rules.may_write_portfolio(active) or item.created_by_id == active.pk


def may_edit_item(user: Viewer, item: FeedbackItem) -> bool:
    """Triagers edit every item; a contributor edits the items they added."""
    active = signed_in(user)
    if active is None:
        return False
    return may_triage(active) or (may_add_feedback(active) and item.created_by_id == active.pk)


# Doors ----------------------------------------------------------------------------------------


def _check_read(user: Viewer) -> None:
    if not may_read_feedback(user):
        raise NotAllowed("Sign in to see feedback.")


def access_feedback(user: Viewer, item_id: int, *, for_write: bool = False) -> FeedbackItem:
    _check_read(user)
    qs = FeedbackItem.objects.select_related("product", "line", "theme", "created_by")
    item = qs.filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"There is no feedback item with id {item_id}.")
    if for_write and not may_edit_item(user, item):
        raise NotAllowed("You may not change this feedback item (members and up triage it).")
    return item


def access_theme(user: Viewer, theme_id: int, *, for_write: bool = False) -> Theme:
    _check_read(user)
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise NotFound(f"There is no theme with id {theme_id}.")
    if for_write and not may_triage(user):
        raise NotAllowed("Only members and up change themes.")
    return theme


def may_manage_portal(user: Viewer, portal: Portal) -> bool:
    active = signed_in(user)
    return active is not None and may_change_item(active, portal.line)


def access_portal(user: Viewer, slug: str, *, for_write: bool = False) -> Portal:
    """A disabled portal is hidden (404) from all but its managers; a signed-in-only portal
    asks anonymous visitors to sign in (401)."""
    portal = Portal.objects.select_related("line").filter(slug=slug).first()
    if portal is None:
        raise NotFound(f"There is no portal {slug!r}.")
    if for_write:
        if signed_in(user) is None:
            raise SignInRequired("Sign in to manage this portal.")
        if not may_manage_portal(user, portal):
            raise NotAllowed(f"You may not change the portal “{portal.title}”.")
        return portal
    if not portal.enabled and not may_manage_portal(user, portal):
        raise NotFound(f"There is no portal {slug!r}.")
    if portal.visibility == Visibility.SIGNED_IN and signed_in(user) is None:
        raise SignInRequired(f"Sign in to see the portal “{portal.title}”.")
    return portal


def list_portals(user: Viewer) -> QuerySet[Portal]:
    _check_read(user)
    return Portal.objects.select_related("line").order_by("title")


def portal_items(portal: Portal) -> QuerySet[FeedbackItem]:
    """The portal's public ideas (merged duplicates left out), most voted first. Callers pass
    the portal through access_portal first."""
    lines = line_subtree_ids(portal.line_id)
    qs = FeedbackItem.objects.filter(public=True, duplicate_of__isnull=True)
    qs = qs.filter(Q(line_id__in=lines) | Q(product__line_id__in=lines))
    return qs.select_related("product").order_by("-votes", "-received_at", "-pk")


def access_portal_item(portal: Portal, item_id: int) -> FeedbackItem:
    item = portal_items(portal).filter(pk=item_id).first()
    if item is None:
        raise NotFound(f"There is no idea {item_id} on the portal “{portal.title}”.")
    return item


# The inbox ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackFilters:
    q: str = ""
    status: str = ""
    source: str = ""
    product_id: int | None = None
    line_id: int | None = None
    theme_id: int | None = None
    feature_id: int | None = None
    sentiment: str = ""
    tag: str = ""
    account: str = ""
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    has_duplicates: bool | None = None


def _open_duplicates() -> Exists:
    open_ = DuplicateCandidate.objects.filter(state=DuplicateState.SUGGESTED)
    return Exists(open_.filter(Q(item=OuterRef("pk")) | Q(original=OuterRef("pk"))))


def _tagged(qs: QuerySet[FeedbackItem], tag: str) -> QuerySet[FeedbackItem]:
    if connection.features.supports_json_field_contains:
        return qs.filter(tags__contains=[tag])
    # SQLite stores the list as JSON text: match the quoted tag.
    return qs.filter(tags__icontains=f'"{tag}"')


def _by_place(qs: QuerySet[FeedbackItem], f: FeedbackFilters) -> QuerySet[FeedbackItem]:
    if f.product_id is not None:
        qs = qs.filter(product_id=f.product_id)
    if f.line_id is not None:
        lines = line_subtree_ids(f.line_id)
        qs = qs.filter(Q(line_id__in=lines) | Q(product__line_id__in=lines))
    if f.theme_id is not None:
        qs = qs.filter(theme_id=f.theme_id)
    if f.feature_id is not None:
        links = FeedbackLink.objects.filter(feature_id=f.feature_id).exclude(
            state=LinkState.REJECTED
        )
        qs = qs.filter(pk__in=links.values("item_id"))
    return qs


def filtered_feedback(f: FeedbackFilters, *, contacts: bool = True) -> QuerySet[FeedbackItem]:
    """The items matching the filters, newest first — no permission check (the operator's CLI;
    everything else goes through list_feedback). Without ``contacts`` the account filter finds
    nothing and the search reads the text only, so hidden accounts cannot be found by name."""
    qs = FeedbackItem.objects.select_related("product", "line", "theme")
    exact = {"status": f.status, "source": f.source, "sentiment": f.sentiment}
    qs = qs.filter(**{name: value for name, value in exact.items() if value})
    if f.account:
        by_account = Q(account=f.account) | Q(account_name__iexact=f.account)
        qs = qs.filter(by_account) if contacts else qs.none()
    if f.q:
        by_account = Q(account_name__icontains=f.q) if contacts else Q(pk__in=[])
        qs = qs.filter(Q(text__icontains=f.q) | by_account)
    if f.tag:
        qs = _tagged(qs, f.tag)
    if f.since is not None:
        qs = qs.filter(received_at__gte=f.since)
    if f.until is not None:
        qs = qs.filter(received_at__lte=f.until)
    if f.has_duplicates is not None:
        qs = qs.filter(_open_duplicates()) if f.has_duplicates else qs.exclude(_open_duplicates())
    return _by_place(qs, f).order_by("-received_at", "-pk")


def list_feedback(user: Viewer, f: FeedbackFilters | None = None) -> QuerySet[FeedbackItem]:
    _check_read(user)
    active = signed_in(user)
    contacts = active is not None and rules.may_write_portfolio(active)
    return filtered_feedback(f or FeedbackFilters(), contacts=contacts)


def feedback_counts(user: Viewer, f: FeedbackFilters | None = None) -> dict[str, dict[str, int]]:
    """Facet counts of the filtered inbox: per status, source, sentiment and theme id."""
    qs = list_feedback(user, f).order_by()
    counts: dict[str, dict[str, int]] = {}
    for name in ("status", "source", "sentiment", "theme_id"):
        rows: Any = qs.values_list(name).annotate(n=Count("pk"))
        counts[name] = {str(key or ""): n for key, n in rows}
    return counts


def duplicates_of_item(user: Viewer, item: FeedbackItem) -> QuerySet[DuplicateCandidate]:
    """The candidates the item is part of (either side), best first."""
    _check_read(user)
    qs = DuplicateCandidate.objects.filter(Q(item=item) | Q(original=item))
    return qs.select_related("item", "original").order_by("-score", "pk")


def access_candidate(
    user: Viewer, candidate_id: int, *, for_write: bool = False
) -> DuplicateCandidate:
    _check_read(user)
    qs = DuplicateCandidate.objects.select_related("item", "original")
    candidate = qs.filter(pk=candidate_id).first()
    if candidate is None:
        raise NotFound(f"There is no duplicate candidate with id {candidate_id}.")
    if for_write and not may_triage(user):
        raise NotAllowed("Only members and up merge or dismiss duplicates.")
    return candidate
