"""Filters of the admin-only pages."""

from __future__ import annotations

from typing import Any

from django import forms

from quarterdeck.accounts.models import Role, User
from quarterdeck.accounts.selectors import list_users
from quarterdeck.audit.models import Action
from quarterdeck.web.forms.common import PageForm, id_choices, optional_id, set_choices

OBJECT_TYPES = [
    ("product_line", "Product line"),
    ("product", "Product"),
    ("feature", "Feature"),
    ("person", "Person"),
    ("team", "Team"),
    ("user", "User"),
    ("apitoken", "API token"),
]


class AuditFilter(PageForm):
    object_type = forms.ChoiceField(
        label="Object type", choices=[("", "Any type"), *OBJECT_TYPES], required=False
    )
    actor = optional_id("Actor")
    action = forms.ChoiceField(choices=[("", "Any action"), *Action.choices], required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any):
        super().__init__(*args, **kwargs)
        set_choices(self, "actor", id_choices(list_users(user), empty=("", "Anyone")))


class UserFilter(PageForm):
    q = forms.CharField(label="Search e-mail", required=False, max_length=100)
    role = forms.ChoiceField(choices=[("", "Any role"), *Role.choices], required=False)
