"""Scores of the ML core on labelled data, beside a TF-IDF baseline measured in the same run.

Tasks (files in ../shared/data by default, any file of the same shape via datasets.py):
- themes: cluster without the number of labels; NMI, ARI, themes found vs true labels.
- linking: rank the judged features of each review; precision@1 over reviews with at least
  one relevant judged feature, precision/recall of suggestions at the method's threshold over
  all judged pairs, average precision (threshold-free), and average precision again after
  the judgements of the other half of the reviews were accepted/rejected (two folds):
  accepted links must improve later suggestions.
- duplicates: recall@5 over reports with a known duplicate in the file; precision of pairs at
  or above the method's threshold; R-precision (the N most similar pairs, N = known pairs).
The baseline is TF-IDF (unigrams + bigrams, sublinear tf), put through the very same
clustering, ranking and duplicate code (on large sets reduced to 384 dimensions by SVD).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from quarterdeck.feedback.ml import dedup, linking, themes
from quarterdeck.feedback.ml.datasets import DuplicateData, LinkingData, ThemeData
from quarterdeck.feedback.ml.knn import knn
from quarterdeck.feedback.ml.vectors import normalise

Matrix = npt.NDArray[np.float32]
Vectorise = Callable[[Sequence[str]], Matrix]
# TF-IDF cosines run lower than sentence-embedding cosines; its thresholds are its own.
TFIDF_SUGGEST_THRESHOLD = 0.1
TFIDF_DUPLICATE_THRESHOLD = 0.7
DENSE_LIMIT = 30_000_000  # 120 MB of float32


@dataclass(frozen=True)
class Method:
    name: str
    vectorise: Vectorise
    suggest_threshold: float
    duplicate_threshold: float


@dataclass
class Result:
    task: str
    method: str
    n: int
    seconds: float
    scores: dict[str, float] = field(default_factory=dict)


def tfidf_vectors(texts: Sequence[str], dims: int = 384) -> Matrix:
    """Unit TF-IDF rows; reduced by truncated SVD to `dims` when the dense matrix would be
    larger than DENSE_LIMIT cells (then cosines are those of latent semantic analysis)."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    sparse = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    if sparse.shape[0] * sparse.shape[1] <= DENSE_LIMIT:
        return normalise(sparse.toarray())
    rank = min(dims, sparse.shape[0] - 1, sparse.shape[1] - 1)
    return normalise(TruncatedSVD(rank, random_state=0).fit_transform(sparse))


def minilm(vectorise: Vectorise) -> Method:
    return Method("MiniLM", vectorise, linking.SUGGEST_THRESHOLD, dedup.DUPLICATE_THRESHOLD)


TFIDF = Method("TF-IDF", tfidf_vectors, TFIDF_SUGGEST_THRESHOLD, TFIDF_DUPLICATE_THRESHOLD)


def evaluate_themes(data: ThemeData, method: Method) -> Result:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    start = time.perf_counter()
    labels = themes.cluster(method.vectorise(data.texts))
    return Result(
        "themes",
        method.name,
        len(data.texts),
        time.perf_counter() - start,
        {
            "NMI": float(normalized_mutual_info_score(data.labels, labels)),
            "ARI": float(adjusted_rand_score(data.labels, labels)),
            "themes found": float(len(set(labels.tolist()) - {-1})),
            "true labels": float(len(set(data.labels))),
        },
    )


def evaluate_linking(data: LinkingData, method: Method) -> Result:
    start = time.perf_counter()
    X = method.vectorise([*data.texts, *data.features])
    items, features = X[: len(data.texts)], X[len(data.texts) :]
    scores = np.array([items[i] @ features[f] for i, f, _ in data.judged])
    relevant = np.array([r for _, _, r in data.judged], bool)
    chosen = scores >= method.suggest_threshold
    hits = int((chosen & relevant).sum())
    return Result(
        "linking",
        method.name,
        len(data.judged),
        time.perf_counter() - start,
        {
            "P@1": _precision_at_1(data.judged, scores),
            "precision": hits / max(1, int(chosen.sum())),
            "recall": hits / max(1, int(relevant.sum())),
            "avg precision": _average_precision(scores, relevant),
            "avg precision after accepts": _average_precision(
                _after_accepts(data, items, features), relevant
            ),
        },
    )


def _precision_at_1(judged: Sequence[tuple[int, int, bool]], scores: np.ndarray) -> float:
    best: dict[int, tuple[float, bool]] = {}
    has_relevant: set[int] = set()
    for (item, _, relevant), score in zip(judged, scores, strict=True):
        if relevant:
            has_relevant.add(item)
        if item not in best or score > best[item][0]:
            best[item] = (float(score), relevant)
    if not has_relevant:
        return 0.0
    return sum(best[i][1] for i in has_relevant) / len(has_relevant)


def _average_precision(scores: np.ndarray, relevant: np.ndarray) -> float:
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(relevant, scores)) if relevant.any() else 0.0


def _after_accepts(data: LinkingData, items: Matrix, features: Matrix) -> np.ndarray:
    """Scores of each half of the reviews with profiles learnt from the other half's
    judgements (relevant = accepted, not relevant = rejected)."""
    fold = np.arange(len(items)) % 2
    scores = np.zeros(len(data.judged))
    for held_out in (0, 1):
        profiles = _profiles(data, items, features, fold != held_out)
        for row, (item, feature, _) in enumerate(data.judged):
            if fold[item] == held_out:
                scores[row] = items[item] @ linking.profile_vector(profiles[feature])
    return scores


def _profiles(
    data: LinkingData, items: Matrix, features: Matrix, learn_from: np.ndarray
) -> list[linking.Profile]:
    seen: dict[tuple[int, bool], list[int]] = defaultdict(list)
    for item, feature, relevant in data.judged:
        if learn_from[item]:
            seen[(feature, relevant)].append(item)

    def centroid(rows: list[int]) -> Matrix | None:
        return normalise(items[rows].mean(axis=0)) if rows else None

    return [
        linking.Profile(
            f,
            features[f],
            centroid(seen[(f, True)]),
            len(seen[(f, True)]),
            centroid(seen[(f, False)]),
            len(seen[(f, False)]),
        )
        for f in range(len(features))
    ]


def evaluate_duplicates(data: DuplicateData, method: Method, k: int = 5) -> Result:
    start = time.perf_counter()
    X = method.vectorise(data.texts)
    idx, sims = knn(X, max(k, 20))
    with_duplicate = sorted({a for a, _ in data.pairs})
    found = sum(any((r, int(j)) in data.pairs for j in idx[r, :k]) for r in with_duplicate)
    pairs = _ranked_pairs(idx, sims)
    above = [p for p, s in pairs if s >= method.duplicate_threshold]
    known = len(data.pairs) // 2
    top = [p for p, _ in pairs[:known]]
    return Result(
        "duplicates",
        method.name,
        len(data.texts),
        time.perf_counter() - start,
        {
            "recall@5": found / max(1, len(with_duplicate)),
            "precision": sum(p in data.pairs for p in above) / max(1, len(above)),
            "pairs ≥ threshold": float(len(above)),
            "R-precision": sum(p in data.pairs for p in top) / max(1, known),
        },
    )


def _ranked_pairs(idx: np.ndarray, sims: np.ndarray) -> list[tuple[tuple[int, int], float]]:
    best: dict[tuple[int, int], float] = {}
    for row in range(len(idx)):
        for j, s in zip(idx[row], sims[row], strict=True):
            best[(min(row, int(j)), max(row, int(j)))] = float(s)
    return sorted(best.items(), key=lambda kv: -kv[1])
