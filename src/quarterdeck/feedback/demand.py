"""Demand: how much the customers' voice asks for each feature and each theme.

    score = Σ over linked feedback of  importance weight * revenue factor * recency

- importance weight: nice-to-have 1, important 2, critical 4 (for a theme, an item counts with
  the highest importance of its accepted links, 1 when it has none);
- revenue factor: 1 + log10(1 + MRR / 100), MRR being the item's account's current monthly
  recurring revenue in the reporting currency (1 without an account or revenue);
- recency: 0.5 ** (age in days / 90) — an item's weight halves every 90 days.

docs/feedback-demand.md explains the choice with a worked example. A merged duplicate counts
once, through its original.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.feedback.models import FeedbackItem, FeedbackLink, LinkState, Theme
from quarterdeck.lib.dates import workspace_today
from quarterdeck.lib.errors import NotAllowed
from quarterdeck.portfolio.models import Feature, Product, ProductLine
from quarterdeck.portfolio.selectors import line_subtree_ids

WEIGHTS = {"nice_to_have": 1.0, "important": 2.0, "critical": 4.0}
HALF_LIFE_DAYS = 90.0
REVENUE_UNIT = 100.0  # MRR is counted in tenfolds of this: 900 → factor 2, 9,900 → factor 3
NO_SEGMENT = "(none)"


@dataclass(frozen=True)
class Ask:
    """One piece of demand: an item (or passage) asking for a feature or in a theme."""

    item_id: int
    account: str
    segment: str
    importance: str
    received_at: datetime


@dataclass
class DemandRow:
    kind: str  # "feature" | "theme"
    key: int
    name: str
    product: str = ""
    stage: str = ""
    count: int = 0  # linked items (passages of one item count once)
    accounts: int = 0
    importance: float = 0.0  # Σ weights
    revenue: float | None = 0.0  # Σ current MRR of the distinct accounts (None: hidden)
    score: float = 0.0
    segments: dict[str, float] = field(default_factory=dict)  # score per segment
    latest: datetime | None = None


def revenue_factor(mrr: float) -> float:
    return 1.0 + math.log10(1.0 + max(mrr, 0.0) / REVENUE_UNIT)


def recency(received_at: datetime, now: datetime) -> float:
    age_days = max((now - received_at).total_seconds(), 0.0) / 86400.0
    return float(0.5 ** (age_days / HALF_LIFE_DAYS))


def account_mrr(accounts: Iterable[str]) -> dict[str, float]:
    """Current MRR per account id (matched to a revenue customer by its account id or its
    external id). Accounts without a customer, or priced in a currency without a rate, are
    left out, so their factor is 1."""
    from quarterdeck.revenue import engine
    from quarterdeck.revenue.metrics import engine_subs, rates_on
    from quarterdeck.revenue.models import Customer

    wanted = {a for a in accounts if a}
    if not wanted:
        return {}
    owners: dict[str, set[str]] = defaultdict(set)  # customer external id → account ids
    for customer in Customer.objects.filter(account_id__in=wanted) | Customer.objects.filter(
        external_id__in=wanted
    ):
        for key in {customer.account_id, customer.external_id} & wanted:
            owners[customer.external_id].add(key)
    subs = [s for s in engine_subs() if s.customer in owners]
    today = workspace_today()
    rates, found = rates_on(today), dict[str, float]()
    for owner, keys in owners.items():
        try:
            mrr = engine.mrr_on([s for s in subs if s.customer == owner], rates, today)
        except engine.MissingRate:
            continue
        for key in keys:
            found[key] = found.get(key, 0.0) + float(mrr)
    return found


def _row(row: DemandRow, asks: Sequence[Ask], mrr: dict[str, float], now: datetime) -> DemandRow:
    segments: dict[str, float] = defaultdict(float)
    for ask in asks:
        weight = WEIGHTS.get(ask.importance, 1.0)
        value = weight * revenue_factor(mrr.get(ask.account, 0.0)) * recency(ask.received_at, now)
        row.importance += weight
        row.score += value
        segments[ask.segment or NO_SEGMENT] += value
    accounts = {a.account for a in asks if a.account}
    row.count = len({a.item_id for a in asks})
    row.accounts = len(accounts)
    row.revenue = round(sum(mrr.get(a, 0.0) for a in accounts), 2)
    row.score = round(row.score, 4)
    row.segments = {k: round(v, 4) for k, v in sorted(segments.items(), key=lambda kv: -kv[1])}
    row.latest = max((a.received_at for a in asks), default=None)
    return row


def _hide_revenue(user: User | None, rows: list[DemandRow]) -> list[DemandRow]:
    """Everyone who reads feedback reads demand; the MRR behind it only those who read revenue."""
    from quarterdeck.feedback.selectors import may_read_feedback
    from quarterdeck.revenue.selectors import may_read_revenue

    if user is not None and not may_read_feedback(user):
        raise NotAllowed("Sign in to see feedback.")

    if not may_read_revenue(user):
        for row in rows:
            row.revenue = None
    return rows


def _feature_asks(links: Iterable[FeedbackLink], segment: str | None) -> dict[int, list[Ask]]:
    """Accepted links per feature; several passages of one item count with the highest weight."""
    best: dict[tuple[int, int], Ask] = {}
    for link in links:
        item = link.item
        if segment is not None and item.segment != segment:
            continue
        ask = Ask(item.pk, item.account, item.segment, link.importance, item.received_at)
        known = best.get((link.feature_id, item.pk))
        if known is None or WEIGHTS[ask.importance] > WEIGHTS[known.importance]:
            best[(link.feature_id, item.pk)] = ask
    grouped: dict[int, list[Ask]] = defaultdict(list)
    for (feature_id, _), ask in best.items():
        grouped[feature_id].append(ask)
    return grouped


def _rank(rows: list[DemandRow]) -> list[DemandRow]:
    return sorted(rows, key=lambda r: (-r.score, -r.count, r.name))


def _features_in(product: Product | None, line: ProductLine | None) -> Iterable[Feature]:
    qs = Feature.objects.select_related("product")
    if product is not None:
        qs = qs.filter(product=product)
    if line is not None:
        qs = qs.filter(product__line_id__in=line_subtree_ids(line.pk))
    return qs


def _feature_rows(
    features: Iterable[Feature], segment: str | None, keep_empty: bool
) -> list[DemandRow]:
    by_id = {f.pk: f for f in features}
    links = FeedbackLink.objects.filter(
        state=LinkState.ACCEPTED, feature_id__in=by_id
    ).select_related("item")
    asks = _feature_asks(links, segment)
    mrr = account_mrr(a.account for group in asks.values() for a in group)
    now = timezone.now()
    rows = []
    for pk, feature in by_id.items():
        if asks.get(pk) or keep_empty:
            base = DemandRow("feature", pk, feature.name, feature.product.name, feature.stage)
            rows.append(_row(base, asks.get(pk, []), mrr, now))
    return _rank(rows)


def demand_for_features(
    user: User | None,
    *,
    product: Product | None = None,
    line: ProductLine | None = None,
    segment: str | None = None,
) -> list[DemandRow]:
    """Every feature with accepted feedback, highest score first (callers pass the product or
    line through its door)."""
    return _hide_revenue(
        user, _feature_rows(_features_in(product, line), segment, keep_empty=False)
    )


def feature_demand(
    feature: Feature, *, user: User | None = None, segment: str | None = None
) -> DemandRow:
    """One feature's demand (zeros when nothing is linked to it)."""
    return _hide_revenue(user, _feature_rows([feature], segment, keep_empty=True))[0]


def _theme_asks(themes: dict[int, Theme], segment: str | None) -> dict[int, list[Ask]]:
    items = FeedbackItem.objects.filter(theme_id__in=themes, duplicate_of__isnull=True)
    if segment is not None:
        items = items.filter(segment=segment)
    strongest: dict[int, str] = {}
    accepted = FeedbackLink.objects.filter(item__in=items, state=LinkState.ACCEPTED)
    for item_id, importance in accepted.values_list("item_id", "importance"):
        if WEIGHTS[importance] > WEIGHTS.get(strongest.get(item_id, ""), 0.0):
            strongest[item_id] = importance
    grouped: dict[int, list[Ask]] = defaultdict(list)
    fields = ("pk", "theme_id", "account", "segment", "received_at")
    for pk, theme_id, account, seg, received in items.values_list(*fields):
        grouped[theme_id].append(Ask(pk, account, seg, strongest.get(pk, "nice_to_have"), received))
    return grouped


def demand_for_themes(
    user: User | None,
    *,
    product: Product | None = None,
    line: ProductLine | None = None,
    segment: str | None = None,
) -> list[DemandRow]:
    """Every theme, highest score first; with a product or line, only its items count."""
    themes = {t.pk: t for t in Theme.objects.all()}
    asks = _theme_asks(themes, segment)
    if product is not None or line is not None:
        asks = _only_scope(asks, product, line)
    mrr = account_mrr(a.account for group in asks.values() for a in group)
    now = timezone.now()
    rows = [
        _row(DemandRow("theme", pk, t.name), asks[pk], mrr, now)
        for pk, t in themes.items()
        if asks.get(pk)
    ]
    return _hide_revenue(user, _rank(rows))


def _only_scope(
    asks: dict[int, list[Ask]], product: Product | None, line: ProductLine | None
) -> dict[int, list[Ask]]:
    qs = FeedbackItem.objects.all()
    if product is not None:
        qs = qs.filter(product=product)
    if line is not None:
        lines = line_subtree_ids(line.pk)
        qs = qs.filter(product__line_id__in=lines) | qs.filter(line_id__in=lines)
    inside = set(qs.values_list("pk", flat=True))
    return {k: [a for a in v if a.item_id in inside] for k, v in asks.items()}


CSV_HEADER = [
    "rank",
    "kind",
    "id",
    "name",
    "product",
    "stage",
    "score",
    "count",
    "accounts",
    "importance",
    "revenue",
    "latest",
    "segments",
]


def demand_csv(rows: Sequence[DemandRow]) -> str:
    """The ranked list as CSV; segments as `segment=score; ...`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for rank, r in enumerate(rows, start=1):
        segments = "; ".join(f"{k}={v}" for k, v in r.segments.items())
        latest = r.latest.isoformat() if r.latest else ""
        revenue = "" if r.revenue is None else r.revenue
        writer.writerow(
            [
                rank,
                r.kind,
                r.key,
                r.name,
                r.product,
                r.stage,
                r.score,
                r.count,
                r.accounts,
                r.importance,
                revenue,
                latest,
                segments,
            ]
        )
    return out.getvalue()
