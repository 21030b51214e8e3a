"""Themes: group feedback vectors without being told how many groups, name them, place new items.

Method (measured in docs/feedback-ml.md): a graph joins every item to its K nearest items by
cosine (weight = cosine), and Louvain modularity maximisation splits the graph into
communities. The number of themes falls out of the data: modularity compares each
community's inner weight with what random wiring of the same degrees would give, so it needs
no count. At resolution 1 modularity has a known resolution limit (Fortunato & Barthelemy,
2007): groups much smaller than the square root of the graph's edge count get merged, and
feedback themes are small next to a whole inbox. RESOLUTION = 2 counters that; it was checked
on banking77 and on app-review sentences, and both agree (1.5-3 are within 0.01 NMI on
banking77, so the value is not tuned to a decimal). Louvain runs with SEEDS seeds and the
most modular partition is kept: a choice by the unsupervised objective, not by labels.
Communities smaller than MIN_THEME_SIZE are not themes (label -1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from quarterdeck.feedback.ml.keywords import keyphrases, theme_label
from quarterdeck.feedback.ml.knn import knn
from quarterdeck.feedback.ml.vectors import normalise

NEIGHBOURS = 10
RESOLUTION = 2.0  # above 1 against modularity's resolution limit; see the docs
SEEDS = 3
# Above this many items one seed: the partition no longer varies much between seeds (±0.004
# NMI at 10k items) and each Louvain pass costs ≈20 s at 100k items.
SEEDS_UP_TO = 20_000
MIN_THEME_SIZE = 3
REPRESENTATIVES = 3
# A new item joins the nearest theme only this close to its centroid: 99 % of banking77 members and
# 77 % of app-review sentence members are at least this close to their own centroid (docs).
PLACE_THRESHOLD = 0.45

Labels = npt.NDArray[np.int64]
Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class ThemeSummary:
    label: str  # "card delivery · card arrival"
    keywords: list[str]  # best first
    representatives: list[int]  # row indices into the texts, most typical first


def knn_graph(X: Matrix, k: int = NEIGHBOURS) -> object:
    import networkx as nx

    idx, sims = knn(X, k)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(X)))
    sources = np.repeat(np.arange(len(X)), idx.shape[1])
    weights = np.maximum(sims.ravel(), 1e-6)  # Louvain needs positive weights
    graph.add_weighted_edges_from(
        zip(sources.tolist(), idx.ravel().tolist(), weights.tolist(), strict=True)
    )
    return graph


def cluster(X: Matrix, *, seed: int = 0) -> Labels:
    """Theme of each row: 0..T-1 numbered by size (largest first), -1 for rows in no theme."""
    X = np.asarray(X, dtype=np.float32)
    if len(X) < MIN_THEME_SIZE:
        return np.full(len(X), -1, np.int64)
    import networkx as nx

    graph = knn_graph(X)
    seeds = range(seed, seed + (SEEDS if len(X) <= SEEDS_UP_TO else 1))
    partitions = [
        nx.community.louvain_communities(graph, weight="weight", resolution=RESOLUTION, seed=s)
        for s in seeds
    ]
    best = partitions[0]
    if len(partitions) > 1:  # the most modular: chosen by the objective, not by labels
        best = max(
            partitions,
            key=lambda p: nx.community.modularity(graph, p, weight="weight", resolution=RESOLUTION),
        )
    return _number(best, len(X))


def _number(parts: Sequence[set[int]], n: int) -> Labels:
    labels = np.full(n, -1, np.int64)
    kept = sorted((p for p in parts if len(p) >= MIN_THEME_SIZE), key=lambda p: (-len(p), min(p)))
    for number, members in enumerate(kept):
        labels[list(members)] = number
    return labels


def centroids(X: Matrix, labels: Labels) -> dict[int, npt.NDArray[np.float32]]:
    """Unit mean vector of each theme (-1 excluded)."""
    X = np.asarray(X, dtype=np.float32)
    return {int(t): normalise(X[labels == t].mean(axis=0)) for t in np.unique(labels) if t >= 0}


def place(x: Matrix, centroids: Matrix) -> tuple[int | None, float]:
    """Row of the nearest centroid and its cosine; None when even that is below PLACE_THRESHOLD."""
    C = np.asarray(centroids, dtype=np.float32).reshape(-1, np.asarray(x).shape[-1])
    if len(C) == 0:
        return None, 0.0
    sims = C @ np.asarray(x, dtype=np.float32).reshape(-1)
    best = int(np.argmax(sims))
    score = float(sims[best])
    return (best if score >= PLACE_THRESHOLD else None), score


def describe(
    texts: Sequence[str], labels: Labels, *, vectors: Matrix | None = None
) -> dict[int, ThemeSummary]:
    """Readable label, keywords and typical members of each theme. Representatives are the
    members nearest the centroid when `vectors` are given, else those using most keywords."""
    labels = np.asarray(labels)
    themes = [int(t) for t in np.unique(labels) if t >= 0]
    phrases = keyphrases([_members_text(texts, labels, t) for t in themes])
    out = {}
    for theme, words in zip(themes, phrases, strict=True):
        rows = np.flatnonzero(labels == theme)
        out[theme] = ThemeSummary(
            label=theme_label(words),
            keywords=words,
            representatives=_representatives(texts, rows, words, vectors),
        )
    return out


def _members_text(texts: Sequence[str], labels: Labels, theme: int) -> str:
    return "\n".join(texts[int(i)] for i in np.flatnonzero(labels == theme))


def _representatives(
    texts: Sequence[str], rows: npt.NDArray[np.intp], words: list[str], vectors: Matrix | None
) -> list[int]:
    if vectors is not None:
        members = np.asarray(vectors, dtype=np.float32)[rows]
        scores = members @ normalise(members.mean(axis=0))
    else:
        scores = np.array([sum(w in texts[i].lower() for w in words) for i in rows], float)
    order = np.argsort(-scores, kind="stable")[:REPRESENTATIVES]
    return [int(rows[i]) for i in order]
