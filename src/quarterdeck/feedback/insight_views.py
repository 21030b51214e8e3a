"""Pages of what the inbox adds up to: themes (trend chart, rename, merge, split, re-cluster),
one theme, the demand ranking with its CSV export, and closing the loop on a launched feature."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quarterdeck.feedback import charts, pages, selectors
from quarterdeck.feedback import demand as demand_mod
from quarterdeck.feedback import loop as loop_mod
from quarterdeck.feedback import themes as themes_mod
from quarterdeck.feedback.forms import LoopForm, MergeForm, RenameForm
from quarterdeck.lib.errors import InvalidInput, NotAllowed, VersionConflict
from quarterdeck.portfolio.selectors import access_feature, access_product, may_change_item
from quarterdeck.web.views.common import int_param, user_of

TOP_THEMES = 6


@require_GET
def themes(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    overview = pages.themes_overview(user)
    series = [(card.theme.name, card.trend) for card in overview.cards[:TOP_THEMES]]
    context = {
        "overview": overview,
        "spec": charts.themes_trend(series) if overview.cards else None,
        "may_triage": selectors.may_triage(user),
        "merge_form": MergeForm(themes=[c.theme for c in overview.cards]),
    }
    return render(request, "feedback/themes.html", context)


@require_GET
def theme(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_theme(user, pk)
    trend = [(w.week, w.count) for w in themes_mod.theme_trend(found, weeks=26)]
    items = pages.rows_for(user, list(pages.theme_items(user, found)))
    context = {
        "theme": found,
        "spec": charts.theme_trend(found.name, trend),
        "rows": items,
        "may_triage": selectors.may_triage(user),
        "rename_form": RenameForm(initial={"name": found.name, "version": found.version}),
    }
    return render(request, "feedback/theme.html", context)


@require_POST
def rename(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_theme(user, pk, for_write=True)
    form = RenameForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the theme a name (at most 200 characters).")
        return _back(request, pk)
    try:
        themes_mod.theme_rename(
            actor=user,
            theme=found,
            name=form.cleaned_data["name"],
            expected_version=form.cleaned_data["version"],
        )
    except (InvalidInput, VersionConflict) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Renamed to “{form.cleaned_data['name']}”.")
    return _back(request, pk)


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("next") == "theme":
        return redirect("feedback:theme", pk)
    return redirect("feedback:themes")


@require_POST
def merge(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if not selectors.may_triage(user):
        raise NotAllowed("Only members and up merge themes.")
    overview = pages.themes_overview(user)
    form = MergeForm(request.POST, themes=[c.theme for c in overview.cards])
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("feedback:themes")
    chosen = [
        selectors.access_theme(user, pk, for_write=True) for pk in form.cleaned_data["themes"]
    ]
    merged = themes_mod.theme_merge(actor=user, themes=chosen, name=form.cleaned_data["name"])
    messages.success(request, f"Merged {len(chosen)} themes into “{merged.name}”.")
    return redirect("feedback:theme", merged.pk)


@require_POST
def split(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    found = selectors.access_theme(user, pk, for_write=True)
    try:
        parts = themes_mod.theme_split(actor=user, theme=found)
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("feedback:theme", pk)
    names = ", ".join(f"“{t.name}”" for t in parts)
    messages.success(request, f"Split into {len(parts)} themes: {names}.")
    return redirect("feedback:themes")


@require_POST
def recluster(request: HttpRequest) -> HttpResponse:
    run = themes_mod.themes_recluster(actor=user_of(request))
    messages.success(
        request, f"Grouped {run.items} items into {run.themes} themes in {run.seconds:.1f} s."
    )
    return redirect("feedback:themes")


# Demand ---------------------------------------------------------------------------------------


def _demand_rows(request: HttpRequest, kind: str) -> tuple[list[Any], dict[str, Any]]:
    user = user_of(request)
    product_id = int_param(request, "product")
    product = access_product(user, product_id) if product_id else None
    segment = request.GET.get("segment") or None
    finder = demand_mod.demand_for_themes if kind == "themes" else demand_mod.demand_for_features
    rows = finder(user, product=product, segment=segment)
    return rows, {"product": product, "segment": segment or ""}


def _kind(request: HttpRequest) -> str:
    return "themes" if request.GET.get("tab") == "themes" else "features"


@require_GET
def demand(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    rows, chosen = _demand_rows(request, kind)
    top = [(r.name, r.score, r.count) for r in rows[:15]]
    context = {
        "rows": rows,
        "kind": kind,
        "chosen": chosen,
        "filters": pages.demand_filters(user_of(request)),
        "spec": charts.demand_bars(top) if top else None,
        "query": request.GET.urlencode(),
        "half_life": demand_mod.HALF_LIFE_DAYS,
    }
    return render(request, "feedback/demand.html", context)


@require_GET
def demand_export(request: HttpRequest) -> HttpResponse:
    kind = _kind(request)
    rows, _ = _demand_rows(request, kind)
    response = HttpResponse(demand_mod.demand_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="demand-{kind}.csv"'
    return response


# Close the loop -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def loop(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    feature = access_feature(user, pk)
    form = LoopForm(request.POST or None)
    subject = body = None
    if request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if "send" in request.POST:
            return _send(request, feature, form)
    preview = loop_mod.loop_preview(feature=feature, subject=subject, body=body)
    if request.method == "GET":
        form = LoopForm(initial={"subject": preview.subject, "body": preview.body})
    return _loop_page(request, feature, form, preview, status=400 if form.errors else 200)


def _loop_page(
    request: HttpRequest, feature: Any, form: LoopForm, preview: Any, status: int = 200
) -> HttpResponse:
    context = {
        "feature": feature,
        "form": form,
        "preview": preview,
        "may_send": may_change_item(user_of(request), feature),
    }
    return render(request, "feedback/loop.html", context, status=status)


def _send(request: HttpRequest, feature: Any, form: LoopForm) -> HttpResponse:
    user = user_of(request)
    data = form.cleaned_data
    access_feature(user, feature.pk, for_write=True)
    try:
        notice = loop_mod.loop_send(
            actor=user,
            feature=feature,
            subject=data["subject"],
            body=data["body"],
            force=data["force"],
        )
    except InvalidInput as exc:
        form.add_service_errors(exc, aliases={"stage": "__all__", "recipients": "__all__"})
        preview = loop_mod.loop_preview(feature=feature, subject=data["subject"], body=data["body"])
        return _loop_page(request, feature, form, preview, status=400)
    count = len(notice.recipients)
    messages.success(request, f"Sent to {count} person{'s' if count != 1 else ''}.")
    return redirect("feedback:loop", feature.pk)
