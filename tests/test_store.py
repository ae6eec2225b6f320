from __future__ import annotations

import json
import random
import shutil
import threading
import time
from pathlib import Path

import pytest

from index import build_index
from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexLockedError,
    IndexMissingError,
    InvalidInputError,
)
from index.stores import disk, writer
from index.stores.disk import write_lock
from index.stores.versions import (
    MANIFEST,
    SENTENCE_TERMS,
    current_version,
    load_index,
)
from qa import Searcher

from .conftest import SEEDS, rewrite_manifest


def _version(index: Path) -> Path:
    return current_version(index)


def test_missing_index_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match=r"No index at .*Build one with: qa index seeds/"):
        Searcher.load(tmp_path / "none")


def test_truncated_file_is_detected(index_copy: Path) -> None:
    path = _version(index_copy) / "chunks.faiss"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match="chunks.faiss is truncated"):
        load_index(index_copy)


def test_flipped_byte_is_detected(index_copy: Path) -> None:
    path = _version(index_copy) / "sentence_vectors.npy"
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(IndexCorruptError, match="does not match its checksum"):
        load_index(index_copy)


def test_garbage_manifest(index_copy: Path) -> None:
    (_version(index_copy) / "manifest.json").write_text("{not json")
    with pytest.raises(IndexCorruptError, match="unreadable manifest"):
        load_index(index_copy)


def test_other_format_version(index_copy: Path) -> None:
    path = _version(index_copy) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["format_version"] = 99
    rewrite_manifest(path.parent, manifest)
    with pytest.raises(IndexIncompatibleError, match="format version 99; this qa reads version 3"):
        load_index(index_copy)


def test_other_model_is_refused(index_copy: Path) -> None:
    with pytest.raises(
        IndexIncompatibleError, match="built with model 'all-MiniLM-L6-v2', not 'other'"
    ):
        Searcher.load(index_copy, model="other")


def test_failed_build_leaves_old_index(index_copy: Path, tmp_path: Path) -> None:
    before = (index_copy / "CURRENT").read_text()
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidInputError, match="No articles to index"):
        build_index([empty], index_copy)
    assert (index_copy / "CURRENT").read_text() == before
    assert load_index(index_copy).manifest.counts.documents == 5


def test_interrupted_write_leaves_old_index(
    index_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.stores.embedded as embedded_store

    before = (index_copy / "CURRENT").read_text()

    def crash(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise KeyboardInterrupt

    monkeypatch.setattr(embedded_store, "build_bm25", crash)
    with pytest.raises(KeyboardInterrupt):
        build_index([SEEDS / "000_335d19b92d0335c8.txt"], index_copy)
    assert (index_copy / "CURRENT").read_text() == before
    assert not list(index_copy.glob(".tmp-*"))
    assert load_index(index_copy).manifest.counts.documents == 5


def test_second_writer_is_refused_after_waiting(index_copy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(disk, "LOCK_WAIT_SECONDS", 0.3)
    started = time.monotonic()
    with (
        write_lock(index_copy),
        pytest.raises(IndexLockedError, match="Another qa process is writing"),
    ):
        build_index([SEEDS], index_copy)
    assert time.monotonic() - started >= 0.3


def test_a_writer_waits_for_the_lock_to_be_released(index_copy: Path) -> None:
    holder = threading.Thread(target=_hold_lock, args=(index_copy, 0.5))
    holder.start()
    time.sleep(0.1)
    with write_lock(index_copy, wait=5):  # acquired once the holder lets go
        pass
    holder.join()


def _hold_lock(index: Path, seconds: float) -> None:
    with write_lock(index):
        time.sleep(seconds)


def test_manifest_records_settings(seed_index: Path) -> None:
    import faiss
    import numpy as np

    version = current_version(seed_index)
    raw = json.loads((version / MANIFEST).read_text())  # as written, not as the reader parses it
    assert raw["model"] == "all-MiniLM-L6-v2" and raw["dimension"] == 384
    assert raw["chunking"]["size"] == 500 and raw["chunking"]["overlap"] == 100
    assert raw["counts"]["documents"] == len((version / "documents.jsonl").read_text().splitlines())
    passages = len(np.load(version / "chunks.npy"))
    assert (
        raw["counts"]["chunks"]
        == passages
        == faiss.read_index(str(version / "chunks.faiss")).ntotal
    )
    assert raw["precision"] == "float32"  # what the suite asks for (tests/conftest.py)
    manifest = load_index(seed_index).manifest  # the typed record says the same
    assert (manifest.model, manifest.counts.passages, manifest.splitting.size) == (
        raw["model"],
        passages,
        500,
    )


def test_an_index_written_before_sentence_terms_were_stored_still_loads(
    seed_index: Path, index_copy: Path
) -> None:
    version = _version(index_copy)
    shutil.rmtree(version / SENTENCE_TERMS)
    manifest = json.loads((version / "manifest.json").read_text())
    manifest["files"] = {
        name: about for name, about in manifest["files"].items() if SENTENCE_TERMS not in name
    }
    rewrite_manifest(version, manifest)
    older, current = load_index(index_copy), load_index(seed_index)
    rows = range(len(current.sentences))
    assert [older.sentence_terms.terms_of(r) for r in rows] == [
        current.sentence_terms.terms_of(r) for r in rows
    ]


def test_manifest_with_another_dimension_is_refused(index_copy: Path) -> None:
    path = _version(index_copy) / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["dimension"] = 768
    rewrite_manifest(path.parent, manifest)
    with pytest.raises(IndexCorruptError) as caught:
        load_index(index_copy)
    assert str(caught.value) == (
        f"The index at {index_copy} is inconsistent (vectors vs passages). See what is damaged "
        f"and repair it with: qa doctor --index {index_copy} --repair (or rebuild it with: "
        f"qa index PATH... --index {index_copy})"
    )


def test_an_edited_manifest_fails_its_checksum(index_copy: Path) -> None:
    path = _version(index_copy) / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["abstention"]["bias"] += 1  # one digit: answers would change silently
    path.write_text(json.dumps(manifest))
    with pytest.raises(IndexCorruptError, match="manifest .it does not match its checksum"):
        load_index(index_copy)


@pytest.mark.parametrize("pointer", [b"", b"\xff\xfe\x00", b"../elsewhere", b"v-gone"])
def test_a_damaged_current_file_is_a_clear_error(index_copy: Path, pointer: bytes) -> None:
    (index_copy / "CURRENT").write_bytes(pointer)
    with pytest.raises(IndexCorruptError, match="damaged CURRENT file.*qa doctor"):
        load_index(index_copy)


def test_duplicated_article_is_cited_once_with_also_in(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = (
        "The harbour authority closed the north pier on Monday after storm damage left deep "
        "cracks in its concrete deck and tore away part of the railing along the seaward side.\n\n"
        "Repairs to the pier will take three weeks and cost about two million euros, the "
        "authority said in a statement, adding that ferries would use the south quay meanwhile.\n\n"
        "Fishermen who moor their boats at the north pier have been offered free berths in the "
        "marina until the work is finished, and the harbour master asked walkers to keep away "
        "from the fenced area while divers inspect the foundations below the waterline.\n"
    )
    (corpus / "gazette.txt").write_text(text)
    (corpus / "wire-copy.txt").write_text(text.replace("Monday", "Monday morning"))
    report = build_index([corpus], tmp_path / "index")
    assert report.documents == 2 and report.duplicates == 1
    result = Searcher.load(tmp_path / "index").search("How long will the pier repairs take?")
    assert len({p.doc_id for p in result.passages}) == 1
    assert result.passages[0].also_in == [str(corpus / "wire-copy.txt")]


def test_a_new_version_that_does_not_verify_never_goes_live(index_copy: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = (index_copy / "CURRENT").read_text()
    folders = sorted(p.name for p in index_copy.iterdir())
    live = _version(index_copy)
    real = writer.file_problems

    def new_versions_read_back_wrong(version, manifest, **kwargs):  # type: ignore[no-untyped-def]
        return (
            real(version, manifest, **kwargs)
            if version == live
            else ["chunks.npy reads back wrong"]
        )

    monkeypatch.setattr(writer, "file_problems", new_versions_read_back_wrong)
    with pytest.raises(IndexCorruptError, match="did not verify .chunks.npy reads back wrong"):
        build_index([SEEDS / "000_335d19b92d0335c8.txt"], index_copy)
    monkeypatch.undo()
    assert (index_copy / "CURRENT").read_text() == before
    assert sorted(p.name for p in index_copy.iterdir()) == folders
    assert load_index(index_copy).manifest.counts.documents == 5


def test_any_one_byte_change_of_the_manifest_is_caught(index_copy: Path) -> None:
    path = _version(index_copy) / MANIFEST
    original = path.read_bytes()
    rng = random.Random(5)
    for _ in range(60):
        data = bytearray(original)
        at = rng.randrange(len(data))
        data[at] = (data[at] + rng.randrange(1, 256)) % 256
        path.write_bytes(bytes(data))
        with pytest.raises(IndexCorruptError, match="manifest"):
            load_index(index_copy)
    path.write_bytes(original)
    assert load_index(index_copy).manifest.counts.documents == 5
