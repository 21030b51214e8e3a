"""REST endpoints of the audit log (admins only; each object's history lives with the object)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import AuditEntry
from quarterdeck.audit.schemas import AuditEntryOut, AuditFilters
from quarterdeck.audit.selectors import list_audit_entries
from quarterdeck.lib.api_edge import as_data, errors
from quarterdeck.lib.pagination import Pagination

router = Router(tags=["audit"])


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # the API's authentication guarantees a user
    return request.user


@router.get("/audit", response={200: list[AuditEntryOut], **errors(403)})
@paginate(Pagination)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> QuerySet[AuditEntry]:
    """Every create, update and delete, newest first."""
    return list_audit_entries(_actor(request), **as_data(filters))
