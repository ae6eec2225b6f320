"""Shared fixtures: the seed corpus indexed once per session with the real packaged model."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.build.settings import BuildOptions

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SERVER_DEADLINE_S = 900  # a server a crashed test run left behind exits by itself
# float32 vectors do not depend on which texts share an encoder batch, so "an incremental build
# equals a full one" holds to 1e-5. bfloat16, the default on AMX CPUs: tests/test_precision.py.
os.environ["QA_PRECISION"] = "float32"
SHARED = ROOT.parent / "shared"  # the project's data, beside the checkout (not in it)
DEV_SET = Path(os.environ.get("QA_DEV_SET", SHARED / "eval" / "dev_seeds.jsonl"))


def rewrite_manifest(version: Path, manifest: dict) -> None:
    """Write a manifest as a build would, digest included: a consistent index of other settings."""
    from index.stores.disk import sha256_bytes
    from index.stores.versions import MANIFEST, MANIFEST_DIGEST

    text = json.dumps(manifest)
    (version / MANIFEST).write_text(text, encoding="utf-8")
    (version / MANIFEST_DIGEST).write_text(sha256_bytes(text.encode("utf-8")))


def searcher_over(folder: Path, articles: dict[str, str]):  # type: ignore[no-untyped-def]
    """A searcher over a small corpus written for a test: file name -> its text, written to
    `folder`/news and indexed into `folder`/index."""
    from index import build_index
    from qa import Searcher

    corpus = folder / "news"
    corpus.mkdir()
    for name, text in articles.items():
        (corpus / name).write_text(text, encoding="utf-8")
    build_index([corpus], folder / "index")
    return Searcher.load(folder / "index")


def needs_shared(path: Path) -> Path:
    """`path` under ../shared, or the test is skipped saying what is missing (a lone clone)."""
    if not path.exists():
        pytest.skip(f"needs {path} from ../shared: put the shared folder beside the checkout")
    return path


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from index import build_index

    directory = tmp_path_factory.mktemp("seed-index")
    build_index([SEEDS], directory)
    return directory


@pytest.fixture(scope="session")
def searcher(seed_index: Path):  # type: ignore[no-untyped-def]
    from qa import Searcher

    return Searcher.load(seed_index)


@pytest.fixture(scope="session")
def dev_questions() -> list[dict]:
    needs_shared(DEV_SET)
    return [json.loads(line) for line in DEV_SET.read_text().splitlines() if line.strip()]


@pytest.fixture()
def index_copy(seed_index: Path, tmp_path: Path) -> Path:
    """A private copy of the seed index that a test may damage."""
    target = tmp_path / "index"
    shutil.copytree(seed_index, target)
    return target


@pytest.fixture(scope="session")
def milvus_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Milvus server (Milvus Lite's C++ build) on a free 127.0.0.1 port, for the session."""
    from tooling.milvus_local import running_milvus

    with running_milvus(tmp_path_factory.mktemp("milvus"), deadline_s=SERVER_DEADLINE_S) as uri:
        yield uri


@pytest.fixture(scope="session")
def milvus_index(tmp_path_factory: pytest.TempPathFactory, milvus_uri: str) -> Path:
    """The seed corpus indexed into Milvus (FLAT, so its dense ranking is exact like FAISS's)."""
    from index import build_index
    from index.stores.passage_store import store_settings

    directory = tmp_path_factory.mktemp("milvus-index")
    store = store_settings("milvus", uri=milvus_uri, index_type="FLAT", collection_prefix="seeds")
    build_index([SEEDS], directory, BuildOptions(store=store))
    return directory


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[None]:
    """A local Ray cluster bound to 127.0.0.1 with two CPUs, shut down after the session."""
    import ray

    from index.build.ray_engine import start_local_ray

    start_local_ray(num_cpus=2)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture()
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache for ONNX exports, and the in-process encoders that remember them forgotten."""
    from index.encoders.loading import forget_loaded

    monkeypatch.setenv("QA_CACHE_DIR", str(tmp_path / "cache"))
    forget_loaded()
    yield tmp_path / "cache"
    forget_loaded()
