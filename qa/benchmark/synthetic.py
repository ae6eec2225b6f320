"""The vector side at sizes this machine cannot embed: synthetic 384-d unit vectors.

Builds the FAISS index `qa index` would choose for N passages (exact up to 200k, IVF-SQ8
above), then reports build time, index memory, recall@10 against exact search on fresh
queries, and single-query latency percentiles. The vectors are clustered like sentence
embeddings; uniform noise would be an unrealistically hard case for any ANN index.
Part of `qa bench` (`--sizes`).
"""

from __future__ import annotations

import time

import numpy as np

from index.vector_index import build_vector_index, recall_at_10


def clustered(n: int, dimension: int, rng: np.random.Generator, clusters: int = 2000) -> np.ndarray:
    centres = rng.normal(size=(clusters, dimension)).astype(np.float32)
    out = np.empty((n, dimension), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        block = centres[rng.integers(0, clusters, stop - start)]
        block += rng.normal(0, 0.6, size=block.shape).astype(np.float32)
        out[start:stop] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def measure(n: int, dimension: int, seed: int) -> dict:
    import faiss

    rng = np.random.default_rng(seed)
    vectors = clustered(n, dimension, rng)
    began = time.perf_counter()
    index, settings = build_vector_index(vectors)
    build_s = time.perf_counter() - began
    picks = vectors[rng.choice(n, 300, replace=False)]
    queries = picks + rng.normal(0, 0.05, size=picks.shape).astype(np.float32)
    queries = (queries / np.linalg.norm(queries, axis=1, keepdims=True)).astype(np.float32)
    recall = recall_at_10(index, vectors, queries[:100])
    latencies = []
    for q in queries:
        t = time.perf_counter()
        index.search(q.reshape(1, -1), 10)
        latencies.append((time.perf_counter() - t) * 1000)
    ms = np.array(latencies)
    return {
        "passages": n,
        "index": settings["type"],
        "nprobe": settings.get("nprobe"),
        "build_s": round(build_s, 1),
        "index_memory_mb": round(faiss.serialize_index(index).nbytes / 2**20, 1),
        "float_vectors_mb": round(vectors.nbytes / 2**20, 1),
        "recall_at_10": round(recall, 4),
        "latency_ms": {
            p: round(float(np.percentile(ms, int(p[1:]))), 2) for p in ("p50", "p95", "p99")
        },
        "threads": faiss.omp_get_max_threads(),
    }
