"""Sign in (throttled), sign out and password change, on Django's auth views."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy

from quarterdeck.accounts.services import login_blocked, login_failed, login_succeeded

BLOCKED = (
    "Too many failed sign-in attempts for this address. Wait 15 minutes and try again, "
    "or ask an admin to reset your password."
)


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a forwarded-for header is set by whoever sends the request.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


class LoginView(auth_views.LoginView):
    """Django's login, with failed attempts counted per address and per client (accounts
    services); once blocked, the password is not even checked and the answer is 429."""

    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = str(request.POST.get("username", "")).strip()
        if login_blocked(email=email, ip=client_ip(request)):
            # An unbound form: binding it would check the password, which is what we refuse.
            form = AuthenticationForm(request, initial={"username": email})
            context = self.get_context_data(form=form, blocked=BLOCKED)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        email = str(form.data.get("username", "")).strip()
        login_failed(email=email, ip=client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        login_succeeded(email=form.get_user().get_username())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "web/account/password.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, "Your password was changed.")
        return super().form_valid(form)


logout = auth_views.LogoutView.as_view()
