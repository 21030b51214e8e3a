"""Reads of the roadmap: the items on the board (and the unplaced ones), the doors of roadmap
entries, saved views and share links, and the share-token lookup."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.lib.errors import NotAllowed, NotFound
from quarterdeck.portfolio.models import Feature, ProductLine, Stage
from quarterdeck.portfolio.selectors import (
    line_subtree_ids,
    may_change_item,
    may_read_portfolio,
)
from quarterdeck.roadmap import sharing
from quarterdeck.roadmap.board_validation import BoardFilters, clean_filters
from quarterdeck.roadmap.models import Dependency, Lane, RoadmapEntry, RoadmapView, ShareLink

LANE_RANK = {Lane.NOW: 0, Lane.NEXT: 1, Lane.LATER: 2}
# Stages whose initiatives still belong on a roadmap (launched ones leave the unplaced tray).
OPEN_STAGES = (Stage.IDEA, Stage.DISCOVERY, Stage.BUILD)


@dataclass
class Need:
    feature_id: int
    name: str
    lane: str | None  # None: not on the roadmap
    stage: str = Stage.IDEA


@dataclass
class RoadmapItem:
    """One initiative as the board shows it."""

    feature: Feature
    entry: RoadmapEntry | None
    line: ProductLine
    score: float | None = None
    needs: list[Need] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    may_change: bool = False

    @property
    def lane(self) -> str | None:
        return self.entry.lane if self.entry is not None else None


def _check_read(user: User) -> None:
    if not may_read_portfolio(user):
        raise NotAllowed("Sign in to see the roadmap.")


# Doors ----------------------------------------------------------------------------------------


def access_roadmap_entry(user: User, entry_id: int, *, for_write: bool = False) -> RoadmapEntry:
    _check_read(user)
    entry = (
        RoadmapEntry.objects.select_related("feature", "feature__product")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise NotFound(f"There is no roadmap entry with id {entry_id}.")
    if for_write and not may_change_item(user, entry.feature):
        raise NotAllowed(f"You may not move “{entry.feature.name}” on the roadmap.")
    return entry


def access_feature_entry(user: User, feature_id: int) -> RoadmapEntry:
    """The roadmap place of a feature (every signed-in user reads the roadmap)."""
    _check_read(user)
    entry = RoadmapEntry.objects.select_related("feature").filter(feature_id=feature_id).first()
    if entry is None:
        raise NotFound(f"The feature with id {feature_id} is not on the roadmap.")
    return entry


def entry_for_feature(feature_id: int) -> RoadmapEntry:
    entry = RoadmapEntry.objects.filter(feature_id=feature_id).first()
    if entry is None:
        raise NotFound(f"The feature with id {feature_id} is not on the roadmap.")
    return entry


def may_read_view(user: User, view: RoadmapView) -> bool:
    return view.shared or view.owner_id == user.pk or rules.is_admin(user)


def may_change_view(user: User, view: RoadmapView) -> bool:
    return view.owner_id == user.pk or rules.changes_everything(user)


def access_roadmap_view(user: User, view_id: int, *, for_write: bool = False) -> RoadmapView:
    """Private views: their owner and admins; shared: every signed-in user. Changes: the owner,
    leaders and admins. A private view of someone else is "not found" (its name stays private)."""
    _check_read(user)
    view = RoadmapView.objects.select_related("owner").filter(pk=view_id).first()
    if view is None or not (may_read_view(user, view) or may_change_view(user, view)):
        raise NotFound(f"There is no roadmap view with id {view_id}.")
    if for_write and not may_change_view(user, view):
        raise NotAllowed(f"Only its owner, leaders and admins change the view “{view.name}”.")
    return view


def access_share_link(user: User, link_id: int, *, for_write: bool = False) -> ShareLink:
    """Share links are managed by whoever may change their view."""
    _check_read(user)
    link = ShareLink.objects.select_related("view").filter(pk=link_id).first()
    if link is None:
        raise NotFound(f"There is no share link with id {link_id}.")
    access_roadmap_view(user, link.view_id, for_write=True)
    return link


def list_roadmap_views(user: User) -> QuerySet[RoadmapView]:
    _check_read(user)
    views = RoadmapView.objects.select_related("owner")
    if rules.is_admin(user):
        return views
    if rules.changes_everything(user):  # leaders change every view, so they see them all
        return views
    return views.filter(Q(shared=True) | Q(owner=user))


def list_share_links(user: User, view_id: int) -> QuerySet[ShareLink]:
    view = access_roadmap_view(user, view_id, for_write=True)
    return ShareLink.objects.filter(view=view).select_related("created_by")


def view_for_token(token: str) -> tuple[RoadmapView, ShareLink]:
    """The saved view behind a public share token (NotFound when not live), marking it used."""
    link = sharing.link_for_token(token)
    sharing.link_touch(link)
    return link.view, link


# The board ------------------------------------------------------------------------------------


def _features(filters: BoardFilters) -> QuerySet[Feature]:
    qs = Feature.objects.select_related("product", "product__line", "owner", "roadmap_entry")
    if filters.line_id is not None:
        qs = qs.filter(product__line_id__in=line_subtree_ids(filters.line_id))
    if filters.product_id is not None:
        qs = qs.filter(product_id=filters.product_id)
    if filters.owner_id is not None:
        qs = qs.filter(owner_id=filters.owner_id)
    if filters.stages:
        qs = qs.filter(stage__in=filters.stages)
    return qs.order_by("name")


def _entry(feature: Feature) -> RoadmapEntry | None:
    try:
        return feature.roadmap_entry
    except RoadmapEntry.DoesNotExist:
        return None


def current_scores(feature_ids: list[int]) -> dict[int, float]:
    """SCORING's scores under each line's default model."""
    from quarterdeck.roadmap import scoring_selectors  # scoring reads the portfolio, not us

    return scoring_selectors.current_scores(feature_ids=feature_ids)


def _change_checker(user: User | None) -> Callable[[Feature], bool]:
    """may_change_item, asked once per distinct owner chain (a board has many cards)."""
    if user is None or not rules.may_write_portfolio(user):
        return lambda feature: False
    if rules.changes_everything(user):
        return lambda feature: True
    seen: dict[int, bool] = {}

    def check(feature: Feature) -> bool:
        if feature.pk not in seen:
            seen[feature.pk] = may_change_item(user, feature)
        return seen[feature.pk]

    return check


def roadmap_items(
    user: User | None,
    *,
    filters: BoardFilters | Mapping[str, Any] | None = None,
    include_unplaced: bool = True,
) -> list[RoadmapItem]:
    """The initiatives the filters select: those on the roadmap (lane, order) and — with
    ``include_unplaced`` — those in idea/discovery/build not placed yet (entry None). ``user``
    None is the public share page: everything readable, nothing changeable."""
    if user is not None:
        _check_read(user)
    if not isinstance(filters, BoardFilters):
        filters = clean_filters(filters or {})
    features = list(_features(filters))
    may_change = _change_checker(user)
    items = []
    for feature in features:
        entry = _entry(feature)
        if entry is None and not (include_unplaced and feature.stage in OPEN_STAGES):
            continue
        if entry is not None and filters.lanes and entry.lane not in filters.lanes:
            continue
        if entry is None and filters.lanes:
            continue
        items.append(RoadmapItem(feature, entry, feature.product.line))
    _decorate(items, may_change)
    items.sort(key=_order)
    return items


def _order(item: RoadmapItem) -> tuple[int, int, str]:
    if item.entry is None:
        return (9, 0, item.feature.name.lower())
    return (LANE_RANK[Lane(item.entry.lane)], item.entry.position, item.feature.name.lower())


def _decorate(items: list[RoadmapItem], may_change: Callable[[Feature], bool]) -> None:
    ids = [item.feature.pk for item in items]
    scores = current_scores(ids)
    needs = _needs(ids)
    for item in items:
        item.score = scores.get(item.feature.pk)
        item.needs = needs.get(item.feature.pk, [])
        item.warnings = placement_warnings(item)
        item.may_change = may_change(item.feature)


def _needs(feature_ids: list[int]) -> dict[int, list[Need]]:
    deps = Dependency.objects.filter(feature_id__in=feature_ids).select_related(
        "needs", "needs__roadmap_entry"
    )
    found: dict[int, list[Need]] = {}
    for dep in deps:
        entry = _entry(dep.needs)
        lane = entry.lane if entry is not None else None
        found.setdefault(dep.feature_id, []).append(
            Need(dep.needs_id, dep.needs.name, lane, dep.needs.stage)
        )
    return found


def placement_warnings(item: RoadmapItem) -> list[str]:
    """An initiative placed before something it needs: in an earlier lane, or the need not on
    the roadmap at all (finished needs — launched or later — are fine)."""
    if item.entry is None:
        return []
    rank = LANE_RANK[Lane(item.entry.lane)]
    warnings = []
    for need in item.needs:
        if need.lane is None:
            if need.stage in OPEN_STAGES:
                warnings.append(f"Needs “{need.name}”, which is not on the roadmap.")
        elif LANE_RANK[Lane(need.lane)] > rank:
            warnings.append(f"Needs “{need.name}”, planned later ({Lane(need.lane).label}).")
    return warnings


def lanes_of(items: list[RoadmapItem]) -> dict[str, list[RoadmapItem]]:
    """Items per lane (in order) plus "unplaced"."""
    lanes: dict[str, list[RoadmapItem]] = {lane: [] for lane in Lane.values}
    lanes["unplaced"] = []
    for item in items:
        lanes[item.lane or "unplaced"].append(item)
    return lanes
