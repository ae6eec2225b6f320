"""The FAISS index over passage vectors, chosen by corpus size.

Up to `config.exact_up_to()` passages (50,000, or $QA_EXACT_UP_TO): `IndexFlatIP`, exact cosine search. Above that: an inverted file
with 8-bit scalar quantisation (`IVF<nlist>,SQ8`, a quarter of the float memory). Its
`nprobe` is the smallest that reaches TARGET_RECALL@10 against exact search on a sample of
the corpus's own vectors. The type, nlist, nprobe and the measured recall go in the manifest.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np

from index import config

TARGET_RECALL = 0.95
NPROBE_STEPS = (8, 16, 32, 64, 128, 256)
RECALL_QUERIES = 200
_TRAIN_PER_LIST = 40  # training points per inverted list (faiss warns below 39)


def build_vector_index(
    vectors: np.ndarray, *, exact_up_to: int | None = None, seed: int = 0
) -> tuple[Any, dict[str, Any]]:
    """A FAISS index over unit vectors, and the settings that describe it."""
    import faiss

    faiss.omp_set_num_threads(os.cpu_count() or 1)  # training and tuning use every core
    n, dimension = vectors.shape
    if n <= (config.exact_up_to() if exact_up_to is None else exact_up_to):
        flat = faiss.IndexFlatIP(dimension)
        flat.add(vectors)
        return flat, {"type": "IndexFlatIP", "metric": "inner product of unit vectors (cosine)"}
    nlist = max(1, min(int(4 * math.sqrt(n)), n // _TRAIN_PER_LIST))
    quantizer = faiss.IndexFlatIP(dimension)
    index = faiss.IndexIVFScalarQuantizer(
        quantizer, dimension, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    rng = np.random.default_rng(seed)
    sample = rng.choice(n, size=min(n, nlist * 64), replace=False)
    index.train(np.ascontiguousarray(vectors[np.sort(sample)]))
    index.add(vectors)
    nprobe, recall = _tune_nprobe(index, vectors, rng)
    index.nprobe = nprobe
    settings = {
        "type": f"IVF{nlist},SQ8",
        "metric": "inner product of unit vectors (cosine)",
        "nlist": nlist,
        "nprobe": nprobe,
        "recall_at_10": round(recall, 4),
        "recall_measured_on": f"{RECALL_QUERIES} of the indexed vectors, perturbed, against exact search",
    }
    return index, settings


def configure(index: Any, settings: dict[str, Any]) -> Any:
    """Apply stored search-time settings (nprobe) to a loaded index."""
    if "nprobe" in settings:
        index.nprobe = int(settings["nprobe"])
    return index


def search_parameters(index: Any, selector: Any | None) -> Any | None:
    """Parameters for one search, keeping an IVF index's nprobe when filtering by id."""
    import faiss

    if selector is None:
        return None
    if hasattr(index, "nprobe"):
        return faiss.SearchParametersIVF(sel=selector, nprobe=index.nprobe)  # type: ignore[call-arg]
    return faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]


def recall_at_10(index: Any, vectors: np.ndarray, queries: np.ndarray) -> float:
    """Share of the exact top 10 that `index` also returns, over `queries`."""
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    _, found = index.search(queries, 10)
    return float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact, found, strict=True)]))


def _tune_nprobe(index: Any, vectors: np.ndarray, rng: np.random.Generator) -> tuple[int, float]:
    picks = rng.choice(len(vectors), size=min(RECALL_QUERIES, len(vectors)), replace=False)
    queries = vectors[picks] + rng.normal(0, 0.02, size=(len(picks), vectors.shape[1]))
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    recall = 0.0
    for nprobe in NPROBE_STEPS:
        index.nprobe = min(nprobe, index.nlist)
        recall = recall_at_10(index, vectors, queries)
        if recall >= TARGET_RECALL or nprobe >= index.nlist:
            return index.nprobe, recall
    return index.nprobe, recall
