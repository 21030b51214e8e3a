"""REST endpoints of accounts: users (admins only), the signed-in user and their tokens."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from quarterdeck.accounts import rules, selectors, services
from quarterdeck.accounts.models import ApiToken, User
from quarterdeck.accounts.schemas import (
    MeOut,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    UserFilters,
    UserIn,
    UserOut,
)
from quarterdeck.lib.api_edge import (
    Id,
    api_user,
    as_data,
    errors,
    etag_doc,
    if_match_doc,
    no_content,
    tagged,
)
from quarterdeck.lib.http import if_match_version
from quarterdeck.lib.pagination import Pagination

router = Router(tags=["accounts"])


@router.get("/users", response={200: list[UserOut], **errors(403)})
@paginate(Pagination)
def user_list(request: HttpRequest, filters: Query[UserFilters]) -> QuerySet[User]:
    return selectors.list_users(api_user(request), **as_data(filters))


@router.post("/users", response={201: UserOut, **errors(400, 403)}, openapi_extra=etag_doc(201))
def user_create(request: HttpRequest, payload: UserIn, response: HttpResponse) -> Status[User]:
    user = services.user_create(actor=api_user(request), data=as_data(payload))
    return Status(201, tagged(response, user))


@router.get(
    "/users/{user_id}", response={200: UserOut, **errors(403, 404)}, openapi_extra=etag_doc(200)
)
def user_get(request: HttpRequest, user_id: Id, response: HttpResponse) -> User:
    return tagged(response, selectors.access_user(api_user(request), user_id))


@router.patch(
    "/users/{user_id}",
    response={200: UserOut, **errors(400, 403, 404, 412, 428)},
    openapi_extra=if_match_doc(),
)
def user_patch(
    request: HttpRequest, user_id: Id, payload: PatchDict[UserIn], response: HttpResponse
) -> User:
    actor = api_user(request)
    selectors.access_user(actor, user_id)  # non-admins get 403 before the If-Match check
    user = services.user_update(
        actor=actor,
        user_id=user_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )
    return tagged(response, user)


@router.get("/me", response={200: MeOut, **errors()})
def me(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user and, when there is one, the team member they are."""
    user = api_user(request)
    return {"user": user, "person": rules.person_of(user)}


@router.get("/me/tokens", response={200: list[TokenOut], **errors()})
@paginate(Pagination)
def token_list(request: HttpRequest) -> QuerySet[ApiToken]:
    return selectors.list_tokens(api_user(request))


@router.post("/me/tokens", response={201: TokenCreatedOut, **errors(400)})
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    actor = api_user(request)
    token, raw = services.token_create(actor=actor, user=actor, name=payload.name)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": raw})


@router.delete("/me/tokens/{token_id}", response={204: None, **errors(404)})
def token_revoke(request: HttpRequest, token_id: Id) -> Status[None]:
    """Revoke one of your tokens; it stops working at once."""
    services.token_revoke(actor=api_user(request), token_id=token_id)
    return no_content()
