"""Run both stacks step by step, interleaved, each step in its own process, and report.

Ours: `qa index` / `Searcher.search` (hybrid retrieval, reranking, highlighting, citations).
Reference: LangChain `RecursiveCharacterTextSplitter(1000, 200)` + the same model through
`HuggingFaceEmbeddings` + `langchain_community.vectorstores.FAISS` (inner product over
normalised vectors, i.e. `IndexFlatIP`). Same corpus, same machine; the steps alternate
(ours, reference, ours, reference, ...) so that machine noise hits both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from tooling.benchmark import corpora, synthetic
from tooling.benchmark.scale_out import bench_scale_out
from tooling.benchmark.steps import (
    http_latency,
    index_with_cli,
    percentiles,
    step,
    summarise_builds,
    worker_command,
)

STACKS = ("ours", "reference")


def run_bench(
    corpus_names: list[str],
    *,
    shared: Path,
    rounds: int = 2,
    questions: int = 200,
    limit: int | None = None,
    sizes: list[int] | None = None,
    pipeline_sizes: list[int] | None = None,
    scale_out: bool = False,
    milvus_uri: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    """The report's numbers. With `scale_out`, each corpus compares build engines and passage
    stores (tooling.benchmark.scale_out) instead of this pipeline and the reference stack."""
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    try:
        results: dict[str, Any] = {
            "machine": _machine(),
            "corpora": [],
            "synthetic": [],
            "pipeline_at_scale": [],
            "scale_out": [],
        }
        for name in corpus_names:
            corpus = corpora.load(name, shared, work / "corpora", limit)
            if scale_out:
                results["scale_out"].append(
                    bench_scale_out(
                        corpus,
                        work / ("scale-out-" + corpus.name.split()[0]),
                        rounds=rounds,
                        n_questions=questions,
                        milvus_uri=milvus_uri,
                        progress=progress,
                    )
                )
                continue
            results["corpora"].append(
                _bench_corpus(corpus, work / corpus.name.split()[0], rounds, questions, progress)
            )
        for n in sizes or []:
            progress(f"synthetic vectors: {n} passages")
            results["synthetic"].append(synthetic.measure(n, 384, seed=3))
        if pipeline_sizes:
            bbc = corpora.load("bbc", shared, work / "corpora")
            for n in pipeline_sizes:
                progress(f"full search over {n} passages of BBC text with synthetic vectors")
                results["pipeline_at_scale"].append(
                    synthetic.pipeline_latency(
                        n, bbc.texts, bbc.questions[:200], str(work / f"scale-{n}")
                    )
                )
        return results
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _bench_corpus(
    corpus: corpora.Corpus,
    work: Path,
    rounds: int,
    n_questions: int,
    progress: Callable[[str], None],
) -> dict[str, Any]:
    work.mkdir(parents=True, exist_ok=True)
    texts_file = work / "texts.json"
    texts_file.write_text(json.dumps(corpus.texts), encoding="utf-8")
    asked = corpus.questions[:n_questions]
    builds: dict[str, list[dict[str, Any]]] = {s: [] for s in STACKS}
    index_dirs = {s: str(work / f"index-{s}") for s in STACKS}
    for r in range(1, rounds + 1):
        for stack in STACKS:
            progress(f"{corpus.name}: indexing with {stack} (round {r} of {rounds})")
            shutil.rmtree(index_dirs[stack], ignore_errors=True)
            if stack == "ours":  # the command users run, timed from start to exit
                builds[stack].append(index_with_cli(corpus.paths, index_dirs[stack], work))
                continue
            spec = {"index_dir": index_dirs[stack], "texts_file": str(texts_file)}
            builds[stack].append(step(f"build-{stack}", spec, work))
    queries: dict[str, list[float]] = {s: [] for s in STACKS}
    peak_query: dict[str, float] = {}
    half = max(1, len(asked) // 2)
    for block in (asked[:half], asked[half:]):
        for stack in STACKS:
            if not block:
                continue
            progress(f"{corpus.name}: {len(block)} questions in-process with {stack}")
            out = step(f"query-{stack}", {"index_dir": index_dirs[stack], "questions": block}, work)
            queries[stack] += out["latencies_ms"]
            peak_query[stack] = max(peak_query.get(stack, 0.0), out["peak_rss_mb"])
    first: dict[str, list[float]] = {s: [] for s in STACKS}
    for _ in range(rounds):
        for stack in STACKS:
            progress(f"{corpus.name}: start to first answer with {stack}")
            first[stack].append(_first_answer(stack, index_dirs[stack], asked[0], work))
    http: dict[str, dict[str, Any]] = {}
    for stack in STACKS:
        progress(f"{corpus.name}: {len(asked)} questions over HTTP with {stack}")
        http[stack] = http_latency(stack, index_dirs[stack], asked, work)
    return {
        "corpus": corpus.name,
        "questions": len(asked),
        "rounds": rounds,
        "stacks": {
            stack: {
                **summarise_builds(builds[stack]),
                "index_disk_mb": builds[stack][-1]["disk_bytes"] / 2**20,
                "peak_rss_mb_indexing": max(b["peak_rss_mb"] for b in builds[stack]),
                "peak_rss_mb_querying": peak_query[stack],
                "query_ms": percentiles(queries[stack]),
                "http_ms": http[stack]["latency"],
                "serve_to_first_answer_s": http[stack]["first_answer_s"],
                "start_to_first_answer_s": float(np.median(first[stack])),
            }
            for stack in STACKS
        },
    }


def _first_answer(stack: str, index_dir: str, question: str, work: Path) -> float:
    """Seconds from starting a fresh process to holding the answer, with a built index."""
    if stack == "ours":
        command = [
            sys.executable,
            "-m",
            "qa.cli",
            "search",
            question,
            "--index",
            index_dir,
            "--json",
        ]
    else:
        spec = {"index_dir": index_dir, "question": question}
        command = worker_command("first-reference", spec, work)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def _machine() -> dict[str, Any]:
    import platform

    from index import config
    from index.encoders.loading import BF16_FROM_PASSAGES, resolve_precision

    def runtime(precision: str) -> str:
        onnx = precision == "float32" and config.passage_backend() != "torch"
        return f"{precision} on {'ONNX Runtime' if onnx else 'PyTorch'}"

    small, large = resolve_precision(None, 1), resolve_precision(None, BF16_FROM_PASSAGES)
    encoding = (
        runtime(large)
        if small == large
        else f"{runtime(small)} below {BF16_FROM_PASSAGES:,} passages, {runtime(large)} from there"
    )
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        # How our passages are encoded; the reference's always are float32 on PyTorch.
        "passage_encoding": encoding,
    }
