"""Incremental builds: reuse what is embedded, and end exactly where a full rebuild would."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

import index.build.reuse
import index.ingest.prepare
from index import build_index, load_index, read_documents, update_index
from index.build.settings import BuildOptions
from index.errors import InvalidInputError
from index.stores.versions import MINHASH, tokenized_alike
from index.text import terms
from index.text.dedup import compared_text
from index.text.sentences import RULES_VERSION
from qa import Searcher
from tooling.evaluation.modes import rank

from .conftest import SEEDS, rewrite_manifest

QUESTIONS = [
    "Why did Maduro write to Trump?",
    "Which countries has Tren de Aragua spread to?",
    "What did the defense minister accuse the United States of?",
]


def _corpus(tmp_path: Path, skip: str | None = None) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    if skip:
        (folder / skip).unlink()
    return folder


def _seed_files() -> list[str]:
    return sorted(p.name for p in SEEDS.iterdir() if p.is_file())


def _no_embedding(*_: object) -> dict:  # type: ignore[type-arg]
    raise AssertionError("nothing may be embedded when nothing changed")


def _same_index(a: Path, b: Path) -> None:
    """Same documents, passages, sentences, vectors and answers, whatever the build history."""
    x, y = load_index(a), load_index(b)
    assert [d.doc_id for d in x.documents] == [d.doc_id for d in y.documents]
    assert [d.text for d in x.documents] == [d.text for d in y.documents]
    assert np.array_equal(x.passages, y.passages) and np.array_equal(x.sentences, y.sentences)
    assert np.allclose(x.passage_vectors, y.passage_vectors, atol=1e-5)
    assert np.allclose(x.sentence_vectors, y.sentence_vectors, atol=1e-5)
    rows = range(len(x.sentences))
    assert [x.sentence_terms.terms_of(r) for r in rows] == [
        y.sentence_terms.terms_of(r) for r in rows
    ]
    sx, sy = Searcher.load(a), Searcher.load(b)
    for q in QUESTIONS:
        px, py = sx.search(q, k=5).passages, sy.search(q, k=5).passages
        assert [(p.doc_id, p.start, p.end) for p in px] == [(p.doc_id, p.start, p.end) for p in py]
        assert [p.score for p in px] == pytest.approx([p.score for p in py], abs=1e-4)


def test_unchanged_corpus_embeds_nothing_and_keeps_the_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    first = build_index([corpus], target)
    version = (target / "CURRENT").read_text()
    again = build_index([corpus], target, embedder=_no_embedding)
    assert first.embedded == first.documents and again.embedded == 0 and again.unchanged
    assert (target / "CURRENT").read_text() == version


def test_adding_an_article_equals_a_full_build(tmp_path: Path) -> None:
    last = _seed_files()[-1]
    partial = _corpus(tmp_path / "a", skip=last)
    target = tmp_path / "incremental"
    build_index([partial], target)
    shutil.copy(SEEDS / last, partial / last)
    report = build_index([partial], target)
    assert report.embedded == 1 and not report.unchanged
    full = tmp_path / "full"
    build_index([_corpus(tmp_path / "b")], full)
    _same_index(target, full)


def test_update_index_adds_replaces_and_removes(tmp_path: Path) -> None:
    files = _seed_files()
    target = tmp_path / "index"
    build_index([_corpus(tmp_path / "a", skip=files[0])], target)
    added, _ = read_documents([SEEDS / files[0]])
    report = update_index(target, add=added)
    assert report.embedded == 1
    full = tmp_path / "full"
    build_index([_corpus(tmp_path / "b")], full)
    # Document order differs (the added one comes last), so compare answers, not rows.
    sx, sy = Searcher.load(target), Searcher.load(full)
    for q in QUESTIONS:
        px, py = sx.search(q, k=5).passages, sy.search(q, k=5).passages
        assert [(p.doc_id, p.start, p.end) for p in px] == [(p.doc_id, p.start, p.end) for p in py]
        assert [p.score for p in px] == pytest.approx([p.score for p in py], abs=1e-4)

    gone = added[0].doc_id
    removed = update_index(target, remove=[gone])
    assert removed.removed == 1 and removed.embedded == 0
    searcher = Searcher.load(target)
    assert gone not in {d.doc_id for d in searcher.stored.documents}
    for mode in ("dense", "bm25"):
        for ranking in rank(searcher, QUESTIONS, mode):
            assert all(searcher.stored.documents[c.doc_row].doc_id != gone for c in ranking)
    assert len(load_index(target).passages) == searcher.stored.passage_store.bm25.size()


def test_changed_article_is_re_embedded_alone(tmp_path: Path) -> None:
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    changed = corpus / _seed_files()[1]
    changed.write_text(
        changed.read_text() + "\n\nA late correction added one more sentence here.\n"
    )
    report = build_index([corpus], target)
    assert report.embedded == 1
    full = tmp_path / "full"
    build_index([corpus], full)
    _same_index(target, full)


def test_removing_an_unknown_id_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "index"
    build_index([_corpus(tmp_path)], target)
    version = (target / "CURRENT").read_text()
    with pytest.raises(InvalidInputError, match="No document with id 'nope'"):
        update_index(target, remove=["nope"])
    assert (target / "CURRENT").read_text() == version


@pytest.mark.parametrize("delay", [0.5, 2.0, 5.0])
def test_sigkilled_index_run_leaves_the_old_index_and_the_rerun_completes(
    tmp_path: Path, delay: float
) -> None:
    import signal
    import subprocess
    import sys
    import time

    files = _seed_files()
    corpus, target = _corpus(tmp_path, skip=files[0]), tmp_path / "index"
    build_index([corpus], target)
    before = {d.doc_id for d in load_index(target).documents}
    shutil.copy(SEEDS / files[0], corpus / files[0])
    command = [sys.executable, "-m", "qa.cli", "index", str(corpus), "--index", str(target)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    after_kill = {d.doc_id for d in load_index(target).documents}  # verifies every checksum
    assert after_kill in (before, before | {Path(files[0]).stem})
    assert subprocess.run(command, capture_output=True, timeout=300).returncode == 0
    stored = load_index(target)
    assert {d.doc_id for d in stored.documents} == before | {Path(files[0]).stem}
    assert (
        stored.passage_store.faiss_index.ntotal
        == len(stored.passages)
        == stored.passage_store.bm25.size()
    )
    assert not [p for p in target.iterdir() if p.name.startswith(".tmp-")]


def test_only_new_articles_are_minhashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _seed_files()
    target = tmp_path / "index"
    build_index([_corpus(tmp_path, skip=files[0])], target)
    assert load_index(target).minhash is not None
    hashed: list[str] = []
    real = index.build.reuse.article_signature
    monkeypatch.setattr(
        index.build.reuse,
        "article_signature",
        lambda title, text: hashed.append(compared_text(title, text)) or real(title, text),
    )
    added, _ = read_documents([SEEDS / files[0]])
    update_index(target, add=added)
    assert hashed == [compared_text(added[0].title, added[0].text)]
    stored = load_index(target)
    assert stored.minhash is not None and len(stored.minhash) == len(stored.documents)


def _no_cleaning(*_: object) -> None:
    raise AssertionError("an unchanged corpus must not be read and cleaned again")


def test_an_unchanged_corpus_is_recognised_without_cleaning_a_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    version = (target / "CURRENT").read_text()
    sources = load_index(target).manifest.sources
    assert sorted(Path(p).name for p in sources["files"]) == _seed_files()
    first = corpus / _seed_files()[0]
    first.write_bytes(first.read_bytes())  # touched, same bytes
    monkeypatch.setattr(index.ingest.prepare, "prepare_file", _no_cleaning)
    again = build_index([corpus], target, embedder=_no_embedding)
    assert again.unchanged and again.documents == 5 and again.embedded == 0
    assert (target / "CURRENT").read_text() == version


def test_a_changed_byte_or_setting_means_reading_the_corpus_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    cleaned: list[str] = []
    real = index.ingest.prepare.prepare_file

    def counting(path: Path) -> list:  # type: ignore[type-arg]
        cleaned.append(path.name)
        return real(path)

    monkeypatch.setattr(index.ingest.prepare, "prepare_file", counting)
    build_index([corpus], target, BuildOptions(chunk_size=400))
    assert len(cleaned) == 5  # other settings: every file is read again
    cleaned.clear()
    last = corpus / _seed_files()[-1]
    last.write_text(last.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    report = build_index([corpus], target, BuildOptions(chunk_size=400))
    assert len(cleaned) == 5 and report.embedded == 1 and not report.unchanged


def test_after_an_update_the_corpus_is_read_again_until_the_next_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    documents, _ = read_documents([SEEDS / _seed_files()[0]])
    extra = [replace(documents[0], doc_id="extra-copy", text=documents[0].text + " Extra.")]
    update_index(target, add=extra)
    assert load_index(target).manifest.sources is None  # it no longer holds just these files
    update_index(target, remove=["extra-copy"])
    version = (target / "CURRENT").read_text()
    same = build_index(
        [corpus], target, embedder=_no_embedding
    )  # same documents: nothing written, files were read
    assert same.unchanged and (target / "CURRENT").read_text() == version
    (corpus / _seed_files()[0]).unlink()
    fewer = build_index([corpus], target)  # a real change writes, and records the files again
    assert not fewer.unchanged and fewer.documents == 4
    assert len(load_index(target).manifest.sources["files"]) == 4
    monkeypatch.setattr(index.ingest.prepare, "prepare_file", _no_cleaning)
    assert build_index([corpus], target).unchanged


def test_a_damaged_index_is_rebuilt_even_when_its_sources_are_unchanged(tmp_path: Path) -> None:
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    version = target / (target / "CURRENT").read_text()
    vectors = version / "chunk_vectors.npy"
    data = bytearray(vectors.read_bytes())
    data[-1] ^= 0xFF
    vectors.write_bytes(bytes(data))
    report = build_index([corpus], target)
    assert not report.unchanged and report.embedded == 5
    assert load_index(target).manifest.sources


def test_an_index_split_by_other_sentence_rules_is_split_again(tmp_path: Path) -> None:
    """An index built before a change to how sentences are found keeps no old sentences: its
    next build splits and embeds every article again."""
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    version = target / (target / "CURRENT").read_text()
    earlier = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    earlier["sentence_vectors"] = "pooled from passage tokens; attributions alone"  # rules 1
    rewrite_manifest(version, earlier)
    assert load_index(target).manifest.sentence_vectors.endswith("attributions alone")
    report = build_index([corpus], target)
    assert not report.unchanged and report.embedded == report.documents == 5
    assert not list(target.glob("damaged-*"))  # rebuilt for its rules, not as damaged
    assert load_index(target).manifest.sentence_vectors.endswith(f"rules {RULES_VERSION}")


def test_an_index_tokenised_by_an_earlier_tokenizer_is_tokenised_again_keeping_its_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A build made before a change to how words become terms (accents folded) was once seen
    as up to date, and kept its old terms for good. Loading it now says how to bring it up
    to date; its next build tokenises every text again and embeds nothing."""
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    with monkeypatch.context() as earlier:
        earlier.setattr(terms, "TOKENIZER_VERSION", b"terms-earlier")
        build_index([corpus], target)
        assert build_index([corpus], target).unchanged
    assert not tokenized_alike(load_index(target))
    with caplog.at_level("WARNING", logger="qa.searcher"):
        Searcher.load(target)
    assert "made by an earlier version" in caplog.text and f"--index {target}" in caplog.text
    report = build_index([corpus], target, embedder=_no_embedding)
    assert not report.unchanged and report.embedded == 0
    assert tokenized_alike(load_index(target))
    assert build_index([corpus], target, embedder=_no_embedding).unchanged
    caplog.clear()
    with caplog.at_level("WARNING", logger="qa.searcher"):
        Searcher.load(target)
    assert "earlier version" not in caplog.text


def test_an_index_with_whole_text_signatures_is_hashed_again_keeping_its_vectors(
    tmp_path: Path,
) -> None:
    """Near-duplicate signatures were once of the whole text, headline included, and stored
    as minhash.npy. Such an index is not up to date: its next build hashes every article's
    body and marks its copies again, and embeds nothing."""
    corpus, target = _corpus(tmp_path), tmp_path / "index"
    build_index([corpus], target)
    version = target / (target / "CURRENT").read_text()
    earlier = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    earlier["files"]["minhash.npy"] = earlier["files"].pop(MINHASH)
    (version / MINHASH).rename(version / "minhash.npy")
    rewrite_manifest(version, earlier)
    assert load_index(target).minhash is None
    report = build_index([corpus], target, embedder=_no_embedding)
    assert not report.unchanged and report.embedded == 0
    stored = load_index(target)
    assert stored.minhash is not None and len(stored.minhash) == len(stored.documents) == 5
    assert build_index([corpus], target, embedder=_no_embedding).unchanged
