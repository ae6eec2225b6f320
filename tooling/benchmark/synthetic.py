"""The vector side at sizes this machine cannot embed: synthetic 384-d unit vectors.

Builds the FAISS index `qa index` would choose for N passages (exact up to 50k, IVF-SQ8
above), then reports build time, index memory, recall@10 against exact search on fresh
queries, and single-query latency percentiles. The vectors are clustered like sentence
embeddings; uniform noise would be an unrealistically hard case for any ANN index.
Part of `qa bench` (`--sizes`).
"""

from __future__ import annotations

import time

import numpy as np

from index.stores.vector_index import build_vector_index, recall_at_10


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


def pipeline_latency(
    passages: int, articles: list[str], questions: list[str], work: str, seed: int = 5
) -> dict:
    """Full `Searcher.search` latency over an index of `passages` passages of real article text.

    The text (and so BM25, sentence scoring and highlighting) is real: the given articles,
    repeated under new ids until there are enough passages. The vectors are synthetic, since
    embedding that much text is what this machine cannot do in reasonable time; search cost
    does not depend on what the vectors mean.
    """
    import hashlib
    from pathlib import Path

    from index.records import Document
    from index.stores.disk import write_lock
    from index.stores.manifest import Manifest, Splitting
    from index.stores.versions import IndexData
    from index.stores.writer import write_index
    from index.text.passages import passage_spans
    from index.text.sentences import sentence_units
    from qa import Searcher

    rng = np.random.default_rng(seed)
    documents: list[Document] = []
    chunks: list[tuple[int, int, int]] = []
    sentences: list[tuple[int, int, int]] = []
    while len(chunks) < passages:
        text = articles[len(documents) % len(articles)]
        row = len(documents)
        documents.append(
            Document(
                doc_id=f"synthetic-{row}",
                source=f"synthetic/{row}",
                title=text.split("\n", 1)[0][:120],
                outlet=None,
                author=None,
                published=None,
                text=text,
                source_map=((0, 0, len(text), len(text)),),
                content_hash=hashlib.sha256(f"{row}".encode()).hexdigest(),
            )
        )
        chunks += [(row, s, e) for s, e in passage_spans(text, size=500, overlap=100)]
        sentences += [(row, s, e) for s, e in sentence_units(text)]
    chunk_vectors = clustered(len(chunks), 384, rng)
    sentence_vectors = clustered(len(sentences), 384, rng)
    target = Path(work)
    data = IndexData(
        documents=documents,
        passages=np.asarray(chunks, dtype=np.int64),
        sentences=np.asarray(sentences, dtype=np.int64),
        passage_vectors=chunk_vectors,
        sentence_vectors=sentence_vectors,
        manifest=Manifest("all-MiniLM-L6-v2", 384, Splitting("synthetic", 500, 100)),
    )
    began = time.perf_counter()
    with write_lock(target):
        write_index(target, data)
    build_s = time.perf_counter() - began
    searcher = Searcher.load(target)
    for q in questions[:5]:
        searcher.search(q, k=5)
    latencies = []
    for q in questions:
        t = time.perf_counter()
        searcher.search(q, k=5)
        latencies.append((time.perf_counter() - t) * 1000)
    ms = np.array(latencies)
    return {
        "passages": len(chunks),
        "sentences": len(sentences),
        "documents": len(documents),
        "index": searcher.stored.manifest.store["faiss"]["type"],
        "write_s": round(build_s, 1),
        "questions": len(questions),
        "search_ms": {
            p: round(float(np.percentile(ms, int(p[1:]))), 2) for p in ("p50", "p95", "p99")
        },
    }
