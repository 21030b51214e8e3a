"""People and teams in the Django admin, for operators; edits are audited (AuditedAdmin)."""

from __future__ import annotations

from django.contrib import admin

from quarterdeck.audit.admin import AuditedAdmin
from quarterdeck.people.models import Person, Team


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("name", "title", "function", "level", "manager", "email")
    list_filter = ("function", "level", "teams")
    search_fields = ("name", "email", "title")
    autocomplete_fields = ("manager", "user")
    filter_horizontal = ("teams",)
    readonly_fields = ("version",)


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
    readonly_fields = ("version",)
