"""Feedback items with real embeddings, for the links, themes, demand and loop tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from quarterdeck.feedback.ml.encoder import embed
from quarterdeck.feedback.ml.vectors import text_hash, to_bytes
from quarterdeck.feedback.models import FeedbackItem


def items(texts: Sequence[str], **fields: Any) -> list[FeedbackItem]:
    """One item per text (embedded in one batch), all with the same other fields."""
    vectors = embed(list(texts)).vectors
    return [
        FeedbackItem.objects.create(
            text=text,
            embedding=to_bytes(vector),
            text_hash=text_hash(text),
            processed_at=timezone.now(),
            **fields,
        )
        for text, vector in zip(texts, vectors, strict=True)
    ]


def item(text: str, **fields: Any) -> FeedbackItem:
    return items([text], **fields)[0]


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
