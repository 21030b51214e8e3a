"""Pages of the vision and the strategic pillars: the vision with its CPO / CTO sign-offs, the
pillars with what serves them, and the forms of both (leaders and admins)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.people.models import Person
from quarterdeck.strategy import selectors, services
from quarterdeck.strategy.forms import PillarForm, PillarLinksForm, SignOffForm, VisionForm
from quarterdeck.strategy.models import Pillar, SignOff, SignOffRole, Vision
from quarterdeck.web.views.common import user_of


def moved(data: Any, key: str, version: int) -> Any:
    """A copy of the posted data on another version (after a conflict: save again on top)."""
    copy = data.copy()
    copy[key] = str(version)
    return copy


@dataclass
class SignOffRow:
    role: str
    label: str
    person: Person | None
    signed: SignOff | None  # of the current version
    stale: SignOff | None  # the latest one, of an older version
    may_sign: bool


def _sign_off_rows(user: User, vision: Vision) -> list[SignOffRow]:
    current = selectors.current_sign_offs(user)
    history = list(selectors.sign_off_history(user)) if not vision._state.adding else []
    rows = []
    for role, label in SignOffRole.choices:
        person: Person | None = getattr(vision, role)
        latest = next((s for s in history if s.role == role), None)
        rows.append(
            SignOffRow(
                role=role,
                label=label,
                person=person,
                signed=current[role],
                stale=latest if current[role] is None else None,
                may_sign=person is not None and person.user_id == user.pk and not current[role],
            )
        )
    return rows


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    vision = selectors.vision(user)
    pillars = [(p, p.outcomes.count()) for p in selectors.list_pillars(user)]
    context = {
        "vision": vision,
        "sign_offs": _sign_off_rows(user, vision),
        "pillars": pillars,
        "may_edit": selectors.may_edit_strategy(user),
        "sign_form": SignOffForm(),
    }
    return render(request, "strategy/index.html", context)


def _vision_initial(vision: Vision) -> dict[str, Any]:
    initial = {name: getattr(vision, name) for name in VisionForm.data_fields}
    return {**initial, "version": vision.version}


@require_http_methods(["GET", "POST"])
def vision_edit(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not selectors.may_edit_strategy(user):
        raise NotAllowed("Only leaders and admins change the vision.")
    vision = selectors.vision(user)
    data = request.POST if request.method == "POST" else None
    form = VisionForm(data, user=user, initial=_vision_initial(vision))
    status = 200
    if request.method == "POST":
        status = _save_vision(request, form)
        if status == 302:
            messages.success(
                request, "Vision saved. Earlier sign-offs are now for an older version."
            )
            return redirect("strategy:index")
    context = {"form": form, "conflict": status == 409}
    return render(request, "strategy/vision_form.html", context, status=status)


def _save_vision(request: HttpRequest, form: VisionForm) -> int:
    """302 when saved; 400 with the errors on the form; 409 after a concurrent change (the
    form moves onto the new version, keeping what was typed)."""
    if not form.is_valid():
        return 400
    try:
        services.vision_update(
            actor=user_of(request),
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except VersionConflict:
        form.data = moved(form.data, "version", selectors.vision(user_of(request)).version)
        form.add_error(None, "Someone else changed the vision while you were editing. Your "
                             "text is kept below: save again to apply it on top.")  # fmt: skip
        return 409
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return 400
    return 302


@require_POST
def sign_off(request: HttpRequest, role: str) -> HttpResponse:
    user = user_of(request)
    form = SignOffForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.vision_sign(actor=user, role=role, note=note)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("strategy:index")
    messages.success(request, f"Signed off the vision as {role.upper()}.")
    return redirect("strategy:index")


# Pillars --------------------------------------------------------------------------------------


def _pillar_page(
    request: HttpRequest,
    pillar: Pillar | None,
    form: PillarForm,
    links: PillarLinksForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"pillar": pillar, "form": form, "links_form": links}
    return render(request, "strategy/pillar_form.html", context, status=status)


def _links_form(request: HttpRequest, pillar: Pillar, data: Any = None) -> PillarLinksForm:
    initial = {
        "line_ids": [line.pk for line in pillar.lines.all()],
        "product_ids": [product.pk for product in pillar.products.all()],
        "version": pillar.version,
    }
    return PillarLinksForm(data, user=user_of(request), initial=initial, prefix="links")


@require_http_methods(["GET", "POST"])
def pillar_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not selectors.may_edit_strategy(user):
        raise NotAllowed("Only leaders and admins change the strategic pillars.")
    form = PillarForm(request.POST if request.method == "POST" else None)
    if request.method == "GET" or not form.is_valid():
        return _pillar_page(request, None, form, status=200 if request.method == "GET" else 400)
    try:
        data = form.service_data()
        pillar = services.pillar_create(actor=user, data=data)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return _pillar_page(request, None, form, status=400)
    messages.success(
        request, f"Pillar “{pillar.name}” created: now link the lines and products serving it."
    )
    return redirect("strategy:pillar_edit", pillar.pk)


def _pillar_initial(pillar: Pillar) -> dict[str, Any]:
    initial = {name: getattr(pillar, name) for name in PillarForm.data_fields}
    return {**initial, "version": pillar.version}


@require_http_methods(["GET", "POST"])
def pillar_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    pillar = selectors.access_pillar(user, pk, for_write=True)
    data = request.POST if request.method == "POST" else None
    form = PillarForm(data, initial=_pillar_initial(pillar))
    form.fields["version"].required = True
    links = _links_form(request, pillar)
    if request.method == "GET":
        return _pillar_page(request, pillar, form, links)
    if not form.is_valid():
        return _pillar_page(request, pillar, form, links, status=400)
    try:
        services.pillar_update(
            actor=user,
            pillar_id=pk,
            data=form.service_data(),
            expected_version=form.cleaned_data["version"],
        )
    except (InvalidInput, VersionConflict) as exc:
        return _pillar_error(request, pillar, form, links, exc)
    messages.success(request, f"Saved the pillar “{form.cleaned_data['name']}”.")
    return redirect("strategy:index")


def _pillar_error(
    request: HttpRequest,
    pillar: Pillar,
    form: Any,
    links: PillarLinksForm,
    exc: InvalidInput | VersionConflict,
) -> HttpResponse:
    if isinstance(exc, VersionConflict):
        current = selectors.access_pillar(user_of(request), pillar.pk, for_write=True)
        form.data = moved(form.data, form.add_prefix("version"), current.version)
        form.add_error(None, "Someone else changed this pillar while you were editing. What you "
                             "entered is kept: save again to apply it on top.")  # fmt: skip
        return _pillar_page(request, current, *_pair(form, links, request, current), status=409)
    form.add_service_errors(exc)
    return _pillar_page(request, pillar, *_pair(form, links, request, pillar), status=400)


def _pair(
    form: Any, links: PillarLinksForm, request: HttpRequest, pillar: Pillar
) -> tuple[PillarForm, PillarLinksForm]:
    """The pillar form and the links form, whichever of them was posted."""
    if isinstance(form, PillarLinksForm):
        edit = PillarForm(initial=_pillar_initial(pillar))
        return edit, form
    return form, links


@require_POST
def pillar_links(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    pillar = selectors.access_pillar(user, pk, for_write=True)
    links = _links_form(request, pillar, request.POST)
    form = PillarForm(initial=_pillar_initial(pillar))
    if not links.is_valid():
        return _pillar_page(request, pillar, form, links, status=400)
    try:
        services.pillar_links_set(
            actor=user,
            pillar_id=pk,
            line_ids=links.cleaned_data["line_ids"],
            product_ids=links.cleaned_data["product_ids"],
            expected_version=links.cleaned_data["version"],
        )
    except (InvalidInput, VersionConflict) as exc:
        return _pillar_error(request, pillar, links, links, exc)
    messages.success(request, f"Saved what serves the pillar “{pillar.name}”.")
    return redirect("strategy:index")


@require_POST
def pillar_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    pillar = selectors.access_pillar(user, pk, for_write=True)
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise InvalidInput("This form has lost its version number; reload the page.")
        services.pillar_delete(actor=user, pillar_id=pk, expected_version=int(version))
    except (InvalidInput, VersionConflict) as exc:
        messages.error(request, exc.message)
        return redirect("strategy:pillar_edit", pk)
    messages.success(request, f"Pillar “{pillar.name}” deleted.")
    return redirect("strategy:index")
