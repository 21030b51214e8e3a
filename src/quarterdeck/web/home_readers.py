"""What the home page shows: the Head of Product's view (the portfolio scorecard, outcomes at
risk, biggest movers), then the stage chart, the user's area of the portfolio and a feed of
recent changes. Everyone reads scorecards, so every role sees the same page. Reads stored
numbers only; who may see what stays in the selectors and accounts.rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

from quarterdeck.accounts import rules
from quarterdeck.accounts.models import User
from quarterdeck.audit.selectors import list_audit_entries, recent_portfolio_changes
from quarterdeck.lib.dates import workspace_today
from quarterdeck.people.models import Person
from quarterdeck.people.selectors import list_people
from quarterdeck.portfolio.models import PortfolioItem, Stage
from quarterdeck.portfolio.selectors import list_features, list_lines, list_products
from quarterdeck.revenue.selectors import reporting_currency
from quarterdeck.strategy.scorecard_html import RowView, row_views
from quarterdeck.strategy.scorecards import portfolio_scorecard
from quarterdeck.web.charts import StackedBars, stacked_bars
from quarterdeck.web.feed import FeedEntry, feed_entries
from quarterdeck.web.home_strategy import AtRisk, Mover, biggest_movers, outcomes_at_risk
from quarterdeck.web.readers import readable_history, stage_counts

AREA_LIMIT = 15  # rows in "Your area"; the portfolio page has the rest
FEED_LIMIT = 10


@dataclass
class AreaGroup:
    """The part of the area one direct report leads (lead None: what the user owns)."""

    lead: Person | None
    items: list[PortfolioItem] = field(default_factory=list)


@dataclass
class Area:
    person: Person | None  # None: the user is not linked to a person in the org
    has_reports: bool = False
    groups: list[AreaGroup] = field(default_factory=list)
    total: int = 0
    see_all_url: str = ""

    @property
    def shown(self) -> int:
        return sum(len(group.items) for group in self.groups)


@dataclass
class HomePage:
    chart: StackedBars
    totals: dict[str, int]
    area: Area
    recent: list[FeedEntry]
    scorecard: list[RowView] = field(default_factory=list)
    at_risk: list[AtRisk] = field(default_factory=list)
    rising: list[Mover] = field(default_factory=list)
    falling: list[Mover] = field(default_factory=list)
    today: date | None = None
    currency: str = ""


def _owned_by(user: User, owner_ids: set[int], *, features: bool) -> list[PortfolioItem]:
    """Lines, then products (then features), that these people own, each by name."""
    items: list[PortfolioItem] = [
        *list_lines(user).filter(owner_id__in=owner_ids).order_by("name"),
        *list_products(user).filter(owner_id__in=owner_ids).order_by("name"),
    ]
    if features:
        items.extend(list_features(user).filter(owner_id__in=owner_ids).order_by("name"))
    return items


def _groups(user: User, me: Person) -> list[AreaGroup]:
    """What the user owns, then what each direct report's line owns."""
    groups = [AreaGroup(None, _owned_by(user, {me.pk}, features=False))]
    for lead in list_people(user, manager_id=me.pk).exclude(pk=me.pk):
        owners = {lead.pk} | rules.report_ids(lead)
        groups.append(AreaGroup(lead, _owned_by(user, owners, features=False)))
    return [group for group in groups if group.items]


def _capped(groups: list[AreaGroup], limit: int) -> list[AreaGroup]:
    capped: list[AreaGroup] = []
    for group in groups:
        room = limit - sum(len(g.items) for g in capped)
        if room <= 0:
            break
        capped.append(AreaGroup(group.lead, group.items[:room]))
    return capped


def your_area(user: User) -> Area:
    me = rules.person_of(user)
    if me is None:
        return Area(None)
    has_reports = bool(rules.report_ids(me))
    if has_reports:
        groups = _groups(user, me)
    else:
        groups = [AreaGroup(None, _owned_by(user, {me.pk}, features=True))]
    items = [item for group in groups for item in group.items]
    owners = {item.owner_id for item in items}
    query = f"?owner={owners.pop()}" if len(owners) == 1 else ""
    return Area(
        me,
        has_reports,
        _capped([g for g in groups if g.items], AREA_LIMIT),
        len(items),
        reverse("portfolio") + query,
    )


def _with_strategy(page: HomePage, user: User) -> HomePage:
    """The Head of Product's view on top: the scorecard, outcomes at risk, biggest movers."""
    today = workspace_today()
    rows = portfolio_scorecard(user, today=today)
    page.scorecard = row_views(rows)
    page.at_risk = outcomes_at_risk(user, today)
    page.rising, page.falling = biggest_movers(user, rows, today)
    page.today, page.currency = today, reporting_currency()
    return page


def home_page(user: User) -> HomePage:
    rows = [
        ("Lines", stage_counts(list_lines(user))),
        ("Products", stage_counts(list_products(user))),
        ("Features", stage_counts(list_features(user))),
    ]
    recent = (
        list_audit_entries(user)[:FEED_LIMIT]
        if rules.is_admin(user)
        else recent_portfolio_changes(user, limit=FEED_LIMIT)
    )
    page = HomePage(
        chart=stacked_bars(rows, Stage.choices),
        totals={label: sum(counts.values()) for label, counts in rows},
        area=your_area(user),
        recent=feed_entries(readable_history(user, recent)),
    )
    return _with_strategy(page, user)
