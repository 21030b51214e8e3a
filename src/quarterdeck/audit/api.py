"""REST endpoints of the audit log (admins only; each object's history lives with the object)."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from quarterdeck.audit.models import AuditEntry
from quarterdeck.audit.schemas import AuditEntryOut, AuditFilters
from quarterdeck.audit.selectors import list_audit_entries
from quarterdeck.lib.api_edge import api_user, as_data, errors
from quarterdeck.lib.pagination import Pagination

router = Router(tags=["audit"])


@router.get("/audit", response={200: list[AuditEntryOut], **errors(403)})
@paginate(Pagination)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> QuerySet[AuditEntry]:
    """Every create, update and delete, newest first."""
    return list_audit_entries(api_user(request), **as_data(filters))
