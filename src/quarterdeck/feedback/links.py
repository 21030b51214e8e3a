"""Links from feedback (a whole item or a highlighted passage) to features.

The model suggests (``suggest_links``); people accept, reject or link by hand. Every decision
rebuilds the feature's profile, so accepted feedback pulls later, similar items towards the
feature and rejected feedback pushes them away. An item with an accepted link is ``linked``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.feedback.ml import linking
from quarterdeck.feedback.models import FeedbackItem, FeedbackLink, Importance, LinkState, Status
from quarterdeck.feedback.profiles import as_ml_profiles, profile_refresh, profiles_for
from quarterdeck.lib.errors import InvalidInput, NotAllowed, NotFound
from quarterdeck.portfolio.models import Feature

OBJECT_TYPE = "feedback_link"
TOP = 5


def may_triage_or_operator(user: User | None) -> bool:
    from quarterdeck.feedback.selectors import may_triage

    return user is None or may_triage(user)


def check_triage(actor: User | None) -> None:
    if not may_triage_or_operator(actor):
        raise NotAllowed("Only product managers, managers, leaders and admins triage feedback.")


def candidate_features(item: FeedbackItem) -> list[Feature]:
    """The features of the item's product; every feature when the item names no product."""
    qs = Feature.objects.select_related("product")
    if item.product_id is not None:
        qs = qs.filter(product_id=item.product_id)
    return list(qs.order_by("pk"))


def suggest_links(item: FeedbackItem, vector: npt.NDArray[np.float32]) -> list[FeedbackLink]:
    """Replace the item's open suggestions with the model's best (top 5, above the threshold),
    leaving out features already accepted or rejected for it."""
    features = candidate_features(item)
    decided = set(
        item.links.exclude(state=LinkState.SUGGESTED).values_list("feature_id", flat=True)
    )
    ranked = linking.rank(vector, as_ml_profiles(profiles_for(features)), top=TOP + len(decided))
    keep = [(key, s) for key, s in ranked if key not in decided and s >= linking.SUGGEST_THRESHOLD]
    with transaction.atomic():
        item.links.filter(state=LinkState.SUGGESTED).delete()
        return [
            FeedbackLink.objects.create(item=item, feature_id=key, score=float(score))
            for key, score in keep[:TOP]
        ]


def access_link(user: User, link_id: int, *, for_write: bool = False) -> FeedbackLink:
    """The one door to a link: through its item's door (so whoever reads the item reads its
    links); changing it takes the right to triage."""
    from quarterdeck.feedback.selectors import access_feedback

    found = FeedbackLink.objects.select_related("feature", "item").filter(pk=link_id).first()
    if found is None:
        raise NotFound(f"There is no feedback link with id {link_id}.")
    access_feedback(user, found.item_id)
    if for_write:
        check_triage(user)
    return found


def _importance(value: Any, field: str = "importance") -> str:
    if value not in Importance.values:
        choices = ", ".join(Importance.values)
        raise InvalidInput(
            f"{field}: {value!r} is not an importance; use one of {choices}.",
            fields={field: [f"Use one of {choices}."]},
        )
    return str(value)


def _passage(
    item: FeedbackItem, start: int | None, end: int | None
) -> tuple[str, int | None, int | None]:
    """The highlighted text, checked against the item's text; no bounds = the whole item."""
    if start is None and end is None:
        return "", None, None
    if start is None or end is None:
        field = "passage_start" if start is None else "passage_end"
        raise InvalidInput(
            f"{field}: give both ends of the passage.",
            fields={field: ["Required with the other end."]},
        )
    if not 0 <= start < end <= len(item.text):
        message = (
            f"The passage must satisfy 0 ≤ start < end ≤ {len(item.text)} (the text's length)."
        )
        raise InvalidInput(f"passage_end: {message}", fields={"passage_end": [message]})
    passage = item.text[start:end]
    if not passage.strip():
        raise InvalidInput(
            "passage_start: the passage is only spaces.",
            fields={"passage_start": ["The passage is only spaces."]},
        )
    return passage, start, end


def _refresh_status(item: FeedbackItem) -> None:
    """Linked while an accepted link exists; back to triaged when the last one goes."""
    linked = item.links.filter(state=LinkState.ACCEPTED).exists()
    status = (
        Status.LINKED
        if linked
        else (Status.TRIAGED if item.status == Status.LINKED else item.status)
    )
    if status != item.status and item.status != Status.CLOSED:
        FeedbackItem.objects.filter(pk=item.pk).update(status=status, updated_at=timezone.now())
        item.status = status


def _decided(actor: User | None, link: FeedbackLink, before: dict[str, Any]) -> FeedbackLink:
    link.decided_by = actor if actor is not None and actor.pk else None
    link.decided_at = timezone.now()
    link.save()
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=link,
        before=before,
        after=snapshot(link),
        object_type=OBJECT_TYPE,
    )
    _refresh_status(link.item)
    profile_refresh(link.feature)
    return link


def link_create(
    *,
    actor: User | None,
    item: FeedbackItem,
    feature: Feature,
    importance: str = Importance.IMPORTANT,
    passage_start: int | None = None,
    passage_end: int | None = None,
) -> FeedbackLink:
    """A link made by a person: accepted at once. Linking the whole item to a feature that has
    a suggestion for it accepts the suggestion."""
    check_triage(actor)
    importance = _importance(importance)
    passage, start, end = _passage(item, passage_start, passage_end)
    with transaction.atomic():
        link = FeedbackLink.objects.filter(
            item=item, feature=feature, passage_start=start, passage_end=end
        ).first()
        before = snapshot(link) if link is not None else {}
        if link is None:
            link = FeedbackLink(
                item=item, feature=feature, passage=passage, passage_start=start, passage_end=end
            )
        link.state, link.importance = LinkState.ACCEPTED, importance
        link.item, link.feature = item, feature
        if not before:
            link.save()
            audit_record(
                actor=actor,
                action=Action.CREATE,
                obj=link,
                after=snapshot(link),
                object_type=OBJECT_TYPE,
            )
        return _decided(actor, link, before or snapshot(link))


def link_accept(
    *, actor: User | None, link: FeedbackLink, importance: str | None = None
) -> FeedbackLink:
    check_triage(actor)
    with transaction.atomic():
        before = snapshot(link)
        link.state = LinkState.ACCEPTED
        if importance is not None:
            link.importance = _importance(importance)
        return _decided(actor, link, before)


def link_reject(*, actor: User | None, link: FeedbackLink) -> FeedbackLink:
    check_triage(actor)
    with transaction.atomic():
        before = snapshot(link)
        link.state = LinkState.REJECTED
        return _decided(actor, link, before)


def link_update(*, actor: User | None, link: FeedbackLink, data: Mapping[str, Any]) -> FeedbackLink:
    """Change the importance and/or the passage (both ends, or both None for the whole item)."""
    check_triage(actor)
    unknown = set(data) - {"importance", "passage_start", "passage_end"}
    if unknown:
        name = sorted(unknown)[0]
        raise InvalidInput(f"{name}: not a field of a link.", fields={name: ["Unknown field."]})
    with transaction.atomic():
        before = snapshot(link)
        if "importance" in data:
            link.importance = _importance(data["importance"])
        if "passage_start" in data or "passage_end" in data:
            start = data.get("passage_start", link.passage_start)
            end = data.get("passage_end", link.passage_end)
            link.passage, link.passage_start, link.passage_end = _passage(link.item, start, end)
        link.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=link,
            before=before,
            after=snapshot(link),
            object_type=OBJECT_TYPE,
        )
        return link


def link_delete(*, actor: User | None, link: FeedbackLink) -> None:
    check_triage(actor)
    with transaction.atomic():
        before, decided = snapshot(link), link.state != LinkState.SUGGESTED
        audit_record(
            actor=actor, action=Action.DELETE, obj=link, before=before, object_type=OBJECT_TYPE
        )
        link.delete()
        _refresh_status(link.item)
        if decided:
            profile_refresh(link.feature)


def item_links(item: FeedbackItem) -> list[FeedbackLink]:
    """The item's links (after its door was passed): accepted first, then by score."""
    order = {LinkState.ACCEPTED: 0, LinkState.SUGGESTED: 1, LinkState.REJECTED: 2}
    found = list(item.links.select_related("feature__product"))
    return sorted(
        found, key=lambda link: (order[LinkState(link.state)], -(link.score or 0.0), link.pk)
    )
