"""Load Harborline's demo feedback into the inbox (the items come from demo_generate.py).

Everything goes through the feedback services, as the operator (actor None): the items, the
survey verbatims, processing (embeddings, duplicates, link suggestions), themes, the story's
own links (accepted from the topic each item was written from, never from the model's
suggestions, so the suggestions can still be judged honestly), a few merged duplicates, two
portals with ideas and votes, and one "you asked, we built it" notice. Loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from quarterdeck.accounts.models import Role, User
from quarterdeck.demo.events import demo_event_scale
from quarterdeck.feedback import demo_generate as gen
from quarterdeck.feedback.duplicates import duplicate_merge
from quarterdeck.feedback.links import link_create
from quarterdeck.feedback.loop import loop_send
from quarterdeck.feedback.models import (
    DuplicateCandidate,
    DuplicateState,
    FeedbackItem,
    FeedbackLink,
    LinkState,
    LoopNotice,
    Portal,
    Theme,
)
from quarterdeck.feedback.pipeline import pending_ids, process_items
from quarterdeck.feedback.portal import portal_save, vote_cast
from quarterdeck.feedback.services import feedback_create, feedback_from_surveys
from quarterdeck.feedback.themes import themes_recluster
from quarterdeck.lib.progress import NoProgress, Progress
from quarterdeck.portfolio.models import Feature, Product, ProductLine

KEY_PREFIX: Final = "demo:"
ITEMS: Final = 3000
MIN_ITEMS: Final = 60
SURVEY_DAYS: Final = 30
MERGED: Final = 8  # duplicates merged by "someone" already; the rest wait in the inbox
PORTALS: Final = {
    "Transport": {
        "slug": "transport", "title": "Transport ideas", "visibility": "public",
        "intro": "Ideas for RouteIQ, DriverHub, Telematics Connect, LoadBoard and RateDesk. "
        "Vote for what matters to you; we tell you when it ships.",
    },
    "Warehouse": {
        "slug": "warehouse", "title": "Warehouse ideas", "visibility": "signed_in",
        "intro": "Ideas for DockFlow, PickPath and StockSight, collected by our customer teams.",
    },
}  # fmt: skip
# The demo never mails its made-up customers, whatever mail the installation is set up with.
NO_MAIL: Final = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}


@dataclass(frozen=True)
class DemoFeedback:
    items: int
    surveys: int
    themes: int
    links: int
    merged: int
    votes: int
    notice: str  # the feature whose requesters were told it shipped ("" if none)
    seconds: float


def demo_feedback_count() -> int:
    """About three thousand items, scaled like the demo events (QUARTERDECK_DEMO_EVENT_SCALE)."""
    return max(MIN_ITEMS, round(ITEMS * min(1.0, demo_event_scale())))


def demo_feedback_loaded() -> bool:
    return FeedbackItem.objects.filter(external_id__startswith=KEY_PREFIX).exists()


def _data(
    item: gen.DemoItem, products: dict[str, Product], lines: dict[str, int]
) -> dict[str, Any]:
    product = products.get(item.product or "")
    data = {
        "text": item.text, "source": item.source, "external_id": item.key,
        "submitter_name": item.submitter.name, "submitter_email": item.submitter.email,
        "account": item.account, "account_name": item.account_name, "segment": item.segment,
        "product_id": product.pk if product else None, "received_at": item.received_at,
        "tags": list(item.tags), "status": "triaged" if item.accept else item.status,
        "public": item.portal_line is not None,
    }  # fmt: skip
    if item.portal_line is not None:
        data["line_id"] = lines[item.portal_line]
    return data


def _create(items: Iterable[gen.DemoItem], progress: Progress) -> dict[str, FeedbackItem]:
    products = {p.name: p for p in Product.objects.select_related("line")}
    lines = dict(ProductLine.objects.filter(parent=None).values_list("name", "pk"))
    made: dict[str, FeedbackItem] = {}
    with transaction.atomic():
        for item in items:
            made[item.key] = feedback_create(
                actor=None, data=_data(item, products, lines), process=False
            )
            progress.advance()
    return made


def _accept(items: list[gen.DemoItem], made: dict[str, FeedbackItem], progress: Progress) -> int:
    """The story's links: each chosen item to the feature its text was written about."""
    features = {f.name: f for f in Feature.objects.all()}
    chosen = [i for i in items if i.accept and i.feature in features]
    progress.start("Linking feedback to features", len(chosen))
    with transaction.atomic():
        for item in chosen:
            feature = features[item.feature or ""]
            link_create(
                actor=None, item=made[item.key], feature=feature, importance=item.importance
            )
            progress.advance()
    return len(chosen)


def _merge(items: list[gen.DemoItem], made: dict[str, FeedbackItem]) -> int:
    """Merge a few of the re-sent items the pipeline found, as a triager would have."""
    resent = {made[i.key].pk: made[i.duplicate_of].pk for i in items if i.duplicate_of}
    found = DuplicateCandidate.objects.filter(
        item_id__in=list(resent), state=DuplicateState.SUGGESTED
    ).order_by("item__received_at")
    merged = 0
    for candidate in found:
        if merged >= MERGED or resent[candidate.item_id] != candidate.original_id:
            continue
        duplicate_merge(actor=None, candidate_or_items=candidate)
        merged += 1
    return merged


def _voters() -> list[User]:
    """Colleagues who vote on the signed-in portal: the demo's sign-ins that may add feedback."""
    roles = (Role.ADMIN, Role.LEADER, Role.MANAGER, Role.MEMBER, Role.CONTRIBUTOR)
    return list(User.objects.filter(role__in=roles, is_active=True).order_by("pk"))


def _portals(votes: Iterable[gen.DemoVote], made: dict[str, FeedbackItem]) -> int:
    """The two portals, and the votes on their ideas: customers' contacts by e-mail on the
    public one, colleagues signed in on the other."""
    portals = {}
    for name, data in PORTALS.items():
        line = ProductLine.objects.filter(name=name, parent=None).first()
        if line is not None and not Portal.objects.filter(line=line).exists():
            portals[line.pk] = portal_save(actor=None, line=line, data=data)
    colleagues, cast = _voters(), Counter[int]()
    for vote in votes:
        item = made[vote.item]
        portal = portals.get(item.line_id or 0)
        if portal is None:
            continue
        if portal.visibility == "public":
            email, name = vote.voter.email, vote.voter.name
            vote_cast(portal=portal, item=item, user=None, email=email, name=name)
        elif cast[item.pk] < len(colleagues):
            vote_cast(portal=portal, item=item, user=colleagues[cast[item.pk]])
        else:
            continue
        cast[item.pk] += 1
    return cast.total()


def _close_the_loop() -> str:
    """Tell the requesters of the launched feature with the most accepted requests (praise
    for what is already there is not a request)."""
    launched = Feature.objects.filter(stage__in=("launch", "growth"))
    links = FeedbackLink.objects.filter(state=LinkState.ACCEPTED, feature__in=launched)
    counts = Counter(
        feature for feature, tags in links.values_list("feature_id", "item__tags")
        if "praise" not in tags
    )  # fmt: skip
    if not counts or LoopNotice.objects.exists():
        return ""
    feature = Feature.objects.get(pk=counts.most_common(1)[0][0])
    with override_settings(MAILERS=NO_MAIL):
        loop_send(actor=None, feature=feature)
    return feature.name


def demo_feedback_ensure(
    *,
    now: dt.datetime | None = None,
    count: int | None = None,
    scale: float | None = None,
    progress: Progress | None = None,
) -> DemoFeedback | None:
    """Load the demo feedback; None when it is already there (or the demo portfolio is not)."""
    if demo_feedback_loaded() or not Product.objects.filter(name="DriverHub").exists():
        return None
    started, progress = time.perf_counter(), progress or NoProgress()
    moment = now or timezone.now()
    today = moment.astimezone(dt.UTC).date()
    size = count or demo_feedback_count()
    demo = gen.generate_feedback(today=today, now=moment, count=size, scale=scale)
    items = list(demo.items)
    progress.start("Adding demo feedback", len(items))
    made = _create(items, progress)
    # The last month's survey comments, as a team that started syncing them recently would have
    # (the demo's surveys draw on a few stock comments: half a year of them would crowd the
    # themes with word-for-word repeats). The pipeline below processes them: no worker task.
    recent = moment - dt.timedelta(days=SURVEY_DAYS)
    surveys = feedback_from_surveys(actor=None, since=recent, schedule=False)
    process_items(pending_ids(), progress=progress)
    run = themes_recluster(actor=None)
    links = _accept(items, made, progress)
    merged = _merge(items, made)
    votes = _portals(demo.votes, made)
    notice = _close_the_loop()
    return DemoFeedback(
        items=len(made), surveys=surveys, themes=run.themes or Theme.objects.count(),
        links=links, merged=merged, votes=votes, notice=notice,
        seconds=time.perf_counter() - started,
    )  # fmt: skip
