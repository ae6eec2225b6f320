"""First-stage retrieval: FAISS (dense) and BM25 (lexical) rankings, fused by reciprocal rank."""

from __future__ import annotations

import numpy as np

from index.stores.versions import StoredIndex
from qa.retrieval.candidates import Candidate
from qa.retrieval.fusion import RRF_K, reciprocal_rank_fusion

CANDIDATES_PER_RETRIEVER = 100  # how deep each retriever's ranking goes into fusion
FUSION_WEIGHTS = (1.0, 1.0)  # dense, BM25: equal votes in reciprocal rank fusion
BEST_RRF = sum(FUSION_WEIGHTS) / (RRF_K + 1)  # first in both rankings: a fusion score of 1


class Retriever:
    """Ranks an index's passages for a question (its text and its vector)."""

    def __init__(self, stored: StoredIndex) -> None:
        self.stored = stored

    def dense(self, vector: np.ndarray, depth: int, allowed: np.ndarray | None) -> list[int]:
        return self.stored.passage_store.dense(vector, depth, allowed)

    def lexical(self, query: str, depth: int, allowed: np.ndarray | None) -> list[int]:
        return self.stored.passage_store.lexical(query, depth, allowed)

    def fused(
        self,
        query: str,
        vector: np.ndarray,
        allowed: np.ndarray | None,
        depth: int = CANDIDATES_PER_RETRIEVER,
    ) -> tuple[list[int], dict[int, float]]:
        """Each retriever's top `depth` fused by reciprocal rank: the ranked passage ids and
        each one's fusion score."""
        dense = self.dense(vector, depth, allowed)
        lexical = self.lexical(query, depth, allowed)
        fused = reciprocal_rank_fusion([dense, lexical], weights=FUSION_WEIGHTS)
        return sorted(fused, key=lambda i: (-fused[i], i))[:depth], fused

    def candidate(self, passage_id: int, score: float) -> Candidate:
        doc_row, start, end = (int(v) for v in self.stored.passages[passage_id])
        return Candidate(doc_row, start, end, score, 0.0, [])
