"""What the analytics pages show, assembled from the selectors and services (reads only): a
view calls one of these and renders. Permission checks stay in the doors (access_product,
access_insight, check_read) that these call."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from quarterdeck.accounts.models import User
from quarterdeck.analytics import selectors
from quarterdeck.analytics.charts import Spec, chart_spec
from quarterdeck.analytics.models import InsightKind, SavedInsight
from quarterdeck.analytics.queries import InsightQuery, parse_query
from quarterdeck.analytics.services import InsightOutcome, insight_run
from quarterdeck.analytics.tables import Table, table_of
from quarterdeck.kpis.models import RATIO_METRICS
from quarterdeck.kpis.selectors import latest_kpis
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.metrics.tracking import product_filter, tracked_features
from quarterdeck.portfolio.models import Feature, Product
from quarterdeck.portfolio.selectors import access_product, list_products

RANGES: Final = (30, 90, 180)
WIDE: Final = frozenset({"active-users", "retention", "lifecycle"})  # take a row of their own
GRAIN_WORDS: Final = {"day": "day", "week": "week", "month": "month"}


@dataclass(frozen=True)
class ChartCard:
    """One chart with its text alternative and links; ``error`` instead when it cannot run."""

    key: str
    title: str
    caption: str
    csv_url: str
    builder_url: str
    spec: Spec | None = None
    table: Table | None = None
    outcome: InsightOutcome | None = None
    error: str = ""
    error_fields: dict[str, list[str]] = field(default_factory=dict)
    kind: str = ""

    @property
    def wide(self) -> bool:
        return self.kind in WIDE

    @property
    def computed_label(self) -> str:
        if self.outcome is None:
            return ""
        age = timezone.now() - self.outcome.computed_at
        return (
            "just now"
            if age < dt.timedelta(minutes=1)
            else f"{timesince(self.outcome.computed_at)} ago"
        )

    @property
    def spec_id(self) -> str:
        return f"{self.key}-spec"


def query_params(query: InsightQuery) -> list[tuple[str, str]]:
    """The query as query-string pairs that parse_query reads back (repeated keys for lists,
    conditions as KEY=VALUE). A step with its own conditions travels as its event name."""
    pairs: list[tuple[str, str]] = []
    for key, value in query.to_data().items():
        if isinstance(value, dict):
            pairs += [(key, f"{k}={v}") for k, v in value.items()]
        elif isinstance(value, list):
            pairs += [(key, str(v["event"] if isinstance(v, dict) else v)) for v in value]
        else:
            pairs.append((key, str(value)))
    return pairs


def builder_url(query: InsightQuery) -> str:
    return f"{reverse('analytics:insight_new')}?{urlencode(query_params(query))}"


def csv_url(query: InsightQuery) -> str:
    """The CSV download of the query: the same rows as the chart, the API and the CLI."""
    return f"{reverse('analytics:export')}?{urlencode(query_params(query))}"


def _date(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _period(query: InsightQuery) -> str:
    if query.last_days:
        return f"the last {query.last_days} days"
    return f"{_date(query.start)} to {_date(query.end)}"


def caption(query: InsightQuery) -> str:
    """One line saying what the chart shows."""
    options = query.options
    who = "accounts" if options.get("actor") == "account" else "users"
    grain = GRAIN_WORDS.get(str(options.get("grain", "day")), "day")
    texts = {
        "active-users": f"Distinct {who} active per {grain}, over {_period(query)}.",
        "active-days": f"How many {who} were active on 1, 2, 3 … {grain}s of {_period(query)}.",
        "feature-adoption": f"The share of active {who} who used each feature in {_period(query)}.",
        "retention": (
            f"Of the {who} who started in a {grain}, the share active again 0, 1, 2 … {grain}s "
            f"later (cohorts of {_period(query)})."
        ),
        "lifecycle": (
            f"Per {grain}: new, returning and resurrecting {who} up, those gone dormant down, "
            f"over {_period(query)}."
        ),
        "funnel": (
            f"{who.capitalize()} reaching each step within {options.get('window_days', 14)} days, "
            f"and the share of step 1 — {_period(query)}."
        ),
    }
    return texts[query.kind]


def run_card(
    user: User, *, key: str, title: str, query: InsightQuery, builder: str | None = ""
) -> ChartCard:
    """Compute ``query`` and lay it out as a card; bad input (say, an untracked product) becomes
    the card's error message rather than a broken page. ``builder``: the "Open in builder" link
    ("" for one that opens this query, None for none: the builder's own preview)."""
    common: dict[str, Any] = {
        "key": key,
        "title": title,
        "caption": caption(query),
        "csv_url": csv_url(query),
        "builder_url": builder_url(query) if builder == "" else (builder or ""),
        "kind": query.kind,
    }
    try:
        outcome = insight_run(user, query)
    except InvalidInput as exc:
        return ChartCard(**common, error=exc.message, error_fields=exc.fields)
    description = f"{title}: {common['caption']}"
    table = table_of(outcome.rows, _breakdown_label(query))
    drawn = _has_activity(outcome.rows)
    spec = chart_spec(outcome.result, outcome.rows, description) if drawn else None
    return ChartCard(**common, spec=spec, table=table, outcome=outcome)


# Columns that number things (steps, periods) rather than count people.
ORDINALS: Final = frozenset({"step", "active_periods"})


def _has_activity(rows: list[dict[str, object]]) -> bool:
    """Whether any count or rate is above zero: a chart of nothing but zeros (say, a funnel
    whose first step nobody did in the range) is said in words instead."""
    return any(
        isinstance(value, int | float) and value != 0 and key not in ORDINALS
        for row in rows
        for key, value in row.items()
    )


def _breakdown_label(query: InsightQuery) -> str:
    """What the rows' breakdown column holds, as its table header."""
    options = query.options
    if options.get("features") or options.get("breakdown") == "feature":
        return "Feature"
    if "," in str(options.get("measure", "")):
        return "Measure"
    return str(options.get("breakdown") or "Breakdown").capitalize()


def _with_range(query: InsightQuery, days: int | None) -> InsightQuery:
    if days is None:
        return query
    data = {**query.to_data(), "last_days": days}
    data.pop("start", None)
    data.pop("end", None)
    return parse_query(data)


# The product page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewSlot:
    index: int
    title: str
    kind: str

    @property
    def wide(self) -> bool:
        return self.kind in WIDE


@dataclass(frozen=True)
class KpiTile:
    """One KPI at the top of the product page: its last complete day and the change in a week."""

    label: str
    value: str
    change: str
    trend: str  # "up", "down" or "" (no comparison)


def _kpi_value(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if metric in RATIO_METRICS else f"{value:,.0f}"


def kpi_tiles(user: User, product_id: int) -> tuple[list[KpiTile], dt.date | None]:
    """The product's latest KPI snapshots (kpis module), if it has any."""
    latest = latest_kpis(user, product_id)
    tiles = []
    for card in latest.cards:
        change = card.change_week
        trend = "" if change is None else ("up" if change >= 0 else "down")
        text = "" if change is None else f"{change:+.0%} vs a week before"
        tiles.append(KpiTile(card.label, _kpi_value(card.metric, card.value), text, trend))
    shown = [tile for tile in tiles if tile.value != "—"]
    return (tiles, latest.day) if shown else ([], None)


@dataclass
class ProductPage:
    product: Product
    days: int | None
    slots: list[OverviewSlot] = field(default_factory=list)
    pinned: list[SavedInsight] = field(default_factory=list)
    untracked: str = ""
    ranges: tuple[int, ...] = RANGES
    kpis: list[KpiTile] = field(default_factory=list)
    kpi_day: dt.date | None = None

    @property
    def days_query(self) -> str:
        """The range for the chart URLs: "?days=N", or nothing for each chart's default."""
        return f"?days={self.days}" if self.days else ""


def product_page(user: User, product_id: int, days: int | None) -> ProductPage:
    """The product's analytics page before any chart is computed (they load one by one)."""
    selectors.check_read(user)
    product = access_product(user, product_id)
    page = ProductPage(product, days)
    page.kpis, page.kpi_day = kpi_tiles(user, product_id)
    try:
        overview = selectors.product_overview(user, product_id)
    except InvalidInput as exc:
        page.untracked = exc.message
        return page
    page.slots = [OverviewSlot(i, title, q.kind) for i, (title, q) in enumerate(overview)]
    funnel = selectors.pinned_funnel(product)
    pinned = selectors.list_insights(user, product_id).filter(pinned=True)
    page.pinned = [insight for insight in pinned if funnel is None or insight.pk != funnel.pk]
    return page


def overview_chart(user: User, product_id: int, index: int, days: int | None) -> ChartCard:
    """Chart ``index`` of the product page (404 past the last one)."""
    overview = selectors.product_overview(user, product_id)
    if not 0 <= index < len(overview):
        raise NotFound(f"The analytics page of this product has {len(overview)} charts.")
    title, query = overview[index]
    return run_card(user, key=f"chart-{index}", title=title, query=_with_range(query, days))


# Saved insights ---------------------------------------------------------------------------------


def insight_chart(user: User, insight_id: int) -> ChartCard:
    insight = selectors.access_insight(user, insight_id)
    try:
        query = parse_query(insight.query)
    except InvalidInput as exc:
        return ChartCard(f"insight-{insight.pk}", insight.name, "", "", "", error=exc.message)
    return run_card(
        user,
        key=f"insight-{insight.pk}",
        title=insight.name,
        query=query,
        builder=reverse("analytics:insight", args=[insight.pk]),
    )


@dataclass
class HomePage:
    products: list[Product]
    mine: list[SavedInsight]
    others: list[SavedInsight]
    kinds: dict[str, str]


def tracked_products_of(user: User) -> list[Product]:
    """The products the user reads that have tracking (what analytics can be computed for)."""
    return [p for p in list_products(user).order_by("name") if product_filter(p) is not None]


def home_page(user: User) -> HomePage:
    """Products with tracking, and saved insights: the user's own, then everyone else's."""
    insights = list(selectors.list_insights(user))
    return HomePage(
        products=tracked_products_of(user),
        mine=[i for i in insights if i.owner_id == user.pk],
        others=[i for i in insights if i.owner_id != user.pk],
        kinds=dict(InsightKind.choices),
    )


@dataclass(frozen=True)
class BuilderChoices:
    products: list[Product]
    features: list[Feature]


def builder_choices(user: User, product_id: int | None) -> BuilderChoices:
    """What the builder offers: tracked products, and the chosen product's tracked features (none
    for a product the user may not read: the query's own check then says why)."""
    selectors.check_read(user)
    features: list[Feature] = []
    if product_id is not None:
        try:
            features = [f for f, _ in tracked_features(access_product(user, product_id))]
        except (NotFound, NotAllowed):
            features = []
    return BuilderChoices(tracked_products_of(user), features)
