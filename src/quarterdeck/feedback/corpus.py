"""The inbox's vectors in memory, for the duplicate search on arrival.

Loading every stored embedding for each new item would cost more than the rest of its
processing (≈50 ms per 5,000 items on SQLite), so the process keeps the matrix and, on each
use, reads only what changed: items added since (a higher id) or processed since (a later
``processed_at`` — a new text is re-processed). A lower count than held (deletions, merges)
reloads it whole. The cache may lag (an item embedded but not yet processed), which can only
cost a missed suggestion: every hit is checked against the database — it must still exist,
be earlier, not be merged, and its stored vector must really be that close.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Q, QuerySet

from quarterdeck.feedback.ml import dedup, vectors
from quarterdeck.feedback.ml.encoder import DIM
from quarterdeck.feedback.ml.knn import knn
from quarterdeck.feedback.models import DuplicateCandidate, FeedbackItem, Source

Vector = npt.NDArray[np.float32]
SEARCH = 10  # neighbours looked at; at most MAX_CANDIDATES kept
MAX_CANDIDATES = 5


def _searchable() -> QuerySet[FeedbackItem]:
    # Survey verbatims are answers to a question, not requests: many respondents write the same
    # "great support", and merging them would lose who said it. They take part in themes and
    # links, never in duplicates.
    unmerged = FeedbackItem.objects.filter(embedding__isnull=False, duplicate_of__isnull=True)
    return unmerged.exclude(source=Source.SURVEY)


@dataclass
class Corpus:
    """Rows of ``X`` are the vectors of items ``ids`` (as last read)."""

    ids: list[int] = field(default_factory=list)
    X: Vector = field(default_factory=lambda: np.zeros((0, DIM), np.float32))
    row_of: dict[int, int] = field(default_factory=dict)
    top: int = 0
    stamp: dt.datetime | None = None

    @classmethod
    def load(cls) -> Corpus:
        found = list(_searchable().values_list("pk", "embedding", "processed_at"))
        corpus = cls()
        corpus._absorb(found)
        return corpus

    def _absorb(self, rows: list[tuple[int, Any, dt.datetime | None]]) -> None:
        new = [(pk, blob) for pk, blob, _ in rows if pk not in self.row_of]
        for pk, blob, _ in rows:
            if pk in self.row_of:
                self.X[self.row_of[pk]] = vectors.from_bytes(bytes(blob or b""))
        if new:
            self.row_of |= {pk: len(self.ids) + i for i, (pk, _) in enumerate(new)}
            self.ids += [pk for pk, _ in new]
            self.X = np.vstack([self.X, vectors.stack([bytes(b or b"") for _, b in new])])
        self.top = max([self.top, *(pk for pk, _, _ in rows)])
        stamps = [s for _, _, s in rows if s is not None]
        if stamps:
            self.stamp = max([self.stamp, *stamps] if self.stamp else stamps)

    def refresh(self) -> Corpus:
        """This corpus brought up to date, or a fresh one when items left the inbox."""
        changed = Q(pk__gt=self.top)
        if self.stamp is None:  # nothing was processed when it was read: all of it may change
            changed |= Q(processed_at__isnull=False)
        else:
            changed |= Q(processed_at__gt=self.stamp)
        self._absorb(
            list(_searchable().filter(changed).values_list("pk", "embedding", "processed_at"))
        )
        if _searchable().count() < len(self.ids):
            return Corpus.load()
        return self


_lock = threading.Lock()
_held: list[Corpus] = []


def current() -> Corpus:
    """The process's corpus, brought up to date."""
    with _lock:
        corpus = _held[0].refresh() if _held else Corpus.load()
        _held[:] = [corpus]
        return corpus


def _checked(item: FeedbackItem, x: Vector, hits: list[int]) -> list[tuple[int, float]]:
    """(id, cosine) of the hits that are still earlier, unmerged and close enough."""
    rows = FeedbackItem.objects.filter(
        pk__in=hits, duplicate_of__isnull=True, embedding__isnull=False
    )
    me = (item.received_at, item.pk)
    found = []
    for pk, received, blob in rows.values_list("pk", "received_at", "embedding"):
        score = float(vectors.from_bytes(bytes(blob or b"")) @ x)
        if (received, pk) < me and score >= dedup.DUPLICATE_THRESHOLD:
            found.append((pk, score))
    return sorted(found, key=lambda hit: -hit[1])[:MAX_CANDIDATES]


def neighbours(Q: Vector, corpus: Corpus) -> list[list[int]]:
    """For each query row, the ids of the corpus items at or above the duplicate threshold
    (one k-nearest-neighbour search for the whole batch)."""
    if len(corpus.ids) == 0 or len(Q) == 0:
        return [[] for _ in range(len(Q))]
    # A few queries are cheaper exactly than training the index the approximate search needs.
    exact = True if len(Q) <= 8 else None
    idx, sims = knn(corpus.X, SEARCH, np.asarray(Q, dtype=np.float32), exact=exact)
    return [
        [
            corpus.ids[int(r)]
            for r, s in zip(rows, scores, strict=True)
            if s >= dedup.DUPLICATE_THRESHOLD
        ]
        for rows, scores in zip(idx, sims, strict=True)
    ]


def find_duplicates(item: FeedbackItem, x: Vector, near: list[int]) -> int:
    """Suggest the item's earlier near-duplicates among ``near`` (ids from `neighbours`); how
    many new suggestions were made. A pair already decided (merged, dismissed) stays so."""
    if item.duplicate_of_id is not None or item.source == Source.SURVEY:
        return 0
    made = 0
    for original_id, score in _checked(item, x, [pk for pk in near if pk != item.pk]):
        _, created = DuplicateCandidate.objects.get_or_create(
            item=item, original_id=original_id, defaults={"score": score}
        )
        made += created
    return made
