"""Build an index with Ray Data: read, clean and split in tasks, embed in an actor pool.

The result is the index a single-process build makes from the same files (same passages,
same vectors up to float rounding), written to the same store; only the work is spread over
a Ray cluster. Start one with `ray start --head` and pass its address, or give no address
for a local cluster on this machine (bound to 127.0.0.1). Every node needs this project
installed, with the embedding model.

A run that fails after embedding keeps what it embedded in `<index>/.ray-staging/`, as
Parquet files keyed by each article's cleaned-text hash; the next run with the same model and
chunking embeds only what is missing there. The staging folder is removed once the index is live.

Example:
    build_index(["seeds/"], ".qa-index", engine="ray")
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.build.embedding import EmbeddedDocument, embed_split, split_document
from index.build.reuse import text_key
from index.build.settings import SENTENCE_VECTORS, BuildSettings
from index.ingest.prepare import collect_documents, prepare_file
from index.ingest.raw import Skipped
from index.records import Document
from index.text.dedup import article_signature

log = logging.getLogger(__name__)

STAGING = ".ray-staging"
DOCUMENTS_PER_BATCH = 32  # articles per embedding call: a few hundred passages and sentences


class RayEmbedder:
    """Splits and embeds documents on Ray actors, through a resumable Parquet staging folder."""

    def __init__(self, staging: Path, workers: int) -> None:
        self.staging = staging
        self.workers = max(1, workers)
        self.resumed = 0  # documents found already embedded by an interrupted run
        self.embedded = 0  # documents embedded by this run's actors

    def __call__(
        self,
        documents: list[Document],
        rows: list[int],
        settings: BuildSettings,
        progress: bool | None,
    ) -> dict[int, EmbeddedDocument]:
        folder = self.staging / _settings_key(settings)
        staged = read_staged(folder)
        keys = {r: text_key(documents[r].text) for r in rows}
        wanted = {keys[r]: documents[r].text for r in rows}
        missing = [{"key": k, "text": t} for k, t in wanted.items() if k not in staged]
        self.resumed = sum(1 for r in rows if keys[r] in staged)
        if self.resumed:
            log.info("resuming: %d articles were embedded by an earlier run", self.resumed)
        if missing:
            self._embed(missing, settings, folder)
            staged = read_staged(folder)
        self.embedded = len(missing)
        lost = [k for k in wanted if k not in staged]
        if lost:
            raise RuntimeError(f"Ray embedded {len(wanted) - len(lost)} of {len(wanted)} articles.")
        return {r: staged[keys[r]] for r in rows}

    def _embed(self, items: list[dict[str, str]], settings: BuildSettings, folder: Path) -> None:
        import ray.data

        log.info("embedding %d articles on %d Ray actors", len(items), self.workers)
        folder.mkdir(parents=True, exist_ok=True)
        dataset = ray.data.from_items(items, override_num_blocks=_blocks(len(items)))
        split = dataset.map(functools.partial(_split_task, settings=settings))
        embedded = split.map_batches(
            _EmbedActor,
            fn_constructor_kwargs={"settings": settings},
            batch_size=DOCUMENTS_PER_BATCH,
            concurrency=self.workers,
            num_cpus=1,
            batch_format="pandas",
        )
        embedded.write_parquet(str(folder))  # file names carry the write's own uuid


def _split_task(row: dict[str, Any], settings: BuildSettings) -> dict[str, Any]:
    passages, sentences = split_document(row["text"], settings)
    return {**row, "passages": passages.tobytes(), "sentences": sentences.tobytes()}


class _EmbedActor:
    """One embedding model per actor, loaded once; each call embeds a batch of split articles."""

    def __init__(self, settings: BuildSettings) -> None:
        import torch

        torch.set_num_threads(1)  # one actor per CPU; more threads would only contend
        self.settings = settings

    def __call__(self, batch: Any) -> Any:
        import pandas as pd

        splits = [
            (_spans(passages), _spans(sentences))
            for passages, sentences in zip(batch["passages"], batch["sentences"], strict=True)
        ]
        done = embed_split(list(batch["text"]), splits, self.settings)
        return pd.DataFrame(
            {
                "key": list(batch["key"]),
                "passages": list(batch["passages"]),
                "sentences": list(batch["sentences"]),
                "passage_vectors": [d.passage_vectors.astype(np.float32).tobytes() for d in done],
                "sentence_vectors": [d.sentence_vectors.astype(np.float32).tobytes() for d in done],
                "dimension": [int(d.passage_vectors.shape[1]) for d in done],
            }
        )


def read_staged(folder: Path) -> dict[str, EmbeddedDocument]:
    """Articles embedded into `folder` so far, by text hash; unreadable (cut-off) files are dropped."""
    import pyarrow.parquet as pq

    staged: dict[str, EmbeddedDocument] = {}
    for path in sorted(folder.glob("*.parquet")) if folder.is_dir() else []:
        try:
            table = pq.read_table(path).to_pylist()
        except Exception as exc:  # a file a killed run left half-written
            log.warning("ignoring unreadable staged file %s: %s", path, exc)
            path.unlink(missing_ok=True)
            continue
        for row in table:
            width = int(row["dimension"])
            staged[row["key"]] = EmbeddedDocument(
                _spans(row["passages"]),
                _spans(row["sentences"]),
                np.frombuffer(row["passage_vectors"], dtype=np.float32).reshape(-1, width),
                np.frombuffer(row["sentence_vectors"], dtype=np.float32).reshape(-1, width),
            )
    return staged


def _spans(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.int64).reshape(-1, 2)


def read_in_tasks(
    files: Sequence[str],
) -> tuple[list[Document], list[Skipped], dict[str, np.ndarray]]:
    """Read, clean and MinHash every file in Ray tasks; articles come back in file order."""
    import ray.data

    dataset = ray.data.from_items(
        [{"order": i, "path": path} for i, path in enumerate(files)],
        override_num_blocks=_blocks(len(files)),
    )
    rows = dataset.map(_prepare_task).take_all()
    rows.sort(key=lambda row: row["order"])
    per_file = [pickle.loads(row["prepared"]) for row in rows]
    signatures = {
        key: np.frombuffer(value, dtype=np.uint64)
        for row in rows
        for key, value in pickle.loads(row["signatures"]).items()
    }
    documents, skipped = collect_documents(per_file)
    return documents, skipped, signatures


def _prepare_task(row: dict[str, Any]) -> dict[str, Any]:
    prepared = prepare_file(Path(row["path"]))
    signatures = {
        text_key(item.text): article_signature(item.title, item.text).astype(np.uint64).tobytes()
        for item in prepared
        if isinstance(item, Document)
    }
    return {
        "order": row["order"],
        "prepared": pickle.dumps(prepared),
        "signatures": pickle.dumps(signatures),
    }


def _blocks(n: int) -> int:
    return max(1, min(n, 200))


def _settings_key(settings: BuildSettings) -> str:
    described = (
        f"{settings.model}|{settings.chunk_size}|{settings.chunk_overlap}|{SENTENCE_VECTORS}"
    )
    return hashlib.sha256(described.encode()).hexdigest()[:16]


LOCAL_START_ATTEMPTS = 3  # Ray gives a local node 30 s to register; a busy machine can miss that
# How Ray says a local node missed a start-up deadline: the node's registration, or the GCS
# server's port file that its process writes once it listens.
_MISSED_START = ("timed out during startup", "Timed out waiting for file")


def start_local_ray(num_cpus: int | None = None) -> None:
    """Start a Ray node on 127.0.0.1, trying again when it misses Ray's start-up deadline."""
    os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    for attempt in range(1, LOCAL_START_ATTEMPTS + 1):
        try:
            ray.init(
                address="local",
                num_cpus=num_cpus,
                _node_ip_address="127.0.0.1",
                include_dashboard=False,
                log_to_driver=False,
            )
            return
        except Exception as error:  # Ray raises a bare Exception for a node that timed out
            ray.shutdown()
            missed = any(words in str(error) for words in _MISSED_START)
            if not missed or attempt == LOCAL_START_ATTEMPTS:
                raise
            log.warning("the local Ray node missed its start-up deadline; starting it again")


class ray_cluster:
    """Connects to the cluster at `address`, or starts a local one on 127.0.0.1 and stops it after.

    An already-initialised Ray (a test fixture, a notebook) is used as it is.
    """

    def __init__(self, address: str | None, progress: bool | None) -> None:
        self.address = address
        self.progress = progress
        self.started = False

    def __enter__(self) -> int:
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        import ray
        from ray.data import DataContext

        if not ray.is_initialized():
            if self.address:
                ray.init(address=self.address, log_to_driver=False)
            else:
                start_local_ray()
            self.started = True
        show = sys.stderr.isatty() if self.progress is None else self.progress
        context = DataContext.get_current()
        context.enable_progress_bars = show  # Ray Data's own bars, one per stage
        context.print_on_execution_start = show
        return max(1, int(ray.cluster_resources().get("CPU", 1)))

    def __exit__(self, *exc: object) -> None:
        if self.started:
            import ray

            ray.shutdown()
