"""The lexical side: BM25 over passages, stemmed, English stopwords removed.

Scores follow the Lucene variant of BM25 (k1 1.5, b 0.75; idf = ln(1 + (N - df + 0.5) /
(df + 0.5))), the same numbers bm25s computes; tests pin them to bm25s and to the formula.
The passages' terms are a term table (index/text/terms.py), reused across versions, so an update
tokenises only new passages. The folder holds that table's files and:

    weights_*.npy      the BM25 weight of every (term, passage) pair, one column per term
                       (compressed sparse column: data, indices = passages, indptr)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.text.terms import TermTable, question_terms

K1 = 1.5
B = 0.75


def build_bm25(texts: Sequence[str], directory: Path, previous: Path | None = None) -> None:
    """Write the BM25 index of `texts` into `directory`, reusing the terms of passages that
    the BM25 folder `previous` (an earlier version) already tokenised."""
    table = TermTable.of_texts(texts, previous)
    data, indices, indptr = _weights(table)
    table.save(directory)
    np.save(directory / "weights_data.npy", data)
    np.save(directory / "weights_indices.npy", indices)
    np.save(directory / "weights_indptr.npy", indptr)


class BM25Index:
    """A saved BM25 index, memory-mapped; scores every passage for a question."""

    def __init__(self, directory: Path) -> None:
        vocabulary = json.loads((directory / "vocab.json").read_text("utf-8"))
        self._ids = {term: i for i, term in enumerate(vocabulary)}
        self._data = np.load(directory / "weights_data.npy", mmap_mode="r")
        self._indices = np.load(directory / "weights_indices.npy", mmap_mode="r")
        self._indptr = np.load(directory / "weights_indptr.npy")
        self._size = len(np.load(directory / "text_keys.npy", mmap_mode="r"))
        if len(self._indptr) != len(vocabulary) + 1 or self._indptr[-1] != len(self._data):
            raise ValueError("BM25 weights do not match the vocabulary")

    def scores(self, question: str) -> np.ndarray:
        """One score per passage; a term asked twice counts twice, as in bm25s."""
        scores = np.zeros(self._size, dtype=np.float32)
        for term in question_terms(question):
            i = self._ids.get(term)
            if i is not None:
                lo, hi = self._indptr[i], self._indptr[i + 1]
                scores[self._indices[lo:hi]] += self._data[lo:hi]  # a passage once per term
        return scores

    def top(self, question: str, depth: int, allowed: np.ndarray | None = None) -> list[int]:
        """Passage rows with a positive score, best first, restricted to `allowed` rows if given."""
        scores = self.scores(question)
        return [i for i in top_ids(scores, depth, allowed) if scores[i] > 0]

    def size(self) -> int:
        """Number of passages indexed."""
        return self._size


def top_ids(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """Ids of the n highest scores (ties broken by id), restricted to `allowed` rows if given."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    n = min(n, int(np.isfinite(scores).sum()))
    if n <= 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n]
    return [int(i) for i in part[np.lexsort((part, -scores[part]))]]


def idf(document_frequency: np.ndarray | int, n: int) -> np.ndarray:
    """Lucene's BM25 idf of terms held by `document_frequency` of `n` texts."""
    df = np.asarray(document_frequency)
    return np.log(1 + (n - df + 0.5) / (df + 0.5))


def _weights(table: TermTable) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BM25 weight of each (term, passage) pair, grouped by term (compressed sparse column)."""
    terms, lengths, vocabulary_size = table.terms, table.lengths(), len(table.vocabulary)
    n = len(lengths)
    passage = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs, tf = np.unique(terms.astype(np.int64) * max(n, 1) + passage, return_counts=True)
    term, row = pairs // max(n, 1), pairs % max(n, 1)
    df = np.bincount(term, minlength=vocabulary_size)
    rarity = idf(df, n)
    average = lengths.mean() if n and lengths.sum() else 1.0
    norm = K1 * (1 - B + B * lengths[row] / average)
    data = (rarity[term] * tf / (tf + norm)).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return data, row.astype(np.int32), indptr
