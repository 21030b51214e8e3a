"""Sign in with throttling, sign out, password change and API tokens on the account page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from quarterdeck.accounts.models import ApiToken
from quarterdeck.accounts.services import token_authenticate
from tests.personas import PASSWORD, Personas

pytestmark = pytest.mark.django_db

ClientFor = Callable[..., Client]


def test_login_and_logout(personas: Personas, client: Client) -> None:
    page = client.get("/login/").content.decode()
    assert '<label for="id_username">E-mail</label>' in page
    assert 'autocomplete="current-password"' in page
    response = client.post("/login/", {"username": "lena@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/logout/").status_code == 405  # sign-out is a POST form
    assert client.post("/logout/")["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_sixth_bad_attempt_is_throttled_with_429(personas: Personas, client: Client) -> None:
    for _ in range(5):
        response = client.post("/login/", {"username": "mia@example.com", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct" in response.content.decode()
    blocked = client.post("/login/", {"username": "mia@example.com", "password": "wrong"})
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.content.decode()
    correct = client.post("/login/", {"username": "mia@example.com", "password": PASSWORD})
    assert correct.status_code == 429  # the password is not even checked while blocked
    other = client.post("/login/", {"username": "max@example.com", "password": PASSWORD})
    assert other.status_code == 302  # another address is not blocked


def test_successful_login_clears_earlier_failures(personas: Personas, client: Client) -> None:
    for _ in range(4):
        client.post("/login/", {"username": "mia@example.com", "password": "wrong"})
    assert (
        client.post("/login/", {"username": "mia@example.com", "password": PASSWORD}).status_code
        == 302
    )
    client.post("/logout/")
    for _ in range(4):
        client.post("/login/", {"username": "mia@example.com", "password": "wrong"})
    assert (
        client.post("/login/", {"username": "mia@example.com", "password": PASSWORD}).status_code
        == 302
    )


def test_password_change(personas: Personas, client_for: ClientFor) -> None:
    client = client_for(personas.member)
    weak = client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200
    assert "This password is too short" in weak.content.decode()
    new = "a-much-better-passphrase-42"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    assert client.post("/account/password/", data)["Location"] == "/account/"
    personas.member.refresh_from_db()
    assert personas.member.check_password(new)


def test_tokens_are_shown_once_and_can_be_revoked(
    personas: Personas, client_for: ClientFor
) -> None:
    client = client_for(personas.member)
    created = client.post("/account/tokens/", {"name": "CI export"}).content.decode()
    assert "shown only this once" in created
    raw = created.split('id="new-token" class="token-value" type="text" readonly value="')[1].split(
        '"'
    )[0]
    assert raw.startswith("qd_")
    assert token_authenticate(raw) == personas.member
    later = client.get("/account/").content.decode()
    assert "CI export" in later
    assert raw not in later
    token = ApiToken.objects.get(name="CI export")
    assert client.post(f"/account/tokens/{token.pk}/revoke/")["Location"] == "/account/"
    assert token_authenticate(raw) is None
    assert client.post("/account/tokens/", {"name": ""}).status_code == 400


def test_nobody_revokes_the_tokens_of_others(personas: Personas, client_for: ClientFor) -> None:
    client_for(personas.member).post("/account/tokens/", {"name": "mine"})
    token = ApiToken.objects.get(name="mine")
    assert (
        client_for(personas.outsider).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    )
    token.refresh_from_db()
    assert token.revoked_at is None
