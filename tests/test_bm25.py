"""Our BM25 weights against bm25s, and the incremental build against a fresh one."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.stores import bm25
from index.stores.bm25 import BM25Index, build_bm25
from index.text import terms
from index.text.terms import tokenize

from .conftest import SEEDS

QUESTIONS = (
    "deportation flights from the United States",
    "Maduro letter to Trump talks talks",
    "Tren de Aragua gang leaders",
    "oil",
    "the of and",
)


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [para for text in texts for para in text.split("\n\n") if para.strip()]


def test_terms_equal_bm25s_tokenize(paragraphs: list[str]) -> None:
    import bm25s

    texts = [*paragraphs, *QUESTIONS, "", "A", "Ünïcode wörds, 2025's “quotes” and don't"]
    expected = bm25s.tokenize(
        [terms.fold_accents(t) for t in texts],
        stopwords="en",
        stemmer=terms._stemmer(),
        return_ids=False,
        show_progress=False,
    )
    assert tokenize(texts) == [list(t) for t in expected]


def test_scores_equal_bm25s_on_the_same_terms(paragraphs: list[str], tmp_path: Path) -> None:
    import bm25s

    build_bm25(paragraphs, tmp_path / "ours")
    ours = BM25Index(tmp_path / "ours")
    reference = bm25s.BM25(method="lucene", k1=bm25.K1, b=bm25.B)
    reference.index(tokenize(paragraphs), show_progress=False)
    for question in QUESTIONS:
        terms = tokenize([question])[0]
        expected = reference.get_scores(terms) if terms else np.zeros(len(paragraphs))
        assert np.allclose(ours.scores(question), expected, rtol=1e-5, atol=1e-6), question


def test_an_update_tokenises_only_new_passages_and_equals_a_fresh_build(
    paragraphs: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, later = paragraphs[:-10], paragraphs[20:]  # 20 removed, 10 added
    build_bm25(first, tmp_path / "v1")
    tokenised: list[str] = []
    real = terms.tokenize

    def counting(texts):  # type: ignore[no-untyped-def]
        tokenised.extend(texts)
        return real(texts)

    monkeypatch.setattr(terms, "tokenize", counting)
    build_bm25(later, tmp_path / "v2", previous=tmp_path / "v1")
    assert sorted(tokenised) == sorted(set(later) - set(first))
    monkeypatch.undo()
    build_bm25(later, tmp_path / "fresh")
    updated, fresh = BM25Index(tmp_path / "v2"), BM25Index(tmp_path / "fresh")
    for question in QUESTIONS:
        assert np.allclose(updated.scores(question), fresh.scores(question), rtol=1e-6), question
    vocabulary = json.loads((tmp_path / "v2" / "vocab.json").read_text())
    assert sorted(vocabulary) == sorted(json.loads((tmp_path / "fresh" / "vocab.json").read_text()))


def test_an_unreadable_previous_folder_means_a_full_build(
    paragraphs: list[str], tmp_path: Path
) -> None:
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "vocab.json").write_text("not json")
    build_bm25(paragraphs[:5], tmp_path / "new", previous=tmp_path / "old")
    assert BM25Index(tmp_path / "new").size() == 5


def test_a_passage_without_terms_scores_zero(tmp_path: Path) -> None:
    build_bm25(["The of and.", "Oil prices rose."], tmp_path / "b")
    scores = BM25Index(tmp_path / "b").scores("oil prices")
    assert scores[0] == 0 and scores[1] > 0
