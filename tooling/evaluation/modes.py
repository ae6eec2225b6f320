"""The retrieval stages one at a time, for evaluation: dense alone, BM25 alone, fused, and the
full pipeline (fused then reranked by sentence), each ranked deep, before citing."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from qa.rerank.reranker import RERANK_DEPTH
from qa.retrieval.candidates import Candidate
from qa.retrieval.fused import BEST_RRF, CANDIDATES_PER_RETRIEVER
from qa.retrieval.fusion import RRF_K
from qa.searcher import Searcher

MODES = ("dense", "bm25", "fused", "full")


def rank(
    searcher: Searcher,
    queries: Sequence[str],
    mode: str,
    *,
    depth: int = CANDIDATES_PER_RETRIEVER,
    documents: Collection[str] | None = None,
    vectors: np.ndarray | None = None,
) -> list[list[Candidate]]:
    """Ranked passages per query for one mode. In "full" the top RERANK_DEPTH come reranked,
    then the rest of the fused list below them (scaled under the lowest reranked score).
    `documents` restricts the search to those ids; `vectors` are the queries' embeddings."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}; got {mode!r}.")
    allowed = None
    if documents is not None:
        allowed = np.array([d.doc_id in documents for d in searcher.stored.documents], bool)
    if vectors is None:
        vectors = searcher.encoder.encode(list(queries), progress=False)
    return [
        _ranking(searcher, q, v, allowed, mode, depth)
        for q, v in zip(queries, vectors, strict=True)
    ]


def _ranking(
    searcher: Searcher,
    query: str,
    vector: np.ndarray,
    allowed: np.ndarray | None,
    mode: str,
    depth: int,
) -> list[Candidate]:
    retriever = searcher.retriever
    if mode in ("dense", "bm25"):
        ids = (
            retriever.dense(vector, depth, allowed)
            if mode == "dense"
            else retriever.lexical(query, depth, allowed)
        )
        return [retriever.candidate(i, 1.0 / (RRF_K + r)) for r, i in enumerate(ids, 1)]
    depth = max(depth, RERANK_DEPTH) if mode == "full" else depth
    fused = retriever.fused(query, vector, allowed, depth)
    if mode == "fused":
        return [retriever.candidate(i, fused.scores[i], fused) for i in fused.ranked]
    head = searcher.years_first(query, searcher.reranker.rerank(fused, vector, query))
    floor = min((c.score for c in head), default=0.0)
    tail = [
        retriever.candidate(i, floor * fused.scores[i] / BEST_RRF, fused)
        for i in fused.ranked[RERANK_DEPTH:]
    ]
    return head + tail
