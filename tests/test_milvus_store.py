"""A Milvus-backed index through its life: updates, old collections, a server that goes away."""

from __future__ import annotations

import shutil
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from index import build_index, read_documents, update_index
from index.build.settings import BuildOptions
from index.errors import IndexCorruptError, InvalidInputError, StoreUnavailableError
from index.stores.milvus import connect
from index.stores.passage_store import store_settings
from index.stores.versions import load_index
from qa.searcher import Searcher
from tooling.evaluation.modes import rank
from tooling.milvus_local import running_milvus

from .conftest import SEEDS
from .servers import running_server

FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _collections(uri: str, prefix: str) -> set[str]:
    return {name for name in connect(uri).list_collections() if name.startswith(prefix + "_")}


def test_updates_keep_milvus_in_step_and_drop_old_collections(
    tmp_path: Path, milvus_uri: str
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in FILES[:2]:
        shutil.copy(SEEDS / name, corpus)
    target = tmp_path / "index"
    store = store_settings("milvus", uri=milvus_uri, collection_prefix="life")
    build_index([corpus], target, BuildOptions(store=store))
    first = load_index(target).manifest.store["collection"]

    added, _ = read_documents([SEEDS / FILES[3]])
    report = update_index(target, add=added)  # keeps the index's store without being told
    assert report.embedded == 1 and report.documents == 3
    stored = load_index(target)
    assert stored.manifest.store["kind"] == "milvus"
    assert stored.passage_store.size() == len(stored.passages)
    assert _collections(milvus_uri, "life") == {first, stored.manifest.store["collection"]}

    searcher = Searcher.load(target)
    gone = added[0].doc_id
    question = searcher.stored.documents[-1].text.split(".")[0]
    assert searcher.search(question, k=1).passages[0].doc_id == gone

    update_index(target, remove=[gone])
    after = Searcher.load(target)
    for mode in ("dense", "bm25"):
        ranked = rank(after, [question], mode)[0]
        assert gone not in {after.stored.documents[c.doc_row].doc_id for c in ranked}
    live = after.stored.manifest.store["collection"]
    assert first not in _collections(milvus_uri, "life")  # dropped two writes later
    assert live in _collections(milvus_uri, "life") and len(_collections(milvus_uri, "life")) == 2

    again = build_index([corpus], target)  # the two articles it holds again: nothing to do
    assert again.unchanged and again.embedded == 0
    assert load_index(target).manifest.store["collection"] == live


def test_switching_an_index_between_stores_reuses_its_vectors(
    tmp_path: Path, milvus_uri: str
) -> None:
    target = tmp_path / "index"
    build_index([SEEDS / FILES[0]], target)
    to_milvus = store_settings("milvus", uri=milvus_uri, collection_prefix="switch")
    report = build_index([SEEDS / FILES[0]], target, BuildOptions(store=to_milvus))
    assert report.embedded == 0 and not report.unchanged
    collection = load_index(target).manifest.store["collection"]
    assert _collections(milvus_uri, "switch") == {collection}
    back = build_index([SEEDS / FILES[0]], target, BuildOptions(store=store_settings("faiss")))
    assert back.embedded == 0 and load_index(target).manifest.store == {
        "kind": "faiss",
        "faiss": {"type": "IndexFlatIP", "metric": "inner product of unit vectors (cosine)"},
    }
    assert _collections(milvus_uri, "switch") == {collection}  # kept one write for readers
    build_index([SEEDS / FILES[1]], target)
    assert _collections(milvus_uri, "switch") == set()


def test_an_unreachable_milvus_is_named_in_the_error(
    milvus_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QA_MILVUS_URI", "http://127.0.0.1:9")
    monkeypatch.setenv("QA_MILVUS_TIMEOUT", "2")
    with pytest.raises(
        StoreUnavailableError, match=r"Cannot reach Milvus at http://127\.0\.0\.1:9"
    ):
        Searcher.load(milvus_index)


def test_a_dropped_collection_is_reported_as_a_damaged_index(
    tmp_path: Path, milvus_uri: str
) -> None:
    target = tmp_path / "index"
    build_index(
        [SEEDS / FILES[1]], target, BuildOptions(store=store_settings("milvus", uri=milvus_uri))
    )
    collection = load_index(target).manifest.store["collection"]
    connect(milvus_uri).drop_collection(collection)
    with pytest.raises(IndexCorruptError, match="no such collection.*qa index"):
        load_index(target)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "needs an address"),
        ({"uri": "http://x", "index_type": "DISKANN_PLUS"}, "index type must be one of"),
        ({"uri": "http://x", "consistency_level": "sometimes"}, "consistency level must be"),
        ({"uri": "http://x", "collection_prefix": "1-bad"}, "collection prefix"),
    ],
)
def test_milvus_settings_are_checked_before_anything_is_built(
    options: dict, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QA_MILVUS_URI", raising=False)
    with pytest.raises(InvalidInputError, match=message):
        store_settings("milvus", **options)


def test_the_api_answers_from_milvus_and_says_503_when_it_goes_away(
    tmp_path: Path, dev_questions: list[dict]
) -> None:
    question = next(q for q in dev_questions if q["kind"] == "single")
    target = tmp_path / "index"
    with ExitStack() as milvus_alive:
        uri = milvus_alive.enter_context(running_milvus(tmp_path / "milvus"))
        build_index([SEEDS], target, BuildOptions(store=store_settings("milvus", uri=uri)))
        with running_server(target, env={"QA_MILVUS_TIMEOUT": "3"}) as url:
            asked = {"question": question["question"]}
            body = httpx.post(f"{url}/api/search", json=asked).json()
            assert not body["abstained"]
            assert any(
                p["doc_id"] == a["doc"] and a["contains"] in p["text"]
                for p in body["passages"]
                for a in question["answers"]
            )
            milvus_alive.close()  # the server keeps running; its store does not
            response = httpx.post(f"{url}/api/search", json=asked, timeout=60)
            assert response.status_code == 503
            assert f"Milvus at {uri}" in response.json()["detail"]


def test_an_unreachable_milvus_stops_a_build_before_any_embedding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from index import index_documents

    monkeypatch.setenv("QA_MILVUS_TIMEOUT", "2")
    documents, _ = read_documents([SEEDS / FILES[0]])

    def never(*args: object) -> dict:
        raise AssertionError("embedded although Milvus is down")

    store = store_settings("milvus", uri="http://127.0.0.1:9")
    with pytest.raises(StoreUnavailableError, match="Cannot reach Milvus"):
        index_documents(documents, tmp_path / "index", BuildOptions(store=store), embedder=never)
    assert not list((tmp_path / "index").glob("v-*"))


def test_milvus_options_with_the_file_store_are_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from qa.cli import main

    assert main(["index", str(SEEDS), "--store", "faiss", "--milvus-index-type", "HNSW"]) == 1
    assert "--milvus-* options go with --store milvus" in capsys.readouterr().err
