"""Benchmark: the customer-voice ML core (issue 5, point 9) on real texts, on this machine.

(a) Embedding rate on real short texts (banking77 queries + app-review sentences) beside the
    same run's FP32 peak bound: numpy GEMM GFLOP/s ÷ the model's FLOPs per word piece.
    Target ≥ 500 sentences/s.
(b) --items distinct real texts (banking77, app reviews split into sentences and 2-5 sentence
    excerpts, whole short reviews, bug summaries and description excerpts, NPS comments; no
    synthetic copies) embedded and grouped into themes: wall time and peak RSS (targets ≤ 5
    min, ≤ 2 GB), beside TF-IDF + the same clustering as the baseline.
(c) One new item: embed + near duplicates over all items + place in a theme + rank 60
    feature profiles; p50/p95 over 200 held-out items. Target p95 ≤ 100 ms.
Run:

    .venv/bin/python benchmarks/feedback_ml.py [--items 100000] [--sample 2000]
"""

from __future__ import annotations

import argparse
import csv
import re
import resource
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from quarterdeck.feedback.ml import dedup, linking, themes
from quarterdeck.feedback.ml.encoder import DIM, LAYERS, encoder
from quarterdeck.feedback.ml.evaluate import tfidf_vectors
from tests.shared_data import shared_data

FFN = 4 * DIM
_SPLIT = re.compile(r"(?<=[.!?])\s+|\n+")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SPLIT.split(text) if len(s.strip()) >= 12]


def windows(texts: Iterable[str], width: int) -> Iterator[str]:
    for text in texts:
        parts = sentences(text)
        for i in range(len(parts) - width + 1):
            excerpt = " ".join(parts[i : i + width])
            if len(excerpt) < 600:
                yield excerpt


def corpus(data: Path) -> list[str]:
    """Distinct real texts, shortest sources first (single queries and sentences)."""
    reviews = [
        r["Content"]
        for r in rows(data / "app-reviews-feature-linking/study2_collected_reviews.csv")
    ]
    bugs = rows(data / "bug-report-duplicates/SeaMonkey_bugs.csv")
    nps = [r["text"] for r in rows(data / "nps-verbatims/verbatim.csv")]
    bug_text = [b["Description"] for b in bugs]
    sources: list[Iterable[str]] = [
        (r["text"] for r in rows(data / "banking77/train.csv")),
        (s for r in reviews for s in sentences(r)),
        (
            r["Sentence content"]
            for r in rows(
                data / "app-reviews-feature-linking/study1_sentence_feature_sentiment.csv"
            )
        ),
        (b["Summary"] for b in bugs),
        nps,
        (r for r in reviews if len(r) < 600),
        (s for t in [*nps, *bug_text] for s in sentences(t) if len(s) < 300),
    ]
    for width in range(2, 6):
        sources += [windows(reviews, width), windows(nps, width), windows(bug_text, width)]
    seen: dict[str, None] = {}
    for source in sources:
        for text in source:
            seen.setdefault(text.strip(), None)
    seen.pop("", None)
    return list(seen)


def gemm_gflops() -> float:
    """Best of five float32 1024x1024 products on all cores (numpy's BLAS)."""
    a = np.random.default_rng(0).standard_normal((1024, 1024)).astype(np.float32)
    best = 0.0
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(10):
            a @ a
        best = max(best, 10 * 2 * 1024**3 / (time.perf_counter() - start) / 1e9)
    return best


def flops_per_piece(mean_length: float) -> float:
    """Matrix FLOPs of one word piece through the encoder: Q, K, V, output projections, the
    feed-forward pair, and attention scores + weighted sum over a sequence of mean_length."""
    dense = 2 * (4 * DIM * DIM + 2 * DIM * FFN)
    attention = 2 * 2 * mean_length * DIM
    return LAYERS * (dense + attention)


def bench_rate(texts: list[str]) -> dict[str, float]:
    model = encoder()
    model.embed(texts[:64])  # warm up
    start = time.perf_counter()
    result = model.embed(texts)
    seconds = time.perf_counter() - start
    pieces = result.tokens / len(texts)
    gflops = gemm_gflops()
    bound = gflops * 1e9 / (flops_per_piece(pieces) * pieces)
    rate = len(texts) / seconds
    return {"sentences/s": rate, "pieces/sentence": pieces, "GEMM GFLOP/s": gflops,
            "peak bound sentences/s": bound, "ratio": rate / bound}  # fmt: skip


def bench_themes(texts: list[str]) -> tuple[np.ndarray, np.ndarray, dict[str, float]]:
    start = time.perf_counter()
    X = encoder().embed(texts).vectors
    embedded = time.perf_counter()
    labels = themes.cluster(X)
    clustered = time.perf_counter()
    themes.describe(texts, labels, vectors=X)
    done = time.perf_counter()
    figures = {"embed s": embedded - start, "cluster s": clustered - embedded,
               "describe s": done - clustered, "total s": done - start,
               "themes": float(labels.max() + 1), "unthemed": float((labels < 0).mean()),
               "peak RSS MB": rss_mb()}  # fmt: skip
    return X, labels, figures


def bench_baseline(texts: list[str]) -> dict[str, float]:
    start = time.perf_counter()
    T = tfidf_vectors(texts)
    vectorised = time.perf_counter()
    labels = themes.cluster(T)
    done = time.perf_counter()
    return {"vectorise s": vectorised - start, "cluster s": done - vectorised,
            "total s": done - start, "themes": float(labels.max() + 1),
            "peak RSS MB": rss_mb()}  # fmt: skip


def feature_profiles(data: Path, X: np.ndarray) -> list[linking.Profile]:
    queries = rows(data / "app-reviews-feature-linking/study2_feature_queries.csv")[:60]
    text = encoder().embed([q["Features (Queries)"] for q in queries]).vectors
    rng = np.random.default_rng(0)
    out = []
    for key, vector in enumerate(text):
        accepted = X[rng.choice(len(X), 5, replace=False)].mean(axis=0).astype(np.float32)
        accepted /= np.linalg.norm(accepted)
        out.append(linking.Profile(key, vector, accepted, 5, None, 0))
    return out


def bench_new_item(held_out: list[str], X: np.ndarray, labels: np.ndarray,
                   profiles: list[linking.Profile]) -> dict[str, float]:  # fmt: skip
    cents = themes.centroids(X, labels)
    C = np.stack([cents[t] for t in sorted(cents)])
    model = encoder()
    times = []
    for text in held_out:
        start = time.perf_counter()
        x = model.embed([text]).vectors[0]
        dedup.near_duplicates(x, X)
        themes.place(x, C)
        linking.rank(x, profiles)
        times.append((time.perf_counter() - start) * 1000)
    q = statistics.quantiles(times, n=20)
    return {"p50 ms": statistics.median(times), "p95 ms": q[18], "max ms": max(times)}


def show(title: str, figures: dict[str, float]) -> None:
    print(f"\n{title}")
    for name, value in figures.items():
        print(f"  {name:24s} {value:12.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000, help="texts for the rate (a)")
    parser.add_argument("--data", type=Path, default=shared_data())
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    texts = corpus(args.data)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(texts))
    print(f"corpus: {len(texts)} distinct real texts; using {min(args.items, len(texts) - 200)}")
    items = [texts[i] for i in order[200 : 200 + args.items]]
    held_out = [texts[i] for i in order[:200]]
    short = [t for t in texts[:40_000] if len(t) < 200]
    sample = [short[i] for i in rng.choice(len(short), args.sample, replace=False)]
    show("(a) embedding rate", bench_rate(sample))
    X, labels, figures = bench_themes(items)
    show(f"(b) {len(items)} items embedded + themes (MiniLM)", figures)
    show("(c) one new item", bench_new_item(held_out, X, labels, feature_profiles(args.data, X)))
    if not args.skip_baseline:
        del X
        show(
            f"(b) baseline: TF-IDF + the same clustering, {len(items)} items", bench_baseline(items)
        )


if __name__ == "__main__":
    main()
