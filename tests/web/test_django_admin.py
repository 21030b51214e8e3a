"""The Django admin for operators: every model is there, and edits made there are audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib import admin
from django.test import Client

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import AuditEntry
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]
APPS = {"accounts", "people", "portfolio", "audit"}


def test_every_model_has_working_admin_pages(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.admin)
    models = [m for m in admin.site._registry if m._meta.app_label in APPS]
    assert {m._meta.model_name for m in models} >= {
        "user",
        "apitoken",
        "loginfailure",
        "person",
        "team",
        "productline",
        "product",
        "feature",
        "stagechange",
        "auditentry",
    }
    for model in models:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        first = model._default_manager.first()
        if first is not None:
            assert client.get(f"{base}{first.pk}/change/").status_code == 200, base
    assert client.get("/admin/accounts/user/add/").status_code == 200


def test_admin_edits_bump_the_version_and_are_audited(
    personas: Personas, client_for: ClientFor
) -> None:
    atlas = personas.atlas
    data = {
        "name": "Atlas Maps",
        "description": "",
        "owner": personas.people["mia"].pk,
        "stage": "build",
        "target_segments": "[]",
        "links": "[]",
        "line": personas.platform.pk,
    }
    response = client_for(personas.admin).post(f"/admin/portfolio/product/{atlas.pk}/change/", data)
    assert response.status_code == 302
    atlas.refresh_from_db()
    assert (atlas.name, atlas.version) == ("Atlas Maps", 2)
    entry = AuditEntry.objects.get(object_type="product", object_id=str(atlas.pk), action="update")
    assert entry.changes["name"] == ["Atlas", "Atlas Maps"]
    assert entry.actor == personas.admin


def test_the_audit_log_cannot_be_edited_in_the_admin(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.admin)
    client.post(f"/portfolio/products/{personas.beacon.pk}/edit/", {})  # an invalid edit: no entry
    client.post(f"/portfolio/features/{personas.search.pk}/delete/", {"version": 1})
    entry = AuditEntry.objects.get(object_type="feature", action="delete")
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert (
        client_for(personas.leader).get("/admin/").status_code == 302
    )  # not staff: sent to the admin login


def test_operators_add_users_in_the_admin(personas: Personas, client_for: ClientFor) -> None:
    data = {
        "email": "new.pm@example.com",
        "name": "New PM",
        "role": "member",
        "usable_password": "true",
        "password1": "a-long-enough-passphrase-7",
        "password2": "a-long-enough-passphrase-7",
    }
    response = client_for(personas.admin).post("/admin/accounts/user/add/", data)
    assert response.status_code == 302
    user = User.objects.get(email="new.pm@example.com")
    assert user.role == "member"
    assert not user.is_staff
    assert user.check_password("a-long-enough-passphrase-7")
    assert AuditEntry.objects.filter(
        object_type="user", object_id=str(user.pk), action="create"
    ).exists()
