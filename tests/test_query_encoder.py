"""Questions embedded by ONNX Runtime must give the vectors the PyTorch model gives."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import index.encoders.query_encoder as query_encoder
from index.encoders.model import Encoder, get_encoder
from qa import Searcher

TEXTS = [
    "Which countries has Tren de Aragua spread to?",
    "x",
    "Ünïcödé, emoji 🙂 and numbers 1,234.5 in one question?",
    "A long question " + "about the harbour, the bridge and the council budget " * 60,
]


def test_onnx_vectors_match_the_sentence_transformers_model(fresh_cache: Path) -> None:
    fast = query_encoder.get_query_encoder("all-MiniLM-L6-v2")
    assert isinstance(fast, query_encoder.OnnxQueryEncoder)
    assert fast.onnx_file.parent == fresh_cache
    exact = get_encoder("all-MiniLM-L6-v2").encode(TEXTS, progress=False)
    got = fast.encode(TEXTS)
    assert got.shape == exact.shape and got.dtype == np.float32
    assert (got * exact).sum(axis=1).min() > 0.99999  # the long one is truncated alike


def test_without_onnxruntime_questions_use_pytorch(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now fails
    assert isinstance(query_encoder.get_query_encoder("all-MiniLM-L6-v2"), Encoder)


def test_an_unfaithful_export_is_not_used(fresh_cache: Path) -> None:
    query_encoder.get_query_encoder("all-MiniLM-L6-v2")
    meta = next(fresh_cache.glob("*.json"))
    meta.write_text(meta.read_text().replace('"faithful": true', '"faithful": false'))
    query_encoder.get_query_encoder.cache_clear()
    assert isinstance(query_encoder.get_query_encoder("all-MiniLM-L6-v2"), Encoder)


def test_searches_are_the_same_with_either_encoder(seed_index: Path) -> None:
    fast = Searcher.load(seed_index)
    slow = Searcher(fast.stored, get_encoder("all-MiniLM-L6-v2"), seed_index)
    for question in TEXTS[:3] + ["Who said Maduro's letter was full of lies?"]:
        a, b = fast.search(question, k=5), slow.search(question, k=5)
        assert [(p.doc_id, p.start, p.end) for p in a.passages] == [
            (p.doc_id, p.start, p.end) for p in b.passages
        ]
        assert a.confidence == pytest.approx(b.confidence, abs=1e-3)
