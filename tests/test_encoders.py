"""Text encoded through ONNX Runtime must give the vectors sentence-transformers gives."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.encoders import export, loading
from index.encoders.model import Encoder, torch_encoder
from index.encoders.onnx_model import OnnxEncoder
from qa import Searcher

MODEL = "all-MiniLM-L6-v2"
TEXTS = [
    "Engineers found deep cracks in the central pillar. The council closed the bridge.",
    "x",
    "Ünïcödé, emoji 🙂 and numbers 1,234.5. Then a second sentence.",
    "A long passage " + "about the harbour, the bridge and the council budget " * 60,
    "Which countries has Tren de Aragua spread to?",
]
SPANS = [
    np.array([[0, 50], [51, 81]]),
    np.array([[0, 1]]),
    np.array([[0, 38]]),
    np.array([[0, 15], [3000, 3050]]),
    np.zeros((0, 2), np.int64),
]


def test_onnx_texts_and_spans_match_pytorch(fresh_cache: Path) -> None:
    fast = loading.get_encoder(MODEL)
    assert isinstance(fast, OnnxEncoder)
    assert fast.onnx_file.parent == fresh_cache
    slow = torch_encoder(MODEL)
    # sentence-transformers' own encode is the independent reference for whole texts
    exact = slow.model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    assert (fast.encode(TEXTS) * exact).sum(axis=1).min() > 0.99999  # the long one cut alike
    got, want = fast.encode_with_spans(TEXTS, SPANS), slow.encode_with_spans(TEXTS, SPANS)
    assert np.abs(got[0] - want[0]).max() < 1e-5
    assert np.abs(got[1] - want[1]).max() < 1e-5
    assert got[2].tolist() == want[2].tolist() == [False, False, False, False, False, True]


def test_questions_use_the_same_export_tuned_for_one_text(fresh_cache: Path) -> None:
    question = loading.get_query_encoder(MODEL)
    assert isinstance(question, OnnxEncoder)
    assert [p.name for p in fresh_cache.glob("*.onnx")] == [question.onnx_file.name]
    passages = loading.get_encoder(MODEL)
    assert np.abs(question.encode(TEXTS) - passages.encode(TEXTS)).max() < 1e-6


def test_an_unfaithful_export_is_not_used(fresh_cache: Path) -> None:
    assert isinstance(loading.get_encoder(MODEL), OnnxEncoder)
    meta = next(fresh_cache.glob("*.json"))
    meta.write_text(meta.read_text().replace('"faithful": true', '"faithful": false'))
    loading.forget_loaded()
    assert isinstance(loading.get_encoder(MODEL), Encoder)
    assert isinstance(loading.get_query_encoder(MODEL), Encoder)


def test_pytorch_when_asked_or_without_onnxruntime(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_PASSAGE_BACKEND", "torch")
    assert isinstance(loading.get_encoder(MODEL), Encoder)
    assert isinstance(loading.get_encoder(MODEL, "bfloat16"), Encoder)
    monkeypatch.setenv("QA_PASSAGE_BACKEND", "auto")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import now fails
    loading.forget_loaded()
    assert isinstance(loading.get_encoder(MODEL), Encoder)
    assert isinstance(loading.get_query_encoder(MODEL), Encoder)


def test_searches_are_the_same_with_either_runtime(seed_index: Path) -> None:
    fast = Searcher.load(seed_index)
    slow = Searcher(fast.stored, torch_encoder(MODEL), seed_index)
    for question in TEXTS[:3] + ["Who said Maduro's letter was full of lies?"]:
        a, b = fast.search(question, k=5), slow.search(question, k=5)
        assert [(p.doc_id, p.start, p.end) for p in a.passages] == [
            (p.doc_id, p.start, p.end) for p in b.passages
        ]
        assert a.confidence == pytest.approx(b.confidence, abs=1e-3)


def test_a_cached_export_answers_without_importing_torch(seed_index: Path) -> None:
    Searcher.load(seed_index)  # the export exists from here on
    script = (
        "import sys; from qa import Searcher; "
        f"s = Searcher.load({str(seed_index)!r}); s.search('Why was the bridge closed?'); "
        "from index.encoders.loading import get_encoder; get_encoder('all-MiniLM-L6-v2').encode(['x']); "
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_new_export_clears_the_exports_nobody_can_use(fresh_cache: Path, tmp_path: Path) -> None:
    """Each export is ~90 MB: a reinstalled model, a deleted virtual environment or an
    earlier version's naming must not leave them piling up in the cache."""
    fresh_cache.mkdir(parents=True)
    other_model = tmp_path / "other-model"
    other_model.mkdir()

    def cached(stem: str, model_dir: Path | None) -> list[Path]:
        meta = {"model": "m", "faithful": True} | (
            {"model_dir": str(model_dir)} if model_dir else {}
        )
        files = [fresh_cache / f"{stem}.onnx", fresh_cache / f"{stem}.json"]
        files[0].write_bytes(b"onnx")
        files[1].write_text(json.dumps(meta))
        return files

    gone_model = tmp_path / "deleted-venv" / "model"
    stale = [
        *cached("model-1eb8ff1f02818340-transformer", None),  # an earlier version's name
        *cached("model-1eb8ff1f02818340-tokens", None),
        *cached(f"model-{'a' * 8}-{'0' * 16}-transformer", gone_model),  # its folder is gone
    ]
    kept = cached(f"other-model-{'b' * 8}-{'1' * 16}-transformer", other_model)
    not_ours = fresh_cache / "notes.json"
    not_ours.write_text("{}")

    fast = loading.get_encoder(MODEL)  # exports the packaged model into this cache
    assert isinstance(fast, OnnxEncoder)
    assert not [path for path in stale if path.exists()]
    assert all(path.exists() for path in [*kept, not_ours, fast.onnx_file])

    # the same model folder with other contents (reinstalled): the older export goes
    current = fast.onnx_file.name.removesuffix("-transformer.onnx").rsplit("-", 1)[0]
    older = cached(f"{current}-{'2' * 16}-transformer", None)
    newer = cached(f"{current}-{'3' * 16}-transformer", None)
    assert sorted(export.prune(newer[0])) == sorted(
        [*older, fast.onnx_file, fast.onnx_file.with_suffix(".json")]
    )
    assert all(path.exists() for path in [*newer, *kept, not_ours])


def test_a_cache_that_cannot_be_cleared_still_serves_the_export(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(kept: Path) -> list[Path]:
        raise PermissionError(f"cannot list {kept.parent}")

    monkeypatch.setattr(export, "prune", unreadable)
    assert isinstance(loading.get_encoder(MODEL), OnnxEncoder)
