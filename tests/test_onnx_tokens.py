"""Passages encoded through ONNX Runtime must give the vectors PyTorch gives."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from index.encoders import onnx_tokens
from index.encoders.model import get_encoder

TEXTS = [
    "Engineers found deep cracks in the central pillar. The council closed the bridge.",
    "x",
    "Ünïcödé, emoji 🙂 and numbers 1,234.5. Then a second sentence.",
    "A long passage " + "about the harbour, the bridge and the council budget " * 60,
]
SPANS = [
    np.array([[0, 50], [51, 81]]),
    np.array([[0, 1]]),
    np.array([[0, 38]]),
    np.array([[0, 15], [3000, 3050]]),
]


def _encode(monkeypatch: pytest.MonkeyPatch, backend: str) -> tuple[np.ndarray, ...]:
    monkeypatch.setenv("QA_PASSAGE_BACKEND", backend)
    onnx_tokens.token_embedder.cache_clear()
    return get_encoder("all-MiniLM-L6-v2").encode_with_spans(TEXTS, SPANS, progress=False)


def test_onnx_passages_and_spans_match_pytorch(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedder = onnx_tokens.token_embedder(get_encoder("all-MiniLM-L6-v2"))
    assert isinstance(embedder, onnx_tokens.OnnxTokenEmbedder)
    assert embedder.onnx_file.parent == fresh_cache
    fast, slow = _encode(monkeypatch, "auto"), _encode(monkeypatch, "torch")
    assert np.abs(fast[0] - slow[0]).max() < 1e-5
    assert np.abs(fast[1] - slow[1]).max() < 1e-5
    assert fast[2].tolist() == slow[2].tolist() == [False, False, False, False, False, True]


def test_an_unfaithful_export_is_not_used(fresh_cache: Path) -> None:
    encoder = get_encoder("all-MiniLM-L6-v2")
    assert onnx_tokens.token_embedder(encoder) is not None
    meta = next(fresh_cache.glob("*-tokens.json"))
    meta.write_text(meta.read_text().replace('"faithful": true', '"faithful": false'))
    onnx_tokens.token_embedder.cache_clear()
    assert onnx_tokens.token_embedder(encoder) is None


def test_pytorch_when_asked_or_without_onnxruntime(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoder = get_encoder("all-MiniLM-L6-v2")
    monkeypatch.setenv("QA_PASSAGE_BACKEND", "torch")
    assert onnx_tokens.token_embedder(encoder) is None
    monkeypatch.setenv("QA_PASSAGE_BACKEND", "auto")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now fails
    onnx_tokens.token_embedder.cache_clear()
    assert onnx_tokens.token_embedder(encoder) is None
