"""Pages of lifecycle gates: the gate card of an item (ticks, the move with its reason or a
leader's override), the exit-criteria configuration and the sunset plan of an item."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.launches import gate_criteria, gate_selectors, gates, sunset
from quarterdeck.launches.gates_forms import CriterionForm, MoveForm, SunsetForm, TickForm
from quarterdeck.launches.models import GateOverride
from quarterdeck.lib.errors import InvalidInput, VersionConflict
from quarterdeck.portfolio.models import ItemType, PortfolioItem, Stage
from quarterdeck.portfolio.selectors import may_change_item, stage_history
from quarterdeck.revenue.selectors import may_read_revenue
from quarterdeck.web.htmx import is_htmx
from quarterdeck.web.kinds import item_url
from quarterdeck.web.views.common import user_of

CARD = "launches/gates/_card.html"
LAST_MOVES = 5


def card_context(
    user: User, item: PortfolioItem, may_change: bool, form: MoveForm | None = None
) -> dict[str, Any]:
    """What the gate card shows: the gate, the move form and the last moves."""
    status = gates.gate_status(item)
    moves = list(stage_history(ItemType(gates.item_type_of(item)), item.pk)[:LAST_MOVES])
    overridden = set(
        GateOverride.objects.filter(stage_change__in=moves).values_list("stage_change", flat=True)
    )
    if form is None and status.next_stage:
        form = MoveForm(initial={"to_stage": status.next_stage, "version": item.version})
    return {
        "item": item,
        "item_type": status.item_type,
        "status": status,
        "next_label": Stage(status.next_stage).label if status.next_stage else "",
        "may_change": may_change,
        "may_override": rules.changes_everything(user),
        "form": form,
        "moves": [(m, m.pk in overridden) for m in moves],
        "labels": {c.criterion.pk: gates.label_of(c.criterion) for c in status.criteria},
        "sunset": gate_selectors.sunset_plan_of(status.item_type, item.pk),
    }


def _card(
    request: HttpRequest, item: PortfolioItem, *, status: int = 200, **extra: Any
) -> HttpResponse:
    user = user_of(request)
    context = card_context(user, item, may_change_item(user, item), **extra)
    return render(request, CARD, context, status=status)


def gate_card(request: HttpRequest, item_type: str, pk: int) -> HttpResponse:
    """The card alone (htmx refresh)."""
    return _card(request, gate_selectors.access_item(user_of(request), item_type, pk))


@require_POST
def gate_tick(request: HttpRequest, item_type: str, pk: int, criterion_id: int) -> HttpResponse:
    user = user_of(request)
    item = gate_selectors.access_item(user, item_type, pk, for_write=True)
    form = TickForm(request.POST)
    form.is_valid()  # both fields are optional: a bad note is cut by the service's limit
    gate_criteria.tick_set(
        actor=user,
        item=item,
        criterion_id=criterion_id,
        done=form.cleaned_data.get("done", False),
        note=form.cleaned_data.get("note", ""),
    )
    return _card(request, item) if is_htmx(request) else redirect(item_url(item))


@require_POST
def gate_move(request: HttpRequest, item_type: str, pk: int) -> HttpResponse:
    """Move to the next stage with a reason (or a leader's override); the card again with the
    errors next to the fields when refused."""
    user = user_of(request)
    item = gate_selectors.access_item(user, item_type, pk, for_write=True)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return _card(request, item, status=400, form=form)
    data = form.cleaned_data
    try:
        gates.stage_move(
            actor=user,
            item_type=item_type,
            item_id=pk,
            to_stage=data["to_stage"],
            reason=data["reason"],
            override=data["override"],
            expected_version=data["version"],
        )
    except VersionConflict:
        form.add_error(None, "Someone changed this item meanwhile; reload the page and try again.")
        return _card(request, item, status=409, form=form)
    except InvalidInput as exc:
        form.add_service_errors(exc, aliases={"stage": "__all__", "to_stage": "__all__"})
        return _card(request, item, status=400, form=form)
    messages.success(request, f"“{item.name}” moved to {Stage(data['to_stage']).label}.")
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"  # the stage shows in several places of the page
        return response
    return redirect(item_url(item))


# Configuration --------------------------------------------------------------------------------


def criteria_page(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    applies_to = "product" if request.GET.get("applies_to") == "product" else "feature"
    criteria = list(gate_selectors.list_criteria(user, applies_to=applies_to))
    sections = [
        (stage, Stage(stage).label, [c for c in criteria if c.stage == stage])
        for stage in gates.STAGES[:-1]
    ]
    context = {
        "applies_to": applies_to,
        "sections": sections,
        "may_configure": rules.changes_everything(user),
        "requirements": gates.REQUIREMENTS,
    }
    return render(request, "launches/gates/criteria.html", context)


def _criteria_url(applies_to: str) -> str:
    return reverse("launches:gate_criteria") + (
        "?applies_to=product" if applies_to == "product" else ""
    )


@require_http_methods(["GET", "POST"])
def criterion_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = user_of(request)
    criterion = gate_selectors.access_gate_criterion(user, pk, for_write=True) if pk else None
    if criterion is None:
        gate_criteria.check_leader(user)
    initial = (
        {n: getattr(criterion, n) for n in gate_criteria.FIELDS} | {"version": criterion.version}
        if criterion
        else {
            "stage": request.GET.get("stage", "idea"),
            "applies_to": request.GET.get("applies_to", "feature"),
        }
    )
    form = CriterionForm(request.POST if request.method == "POST" else None, initial=initial)
    context = {"form": form, "criterion": criterion}
    if request.method == "GET" or not form.is_valid():
        return render(
            request,
            "launches/gates/criterion_form.html",
            context,
            status=200 if request.method == "GET" else 400,
        )
    try:
        if criterion is None:
            saved = gate_criteria.criterion_create(actor=user, data=form.service_data())
        else:
            saved = gate_criteria.criterion_update(
                actor=user,
                criterion_id=criterion.pk,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
    except VersionConflict as exc:
        form.add_error(None, exc.message)
        return render(request, "launches/gates/criterion_form.html", context, status=409)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return render(request, "launches/gates/criterion_form.html", context, status=400)
    messages.success(request, f"Saved the criterion “{saved.label}”.")
    return redirect(_criteria_url(saved.applies_to))


@require_POST
def criterion_move(request: HttpRequest, pk: int) -> HttpResponse:
    step = -1 if request.POST.get("direction") == "up" else 1
    criterion = gate_criteria.criterion_move(actor=user_of(request), criterion_id=pk, step=step)
    return redirect(_criteria_url(criterion.applies_to))


@require_POST
def criteria_install(request: HttpRequest) -> HttpResponse:
    added = gate_criteria.criteria_install_defaults(actor=user_of(request))
    messages.success(request, f"Installed the recommended criteria: {added} added.")
    return redirect(_criteria_url(request.POST.get("applies_to", "feature")))


# Sunset plans ---------------------------------------------------------------------------------


def _sunset_context(user: User, item: PortfolioItem, form: SunsetForm) -> dict[str, Any]:
    item_type = gates.item_type_of(item)
    plan = gate_selectors.sunset_plan_of(item_type, item.pk)
    with_mrr = may_read_revenue(user)
    return {
        "item": item,
        "item_type": item_type,
        "item_url": item_url(item),
        "plan": plan,
        "form": form,
        "may_change": may_change_item(user, item),
        "with_mrr": with_mrr,
        "affected": sunset.affected_rows(plan, with_mrr=with_mrr) if plan else [],
    }


@require_http_methods(["GET", "POST"])
def sunset_page(request: HttpRequest, item_type: str, pk: int) -> HttpResponse:
    user = user_of(request)
    post = request.method == "POST"
    item = gate_selectors.access_item(user, item_type, pk, for_write=post)
    plan = gate_selectors.sunset_plan_of(item_type, pk)
    initial = SunsetForm.initial_from(plan) if plan else {"usage_days": 90}
    form = SunsetForm(request.POST if post else None, initial=initial)
    template = "launches/gates/sunset.html"
    if not post or not form.is_valid():
        return render(
            request, template, _sunset_context(user, item, form), status=400 if post else 200
        )
    try:
        if plan is None:
            sunset.sunset_create(actor=user, item=item, data=form.service_data())
        else:
            sunset.sunset_update(
                actor=user,
                plan_id=plan.pk,
                data=form.service_data(),
                expected_version=form.cleaned_data["version"],
            )
    except VersionConflict as exc:
        form.add_error(None, exc.message)
        return render(request, template, _sunset_context(user, item, form), status=409)
    except InvalidInput as exc:
        form.add_service_errors(exc)
        return render(request, template, _sunset_context(user, item, form), status=400)
    messages.success(request, f"Saved the sunset plan of “{item.name}”.")
    return redirect("launches:sunset", item_type=item_type, pk=pk)


@require_POST
def sunset_recompute(request: HttpRequest, item_type: str, pk: int) -> HttpResponse:
    user = user_of(request)
    gate_selectors.access_item(user, item_type, pk, for_write=True)
    plan = gate_selectors.sunset_plan_of(item_type, pk)
    if plan is None:
        raise InvalidInput(
            "Write the sunset plan first; then its affected accounts can be computed."
        )
    plan = sunset.sunset_recompute(actor=user, plan_id=plan.pk)
    messages.success(request, f"Affected accounts computed: {len(plan.affected)}.")
    return redirect("launches:sunset", item_type=item_type, pk=pk)


def sunset_csv(request: HttpRequest, item_type: str, pk: int) -> HttpResponse:
    user = user_of(request)
    gate_selectors.access_item(user, item_type, pk)
    plan = gate_selectors.sunset_plan_of(item_type, pk)
    if plan is None:
        from quarterdeck.lib.errors import NotFound

        raise NotFound("This item has no sunset plan yet.")
    body = sunset.affected_csv(plan, with_mrr=may_read_revenue(user))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sunset-{item_type}-{pk}-affected.csv"'
    return response
