"""Reads of the audit log: all of it for admins, an object's history for whoever may read it."""

from __future__ import annotations

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.models import AuditEntry
from quarterdeck.lib.errors import NotAllowed


def list_audit_entries(
    actor: User,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
) -> QuerySet[AuditEntry]:
    if not rules.is_admin(actor):
        raise NotAllowed("Only admins see the audit log.")
    qs = AuditEntry.objects.select_related("actor")
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor_id is not None:
        qs = qs.filter(actor_id=actor_id)
    if action:
        qs = qs.filter(action=action)
    return qs


# The object types services record, for object_history (and the audit log's filter).
HISTORY_TYPES = (
    "product_line",
    "product",
    "feature",
    "person",
    "team",
    "user",
    "apitoken",
    "vision",
    "pillar",
    "outcome",
    "key_result",
    "check_in",
    "key_result_check_in",
    "feedback_item",
    "portal",
)


def object_history(object_type: str, object_id: int) -> QuerySet[AuditEntry]:
    """An object's history (``object_type`` one of HISTORY_TYPES). Callers pass the object
    through its access_* door first."""
    return AuditEntry.objects.filter(
        object_type=object_type, object_id=str(object_id)
    ).select_related("actor")


PORTFOLIO_TYPES = ("product_line", "product", "feature")


def recent_portfolio_changes(actor: User, *, limit: int = 10) -> QuerySet[AuditEntry]:
    """The latest changes to portfolio items, which every signed-in user may read."""
    if not (actor.is_authenticated and actor.is_active):
        raise NotAllowed("Sign in to see the portfolio.")
    qs = AuditEntry.objects.filter(object_type__in=PORTFOLIO_TYPES).select_related("actor")
    return qs[:limit]
