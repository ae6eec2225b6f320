"""A passage on its way to becoming a citation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked passage of one article; `highlight_score`, `highlights` and the evidence scores
    only once reranked. The evidence scores are the best sentence's and the passage's with
    the question's terms weighed over the whole index, not among the candidates: what
    abstention judges (qa/rerank/term_weights.py, TermWeights)."""

    doc_row: int
    start: int
    end: int
    score: float
    highlight_score: float  # the highlighted sentence's score (qa/rerank/ranker.py)
    highlights: list[list[int]]
    dense_rank: int | None = None  # 1-based place in FAISS's ranking; None: not in its top
    lexical_rank: int | None = None  # the same in BM25's
    evidence: float = 0.0
    evidence_score: float = 0.0
    highlight_gives_sum: bool = False  # the highlight holds the sum of money asked for
