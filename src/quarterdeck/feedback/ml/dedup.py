"""Near-duplicate feedback: the earlier items whose vector is almost the same as a new one.

DUPLICATE_THRESHOLD is chosen on the SeaMonkey bug reports (bug-report-duplicates) for
precision first: a wrong "duplicate" costs a reviewer more than a missed one, which the inbox
search still finds. See docs/feedback-ml.md for the precision/recall at each threshold.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from quarterdeck.feedback.ml.knn import knn

DUPLICATE_THRESHOLD = 0.94


def near_duplicates(
    x: npt.NDArray[np.float32], X: npt.NDArray[np.float32], *, k: int = 5
) -> list[tuple[int, float]]:
    """Rows of X (at most k, best first) with cosine ≥ DUPLICATE_THRESHOLD to x."""
    X = np.asarray(X, dtype=np.float32)
    if len(X) == 0:
        return []
    idx, sims = knn(X, k, np.asarray(x, dtype=np.float32).reshape(1, -1))
    return [
        (int(i), float(s)) for i, s in zip(idx[0], sims[0], strict=True) if s >= DUPLICATE_THRESHOLD
    ]
