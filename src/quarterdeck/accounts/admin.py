"""Users and API tokens in the Django admin, for operators; user edits are audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest

from quarterdeck.accounts.models import ApiToken, LoginFailure, Role, User
from quarterdeck.audit.admin import AuditedAdmin


class UserCreateForm(AdminUserCreationForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("email", "name", "role")


class UserEditForm(UserChangeForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin[User]):
    form = UserEditForm
    add_form = UserCreateForm
    audit_exclude = ("last_login",)
    ordering = ("email",)
    list_display = ("email", "name", "role", "is_active", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("email", "name")
    readonly_fields = ("version", "last_login", "date_joined", "is_staff", "is_superuser")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("name", "role", "is_active")}),
        (
            "Record",
            {"fields": ("is_staff", "is_superuser", "last_login", "date_joined", "version")},
        ),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "name", "role", "password1", "password2")},
        ),
    )
    filter_horizontal = ()

    def save_model(self, request: HttpRequest, obj: Any, form: forms.Form, change: bool) -> None:
        # Django admin access follows the role, as in accounts.services.
        obj.is_staff = obj.is_superuser = obj.role == Role.ADMIN
        super().save_model(request, obj, form, change)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__email", "prefix")
    readonly_fields = ("user", "name", "prefix", "token_hash", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return (
            False  # tokens are made on the account page or with the CLI: the raw value shows once
        )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Failed sign-ins kept for the throttle; delete an address's rows to unblock it early."""

    list_display = ("email", "ip", "at")
    search_fields = ("email", "ip")
    readonly_fields = ("email", "ip", "at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
