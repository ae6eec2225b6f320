"""Passage encoding precision: bfloat16 where the CPU does it natively, vectors as good as float32's."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index import build_index, config
from index.build.settings import BuildOptions
from index.encoders.loading import native_bf16, resolve_precision
from index.encoders.model import Encoder
from index.errors import InvalidInputError
from qa import Searcher

from .conftest import SEEDS

TEXTS = [
    "Venezuela has confirmed that President Maduro sent a letter to President Trump.",
    "The U.S. military build-up in the Caribbean is a necessary measure, the opposition said.",
    "Oil prices rose.",
]
QUESTIONS = (
    "Why did Maduro write to Trump?",
    "Which countries has Tren de Aragua spread to?",
    "When was Maduro re-elected in a vote the opposition called fraudulent?",
    "What is the tallest mountain in Africa?",
)


def test_precision_comes_from_the_argument_then_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("QA_PRECISION", raising=False)
    assert config.precision() == "auto"
    monkeypatch.setenv("QA_PRECISION", "Float32")
    assert config.precision() == "float32"
    assert config.precision("bfloat16") == "bfloat16"
    monkeypatch.setenv("QA_PRECISION", "int4")
    with pytest.raises(InvalidInputError, match="auto, float32, bfloat16"):
        config.precision()


def test_auto_takes_bfloat16_only_where_it_was_measured_faster() -> None:
    # The rule: bfloat16 with AMX, or with AVX-512 BF16 on AMD; an Intel CPU with AVX-512
    # BF16 and no AMX ran it slower than float32 (docs/benchmarks.md).
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    amx = any(f" {flag}" in cpuinfo for flag in ("amx_tile", "amx_bf16"))
    amd_bf16 = " avx512_bf16" in cpuinfo and "AuthenticAMD" in cpuinfo
    assert resolve_precision("auto") == ("bfloat16" if amx or amd_bf16 else "float32")
    assert resolve_precision("float32") == "float32"
    assert resolve_precision("auto", passages=10) == "float32"  # too little to load PyTorch for
    assert resolve_precision("bfloat16", passages=10) == "bfloat16"  # asked for: always
    assert native_bf16({"fpu", "avx2"}, "AuthenticAMD") is False
    assert native_bf16({"avx2", "avx512_bf16"}, "AuthenticAMD")
    assert native_bf16({"avx2", "avx512_bf16"}, "GenuineIntel") is False
    assert native_bf16({"avx512_bf16", "amx_tile", "amx_bf16"}, "GenuineIntel")


def test_bfloat16_vectors_are_unit_length_and_match_float32() -> None:
    exact = Encoder(config.DEFAULT_MODEL, "float32").encode(TEXTS)
    fast = Encoder(config.DEFAULT_MODEL, "bfloat16").encode(TEXTS)
    assert fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert (np.sum(exact * fast, axis=1) > 0.999).all()


def test_a_bfloat16_index_cites_what_a_float32_one_cites(seed_index: Path, tmp_path: Path) -> None:
    build_index([SEEDS], tmp_path / "bf16", BuildOptions(precision="bfloat16"))
    fast, exact = Searcher.load(tmp_path / "bf16"), Searcher.load(seed_index)
    assert fast.stored.manifest.precision == "bfloat16"
    assert np.allclose(fast.stored.passage_vectors, exact.stored.passage_vectors, atol=0.01)
    for question in QUESTIONS:
        got, want = fast.search(question, k=3), exact.search(question, k=3)
        assert [(p.doc_id, p.start, p.highlights) for p in got.passages] == [
            (p.doc_id, p.start, p.highlights) for p in want.passages
        ], question
