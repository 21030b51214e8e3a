"""Suggested feedback → feature links, ranked by meaning, learning from accepted links.

A feature is represented by a profile vector: the embedding of its text, pulled towards the
centroid of the items people accepted as about it and pushed away from the centroid of the
items they rejected:

    profile = normalise(text + ALPHA · f(a) · accepted - BETA · g(r) · rejected)
    f(a) = a / (a + HALF_WEIGHT),  g(r) = r / (r + HALF_WEIGHT)

With ALPHA = 2 and HALF_WEIGHT = 2, two accepted items already weigh as much as the feature's
own text and ten weigh 1.7 times it: a vaguely named feature ("Sync") quickly means what its
customers say about it, while a single accept cannot swamp the name. Rejections push at half
strength (BETA = 1): a rejected item is often about a neighbouring feature, and pushing too
hard would move the profile away from that whole region. Measured in docs/feedback-ml.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quarterdeck.feedback.ml.vectors import normalise

ALPHA = 2.0
BETA = 1.0
HALF_WEIGHT = 2.0
# Suggestions below this cosine are not stored (chosen on the app-review judgements).
SUGGEST_THRESHOLD = 0.35

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Profile:
    key: int  # the feature's id
    text: Vector  # embedding of feature_text(...)
    accepted: Vector | None  # unit centroid of accepted items' vectors
    accepted_count: int
    rejected: Vector | None
    rejected_count: int


def _weight(count: int) -> float:
    return count / (count + HALF_WEIGHT)


def profile_vector(p: Profile) -> Vector:
    """The unit vector suggestions are ranked against."""
    v = np.asarray(p.text, dtype=np.float32).copy()
    if p.accepted is not None and p.accepted_count > 0:
        v += ALPHA * _weight(p.accepted_count) * np.asarray(p.accepted, np.float32)
    if p.rejected is not None and p.rejected_count > 0:
        v -= BETA * _weight(p.rejected_count) * np.asarray(p.rejected, np.float32)
    return normalise(v)


def rank(x: Vector, profiles: Sequence[Profile], *, top: int = 5) -> list[tuple[int, float]]:
    """(feature key, cosine) of the `top` profiles nearest the item, best first."""
    if not profiles or top <= 0:
        return []
    P = np.stack([profile_vector(p) for p in profiles])
    scores = P @ np.asarray(x, dtype=np.float32).reshape(-1)
    order = np.argsort(-scores, kind="stable")[:top]
    return [(profiles[i].key, float(scores[i])) for i in order]


def feature_text(name: str, description: str, product: str) -> str:
    """What is embedded for a feature: its name, then its description. The product name is
    left out: it appears in nearly every item about that product and would pull them all
    to each of its features alike."""
    del product
    name, description = name.strip(), description.strip()
    if not description:
        return name
    return f"{name}. {description}"
