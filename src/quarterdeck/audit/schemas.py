"""The audit log at the HTTP edge."""

# Annotations stay real objects (no `from __future__ import annotations`): Ninja's PatchDict
# rebuilds these schemas at run time from their annotations.
from datetime import datetime
from typing import Any

from ninja import Field, Schema

from quarterdeck.audit.models import Action
from quarterdeck.lib.api_edge import Id, ShortText


class AuditEntryOut(Schema):
    id: int
    at: datetime
    action: Action
    actor_id: int | None
    actor_label: str = Field(description="The actor's e-mail address at the time, or 'system'.")
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, list[Any]] = Field(
        description="Per changed field: [before, after]; before is null on create, after on delete."
    )


class AuditFilters(Schema):
    object_type: ShortText | None = Field(
        None,
        description="product_line, product, feature, person, team, user, apitoken, vision, "
        "pillar, outcome, key_result, check_in or key_result_check_in.",
    )
    object_id: ShortText | None = None
    actor_id: Id | None = None
    action: Action | None = None
