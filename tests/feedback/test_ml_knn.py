"""Nearest neighbours: exact search is exact, IVF search finds nearly all of them."""

from __future__ import annotations

import numpy as np

from quarterdeck.feedback.ml.knn import knn
from quarterdeck.feedback.ml.vectors import normalise


def blobs(n: int, centres: int, seed: int = 0) -> np.ndarray:
    """Unit vectors around random centres, like sentence embeddings around topics."""
    rng = np.random.default_rng(seed)
    C = normalise(rng.standard_normal((centres, 384)))
    X = C[rng.integers(0, centres, n)] + 0.06 * rng.standard_normal((n, 384))
    return normalise(X)


def test_exact_search_matches_brute_force_and_skips_self() -> None:
    X = blobs(500, 10)
    idx, sims = knn(X, 5)
    S = X @ X.T
    np.fill_diagonal(S, -np.inf)
    expected = np.argsort(-S, axis=1)[:, :5]
    assert (np.sort(idx, axis=1) == np.sort(expected, axis=1)).mean() > 0.999
    assert not (idx == np.arange(500)[:, None]).any()
    assert np.all(np.diff(sims, axis=1) <= 1e-6)  # best first
    assert np.allclose(sims[:, 0], S.max(axis=1), atol=1e-5)


def test_ivf_recall_against_exact() -> None:
    X = blobs(4000, 40, seed=1)
    exact, _ = knn(X, 10, exact=True)
    approx, sims = knn(X, 10, exact=False)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approx, exact, strict=True)])
    assert recall >= 0.9
    assert not (approx == np.arange(4000)[:, None]).any()
    assert np.allclose(sims, np.take_along_axis(X @ X.T, approx, axis=1), atol=1e-5)


def test_queries_and_small_inputs() -> None:
    X = blobs(50, 3)
    idx, sims = knn(X, 3, X[:2])
    assert idx[:, 0].tolist() == [0, 1]  # a query equal to a row finds that row
    assert np.allclose(sims[:, 0], 1, atol=1e-5)
    assert knn(X[:1], 5)[0].shape == (1, 0)
    assert knn(X, 5, X[:0])[0].shape == (0, 5)
