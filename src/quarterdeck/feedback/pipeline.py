"""What happens when feedback arrives: embed, sentiment, duplicates, theme, link suggestions.

``process_items`` runs over any set of items (the worker after an import, the CLI), in order of
arrival, so "earlier" means received earlier. An item's embedding is computed only when its
text changed (``text_hash``), and identical text anywhere in the inbox lends its embedding
instead of running the model again. Duplicates are looked for among all earlier items that are
not themselves merged into another; a pair found once is not suggested again (a dismissed pair
stays dismissed).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.utils import timezone

from quarterdeck.feedback.corpus import Corpus, current, find_duplicates, neighbours
from quarterdeck.feedback.ml import vectors
from quarterdeck.feedback.ml.encoder import embed
from quarterdeck.feedback.ml.sentiment import sentiment
from quarterdeck.feedback.models import FeedbackItem
from quarterdeck.lib.progress import NoProgress, Progress

BATCH = 256
TRUNCATED_NOTICE = (
    "This text is longer than the model reads (its first 256 word pieces): it is kept whole, "
    "but its theme, duplicates and suggested links come from its beginning."
)


@dataclass
class ProcessResult:
    items: int = 0
    embedded: int = 0  # run through the model
    reused: int = 0  # embedding taken from an item with the same text
    duplicates: int = 0  # new duplicate candidates
    themed: int = 0
    suggested: int = 0  # new link suggestions
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# Embeddings and sentiment ---------------------------------------------------------------------


def _cached(hashes: Iterable[str]) -> dict[str, tuple[bytes, bool]]:
    """Embeddings already stored for these text hashes."""
    rows = FeedbackItem.objects.filter(text_hash__in=set(hashes), embedding__isnull=False)
    found = rows.values_list("text_hash", "embedding", "model_truncated")
    return {h: (bytes(blob or b""), truncated) for h, blob, truncated in found}


def embed_items(items: Sequence[FeedbackItem], result: ProcessResult) -> list[FeedbackItem]:
    """Give each item whose text changed an embedding and a sentiment; the items changed."""
    stale = [i for i in items if i.embedding is None or i.text_hash != vectors.text_hash(i.text)]
    if not stale:
        return []
    hashes = [vectors.text_hash(i.text) for i in stale]
    cache = _cached(hashes)
    missing = [i for i, h in zip(stale, hashes, strict=True) if h not in cache]
    if missing:
        done = embed([i.text for i in missing])
        for item, v, truncated in zip(missing, done.vectors, done.truncated, strict=True):
            cache[vectors.text_hash(item.text)] = (vectors.to_bytes(v), bool(truncated))
        result.embedded += len(missing)
    result.reused += len(stale) - len(missing)
    for item, h, (label, score) in zip(
        stale, hashes, sentiment([i.text for i in stale]), strict=True
    ):
        item.embedding, item.model_truncated = cache[h]
        item.text_hash, item.sentiment, item.sentiment_score = h, label, score
    return stale


# Themes and links (helper INSIGHT's services) -------------------------------------------------


def _place_theme(item: FeedbackItem, x: npt.NDArray[np.float32]) -> bool:
    from quarterdeck.feedback.themes import theme_place

    return theme_place(item, x) is not None


def _suggest(item: FeedbackItem, x: npt.NDArray[np.float32]) -> int:
    from quarterdeck.feedback.links import suggest_links

    return len(suggest_links(item, x))


# The pipeline ---------------------------------------------------------------------------------


EMBED_FIELDS = ["embedding", "text_hash", "model_truncated", "sentiment", "sentiment_score"]


def _embed_batch(items: list[FeedbackItem], result: ProcessResult) -> set[int]:
    """Embed and store; the ids whose embedding is new."""
    changed = embed_items(items, result)
    FeedbackItem.objects.bulk_update(changed, EMBED_FIELDS)
    return {item.pk for item in changed}


def _finish(
    item: FeedbackItem, x: npt.NDArray[np.float32], near: list[int], result: ProcessResult,
    moved: bool,
) -> None:  # fmt: skip
    """Duplicates (among ``near``), theme and links. ``moved``: the embedding is new, so the
    theme is placed again (an unchanged item keeps its theme)."""
    with transaction.atomic():
        result.duplicates += find_duplicates(item, x, near)
        if moved or item.theme_id is None:
            result.themed += _place_theme(item, x)
        result.suggested += _suggest(item, x)
        item.processed_at = timezone.now()
        FeedbackItem.objects.filter(pk=item.pk).update(processed_at=item.processed_at)


def _batches(ids: list[int]) -> Iterator[list[FeedbackItem]]:
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        yield list(FeedbackItem.objects.filter(pk__in=batch).order_by("received_at", "pk"))


def process_items(item_ids: Iterable[int], *, progress: Progress | None = None) -> ProcessResult:
    """Process the items (see the module docstring), oldest first: every embedding first, so
    the duplicate search loads the inbox's vectors once."""
    started = time.perf_counter()
    result = ProcessResult()
    pks = FeedbackItem.objects.filter(pk__in=list(item_ids)).order_by("received_at", "pk")
    ids = list(pks.values_list("pk", flat=True))
    progress = progress or NoProgress()
    progress.start("Embedding feedback", len(ids))
    moved: set[int] = set()
    for items in _batches(ids):
        moved |= _embed_batch(items, result)
        progress.advance(len(items))
    corpus = Corpus.load()
    progress.start("Duplicates, themes, links", len(ids))
    for items in _batches(ids):
        _finish_batch(items, corpus, result, moved)
        progress.advance(len(items))
    result.items = len(ids)
    result.seconds = time.perf_counter() - started
    return result


def _finish_batch(
    items: list[FeedbackItem], corpus: Corpus, result: ProcessResult, moved: set[int]
) -> None:
    X = vectors.stack([bytes(i.embedding or b"") for i in items])
    for item, x, near in zip(items, X, neighbours(X, corpus), strict=True):
        _finish(item, x, near, result, item.pk in moved)


def process_one(item: FeedbackItem) -> ProcessResult:
    """Process a single item now (quick-add, API, portal): it is updated in place."""
    result = ProcessResult(items=1)
    started = time.perf_counter()
    moved = _embed_batch([item], result)
    _finish_batch([item], current(), result, moved)
    result.seconds = time.perf_counter() - started
    return result


def pending_ids() -> list[int]:
    """Items never processed (e.g. imported while no worker ran)."""
    return list(FeedbackItem.objects.filter(processed_at__isnull=True).values_list("pk", flat=True))


def all_ids() -> list[int]:
    return list(FeedbackItem.objects.values_list("pk", flat=True))


def model_notice(item: FeedbackItem) -> str:
    return TRUNCATED_NOTICE if item.model_truncated else ""
