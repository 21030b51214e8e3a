"""Reads of the analytics module: who may read analytics, saved insights (the one door
``access_insight``), and the default charts of a product's analytics page.

Product analytics is for the people who run products: admins, leaders, managers and members
(PMs) — the roles that also see event sources. Contributors and viewers read roadmaps and
scorecards, not raw usage analytics. Saved insights are shared: whoever reads analytics reads
every saved insight; the owner, leaders and admins change one.
"""

from __future__ import annotations

from django.db.models import QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import Role, User
from quarterdeck.analytics.models import SavedInsight
from quarterdeck.analytics.queries import InsightQuery, parse_query
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.portfolio.models import Product, Stage
from quarterdeck.portfolio.selectors import access_product

READ_ROLES = {Role.ADMIN, Role.LEADER, Role.MANAGER, Role.MEMBER}
DEFAULT_FUNNEL_STEPS = 3
LIVE_STAGES = frozenset({Stage.LAUNCH, Stage.GROWTH, Stage.MATURE})


def may_read_analytics(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in READ_ROLES


def check_read(user: User) -> None:
    if not may_read_analytics(user):
        raise NotAllowed("Only members, managers, leaders and admins see product analytics.")


def may_change_insight(user: User, insight: SavedInsight) -> bool:
    if rules.changes_everything(user):
        return True
    return may_read_analytics(user) and insight.owner_id == user.pk


def access_insight(user: User, insight_id: int, *, for_write: bool = False) -> SavedInsight:
    """The one door to a saved insight: 403 for roles without analytics (or, for writes,
    anyone but its owner, leaders and admins), 404 if absent."""
    check_read(user)
    insight = SavedInsight.objects.select_related("owner", "product").filter(pk=insight_id).first()
    if insight is None:
        raise NotFound(f"There is no saved insight with id {insight_id}.")
    if for_write and not may_change_insight(user, insight):
        raise NotAllowed(
            f"Only its owner, leaders and admins may change the insight “{insight.name}”."
        )
    return insight


def list_insights(user: User, product_id: int | None = None) -> QuerySet[SavedInsight]:
    check_read(user)
    insights = SavedInsight.objects.select_related("owner", "product")
    if product_id is not None:
        insights = insights.filter(product_id=product_id)
    return insights


def pinned_funnel(product: Product) -> SavedInsight | None:
    """The funnel pinned to the product's page (the latest changed, if several are)."""
    pinned = SavedInsight.objects.filter(product=product, pinned=True, kind="funnel")
    return pinned.order_by("-updated_at", "-id").first()


def product_overview(user: User, product_id: int) -> list[tuple[str, InsightQuery]]:
    """The default charts of a product's analytics page, titled, in order. A product that is not
    tracked raises InvalidInput (the message says where to set its tracking); charts that need
    tracked features are left out while it has none."""
    check_read(user)
    return overview_queries(access_product(user, product_id))


def overview_queries(product: Product) -> list[tuple[str, InsightQuery]]:
    """``product_overview`` without the permission check: for the background task that computes
    the charts ahead of the first visit (analytics.tasks)."""
    features = _tracked_feature_ids(product)
    charts: list[tuple[str, dict[str, object]]] = [
        ("Active users", {"kind": "active-users", "measure": "dau,wau,mau", "last_days": 90}),
    ]
    if features:
        adoption = {"kind": "feature-adoption", "features": features, "last_days": 30}
        charts.append(("Adoption by feature", adoption))
    charts.append(("Weekly retention", _RETENTION))
    funnel = _funnel(product, features)
    if funnel is not None:
        charts.append(funnel)
    charts.append(("Weekly lifecycle", {"kind": "lifecycle", "grain": "week", "last_days": 84}))
    return [(title, parse_query({**data, "product_id": product.pk})) for title, data in charts]


_RETENTION = {
    "kind": "retention",
    "grain": "week",
    "periods": 12,
    "mode": "on",
    "cohort_type": "first_time",
    "last_days": 84,
}


def _tracked_feature_ids(product: Product) -> list[int]:
    from quarterdeck.metrics.tracking import product_filter, tracked_features

    if product_filter(product) is None:
        raise untracked(product)
    return [feature.pk for feature, _ in tracked_features(product)]


def untracked(product: Product) -> InvalidInput:
    message = (
        f"{product.name} has no event sources or property condition yet; set them on the "
        "product's Tracking section."
    )
    return InvalidInput(message, fields={"product_id": [message]})


def _funnel(product: Product, feature_ids: list[int]) -> tuple[str, dict[str, object]] | None:
    saved = pinned_funnel(product)
    if saved is not None:
        return saved.name, {**saved.query, "product_id": product.pk}
    steps = _distinct_steps(product, feature_ids)
    if len(steps) < 2:
        return None
    return "Funnel", {"kind": "funnel", "features": steps, "last_days": 30}


def _distinct_steps(product: Product, feature_ids: list[int]) -> list[int]:
    """The first tracked features (live ones first, then by name) with different usage
    definitions (several features can share one event: a funnel through the same event twice
    says nothing)."""
    from quarterdeck.metrics.tracking import tracked_features

    seen: set[object] = set()
    steps: list[int] = []
    # Live features first (launched, growing, mature): one still in discovery has no events.
    live = sorted(tracked_features(product), key=lambda pair: pair[0].stage not in LIVE_STAGES)
    for feature, matcher in live:
        key = (matcher.event, matcher.where)
        if feature.pk in feature_ids and key not in seen:
            seen.add(key)
            steps.append(feature.pk)
    return steps[:DEFAULT_FUNNEL_STEPS]


def feature_ids_named(
    names: tuple[str, ...] | list[str], product_id: int | None
) -> tuple[list[int], int]:
    """For the operator: features by name (within the product, if given) and their one product.
    Raises NotFound / InvalidInput naming the feature."""
    from quarterdeck.portfolio.models import Feature

    ids: list[int] = []
    products: set[int] = set() if product_id is None else {product_id}
    for name in names:
        found = Feature.objects.filter(name__iexact=name.strip())
        if product_id is not None:
            found = found.filter(product_id=product_id)
        matches = list(found.values_list("pk", "product_id")[:2])
        if not matches:
            raise NotFound(f"There is no feature named {name!r}" + _in_product(product_id) + ".")
        if len(matches) > 1:
            raise InvalidInput(f"Several features are named {name!r}; give --product too.")
        ids.append(matches[0][0])
        products.add(matches[0][1])
    if len(products) > 1:
        raise InvalidInput("These features belong to different products; pick one product.")
    return ids, products.pop()


def _in_product(product_id: int | None) -> str:
    if product_id is None:
        return ""
    name = Product.objects.filter(pk=product_id).values_list("name", flat=True).first()
    return f" in {name}"
