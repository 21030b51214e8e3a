"""The account page: profile, role and personal API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from quarterdeck.accounts import rules
from quarterdeck.accounts.selectors import list_tokens
from quarterdeck.accounts.services import token_create, token_revoke
from quarterdeck.web.forms.account import TokenForm
from quarterdeck.web.views.common import user_of


def _page(
    request: HttpRequest, form: TokenForm, *, status: int = 200, **extra: Any
) -> HttpResponse:
    user = user_of(request)
    context = {
        "account": user,
        "person": rules.person_of(user),
        "tokens": list_tokens(user),
        "form": form,
        **extra,
    }
    return render(request, "web/account/account.html", context, status=status)


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _page(request, TokenForm())


@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    """Creates a token and shows its raw value in this one response; it is stored only hashed."""
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    user = user_of(request)
    token, raw = token_create(actor=user, user=user, name=form.cleaned_data["name"])
    return _page(request, TokenForm(), new_token=token, raw_token=raw)


@require_POST
def token_delete(request: HttpRequest, pk: int) -> HttpResponse:
    token = token_revoke(actor=user_of(request), token_id=pk)
    messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("account")
