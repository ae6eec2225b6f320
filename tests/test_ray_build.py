"""The Ray Data build on a local 127.0.0.1 cluster gives the single-process build's index."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from index import build_index, config, load_index
from index.build.ray_engine import (
    STAGING,
    RayEmbedder,
    read_staged,
    start_local_ray,
)
from index.build.settings import BuildOptions, BuildSettings
from index.ingest.prepare import read_documents
from index.stores.passage_store import StoreSettings, store_settings
from qa.cli import main
from qa.searcher import Searcher
from tooling.evaluation.modes import rank

from .conftest import needs_shared

BBC = Path(__file__).resolve().parents[2] / "shared" / "bench" / "bbc_news" / "bbc"
PER_TOPIC = 12  # 60 BBC articles: about 360 passages and 1,000 sentences
QUESTIONS = (
    "What happened to the share price?",
    "Who won the match?",
    "What did the minister say about the election?",
    "Which new phone was launched?",
    "Which film won the award?",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs_shared(BBC)
    folder = tmp_path_factory.mktemp("bbc60")
    for topic in sorted(p for p in BBC.iterdir() if p.is_dir()):
        for article in sorted(topic.glob("*.txt"))[:PER_TOPIC]:
            shutil.copy(article, folder / f"{topic.name}-{article.name}")
    return folder


@pytest.fixture(scope="module")
def single_process(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("single")
    build_index([corpus], target)
    return target


@pytest.fixture(scope="module")
def with_ray(corpus: Path, tmp_path_factory: pytest.TempPathFactory, ray_cluster: None) -> Path:
    target = tmp_path_factory.mktemp("ray")
    report = build_index([corpus], target, progress=False, engine="ray")
    assert report.embedded == report.documents == 5 * PER_TOPIC and report.resumed == 0
    assert not (target / STAGING).exists()
    return target


def test_ray_gives_the_same_passages_and_vectors(single_process: Path, with_ray: Path) -> None:
    one, ray = load_index(single_process), load_index(with_ray)
    assert len(one.passages) > 300
    assert one.documents == ray.documents
    assert np.array_equal(one.passages, ray.passages)
    assert np.array_equal(one.sentences, ray.sentences)
    assert np.allclose(one.passage_vectors, ray.passage_vectors, atol=1e-5)
    assert np.allclose(one.sentence_vectors, ray.sentence_vectors, atol=1e-5)
    assert np.array_equal(one.minhash, ray.minhash)  # type: ignore[arg-type]


def test_ray_gives_the_same_top_k(single_process: Path, with_ray: Path) -> None:
    one, ray = Searcher.load(single_process), Searcher.load(with_ray)
    for question in QUESTIONS:
        for mode in ("dense", "bm25", "full"):
            a = [(c.doc_row, c.start) for c in rank(one, [question], mode)[0][:10]]
            b = [(c.doc_row, c.start) for c in rank(ray, [question], mode)[0][:10]]
            assert a == b, (question, mode)
        cited = one.search(question, k=5).passages, ray.search(question, k=5).passages
        assert [(p.doc_id, p.start, p.end) for p in cited[0]] == [
            (p.doc_id, p.start, p.end) for p in cited[1]
        ]


def test_a_failed_run_resumes_from_what_it_embedded(
    corpus: Path, with_ray: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "index"
    documents, _ = read_documents([corpus])
    half = list(range(0, len(documents), 2))
    settings = BuildSettings("all-MiniLM-L6-v2", 500, 100, 32, StoreSettings(), config.precision())
    # The first half embedded, then the run died (its staging is what a killed run leaves).
    first = RayEmbedder(target / STAGING, workers=2)
    first(documents, half, settings, False)
    assert first.embedded == len(half)

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("index.build.write.write_index", disk_full)
    with pytest.raises(OSError, match="No space left"):
        build_index([corpus], target, progress=False, engine="ray")
    assert len(read_staged(target / STAGING / _only_child(target / STAGING))) == len(documents)
    monkeypatch.undo()

    report = build_index([corpus], target, progress=False, engine="ray")
    assert report.resumed == len(documents) and report.embedded == len(documents)
    assert not (target / STAGING).exists()
    assert np.allclose(
        load_index(target).passage_vectors, load_index(with_ray).passage_vectors, atol=1e-5
    )


def test_ray_writes_into_milvus(
    corpus: Path, with_ray: Path, milvus_uri: str, tmp_path: Path
) -> None:
    target = tmp_path / "index"
    store = store_settings("milvus", uri=milvus_uri, index_type="FLAT", collection_prefix="ray")
    build_index([corpus], target, BuildOptions(store=store), progress=False, engine="ray")
    milvus, local = Searcher.load(target), Searcher.load(with_ray)
    assert milvus.stored.manifest.store["kind"] == "milvus"
    for question in QUESTIONS:
        vector = local.encoder.encode([question])[0]
        assert milvus.stored.passage_store.dense(
            vector, 10, None
        ) == local.stored.passage_store.dense(vector, 10, None)


def test_the_cli_builds_with_ray(
    tmp_path: Path, ray_cluster: None, capsys: pytest.CaptureFixture[str]
) -> None:
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    target = tmp_path / "index"
    assert (
        main(["index", str(seeds), "--index", str(target), "--engine", "ray", "--workers", "1"])
        == 0
    )
    assert "Indexed 5 documents" in capsys.readouterr().out
    assert load_index(target).manifest.counts.passages == 36
    build_index([seeds], tmp_path / "single")
    assert np.array_equal(load_index(target).passages, load_index(tmp_path / "single").passages)


def test_ray_options_without_the_ray_engine_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["index", "seeds", "--workers", "2"]) != 0
    assert "--address and --workers go with --engine ray" in capsys.readouterr().err


def _only_child(folder: Path) -> str:
    (child,) = [p.name for p in folder.iterdir()]
    return child


@pytest.mark.parametrize(
    "missed",
    [
        Exception("The current node timed out during startup."),
        RuntimeError("Timed out waiting for file /tmp/ray/session_x/gcs_server_port_ab12"),
    ],
)
def test_a_local_node_that_misses_its_deadline_is_started_again(
    monkeypatch: pytest.MonkeyPatch, missed: Exception
) -> None:
    """Both of Ray's start-up deadlines: the node's registration, and the GCS server's port
    file (a CI run on a busy machine missed this one)."""
    import ray

    calls: list[dict[str, object]] = []

    def slow_then_up(**kwargs: object) -> None:
        calls.append(kwargs)
        if len(calls) == 1:
            raise missed

    monkeypatch.setattr(ray, "init", slow_then_up)
    monkeypatch.setattr(ray, "shutdown", lambda: None)
    start_local_ray(num_cpus=1)
    assert len(calls) == 2 and calls[1]["_node_ip_address"] == "127.0.0.1"

    def refused(**kwargs: object) -> None:
        raise ValueError("num_cpus must be positive")

    monkeypatch.setattr(ray, "init", refused)
    with pytest.raises(ValueError, match="num_cpus"):  # other errors are not retried
        start_local_ray(num_cpus=-1)
