"""Reads of event sources and their warnings, and who may see and manage them.

Leaders and admins manage sources; members and managers read them (without the full write
key); contributors and viewers do not see them. `source_for_key` is the ingestion door: the
write key itself is the credential there.
"""

from __future__ import annotations

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import Role, User
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.metrics.models import IngestionWarning, Source

READ_ROLES = {Role.ADMIN, Role.LEADER, Role.MANAGER, Role.MEMBER}
SHOWN_WARNINGS = 100


def may_read_sources(user: User) -> bool:
    return user.is_active and user.role in READ_ROLES


def may_manage_sources(user: User) -> bool:
    return rules.changes_everything(user)


def _check_read(user: User) -> None:
    if not may_read_sources(user):
        raise NotAllowed("Only members, managers, leaders and admins see event sources.")


def check_manage(user: User) -> None:
    if not may_manage_sources(user):
        raise NotAllowed("Only leaders and admins manage event sources.")


def access_source(user: User, source_id: int, *, for_write: bool = False) -> Source:
    """The one door to a source: 403 for roles that may not see (or change) it, 404 if absent."""
    _check_read(user)
    if for_write:
        check_manage(user)
    source = Source.objects.prefetch_related("products").filter(pk=source_id).first()
    if source is None:
        raise NotFound(f"There is no event source with id {source_id}.")
    return source


def list_sources(user: User) -> QuerySet[Source]:
    _check_read(user)
    return Source.objects.prefetch_related("products")


def list_warnings(user: User, source_id: int) -> QuerySet[IngestionWarning]:
    source = access_source(user, source_id)
    return source.warnings.all()[:SHOWN_WARNINGS]


def source_for_key(write_key: str) -> Source | None:
    """The source a write key belongs to, revoked or not (the caller refuses revoked keys)."""
    if not write_key or len(write_key) > 64:
        return None
    return Source.objects.filter(write_key=write_key).first()


def source_by_name(name: str) -> Source:
    """For the operator at the command line, who sees every source."""
    source = Source.objects.filter(name__iexact=name.strip()).first()
    if source is None and name.strip().isdigit():
        source = Source.objects.filter(pk=int(name.strip())).first()
    if source is None:
        raise NotFound(f"There is no event source named {name!r}.")
    return source


def product_ids_named(names: tuple[str, ...] | list[str]) -> list[int]:
    """For the operator: products by name, or by 'Line/Product' when a name is not unique."""
    from quarterdeck.portfolio.models import Product

    ids = []
    for name in names:
        line, _, product = name.strip().rpartition("/")
        found = Product.objects.filter(name__iexact=product.strip())
        if line:
            found = found.filter(line__name__iexact=line.strip())
        matches = list(found.values_list("pk", flat=True)[:2])
        if not matches:
            raise NotFound(f"There is no product named {name!r}.")
        if len(matches) > 1:
            raise InvalidInput(f"Several products are named {name!r}; write it as 'Line/Product'.")
        ids.append(matches[0])
    return ids
