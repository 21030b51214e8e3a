"""What the feedback pages show, assembled from the selectors (no writes, no permission logic of
its own): inbox rows with their top suggestion and duplicate flag, counts per status, an item's
links and duplicate candidates. Items arrive through ``list_feedback`` / ``access_feedback``
(already permission-checked); the rows' related objects are fetched for those items only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet

from quarterdeck.accounts.models import User
from quarterdeck.feedback import selectors
from quarterdeck.feedback.models import (
    DuplicateCandidate,
    DuplicateState,
    FeedbackItem,
    FeedbackLink,
    LinkState,
    Status,
    Theme,
    ThemeRun,
)

PER_PAGE = 50
EXCERPT = 160


@dataclass
class Row:
    """One inbox line: the item, what the keys act on, and whether contacts show."""

    item: FeedbackItem
    top: FeedbackLink | None = None  # the best pending suggestion: `a` accepts, `x` rejects
    accepted: FeedbackLink | None = None  # `1/2/3` set its importance
    duplicate: DuplicateCandidate | None = None  # `m` merges it
    contacts: bool = True

    @property
    def excerpt(self) -> str:
        text = " ".join(self.item.text.split())
        return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def filters_of(values: dict[str, Any], **extra: Any) -> selectors.FeedbackFilters:
    """The selector's filter object from the inbox form's cleaned values."""
    names = {
        "q": "q",
        "status": "status",
        "source": "source",
        "product": "product_id",
        "theme": "theme_id",
        "sentiment": "sentiment",
        "has_duplicates": "has_duplicates",
        "feature": "feature_id",
    }
    kwargs = {names[key]: value for key, value in values.items() if key in names}
    return selectors.FeedbackFilters(**kwargs, **extra)


def _with_related(qs: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    pending = FeedbackLink.objects.filter(state=LinkState.SUGGESTED).select_related("feature")
    accepted = FeedbackLink.objects.filter(state=LinkState.ACCEPTED).select_related("feature")
    return qs.select_related("product", "theme").prefetch_related(
        Prefetch("links", queryset=pending.order_by("-score"), to_attr="pending_links"),
        Prefetch("links", queryset=accepted.order_by("id"), to_attr="accepted_links"),
    )


def _duplicates(items: list[FeedbackItem]) -> dict[int, DuplicateCandidate]:
    found: dict[int, DuplicateCandidate] = {}
    qs = DuplicateCandidate.objects.filter(
        item__in=items, state=DuplicateState.SUGGESTED
    ).select_related("original")
    for candidate in qs.order_by("-score"):
        found.setdefault(candidate.item_id, candidate)
    return found


def rows_for(user: User, items: list[FeedbackItem]) -> list[Row]:
    duplicates = _duplicates(items)
    return [
        Row(
            item=item,
            top=next(iter(getattr(item, "pending_links", [])), None),
            accepted=next(iter(getattr(item, "accepted_links", [])), None),
            duplicate=duplicates.get(item.pk),
            contacts=selectors.may_see_contacts(user, item),
        )
        for item in items
    ]


def inbox_page(
    user: User, values: dict[str, Any], number: str | int
) -> tuple[Page[Any], list[Row]]:
    qs = _with_related(selectors.list_feedback(user, filters_of(values)))
    page = Paginator(qs, PER_PAGE).get_page(number)
    return page, rows_for(user, list(page.object_list))


def one_row(user: User, item_id: int) -> Row:
    """The inbox row of one item, after a triage key changed it."""
    item = selectors.access_feedback(user, item_id)
    qs = _with_related(FeedbackItem.objects.filter(pk=item.pk))
    return rows_for(user, list(qs))[0]


@dataclass
class StatusTab:
    key: str
    label: str
    count: int
    current: bool


def status_tabs(user: User, values: dict[str, Any]) -> list[StatusTab]:
    """Counts per status under the other filters (the status filter itself left out)."""
    others = {k: v for k, v in values.items() if k != "status"}
    counts = selectors.feedback_counts(user, filters_of(others))["status"]
    chosen = values.get("status", "")
    tabs = [StatusTab("", "All", sum(counts.values()), chosen == "")]
    tabs += [StatusTab(k, str(v), counts.get(k, 0), chosen == k) for k, v in Status.choices]
    return tabs


@dataclass
class ItemPage:
    item: FeedbackItem
    contacts: bool
    suggested: list[FeedbackLink] = field(default_factory=list)
    accepted: list[FeedbackLink] = field(default_factory=list)
    rejected: list[FeedbackLink] = field(default_factory=list)
    duplicates: list[DuplicateCandidate] = field(default_factory=list)
    merged: list[FeedbackItem] = field(default_factory=list)


def item_page(user: User, item: FeedbackItem) -> ItemPage:
    links = list(item.links.select_related("feature", "feature__product").order_by("-score"))
    page = ItemPage(item=item, contacts=selectors.may_see_contacts(user, item))
    for link in links:
        {
            LinkState.SUGGESTED: page.suggested,
            LinkState.ACCEPTED: page.accepted,
            LinkState.REJECTED: page.rejected,
        }[LinkState(link.state)].append(link)
    candidates = selectors.duplicates_of_item(user, item)
    page.duplicates = list(candidates.filter(state=DuplicateState.SUGGESTED))
    page.merged = list(item.duplicates.all()[:50])
    return page


@dataclass
class Evidence:
    """The feedback card of a feature page."""

    feature: Any
    demand: Any
    accepted: list[FeedbackLink]
    pending: int
    readable: bool


def feature_evidence(user: User, feature: Any, *, limit: int = 20) -> Evidence:
    from quarterdeck.feedback.demand import feature_demand

    if not selectors.may_read_feedback(user):
        return Evidence(feature, None, [], 0, readable=False)
    links = FeedbackLink.objects.filter(feature=feature).select_related("item")
    accepted = list(links.filter(state=LinkState.ACCEPTED).order_by("-item__received_at")[:limit])
    pending = links.filter(state=LinkState.SUGGESTED).count()
    demand = feature_demand(feature, user=user)
    return Evidence(feature, demand, accepted, pending, readable=True)


# Themes and demand ----------------------------------------------------------------------------


@dataclass
class ThemeCard:
    theme: Theme
    examples: list[FeedbackItem]
    trend: list[tuple[Any, int]]


@dataclass
class ThemesOverview:
    cards: list[ThemeCard]
    last_run: ThemeRun | None
    unthemed: int


def themes_overview(user: User, *, weeks: int = 12) -> ThemesOverview:
    """Every theme (largest first) with its typical examples and weekly trend."""
    from quarterdeck.feedback.themes import representatives, theme_trend

    selectors.list_feedback(user)  # the read check: themes are part of the inbox
    cards = [
        ThemeCard(
            theme=theme,
            examples=representatives(theme, 3),
            trend=[(w.week, w.count) for w in theme_trend(theme, weeks)],
        )
        for theme in Theme.objects.order_by("-size", "name")
    ]
    unthemed = FeedbackItem.objects.filter(theme__isnull=True).count()
    return ThemesOverview(cards, ThemeRun.objects.first(), unthemed)


def theme_choices() -> QuerySet[Theme]:
    """The themes of the inbox filter (themes are not confidential: every reader sees them)."""
    return Theme.objects.order_by("name")


def theme_items(user: User, theme: Theme, limit: int = 100) -> QuerySet[FeedbackItem]:
    qs = selectors.list_feedback(user, selectors.FeedbackFilters(theme_id=theme.pk))
    return _with_related(qs)[:limit]


@dataclass
class DemandFilters:
    products: list[Any]
    segments: list[str]


def demand_filters(user: User) -> DemandFilters:
    from quarterdeck.portfolio.selectors import list_products

    segments = FeedbackItem.objects.exclude(segment="").values_list("segment", flat=True)
    return DemandFilters(list(list_products(user)), sorted(set(segments.distinct())))
