"""The demo roadmap, after the planning demo (which applies a scenario to the board): every open
initiative (idea, discovery, build) is on the board — those the scenario did not place go to
Later, best score first (the best few to Next when the scenario left Next empty) —, the Now and
Next cards have dates, there is a shared portfolio view
and a line timeline, and one live signed link. Idempotent: a second run adds nothing."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from quarterdeck.accounts.models import Role, User
from quarterdeck.portfolio.models import Feature, ProductLine
from quarterdeck.roadmap import board
from quarterdeck.roadmap.board_selectors import OPEN_STAGES, current_scores
from quarterdeck.roadmap.models import Lane, RoadmapEntry, RoadmapView
from quarterdeck.roadmap.planning_periods import current_period, period_dates, period_of, shift
from quarterdeck.roadmap.sharing import link_is_live

PORTFOLIO_VIEW = "Portfolio roadmap — "
NOW_WITHOUT_PLAN = 6  # when no scenario was applied: build-stage work fills Now up to this
NEXT_WITHOUT_PLAN = 6  # and the best-scored fill Next up to this


def _leader() -> User | None:
    for role in (Role.LEADER, Role.ADMIN):
        found = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        if found is not None:
            return found
    return None


def _unplaced_by_score() -> list[Feature]:
    open_features = list(Feature.objects.filter(stage__in=OPEN_STAGES, roadmap_entry__isnull=True))
    scores = current_scores([f.pk for f in open_features])
    return sorted(open_features, key=lambda f: (-scores.get(f.pk, float("-inf")), f.name))


def _lane_for(feature: Feature, planned: bool, next_open: bool) -> str:
    """Later, unless a lane would stay empty: with no scenario applied, build-stage work goes to
    Now and the best-scored to Next; when the scenario filled only Now (a one-quarter plan),
    the best-scored of the rest go to Next."""
    now = RoadmapEntry.objects.filter(lane=Lane.NOW).count()
    nxt = RoadmapEntry.objects.filter(lane=Lane.NEXT).count()
    if not planned and feature.stage == "build" and now < NOW_WITHOUT_PLAN:
        return Lane.NOW
    if (not planned or next_open) and nxt < NEXT_WITHOUT_PLAN:
        return Lane.NEXT
    return Lane.LATER


def _place_the_rest() -> int:
    """Open initiatives the scenario left off, in score order (see _lane_for)."""
    planned = RoadmapEntry.objects.exists()
    next_open = not RoadmapEntry.objects.filter(lane=Lane.NEXT).exists()
    placed = 0
    for feature in _unplaced_by_score():
        lane = _lane_for(feature, planned, next_open)
        board.entry_place(actor=None, feature_id=feature.pk, lane=lane)
        placed += 1
    return placed


def _date_now_and_next() -> int:
    """Undated Now cards get the quarter the Now lane already plans (the scenario's, else the
    current one), Next cards the quarter after it; dated cards keep their dates."""
    first = RoadmapEntry.objects.filter(lane=Lane.NOW, start__isnull=False).order_by("start")
    start_of_now = first.values_list("start", flat=True).first()
    now_period = period_of(start_of_now) if start_of_now else current_period()
    quarters = {Lane.NOW: now_period, Lane.NEXT: shift(now_period, 1)}
    dated = 0
    for lane, period in quarters.items():
        start, end = period_dates(period)
        undated = RoadmapEntry.objects.filter(lane=lane, start__isnull=True)
        for feature_id in undated.values_list("feature_id", flat=True):
            board.entry_place(actor=None, feature_id=feature_id, lane=lane, start=start, end=end)
            dated += 1
    return dated


def _views(owner: User | None) -> tuple[RoadmapView, int]:
    made: list[RoadmapView] = []
    portfolio = RoadmapView.objects.filter(name__startswith=PORTFOLIO_VIEW).first()
    if portfolio is None:
        quarter = shift(current_period(), 1)
        portfolio = board.view_create(actor=None, data={
            "name": f"{PORTFOLIO_VIEW}{quarter}", "layout": "board", "shared": True,
            "description": f"The whole portfolio's roadmap, planned for {quarter}.",
        })  # fmt: skip
        made.append(portfolio)
    line = _busiest_line()
    if line is not None and not RoadmapView.objects.filter(filters__line_id=line.pk).exists():
        made.append(board.view_create(actor=None, data={
            "name": f"{line.name} — timeline", "layout": "timeline", "shared": True,
            "filters": {"line_id": line.pk, "grain": "month"},
            "description": f"The {line.name} line's planned dates, by month.",
        }))  # fmt: skip
    # The demo's views belong to its leader (the services record the system as their author).
    RoadmapView.objects.filter(pk__in=[v.pk for v in made]).update(owner=owner)
    return portfolio, len(made)


def _busiest_line() -> ProductLine | None:
    counts = Counter(RoadmapEntry.objects.values_list("feature__product__line_id", flat=True))
    if not counts:
        return None
    return ProductLine.objects.filter(pk=counts.most_common(1)[0][0]).first()


def demo_board_ensure() -> str:
    with transaction.atomic():
        placed = _place_the_rest()
        dated = _date_now_and_next()
        portfolio, views = _views(_leader())
        link_note = ""
        if not any(link_is_live(link) for link in portfolio.share_links.all()):
            _, token = board.link_create(
                actor=None, view_id=portfolio.pk, label="Board deck", expires_days=180
            )
            link_note = f", signed link /share/{token}/"
    lanes = {lane: RoadmapEntry.objects.filter(lane=lane).count() for lane in Lane.values}
    return (
        f"roadmap: {placed} placed, {dated} dated ({lanes['now']} now, {lanes['next']} next, "
        f"{lanes['later']} later), {views} view(s) saved{link_note}"
    )
