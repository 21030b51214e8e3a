"""The built-in data checks of lifecycle gates: ``check(item) -> why it is unmet, or None``.

Each answer says what is missing and how to supply it, because it is shown as is on the gate
card and in the error of a refused move. Checks of initiative data (score, effort, roadmap)
on a product hold when any of its features has it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from quarterdeck.portfolio.models import Feature, ItemType, PortfolioItem, Product, ProductLine


def owner(item: PortfolioItem) -> str | None:
    return None if item.owner_id else "No owner is set: edit the item and pick an owner."


def description(item: PortfolioItem) -> str | None:
    if item.description.strip():
        return None
    return "The description is empty: write the problem it solves in the description."


def target_segments(item: PortfolioItem) -> str | None:
    if item.target_segments:
        return None
    return "No target segment is set: edit the item and name who it is for."


def _product_of(item: PortfolioItem) -> Product | None:
    if isinstance(item, Product):
        return item
    return item.product if isinstance(item, Feature) else None


def outcome(item: PortfolioItem) -> str | None:
    from quarterdeck.strategy.models import Outcome

    product = _product_of(item)
    if isinstance(item, ProductLine):
        found = Outcome.objects.filter(line=item).exists()
        return None if found else "The line has no outcome: add one on the Strategy page."
    if product is not None and Outcome.objects.filter(product=product).exists():
        return None
    return "The product has no outcome: add a product outcome on the Strategy page."


def _features(item: PortfolioItem) -> dict[str, Any]:
    """The lookup of an item's initiatives: the feature itself, or a product's features."""
    if isinstance(item, Product):
        return {"feature__product": item}
    return {"feature_id": item.pk if isinstance(item, Feature) else -1}


def score(item: PortfolioItem) -> str | None:
    from quarterdeck.roadmap.models import Score

    if Score.objects.filter(value__isnull=False, **_features(item)).exists():
        return None
    return "Not scored yet: score it in the Score card (a score with a computable value)."


def effort(item: PortfolioItem) -> str | None:
    from quarterdeck.roadmap.models import Effort

    if Effort.objects.filter(**_features(item)).exists():
        return None
    return "No effort estimate: add the effort per team in the Planning card."


def roadmap(item: PortfolioItem) -> str | None:
    from quarterdeck.roadmap.models import RoadmapEntry

    if RoadmapEntry.objects.filter(**_features(item)).exists():
        return None
    return "Not on the roadmap: place it on the Roadmap board (now, next or later)."


def _item_type(item: PortfolioItem) -> str:
    if isinstance(item, Feature):
        return ItemType.FEATURE
    return ItemType.PRODUCT if isinstance(item, Product) else ItemType.LINE


def sunset_plan(item: PortfolioItem) -> str | None:
    from quarterdeck.launches.models import SunsetPlan

    plan = SunsetPlan.objects.filter(item_type=_item_type(item), item_id=item.pk).first()
    if plan is None:
        return "No sunset plan: write one (migration path and dates) on the sunset page."
    if plan.shutdown_on is None:
        return "The sunset plan has no shutdown date: set it on the sunset page."
    return None


def metrics_bound(item: PortfolioItem) -> str | None:
    """The launch's success metrics were bound at launch (baselines measured)."""
    from quarterdeck.launches.models import SuccessMetric

    scope = {"plan__feature": item} if isinstance(item, Feature) else {"plan__product": item}
    if SuccessMetric.objects.filter(bound_at__isnull=False, **scope).exists():
        return None
    return "No success metric is bound yet: they are bound when the launch plan is launched."


BUILT_IN: Final[dict[str, tuple[str, Callable[[Any], str | None]]]] = {
    "owner": ("An owner is set", owner),
    "description": ("A problem statement (description) is written", description),
    "target_segments": ("Target segments are set", target_segments),
    "outcome": ("The product has an outcome", outcome),
    "score": ("It is scored", score),
    "effort": ("Its effort is estimated", effort),
    "roadmap": ("It is on the roadmap", roadmap),
    "sunset_plan": ("A sunset plan with a shutdown date exists", sunset_plan),
    "metrics_bound": ("Its success metrics are bound", metrics_bound),
}
