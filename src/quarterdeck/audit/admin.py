"""The audit log in the Django admin: read-only. Also the mixin that audits admin edits."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import Form
from django.http import HttpRequest

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action, AuditEntry
from quarterdeck.audit.services import audit_record, snapshot


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Edits made by operators in the Django admin are audited and bump the row's version, like
    the services' writes, so every change stays attributable and stale edits elsewhere fail."""

    audit_exclude: tuple[str, ...] = ()

    def _actor(self, request: HttpRequest) -> User | None:
        return request.user if isinstance(request.user, User) else None

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        with transaction.atomic():
            before = (
                snapshot(type(obj).objects.get(pk=obj.pk), exclude=self.audit_exclude)
                if change
                else {}
            )
            if change and hasattr(obj, "version"):
                obj.version += 1
            super().save_model(request, obj, form, change)
            after = snapshot(obj, exclude=self.audit_exclude)
            action = Action.UPDATE if change else Action.CREATE
            audit_record(
                actor=self._actor(request),
                action=action,
                obj=obj,
                before=before,
                after=after,
                object_type=self.audit_type(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            before, pk = snapshot(obj, exclude=self.audit_exclude), obj.pk
            super().delete_model(request, obj)
            obj.pk = pk
            audit_record(
                actor=self._actor(request),
                action=Action.DELETE,
                obj=obj,
                before=before,
                object_type=self.audit_type(obj),
            )

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def audit_type(self, obj: models.Model) -> str | None:
        """The object_type the services use for this model (None: the model's own name)."""
        return None


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "actor_label", "action", "object_type", "object_id", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "actor_label", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
