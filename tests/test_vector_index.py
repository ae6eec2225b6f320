"""Each FAISS index type: exact below the size threshold, IVF-SQ8 above it with measured recall."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np
import pytest

from index import build_index, load_index
from index.stores.vector_index import build_vector_index, recall_at_10, search_parameters
from qa import Searcher

from .conftest import SEEDS


def _clustered(n: int, dimension: int = 384, clusters: int = 40, seed: int = 1) -> np.ndarray:
    """Unit vectors around random centres, shaped like sentence embeddings rather than noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dimension))
    points = centres[rng.integers(0, clusters, n)] + rng.normal(0, 0.6, size=(n, dimension))
    return (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)


def _queries(vectors: np.ndarray, n: int = 100, seed: int = 2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    picked = vectors[rng.choice(len(vectors), n, replace=False)]
    noisy = picked + rng.normal(0, 0.05, size=picked.shape)
    return (noisy / np.linalg.norm(noisy, axis=1, keepdims=True)).astype(np.float32)


def test_small_corpora_get_exact_search() -> None:
    vectors = _clustered(3000)
    index, settings = build_vector_index(vectors, exact_up_to=5000)
    assert settings["type"] == "IndexFlatIP"
    assert recall_at_10(index, vectors, _queries(vectors)) == 1.0


def test_large_corpora_get_ivf_sq8_with_the_recall_it_records() -> None:
    vectors = _clustered(20000)
    index, settings = build_vector_index(vectors, exact_up_to=5000)
    assert settings["type"] == f"IVF{settings['nlist']},SQ8" and settings["nlist"] > 1
    assert settings["recall_at_10"] >= 0.95
    fresh = recall_at_10(index, vectors, _queries(vectors, seed=9))  # queries it was not tuned on
    assert fresh >= 0.95
    assert faiss.serialize_index(index).nbytes < vectors.nbytes / 3  # 8-bit codes, not floats


def test_ivf_filtering_keeps_nprobe_and_only_returns_allowed_ids() -> None:
    vectors = _clustered(20000)
    index, settings = build_vector_index(vectors, exact_up_to=5000)
    allowed = np.arange(0, len(vectors), 2, dtype=np.int64)
    params = search_parameters(index, faiss.IDSelectorBatch(allowed))
    assert params.nprobe == settings["nprobe"]
    _, found = index.search(_queries(vectors, 20), 10, params=params)
    assert (found[found >= 0] % 2 == 0).all() and (found >= 0).sum() > 0


def test_a_searcher_over_an_ivf_index_answers_like_the_exact_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exact_dir, ivf_dir = tmp_path / "exact", tmp_path / "ivf"
    build_index([SEEDS], exact_dir)
    monkeypatch.setenv("QA_EXACT_UP_TO", "10")
    build_index([SEEDS], ivf_dir)
    manifest = load_index(ivf_dir).manifest.store["faiss"]
    assert manifest["type"].startswith("IVF") and "nprobe" in manifest
    exact, ivf = Searcher.load(exact_dir), Searcher.load(ivf_dir)
    assert load_index(ivf_dir).passage_store.faiss_index.nprobe == manifest["nprobe"]
    for question in (
        "Which countries has Tren de Aragua spread to?",
        "Who said Maduro's letter was full of lies?",
    ):
        a, b = exact.search(question, k=3).passages, ivf.search(question, k=3).passages
        assert (a[0].doc_id, a[0].start) == (b[0].doc_id, b[0].start)
