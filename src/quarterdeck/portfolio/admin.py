"""The portfolio in the Django admin, for operators; edits are audited (AuditedAdmin)."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from quarterdeck.audit.admin import AuditedAdmin
from quarterdeck.portfolio.models import Feature, Product, ProductLine, StageChange

AUDIT_TYPES: dict[type[models.Model], str] = {
    ProductLine: "product_line",
    Product: "product",
    Feature: "feature",
}


class PortfolioItemAdmin(AuditedAdmin):
    list_display: tuple[str, ...] = ("name", "owner", "stage", "version", "updated_at")
    search_fields = ("name", "description")
    readonly_fields = ("version", "created_at", "updated_at")
    autocomplete_fields = ("owner",)

    def audit_type(self, obj: models.Model) -> str | None:
        return AUDIT_TYPES.get(type(obj))


@admin.register(ProductLine)
class ProductLineAdmin(PortfolioItemAdmin):
    list_display = ("name", "parent", "owner", "stage", "version", "updated_at")
    list_filter = ("stage",)


@admin.register(Product)
class ProductAdmin(PortfolioItemAdmin):
    list_display = ("name", "line", "owner", "stage", "version", "updated_at")
    list_filter = ("stage", "line")


@admin.register(Feature)
class FeatureAdmin(PortfolioItemAdmin):
    list_display = ("name", "product", "kind", "owner", "stage", "version", "updated_at")
    list_filter = ("stage", "kind")
    list_select_related = ("product", "owner")


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("at", "item_type", "item_id", "from_stage", "to_stage", "actor", "reason")
    list_filter = ("item_type", "to_stage")
    readonly_fields = ("item_type", "item_id", "from_stage", "to_stage", "reason", "actor", "at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # stage moves are recorded by the portfolio services, with who and why
