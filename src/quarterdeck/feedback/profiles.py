"""What the linker knows of each feature (FeatureProfile): its text's embedding, and the mean of
the feedback people accepted for it and rejected for it.

The text embedding is rebuilt lazily, when the hash of the feature's text (name, description,
product) changes; the centroids are rebuilt after every link decision, from all decided links.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt
from django.utils import timezone

from quarterdeck.feedback.ml import linking, vectors
from quarterdeck.feedback.models import FeatureProfile, FeedbackLink, LinkState
from quarterdeck.portfolio.models import Feature


def _text_of(feature: Feature) -> str:
    return linking.feature_text(feature.name, feature.description, feature.product.name)


def profiles_for(features: Sequence[Feature]) -> list[FeatureProfile]:
    """Every feature's profile, building or re-embedding the missing and stale ones in one
    batch (so the first item after an import pays for all features at once)."""
    known = {p.feature_id: p for p in FeatureProfile.objects.filter(feature__in=features)}
    texts = {f.pk: _text_of(f) for f in features}
    stale = [
        f
        for f in features
        if f.pk not in known or known[f.pk].text_hash != vectors.text_hash(texts[f.pk])
    ]
    if stale:
        from quarterdeck.feedback.ml.encoder import embed

        embedded = embed([texts[f.pk] for f in stale]).vectors
        for feature, vector in zip(stale, embedded, strict=True):
            known[feature.pk] = _store_text(
                feature, texts[feature.pk], vector, known.get(feature.pk)
            )
    return [known[f.pk] for f in features]


def _store_text(
    feature: Feature, text: str, vector: npt.NDArray[np.float32], profile: FeatureProfile | None
) -> FeatureProfile:
    if profile is None:
        profile = FeatureProfile(feature=feature)
    profile.text_hash = vectors.text_hash(text)
    profile.text_embedding = vectors.to_bytes(vector)
    profile.updated_at = timezone.now()
    profile.save()
    return profile


def _centroid(blobs: list[bytes]) -> bytes | None:
    if not blobs:
        return None
    mean = vectors.stack(blobs).mean(axis=0)
    return vectors.to_bytes(vectors.normalise(mean[None, :])[0])


def profile_refresh(feature: Feature) -> FeatureProfile:
    """Recompute the accepted and rejected centroids from every decided link of the feature."""
    (profile,) = profiles_for([feature])
    decided = FeedbackLink.objects.filter(
        feature=feature,
        item__embedding__isnull=False,
        state__in=[LinkState.ACCEPTED, LinkState.REJECTED],
    ).values_list("state", "item__embedding")
    accepted = [as_bytes(blob) for state, blob in decided if state == LinkState.ACCEPTED]
    rejected = [as_bytes(blob) for state, blob in decided if state == LinkState.REJECTED]
    profile.accepted_centroid, profile.accepted_count = _centroid(accepted), len(accepted)
    profile.rejected_centroid, profile.rejected_count = _centroid(rejected), len(rejected)
    profile.updated_at = timezone.now()
    profile.save()
    return profile


def as_bytes(value: bytes | memoryview | None) -> bytes:
    """A stored blob as bytes (databases hand some back as memoryview)."""
    if value is None:
        raise ValueError("expected a stored vector, found none")
    return bytes(value)


def _vector_or_none(blob: bytes | memoryview | None) -> npt.NDArray[np.float32] | None:
    return None if blob is None else vectors.from_bytes(bytes(blob))


def as_ml_profiles(profiles: Iterable[FeatureProfile]) -> list[linking.Profile]:
    """The stored profiles as the ML core's Profile, keyed by feature id."""
    return [
        linking.Profile(
            key=p.feature_id,
            text=vectors.from_bytes(as_bytes(p.text_embedding)),
            accepted=_vector_or_none(p.accepted_centroid),
            accepted_count=p.accepted_count,
            rejected=_vector_or_none(p.rejected_centroid),
            rejected_count=p.rejected_count,
        )
        for p in profiles
    ]
