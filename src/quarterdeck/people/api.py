"""REST endpoints of the product team: people, teams, the org chart and ownership."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import PatchDict, Query, Router, Status
from ninja.pagination import paginate

from quarterdeck.audit.models import AuditEntry
from quarterdeck.audit.schemas import AuditEntryOut
from quarterdeck.audit.selectors import object_history
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
from quarterdeck.people import selectors, services
from quarterdeck.people.models import Person, Team
from quarterdeck.people.schemas import (
    OrgNodeOut,
    OwnedOut,
    PersonFilters,
    PersonIn,
    PersonOut,
    TeamIn,
    TeamOut,
)
from quarterdeck.portfolio.selectors import list_features, list_lines, list_products

router = Router(tags=["people"])

READ = errors(404)
CREATE = errors(400, 403)
WRITE = errors(400, 403, 404, 412, 428)


# People ---------------------------------------------------------------------------------------


@router.get("/people", response={200: list[PersonOut], **errors()})
@paginate(Pagination)
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> QuerySet[Person]:
    return selectors.list_people(api_user(request), **as_data(filters))


@router.post("/people", response={201: PersonOut, **CREATE}, openapi_extra=etag_doc(201))
def person_create(
    request: HttpRequest, payload: PersonIn, response: HttpResponse
) -> Status[Person]:
    person = services.person_create(actor=api_user(request), data=as_data(payload))
    return Status(201, tagged(response, person))


@router.get("/people/{person_id}", response={200: PersonOut, **READ}, openapi_extra=etag_doc(200))
def person_get(request: HttpRequest, person_id: Id, response: HttpResponse) -> Person:
    return tagged(response, selectors.access_person(api_user(request), person_id))


def _person_update(request: HttpRequest, person_id: int, payload: Any) -> Person:
    actor = api_user(request)
    selectors.access_person(actor, person_id, for_write=True)  # 404 and 403 before 428
    return services.person_update(
        actor=actor,
        person_id=person_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )


@router.put("/people/{person_id}", response={200: PersonOut, **WRITE}, openapi_extra=if_match_doc())
def person_replace(
    request: HttpRequest, person_id: Id, payload: PersonIn, response: HttpResponse
) -> Person:
    return tagged(response, _person_update(request, person_id, payload))


@router.patch(
    "/people/{person_id}", response={200: PersonOut, **WRITE}, openapi_extra=if_match_doc()
)
def person_patch(
    request: HttpRequest, person_id: Id, payload: PatchDict[PersonIn], response: HttpResponse
) -> Person:
    return tagged(response, _person_update(request, person_id, payload))


@router.delete(
    "/people/{person_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None)
)
def person_delete(request: HttpRequest, person_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_person(actor, person_id, for_write=True)  # 404 and 403 before 428
    services.person_delete(
        actor=actor, person_id=person_id, expected_version=if_match_version(request)
    )
    return no_content()


@router.get("/people/{person_id}/history", response={200: list[AuditEntryOut], **READ})
@paginate(Pagination)
def person_history(request: HttpRequest, person_id: Id) -> QuerySet[AuditEntry]:
    person = selectors.access_person(api_user(request), person_id)
    return object_history("person", person.pk)


@router.get("/people/{person_id}/owns", response={200: OwnedOut, **READ})
def person_owns(request: HttpRequest, person_id: Id) -> dict[str, Any]:
    """The product lines, products and features the person owns."""
    user = api_user(request)
    owner_id = selectors.access_person(user, person_id).pk
    return {
        "lines": list_lines(user, owner_id=owner_id),
        "products": list_products(user, owner_id=owner_id),
        "features": list_features(user, owner_id=owner_id),
    }


@router.get("/org-chart", response={200: list[OrgNodeOut], **errors()})
def org_chart(request: HttpRequest) -> list[OrgNodeOut]:
    """Everyone, nested by reporting line; the roots are the people without a manager."""
    return [OrgNodeOut.of(root) for root in selectors.org_tree(api_user(request))]


# Teams ----------------------------------------------------------------------------------------


@router.get("/teams", response={200: list[TeamOut], **errors()})
@paginate(Pagination)
def team_list(request: HttpRequest) -> QuerySet[Team]:
    return selectors.list_teams(api_user(request))


@router.post("/teams", response={201: TeamOut, **CREATE}, openapi_extra=etag_doc(201))
def team_create(request: HttpRequest, payload: TeamIn, response: HttpResponse) -> Status[Team]:
    team = services.team_create(actor=api_user(request), data=as_data(payload))
    return Status(201, tagged(response, team))


@router.get("/teams/{team_id}", response={200: TeamOut, **READ}, openapi_extra=etag_doc(200))
def team_get(request: HttpRequest, team_id: Id, response: HttpResponse) -> Team:
    return tagged(response, selectors.access_team(api_user(request), team_id))


def _team_update(request: HttpRequest, team_id: int, payload: Any) -> Team:
    actor = api_user(request)
    selectors.access_team(actor, team_id, for_write=True)  # 404 and 403 before 428
    return services.team_update(
        actor=actor,
        team_id=team_id,
        data=as_data(payload),
        expected_version=if_match_version(request),
    )


@router.put("/teams/{team_id}", response={200: TeamOut, **WRITE}, openapi_extra=if_match_doc())
def team_replace(
    request: HttpRequest, team_id: Id, payload: TeamIn, response: HttpResponse
) -> Team:
    return tagged(response, _team_update(request, team_id, payload))


@router.patch("/teams/{team_id}", response={200: TeamOut, **WRITE}, openapi_extra=if_match_doc())
def team_patch(
    request: HttpRequest, team_id: Id, payload: PatchDict[TeamIn], response: HttpResponse
) -> Team:
    return tagged(response, _team_update(request, team_id, payload))


@router.delete("/teams/{team_id}", response={204: None, **WRITE}, openapi_extra=if_match_doc(None))
def team_delete(request: HttpRequest, team_id: Id) -> Status[None]:
    actor = api_user(request)
    selectors.access_team(actor, team_id, for_write=True)  # 404 and 403 before 428
    services.team_delete(actor=actor, team_id=team_id, expected_version=if_match_version(request))
    return no_content()


@router.get("/teams/{team_id}/history", response={200: list[AuditEntryOut], **READ})
@paginate(Pagination)
def team_history(request: HttpRequest, team_id: Id) -> QuerySet[AuditEntry]:
    team = selectors.access_team(api_user(request), team_id)
    return object_history("team", team.pk)
