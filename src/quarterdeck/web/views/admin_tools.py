"""Admin-only pages: the audit log and the users list (the selectors refuse everyone else)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quarterdeck.accounts.models import User
from quarterdeck.accounts.selectors import list_users
from quarterdeck.audit.selectors import list_audit_entries
from quarterdeck.lib.errors import NotAllowed
from quarterdeck.web.forms.admin_tools import AuditFilter, UserFilter
from quarterdeck.web.htmx import template_for, vary_on_htmx
from quarterdeck.web.readers import readable_history
from quarterdeck.web.views.common import user_of

PAGE_SIZE = 50


def _admin(request: HttpRequest) -> User:
    user = user_of(request)
    if not user.is_admin:
        raise NotAllowed("Only admins see this page.")
    return user


@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = AuditFilter(request.GET, user=user)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "object_type": data["object_type"] or None,
            "actor_id": data["actor"],
            "action": data["action"] or None,
        }
    page = Paginator(list_audit_entries(user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": readable_history(user, page.object_list),
        "query": query.urlencode(),
    }
    status = 200 if form.is_valid() else 400
    return vary_on_htmx(
        render(
            request,
            template_for(request, "web/admin_tools/audit.html", "results"),
            context,
            status=status,
        )
    )


@require_GET
def users(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = UserFilter(request.GET)
    filters = (
        {"role": form.cleaned_data["role"] or None, "search": form.cleaned_data["q"] or None}
        if form.is_valid()
        else {}
    )
    context = {"form": form, "users": list_users(user, **filters)}
    return render(
        request, "web/admin_tools/users.html", context, status=200 if form.is_valid() else 400
    )
