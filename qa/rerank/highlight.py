"""Pick the sentence(s) of a passage that answer the question: never the whole passage."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from index.stores.bm25 import idf
from index.text.sentences import nested
from index.text.terms import TermTable

SECOND_SENTENCE_MARGIN = 0.04  # a neighbour this close to the best sentence is part of the answer


class TermWeights:
    """How much of a question's terms each sentence holds, each term weighted by its rarity.

    A term's weight is its BM25 idf over the index's sentences: "evidence" in a question
    counts for more than "said". A term no sentence holds gets the largest weight.
    """

    def __init__(self, table: TermTable) -> None:
        n = len(table)
        self._ids = {term: i for i, term in enumerate(table.vocabulary)}
        self._idf = idf(table.document_frequency(), n)
        self._unseen = float(idf(0, n))
        self._terms = table.terms
        self._offsets = table.offsets

    def shares(self, rows: np.ndarray, question: Collection[str]) -> np.ndarray:
        """For each sentence row: the idf-weighted share of the question's terms it holds."""
        shares = np.zeros(len(rows), dtype=np.float32)
        ids = [self._ids.get(term) for term in question]
        total = sum(self._idf[i] if i is not None else self._unseen for i in ids)
        known = np.array(sorted({i for i in ids if i is not None}), dtype=np.int64)
        if not len(rows) or not len(known):
            return shares
        starts, ends = self._offsets[rows], self._offsets[rows + 1]
        lengths = ends - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        where = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        terms = np.asarray(self._terms[starts[owner] + where], dtype=np.int64)
        held = np.isin(terms, known)
        pairs = np.unique(owner[held] * len(self._idf) + terms[held])  # a term once per sentence
        found = self._idf[pairs % len(self._idf)] / total
        np.add.at(shares, pairs // len(self._idf), found.astype(np.float32))
        return shares


def by_sentence(
    spans: np.ndarray, scores: np.ndarray, passages: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentences only, each scored as its best part, with the passage each belongs to: a
    quoting sentence whose attribution answers is highlighted whole, never cut to the part.

    `passages` numbers each row's passage, non-decreasing; rows of a passage are in
    `sentence_units` order.
    """
    if not len(spans):
        return spans, scores, passages
    inner = nested(spans, passages)
    sentence = np.cumsum(~inner) - 1
    best = np.full(int(sentence[-1]) + 1, -np.inf, dtype=np.float64)
    np.maximum.at(best, sentence, scores)
    return spans[~inner], best, passages[~inner]


def choose_highlights(spans: list[tuple[int, int]], scores: np.ndarray) -> list[list[int]]:
    """The best sentence, plus an adjacent one when it scores nearly as well."""
    if not spans:
        return []
    best = int(np.argmax(scores))
    chosen = [best]
    for neighbour in (best - 1, best + 1):
        if (
            0 <= neighbour < len(spans)
            and scores[neighbour] >= scores[best] - SECOND_SENTENCE_MARGIN
        ):
            chosen.append(neighbour)
            break
    return [list(spans[i]) for i in sorted(chosen)]
