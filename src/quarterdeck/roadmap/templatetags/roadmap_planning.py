"""`roadmap_planning`: the feature page's planning card (``{% planning_card item may_change %}``:
effort per team, dependencies both ways, where the latest applied scenario placed it) and the
number filters of the planning pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from quarterdeck.portfolio.models import Feature

register = template.Library()

STATUS = {
    "optimal": "Optimal",
    "within_gap": "Within the gap",
    "time_limit": "Stopped at the time limit",
    "infeasible": "Infeasible",
    "heuristic": "Greedy",
    "error": "Error",
}


@register.filter
def plan_num(value: Any) -> str:
    """12 · 12.5 · 1,234 — no trailing zeros; empty for None."""
    if value is None or value == "":
        return ""
    number = float(value)
    text = f"{number:,.0f}" if abs(number) >= 100 else f"{number:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@register.filter
def plan_signed(value: Any) -> str:
    text = plan_num(value)
    return f"+{text}" if text and float(value) > 0 else text


@register.filter
def plan_pct(value: Any) -> str:
    if value is None:
        return "—"
    if 0 < float(value) < 0.0001:  # a proven but tiny gap is not "0 %"
        return "< 0.01 %"
    return f"{100 * float(value):.2f} %".replace(".00 %", " %")


@register.filter
def share(used: Any, capacity: Any) -> str:
    return plan_pct(float(used) / float(capacity)) if capacity else "—"


@register.filter
def plan_when(iso: str) -> str:
    """An ISO timestamp stored in a scenario's JSON, as people read it (workspace time)."""
    try:
        moment = dt.datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    return date_format(timezone.localtime(moment), "j M Y H:i")


@register.filter
def status_label(status: str) -> str:
    return STATUS.get(status, status or "—")


@register.filter
def singular_unit(unit: str) -> str:
    return unit.removesuffix("s") if unit else "unit"


@register.filter
def effort_text(effort: Mapping[str, float], result: Mapping[str, Any]) -> str:
    """{"3": 4} → "Platform 4", with the team names of the scenario's result."""
    names = {str(t["team"]): t["name"] for t in result.get("capacity") or []}
    return ", ".join(f"{names.get(k, k)} {plan_num(v)}" for k, v in effort.items()) or "—"


@register.simple_tag(takes_context=True)
def planning_card(context: Any, item: Any, may_change: bool = False) -> str:
    if not isinstance(item, Feature):
        return ""
    from quarterdeck.roadmap.planning_selectors import feature_planning

    card = feature_planning(context.get("user") or context["request"].user, item)
    return render_to_string(
        "roadmap/planning/_card.html",
        {"item": item, "card": card, "may_change": may_change},
        request=context.get("request"),
    )
