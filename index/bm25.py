"""The lexical side: BM25 over passages with bm25s, stemmed, English stopwords removed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stemmed terms without stopwords; the same for passages and questions."""
    import bm25s

    tokens = bm25s.tokenize(
        list(texts), stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False
    )
    return [list(t) for t in tokens]


def build_bm25(texts: Sequence[str], directory: Path) -> None:
    import bm25s

    logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs each build at INFO
    retriever = bm25s.BM25()
    retriever.index(tokenize(texts), show_progress=False)
    retriever.save(str(directory))


class BM25Index:
    """A saved BM25 index, memory-mapped; scores every passage for a question."""

    def __init__(self, directory: Path) -> None:
        import bm25s

        self._retriever = bm25s.BM25.load(str(directory), mmap=True)

    def scores(self, question: str) -> np.ndarray:
        terms = tokenize([question])[0]
        if not terms:
            return np.zeros(self._retriever.scores["num_docs"], dtype=np.float32)
        return np.asarray(self._retriever.get_scores(terms), dtype=np.float32)

    def top(self, question: str, depth: int, allowed: np.ndarray | None = None) -> list[int]:
        """Passage rows with a positive score, best first, restricted to `allowed` rows if given."""
        scores = self.scores(question)
        return [i for i in top_ids(scores, depth, allowed) if scores[i] > 0]

    def size(self) -> int:
        """Number of passages indexed."""
        return int(self._retriever.scores["num_docs"])


def top_ids(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """Ids of the n highest scores (ties broken by id), restricted to `allowed` rows if given."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    n = min(n, int(np.isfinite(scores).sum()))
    if n <= 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n]
    return [int(i) for i in part[np.lexsort((part, -scores[part]))]]
