"""The encoder reproduces sentence-transformers' all-MiniLM-L6-v2 and flags truncation."""

from __future__ import annotations

import json

import numpy as np

from quarterdeck.feedback.ml.encoder import DIM, MAX_TOKENS, embed
from quarterdeck.feedback.ml.vectors import from_bytes, stack, text_hash, to_bytes
from tests.shared_data import shared_data


def test_reproduces_the_reference_embeddings() -> None:
    reference = json.loads(
        (shared_data().parent / "reference" / "minilm_reference_embeddings.json").read_text()
    )
    expected = np.asarray(reference["embeddings"], dtype=np.float32)
    got = embed(reference["sentences"]).vectors
    cosines = (got * expected).sum(axis=1) / np.linalg.norm(expected, axis=1)
    assert len(cosines) == len(reference["sentences"]) == 64
    assert cosines.min() >= 0.9999, reference["sentences"][int(cosines.argmin())]


def test_long_texts_are_truncated_and_flagged() -> None:
    long = "the export to spreadsheet keeps failing " * 60  # ≈ 360 word pieces
    result = embed(["short feedback", long, long[:1200]])
    assert result.truncated.tolist() == [False, True, False]
    assert result.vectors.shape == (3, DIM)
    assert np.allclose(np.linalg.norm(result.vectors, axis=1), 1, atol=1e-5)
    # the model saw only the first MAX_TOKENS pieces: a longer tail changes nothing
    longer = embed([long + " and also billing is wrong " * 50]).vectors[0]
    assert float(longer @ result.vectors[1]) > 0.9999
    assert MAX_TOKENS < result.tokens < 3 * MAX_TOKENS


def test_vectors_round_trip_through_bytes() -> None:
    v = embed(["dark mode please"]).vectors[0]
    blob = to_bytes(v)
    assert len(blob) == DIM * 4
    assert np.array_equal(from_bytes(blob), v)
    assert stack([blob, blob]).shape == (2, DIM)
    assert stack([]).shape == (0, DIM)
    assert text_hash("a") != text_hash("b")
    assert text_hash("x" * 9000) == text_hash("x" * 9000 + "tail the model never reads")
