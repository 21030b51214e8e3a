"""Sentence vectors as stored bytes, and the hash that keys the embedding cache.

Vectors are float32 little-endian, 384 values (1,536 bytes), L2-normalised by the encoder, so a
dot product is a cosine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from quarterdeck.feedback.ml.encoder import DIM, MAX_CHARS

Vector = npt.NDArray[np.float32]
_DTYPE = np.dtype("<f4")


def to_bytes(v: npt.NDArray[np.floating]) -> bytes:
    """One vector as float32 little-endian bytes."""
    return np.asarray(v, dtype=_DTYPE).reshape(-1).tobytes()


def from_bytes(b: bytes) -> Vector:
    """The vector stored by `to_bytes` (a copy, writable)."""
    if len(b) != DIM * 4:
        raise ValueError(f"a stored vector has {DIM * 4} bytes, got {len(b)}")
    return np.frombuffer(b, dtype=_DTYPE).astype(np.float32)


def stack(blobs: Sequence[bytes]) -> npt.NDArray[np.float32]:
    """Stored vectors as one [n, 384] matrix (an empty [0, 384] one for no blobs)."""
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    joined = np.frombuffer(b"".join(blobs), dtype=_DTYPE)
    if joined.size != len(blobs) * DIM:
        raise ValueError(f"every stored vector must have {DIM * 4} bytes")
    return joined.reshape(len(blobs), DIM).astype(np.float32)


def normalise(X: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """Rows scaled to unit length (zero rows stay zero)."""
    X = np.asarray(X, dtype=np.float32)
    norms = np.linalg.norm(X, axis=-1, keepdims=True)
    return np.asarray(X / np.maximum(norms, 1e-12), dtype=np.float32)


def text_hash(text: str) -> str:
    """sha256 hex of the text as the model sees it: texts that differ only after the
    characters the encoder reads share one embedding."""
    return hashlib.sha256(text[:MAX_CHARS].encode("utf-8")).hexdigest()
