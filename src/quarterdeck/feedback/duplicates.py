"""Merging near-duplicates, and dismissing a pair that is not one.

A merge keeps the original and closes the duplicate (``duplicate_of`` → the original), so its
submitter is still told when the feature ships (close the loop follows merged duplicates).
Votes move to the original (a person who voted for both keeps one vote); links move too, unless
the original already links that feature — then the original's link keeps the higher importance
and becomes accepted if either was. Tags are united.
"""

from __future__ import annotations

from typing import Final

from django.db import transaction
from django.utils import timezone

from quarterdeck.accounts.models import User
from quarterdeck.audit.models import Action
from quarterdeck.audit.services import audit_record, snapshot
from quarterdeck.feedback import selectors
from quarterdeck.feedback.models import (
    DuplicateCandidate,
    DuplicateState,
    FeedbackItem,
    FeedbackLink,
    Importance,
    LinkState,
    Status,
    Vote,
)
from quarterdeck.lib.errors import InvalidInput, NotAllowed

RANK: Final = {Importance.NICE: 0, Importance.IMPORTANT: 1, Importance.CRITICAL: 2}
AUDIT_TYPE: Final = "feedback_item"


def _root(item: FeedbackItem) -> FeedbackItem:
    """The item a chain of merges ends at (cycles cut)."""
    seen = {item.pk}
    while item.duplicate_of_id is not None and item.duplicate_of_id not in seen:
        seen.add(item.duplicate_of_id)
        item = FeedbackItem.objects.get(pk=item.duplicate_of_id)
    return item


def _move_votes(duplicate: FeedbackItem, original: FeedbackItem) -> None:
    taken = set(original.vote_set.values_list("voter_email", flat=True))
    for vote in Vote.objects.filter(item=duplicate):
        if vote.voter_email in taken:
            vote.delete()
        else:
            vote.item = original
            vote.save(update_fields=["item"])
    for item in (duplicate, original):
        item.votes = Vote.objects.filter(item=item).count()


def _move_link(link: FeedbackLink, original: FeedbackItem) -> None:
    existing = FeedbackLink.objects.filter(item=original, feature_id=link.feature_id).first()
    if existing is None:
        link.item = original
        link.save(update_fields=["item"])
        return
    if RANK[Importance(link.importance)] > RANK[Importance(existing.importance)]:
        existing.importance = link.importance
    if link.state == LinkState.ACCEPTED and existing.state != LinkState.ACCEPTED:
        existing.state, existing.decided_by_id = LinkState.ACCEPTED, link.decided_by_id
        existing.decided_at = link.decided_at
    existing.save(update_fields=["importance", "state", "decided_by", "decided_at"])
    link.delete()


def _move_links(duplicate: FeedbackItem, original: FeedbackItem) -> None:
    for link in FeedbackLink.objects.filter(item=duplicate):
        _move_link(link, original)
    accepted = original.links.filter(state=LinkState.ACCEPTED).exists()
    if accepted and original.status in (Status.NEW, Status.TRIAGED):
        original.status = Status.LINKED


def _pair(
    candidate_or_items: DuplicateCandidate | tuple[FeedbackItem, FeedbackItem],
) -> DuplicateCandidate:
    if isinstance(candidate_or_items, DuplicateCandidate):
        return candidate_or_items
    duplicate, original = candidate_or_items
    candidate, _ = DuplicateCandidate.objects.get_or_create(
        item=duplicate, original=original, defaults={"score": _score(duplicate, original)}
    )
    return candidate


def _score(a: FeedbackItem, b: FeedbackItem) -> float:
    if a.embedding is None or b.embedding is None:
        return 0.0
    from quarterdeck.feedback.ml.vectors import from_bytes

    return float(from_bytes(bytes(a.embedding)) @ from_bytes(bytes(b.embedding)))


def _decide(candidate: DuplicateCandidate, actor: User | None, state: DuplicateState) -> None:
    candidate.state, candidate.decided_at = state, timezone.now()
    candidate.decided_by = actor
    candidate.save(update_fields=["state", "decided_by", "decided_at"])


def duplicate_merge(
    *,
    actor: User | None,
    candidate_or_items: DuplicateCandidate | tuple[FeedbackItem, FeedbackItem],
) -> FeedbackItem:
    """Merge the later item into the earlier one (a candidate, or (duplicate, original));
    the original, as it is after the merge."""
    if actor is not None and not selectors.may_triage(actor):
        raise NotAllowed("Only members and up merge duplicates.")
    with transaction.atomic():
        candidate = _pair(candidate_or_items)
        duplicate = FeedbackItem.objects.select_for_update().get(pk=candidate.item_id)
        original = _root(FeedbackItem.objects.get(pk=candidate.original_id))
        if original.pk == duplicate.pk or duplicate.duplicate_of_id is not None:
            raise InvalidInput("These items are already merged; nothing to do.")
        before = (
            snapshot(duplicate, exclude=("embedding",)),
            snapshot(original, exclude=("embedding",)),
        )
        _move_votes(duplicate, original)
        _move_links(duplicate, original)
        original.tags = [*original.tags, *(t for t in duplicate.tags if t not in original.tags)]
        duplicate.duplicate_of, duplicate.status = original, Status.CLOSED
        for item, old in zip((duplicate, original), before, strict=True):
            item.version += 1
            item.updated_at = timezone.now()
            item.save()
            after = snapshot(item, exclude=("embedding",))
            audit_record(actor=actor, action=Action.UPDATE, obj=item, before=old, after=after,
                         object_type=AUDIT_TYPE)  # fmt: skip
        _decide(candidate, actor, DuplicateState.MERGED)
    return original


def duplicate_dismiss(*, actor: User | None, candidate: DuplicateCandidate) -> DuplicateCandidate:
    """Not a duplicate: the pair is never suggested again."""
    if actor is not None and not selectors.may_triage(actor):
        raise NotAllowed("Only members and up dismiss duplicate suggestions.")
    if candidate.state == DuplicateState.MERGED:
        raise InvalidInput("These items were merged already; a merge is not undone by dismissing.")
    with transaction.atomic():
        _decide(candidate, actor, DuplicateState.DISMISSED)
    return candidate
