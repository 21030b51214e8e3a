"""The idea portal of a product line at /portal/<slug>/: its public ideas, most voted first,
with vote buttons, and a form to submit one. A public portal is open to anyone (who gives an
e-mail address to submit or vote); a sign-in-only portal sends visitors to sign in first."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from quarterdeck.feedback import portal as portal_services
from quarterdeck.feedback import selectors
from quarterdeck.feedback.forms import PortalSubmitForm, VoteForm
from quarterdeck.feedback.models import Portal
from quarterdeck.lib.errors import InvalidInput
from quarterdeck.portfolio.models import Product
from quarterdeck.portfolio.selectors import line_subtree_ids

EMAIL_KEY = "portal_email"  # a public portal's visitor gives their address once per session


def _visitor(request: HttpRequest) -> Any:
    return selectors.signed_in(request.user)


def _portal(view: Any) -> Any:
    """Open the portal through its door; a sign-in-only one sends visitors to sign in."""

    @wraps(view)
    def wrapped(request: HttpRequest, slug: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            portal = selectors.access_portal(_visitor(request), slug)
        except selectors.SignInRequired:
            return redirect_to_login(request.get_full_path())
        response: HttpResponse = view(request, portal, *args, **kwargs)
        return response

    return wrapped


def _products(portal: Portal) -> Any:
    return Product.objects.filter(line_id__in=line_subtree_ids(portal.line_id)).order_by("name")


def _page(
    request: HttpRequest, portal: Portal, form: PortalSubmitForm | None = None, status: int = 200
) -> HttpResponse:
    anonymous = _visitor(request) is None
    email = request.session.get(EMAIL_KEY, "")
    context = {
        "portal": portal,
        "ideas": list(selectors.portal_items(portal)[:200]),
        "form": form or PortalSubmitForm(products=_products(portal), ask_email=anonymous),
        "anonymous": anonymous,
        "vote_form": VoteForm(initial={"email": email}) if anonymous else None,
        "known_email": email,
        "may_manage": selectors.may_manage_portal(request.user, portal),
    }
    return render(request, "feedback/portal/index.html", context, status=status)


@require_GET
@_portal
def index(request: HttpRequest, portal: Portal) -> HttpResponse:
    return _page(request, portal)


@require_POST
@_portal
def submit(request: HttpRequest, portal: Portal) -> HttpResponse:
    anonymous = _visitor(request) is None
    form = PortalSubmitForm(request.POST, products=_products(portal), ask_email=anonymous)
    if not form.is_valid():
        return _page(request, portal, form, status=400)
    data = form.cleaned_data
    try:
        portal_services.portal_submit(
            portal=portal,
            user=_visitor(request),
            name=data.get("name") or "",
            email=data.get("email") or "",
            text=data["text"],
            product_id=data["product_id"],
        )
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _page(request, portal, form, status=400)
    if anonymous:
        request.session[EMAIL_KEY] = data["email"]
    messages.success(request, "Thank you! Your idea is on the board; we tell you when it ships.")
    return redirect("portal:index", portal.slug)


@require_POST
@_portal
def vote(request: HttpRequest, portal: Portal, pk: int) -> HttpResponse:
    item = selectors.access_portal_item(portal, pk)
    email = request.POST.get("email", "")
    if "withdraw" in request.POST:
        portal_services.vote_withdraw(portal=portal, item=item, user=_visitor(request), email=email)
        messages.success(request, "Vote withdrawn.")
    else:
        name = request.POST.get("name", "")
        portal_services.vote_cast(
            portal=portal, item=item, user=_visitor(request), email=email, name=name
        )
        messages.success(request, "Vote counted.")
    if _visitor(request) is None and email:
        request.session[EMAIL_KEY] = email
    return redirect("portal:index", portal.slug)
