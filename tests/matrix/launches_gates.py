"""Permission-matrix rows of lifecycle gates and sunset plans (launches/gates_*).

Everyone signed in reads criteria, gates and sunset plans; leaders and admins change criteria;
ticks, moves and sunset plans of Mia's Atlas Search follow the feature (ATLAS). A move past
unmet criteria needs a leader's override; the rows move without criteria, so ATLAS applies."""

from __future__ import annotations

import datetime as dt

from quarterdeck.launches.models import GateCriterion, SunsetPlan
from tests.matrix.base import (
    ATLAS,
    LEADERS,
    PAGE_ATLAS,
    PAGE_LEADERS,
    PAGE_READ,
    READ,
    Page,
    Row,
)
from tests.personas import Personas


def _criterion(p: Personas) -> int:
    criterion, _ = GateCriterion.objects.get_or_create(
        stage="discovery", applies_to="feature", kind="checklist", label="Evidence reviewed"
    )
    return criterion.pk


def _product_criterion(p: Personas) -> int:
    criterion, _ = GateCriterion.objects.get_or_create(
        stage="build", applies_to="product", kind="checklist", label="Pricing decided"
    )
    return criterion.pk


def _sunset(p: Personas) -> int:
    plan, _ = SunsetPlan.objects.get_or_create(
        item_type="feature", item_id=p.search.pk, defaults={"shutdown_on": dt.date(2030, 1, 1)}
    )
    return plan.pk


def _search_sunset(p: Personas) -> str:
    _sunset(p)
    return f"/launches/sunset/feature/{p.search.pk}/"


def _move_body(p: Personas) -> dict[str, object]:
    return {"to_stage": "build", "reason": "Evidence is in"}


CRITERION = {"stage": "build", "kind": "checklist", "label": "Legal review"}

API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/gates/requirements"): Row(READ, lambda p: "/gates/requirements"),
    ("GET", "/gates/criteria"): Row(READ, lambda p: "/gates/criteria"),
    ("POST", "/gates/criteria"): Row(LEADERS, lambda p: "/gates/criteria", lambda p: CRITERION),
    ("POST", "/gates/criteria/install-defaults"): Row(
        LEADERS, lambda p: "/gates/criteria/install-defaults", lambda p: {}
    ),
    ("GET", "/gates/criteria/{criterion_id}"): Row(
        READ, lambda p: f"/gates/criteria/{_criterion(p)}"
    ),
    ("PATCH", "/gates/criteria/{criterion_id}"): Row(
        LEADERS, lambda p: f"/gates/criteria/{_criterion(p)}", lambda p: {"label": "Seen"}, True
    ),
    ("DELETE", "/gates/criteria/{criterion_id}"): Row(
        LEADERS, lambda p: f"/gates/criteria/{_criterion(p)}", versioned=True
    ),
    ("GET", "/features/{feature_id}/gate"): Row(READ, lambda p: f"/features/{p.search.pk}/gate"),
    ("GET", "/products/{product_id}/gate"): Row(READ, lambda p: f"/products/{p.atlas.pk}/gate"),
    ("PUT", "/features/{feature_id}/gate/ticks/{criterion_id}"): Row(
        ATLAS,
        lambda p: f"/features/{p.search.pk}/gate/ticks/{_criterion(p)}",
        lambda p: {"done": True},
    ),
    ("PUT", "/products/{product_id}/gate/ticks/{criterion_id}"): Row(
        ATLAS,
        lambda p: f"/products/{p.atlas.pk}/gate/ticks/{_product_criterion(p)}",
        lambda p: {"done": True},
    ),
    ("POST", "/features/{feature_id}/stage"): Row(
        ATLAS, lambda p: f"/features/{p.search.pk}/stage", _move_body
    ),
    ("POST", "/products/{product_id}/stage"): Row(
        ATLAS,
        lambda p: f"/products/{p.atlas.pk}/stage",
        lambda p: {"to_stage": "launch", "reason": "Ship it"},
    ),
    ("GET", "/sunset-plans"): Row(READ, lambda p: "/sunset-plans"),
    ("POST", "/sunset-plans"): Row(
        ATLAS,
        lambda p: "/sunset-plans",
        lambda p: {"item_type": "feature", "item_id": p.search.pk, "shutdown_on": "2030-01-01"},
    ),
    ("GET", "/sunset-plans/{plan_id}"): Row(READ, lambda p: f"/sunset-plans/{_sunset(p)}"),
    ("PATCH", "/sunset-plans/{plan_id}"): Row(
        ATLAS, lambda p: f"/sunset-plans/{_sunset(p)}", lambda p: {"usage_days": 30}, True
    ),
    ("DELETE", "/sunset-plans/{plan_id}"): Row(
        ATLAS, lambda p: f"/sunset-plans/{_sunset(p)}", versioned=True
    ),
    ("POST", "/sunset-plans/{plan_id}/recompute"): Row(
        ATLAS, lambda p: f"/sunset-plans/{_sunset(p)}/recompute", lambda p: {}
    ),
    ("GET", "/sunset-plans/{plan_id}/affected.csv"): Row(
        READ, lambda p: f"/sunset-plans/{_sunset(p)}/affected.csv"
    ),
}

ITEM = "<str:item_type>/<int:pk>"
PAGES: dict[str, Page] = {
    "launches/gates/": Page(PAGE_READ, lambda p: "/launches/gates/"),
    "launches/gates/new/": Page(PAGE_LEADERS, lambda p: "/launches/gates/new/"),
    "launches/gates/install-defaults/": Page(
        PAGE_LEADERS, lambda p: "/launches/gates/install-defaults/", "POST"
    ),
    "launches/gates/<int:pk>/edit/": Page(
        PAGE_LEADERS, lambda p: f"/launches/gates/{_criterion(p)}/edit/"
    ),
    "launches/gates/<int:pk>/move/": Page(
        PAGE_LEADERS,
        lambda p: f"/launches/gates/{_criterion(p)}/move/",
        "POST",
        lambda p: {"direction": "up"},
    ),
    f"launches/gates/item/{ITEM}/": Page(
        PAGE_READ, lambda p: f"/launches/gates/item/feature/{p.search.pk}/"
    ),
    f"launches/gates/item/{ITEM}/move/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/gates/item/feature/{p.search.pk}/move/",
        "POST",
        _move_body,
    ),
    f"launches/gates/item/{ITEM}/tick/<int:criterion_id>/": Page(
        PAGE_ATLAS,
        lambda p: f"/launches/gates/item/feature/{p.search.pk}/tick/{_criterion(p)}/",
        "POST",
        lambda p: {"done": "on"},
    ),
    f"launches/sunset/{ITEM}/": Page(PAGE_READ, _search_sunset),
    f"launches/sunset/{ITEM}/recompute/": Page(
        PAGE_ATLAS, lambda p: f"{_search_sunset(p)}recompute/", "POST"
    ),
    f"launches/sunset/{ITEM}/affected.csv": Page(
        PAGE_READ, lambda p: f"{_search_sunset(p)}affected.csv"
    ),
}

API_ELSEWHERE: dict[tuple[str, str], str] = {}
