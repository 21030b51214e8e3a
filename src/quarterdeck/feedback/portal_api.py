"""Portal endpoints: a line's portal settings, and the ideas and votes on it.

The ideas, votes and a portal's settings are readable without signing in when the portal is
public (anonymous visitors give their e-mail address to submit or vote); a signed-in portal
answers 401 to anonymous visitors and 403 to viewers who try to submit or vote. Submitters'
contacts are never shown on a portal.
"""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.utils import check_csrf

from quarterdeck.accounts.models import User
from quarterdeck.accounts.services import token_authenticate
from quarterdeck.feedback import portal, selectors
from quarterdeck.feedback.models import FeedbackItem, Portal
from quarterdeck.feedback.schemas import IdeaIn, IdeaOut, PortalIn, PortalOut, PortalPatch, VoteIn
from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    as_data,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
)
from quarterdeck.lib.http import etag, if_match_version
from quarterdeck.lib.pagination import Pagination
from quarterdeck.portfolio.selectors import access_line

router = Router(tags=["feedback portals"])
Slug = str


class Visitor:
    """Who calls a portal endpoint: a user (token or session), or nobody (truthy for Ninja)."""

    def __init__(self, user: User | None) -> None:
        self.user = user


def visitor_auth(request: HttpRequest) -> Visitor:
    """Like the API's own authentication, but an anonymous caller is let through (the portal
    door decides). A bad token is refused; a session still needs its CSRF token on writes."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = token_authenticate(header[7:].strip())
        if user is None:
            raise HttpError(401, "That token is not valid (revoked or unknown).")
        request.user = user
        return Visitor(user)
    if isinstance(request.user, User) and request.user.is_authenticated:
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check Failed")
        return Visitor(request.user)
    request.user = AnonymousUser()
    return Visitor(None)


def _who(request: HttpRequest) -> User | None:
    auth = getattr(request, "auth", None)
    return auth.user if isinstance(auth, Visitor) else None


def portal_out(item: Portal, response: HttpResponse | None = None) -> dict[str, Any]:
    if response is not None:
        response["ETag"] = etag(item.version)
    fields = ("slug", "title", "intro", "visibility", "enabled", "version")
    return {
        **{f: getattr(item, f) for f in fields},
        "line": {"id": item.line_id, "name": item.line.name},
    }


def idea_out(item: FeedbackItem) -> dict[str, Any]:
    product = None if item.product is None else {"id": item.product.pk, "name": item.product.name}
    fields = ("id", "text", "received_at", "votes", "status")
    return {**{f: getattr(item, f) for f in fields}, "product": product}


@router.get("/portals", response={200: list[PortalOut], **errors(403)})
@paginate(Pagination)
def portal_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every product line's portal (signed-in users)."""
    return [portal_out(p) for p in selectors.list_portals(api_user(request))]


@router.post(
    "/portals", response={201: PortalOut, **errors(400, 403, 404)}, openapi_extra=etag_doc(201)
)
def portal_create(
    request: HttpRequest, payload: PortalIn, response: HttpResponse
) -> Status[dict[str, Any]]:
    """Open a product line's portal (whoever may change the line)."""
    user = api_user(request)
    data = as_data(payload)
    line = access_line(user, data.pop("line_id"), for_write=True)
    data = {k: v for k, v in data.items() if v != "" or k == "intro"}  # blank: the defaults
    return Status(201, portal_out(portal.portal_create(actor=user, line=line, data=data), response))


@router.get(
    "/portals/{slug}",
    response={200: PortalOut, **errors(403, 404)},
    auth=visitor_auth,
    openapi_extra=etag_doc(200),
)
def portal_get(request: HttpRequest, slug: Slug, response: HttpResponse) -> dict[str, Any]:
    """A portal's settings: anyone for a public portal, signed-in users for the others."""
    return portal_out(selectors.access_portal(_who(request), slug), response)


@router.patch(
    "/portals/{slug}",
    response={200: PortalOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def portal_patch(
    request: HttpRequest, slug: Slug, payload: PatchDict[PortalPatch], response: HttpResponse
) -> dict[str, Any]:
    user = api_user(request)
    found = selectors.access_portal(user, slug, for_write=True)
    saved = portal.portal_save(
        actor=user,
        line=found.line,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    return portal_out(saved, response)


@router.delete(
    "/portals/{slug}",
    response={204: None, **errors(403, 404, 412, 428)},
    openapi_extra=if_match_doc(None),
)
def portal_delete(request: HttpRequest, slug: Slug) -> Status[None]:
    """Close the portal; its ideas stay in the inbox."""
    user = api_user(request)
    found = selectors.access_portal(user, slug, for_write=True)
    portal.portal_delete(actor=user, portal=found, expected_version=if_match_version(request))
    return no_content()


@router.get(
    "/portals/{slug}/items", response={200: list[IdeaOut], **errors(403, 404)}, auth=visitor_auth
)
@paginate(Pagination)
def portal_ideas(request: HttpRequest, slug: Slug) -> list[dict[str, Any]]:
    """The portal's ideas, most voted first."""
    found = selectors.access_portal(_who(request), slug)
    return [idea_out(item) for item in selectors.portal_items(found)]


@router.post(
    "/portals/{slug}/items", response={201: IdeaOut, **errors(400, 403, 404)}, auth=visitor_auth
)
def portal_submit(request: HttpRequest, slug: Slug, payload: IdeaIn) -> Status[dict[str, Any]]:
    """Submit an idea: anonymous visitors of a public portal give their e-mail address."""
    user = _who(request)
    found = selectors.access_portal(user, slug)
    item = portal.portal_submit(
        portal=found, user=user, name=payload.name, email=payload.email, text=payload.text,
        product_id=payload.product_id,
    )  # fmt: skip
    return Status(201, idea_out(item))


@router.post(
    "/portals/{slug}/items/{item_id}/vote",
    response={200: IdeaOut, **errors(400, 403, 404)},
    auth=visitor_auth,
)
def portal_vote(request: HttpRequest, slug: Slug, item_id: Id, payload: VoteIn) -> dict[str, Any]:
    """Vote for an idea; one vote per e-mail address (voting again changes nothing)."""
    user = _who(request)
    found = selectors.access_portal(user, slug)
    item = selectors.access_portal_item(found, item_id)
    voted = portal.vote_cast(
        portal=found, item=item, user=user, email=payload.email, name=payload.name
    )
    return idea_out(voted)


class WithdrawQuery(Schema):
    email: str = ""


@router.delete(
    "/portals/{slug}/items/{item_id}/vote",
    response={200: IdeaOut, **errors(400, 403, 404)},
    auth=visitor_auth,
)
def portal_unvote(
    request: HttpRequest, slug: Slug, item_id: Id, query: Query[WithdrawQuery]
) -> dict[str, Any]:
    """Withdraw a vote (anonymous visitors name the e-mail address they voted with)."""
    user = _who(request)
    found = selectors.access_portal(user, slug)
    item = selectors.access_portal_item(found, item_id)
    return idea_out(portal.vote_withdraw(portal=found, item=item, user=user, email=query.email))
