"""Users, /me, personal access tokens and authentication through /api/v1."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.accounts.models import ApiToken, User
from quarterdeck.accounts.services import token_create
from tests.api.client import Api, etag_of
from tests.personas import Personas

pytestmark = pytest.mark.django_db

ApiAs = Callable[[User | None], Api]
SECRETS = ("password", "token_hash", "md5$", "argon2")


def test_admin_creates_lists_reads_and_changes_users(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.admin)
    created = api.post(
        "/users",
        {
            "email": "Nora@Example.com",
            "name": "Nora",
            "role": "member",
            "password": "x7!kite-lamp-22",
        },
    )
    assert created.status_code == 201, created.json()
    user = created.json()
    assert (user["email"], user["role"], user["is_active"]) == ("nora@example.com", "member", True)
    assert not any(secret in created.content.decode() for secret in SECRETS)

    members = api.get("/users", role="member").json()
    assert [u["email"] for u in members["items"]] == [
        "mia@example.com",
        "nora@example.com",
        "otto@example.com",
    ]
    assert [u["email"] for u in api.get("/users", search="nora").json()["items"]] == [
        "nora@example.com"
    ]
    got = api.get(f"/users/{user['id']}")
    assert etag_of(got) == 1
    assert not any(secret in got.content.decode() for secret in SECRETS)

    changed = api.patch(f"/users/{user['id']}", {"role": "manager"}, if_match=1)
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["role"], etag_of(changed)) == ("manager", 2)
    assert api.patch(f"/users/{user['id']}", {"name": "N"}, if_match=1).status_code == 412
    assert api.patch(f"/users/{user['id']}", {"name": "N"}).status_code == 428


@pytest.mark.parametrize("role", ["leader", "manager", "member", "contributor", "viewer"])
def test_user_endpoints_are_for_admins_only(personas: Personas, api_as: ApiAs, role: str) -> None:
    api = api_as(personas.by_role()[role])
    admin_id = personas.admin.pk
    assert api.get("/users").status_code == 403
    assert api.get(f"/users/{admin_id}").status_code == 403
    assert api.post("/users", {"email": "x@example.com"}).status_code == 403
    assert api.patch(f"/users/{admin_id}", {"role": "viewer"}, if_match=1).status_code == 403
    assert api.patch(f"/users/{admin_id}", {"role": "viewer"}).status_code == 403
    assert User.objects.get(pk=admin_id).role == "admin"


def test_me_shows_the_user_and_their_person(personas: Personas, api_as: ApiAs) -> None:
    me = api_as(personas.member).get("/me").json()
    assert me["user"]["email"] == "mia@example.com"
    assert me["person"]["name"] == "Mia Member"
    assert me["person"]["manager_name"] == "Max Manager"
    nobody = User.objects.create_user("solo@example.com", "pw-for-solo-user-1")
    assert api_as(nobody).get("/me").json()["person"] is None


def test_tokens_are_created_listed_used_and_revoked(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.member)
    created = api.post("/me/tokens", {"name": "laptop script"})
    assert created.status_code == 201, created.json()
    token = created.json()
    assert token["token"].startswith("qd_")
    assert token["token"].startswith(token["prefix"])
    assert token["last_used_at"] is None

    script = Client()
    bearer = {"Authorization": f"Bearer {token['token']}"}
    assert script.get("/api/v1/me", headers=bearer).json()["user"]["email"] == "mia@example.com"

    listed = api.get("/me/tokens").json()
    mine = {t["id"]: t for t in listed["items"]}
    assert mine[token["id"]]["last_used_at"] is not None
    assert "token" not in mine[token["id"]]  # the raw value is shown only once
    assert not any(secret in json.dumps(listed) for secret in SECRETS)
    assert not any(t["prefix"] == "" for t in listed["items"])

    assert api.delete(f"/me/tokens/{token['id']}").status_code == 204
    refused = script.get("/api/v1/me", headers=bearer)
    assert refused.status_code == 401
    assert "Authentication required" in refused.json()["message"]
    revoked = {t["id"]: t for t in api.get("/me/tokens").json()["items"]}[token["id"]]
    assert revoked["revoked_at"] is not None
    assert revoked["is_active"] is False


def test_tokens_of_others_are_neither_listed_nor_revocable(
    personas: Personas, api_as: ApiAs
) -> None:
    theirs, _ = token_create(actor=personas.outsider, user=personas.outsider, name="otto's")
    api = api_as(personas.member)
    assert theirs.pk not in [t["id"] for t in api.get("/me/tokens").json()["items"]]
    assert api.delete(f"/me/tokens/{theirs.pk}").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_no_or_bad_credentials_get_401(personas: Personas, api_as: ApiAs) -> None:
    anonymous = api_as(None)
    for path in ("/lines", "/people", "/me", "/audit", "/portfolio/tree"):
        response = anonymous.get(path)
        assert response.status_code == 401, path
        assert response.json()["message"].startswith("Authentication required")
    assert anonymous.post("/lines", {"name": "X"}).status_code == 401
    bogus = Client().get("/api/v1/me", headers={"Authorization": "Bearer qd_not-a-real-token"})
    assert bogus.status_code == 401


def test_inactive_users_tokens_are_refused(personas: Personas, api_as: ApiAs) -> None:
    api = api_as(personas.viewer)
    User.objects.filter(pk=personas.viewer.pk).update(is_active=False)
    assert api.get("/me").status_code == 401


def test_session_writes_need_the_csrf_token(personas: Personas) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.leader)
    body = json.dumps({"name": "Via the browser"})
    refused = browser.post("/api/v1/lines", body, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["message"]
    assert browser.get("/api/v1/lines").status_code == 200  # reads need no token

    browser.get("/api/v1/docs")  # any page that renders the token sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/v1/lines", body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201, accepted.json()
