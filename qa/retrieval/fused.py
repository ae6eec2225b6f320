"""First-stage retrieval: FAISS (dense) and BM25 (lexical) rankings, fused by reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass

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
    ) -> Fused:
        """Each retriever's top `depth` fused by reciprocal rank."""
        dense = self.dense(vector, depth, allowed)
        lexical = self.lexical(query, depth, allowed)
        scores = reciprocal_rank_fusion([dense, lexical], weights=FUSION_WEIGHTS)
        return Fused(
            ranked=sorted(scores, key=lambda i: (-scores[i], i))[:depth],
            scores=scores,
            dense_rank={p: r for r, p in enumerate(dense, 1)},
            lexical_rank={p: r for r, p in enumerate(lexical, 1)},
        )

    def candidate(self, passage_id: int, score: float, fused: Fused | None = None) -> Candidate:
        doc_row, start, end = (int(v) for v in self.stored.passages[passage_id])
        ranks = (None, None) if fused is None else fused.ranks(passage_id)
        return Candidate(doc_row, start, end, score, 0.0, [], *ranks)


@dataclass(frozen=True, slots=True)
class Fused:
    """A fused ranking: passage ids best first, their fusion scores, and each retriever's rank."""

    ranked: list[int]
    scores: dict[int, float]
    dense_rank: dict[int, int]
    lexical_rank: dict[int, int]

    def ranks(self, passage_id: int) -> tuple[int | None, int | None]:
        return self.dense_rank.get(passage_id), self.lexical_rank.get(passage_id)
