"""The scale-out options side by side on one corpus: build engines and passage stores.

Engines: the single-process build and the Ray Data build, each from scratch. Stores: the
same built index (same passages, same vectors) written to FAISS + BM25 files and to a
Milvus collection, then asked the same questions in-process and over HTTP, interleaved.
Milvus is the server at `milvus_uri`, or a Milvus Lite server started here on loopback.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from tooling.benchmark import corpora
from tooling.benchmark.steps import http_latency, percentiles, step, summarise_builds

ENGINES = ("local", "ray")
STORES = ("faiss", "milvus")


def bench_scale_out(
    corpus: corpora.Corpus,
    work: Path,
    *,
    rounds: int,
    n_questions: int,
    milvus_uri: str | None,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    asked = corpus.questions[:n_questions]
    builds: dict[str, list[dict[str, Any]]] = {e: [] for e in ENGINES}
    for r in range(1, rounds + 1):
        for engine in ENGINES:
            progress(f"{corpus.name}: building with the {engine} engine (round {r} of {rounds})")
            target = work / f"index-{engine}"
            shutil.rmtree(target, ignore_errors=True)
            spec = {"engine": engine, "paths": corpus.paths, "index_dir": str(target)}
            builds[engine].append(step("build-engine", spec, work))
    with ExitStack() as stack:
        if milvus_uri is None:
            from tooling.milvus_local import running_milvus

            progress("starting Milvus Lite on 127.0.0.1")
            milvus_uri = stack.enter_context(running_milvus(work / "milvus"))
            where = "Milvus Lite 2.5.1 (the C++ server) on 127.0.0.1, same machine"
        else:
            where = f"Milvus at {milvus_uri}"
        stores: dict[str, dict[str, Any]] = {}
        index_dirs = {s: str(work / f"index-{s}") for s in STORES}
        for store in STORES:
            progress(f"{corpus.name}: writing the built passages to {store}")
            settings = {"kind": store, "uri": milvus_uri if store == "milvus" else None}
            spec = {"from_index": str(work / "index-local"), "index_dir": index_dirs[store]}
            stores[store] = step("write-store", {**spec, "store": settings}, work)
        queries: dict[str, list[float]] = {s: [] for s in STORES}
        half = max(1, len(asked) // 2)
        for block in (asked[:half], asked[half:]):
            for store in STORES:
                if block:
                    progress(f"{corpus.name}: {len(block)} questions in-process from {store}")
                    out = step(
                        "query-ours", {"index_dir": index_dirs[store], "questions": block}, work
                    )
                    queries[store] += out["latencies_ms"]
        for store in STORES:
            progress(f"{corpus.name}: {len(asked)} questions over HTTP from {store}")
            stores[store]["http_ms"] = http_latency("ours", index_dirs[store], asked, work)[
                "latency"
            ]
            stores[store]["query_ms"] = percentiles(queries[store])
    return {
        "corpus": corpus.name,
        "questions": len(asked),
        "rounds": rounds,
        "milvus": where,
        "engines": {
            engine: {
                **summarise_builds(builds[engine]),
                "peak_rss_mb": max(b["peak_rss_mb"] for b in builds[engine]),
            }
            for engine in ENGINES
        },
        "stores": stores,
    }
