"""Sentiment of feedback with VADER (a lexicon and rules, no model file, ~0.1 ms a sentence).

The compound score is in -1..1; the thresholds are VADER's authors' own: ≥ 0.05 positive,
≤ -0.05 negative, neutral between.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

POSITIVE = 0.05
NEGATIVE = -0.05
# VADER reads every character; beyond this the sentiment is settled and the rest only costs time.
MAX_CHARS = 20_000


@cache
def _analyzer() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def label(score: float) -> str:
    if score >= POSITIVE:
        return "positive"
    if score <= NEGATIVE:
        return "negative"
    return "neutral"


def sentiment(texts: Sequence[str]) -> list[tuple[str, float]]:
    """("positive" | "neutral" | "negative", compound score -1..1) for each text."""
    analyzer = _analyzer()
    out = []
    for text in texts:
        score = float(analyzer.polarity_scores(text[:MAX_CHARS])["compound"])
        out.append((label(score), score))
    return out
