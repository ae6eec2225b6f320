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

    Rarity is measured two ways, both as BM25 idf:
    - among the sentences being compared (those of the passages retrieved for the question),
      to rank them: a word every candidate holds, such as the name the story is about, tells
      them apart less than the word only the answering sentence holds;
    - over all the index's sentences, to judge whether any answers: how much of the
      question's rare vocabulary a sentence covers, whatever the other candidates hold.
    A term no sentence holds gets the largest weight.
    """

    def __init__(self, table: TermTable) -> None:
        n = len(table)
        self._ids = {term: i for i, term in enumerate(table.vocabulary)}
        self._idf = idf(table.document_frequency(), n)
        self._unseen = float(idf(0, n))
        self._terms = table.terms
        self._offsets = table.offsets

    def shares(
        self, rows: np.ndarray, question: Collection[str], context: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each sentence row, the weighted share of the question's terms it holds: with
        idf among the distinct rows given, and with idf over the whole index. `context`, one
        per row: a sentence row whose terms the row holds too (the sentence before one that
        refers back to it, qa/rerank/continuation.py), or -1."""
        among = np.zeros(len(rows), dtype=np.float32)
        overall = np.zeros(len(rows), dtype=np.float32)
        ids = [self._ids.get(term) for term in question]
        known = np.array(sorted({i for i in ids if i is not None}), dtype=np.int64)
        if not len(rows) or not len(known):
            return among, overall
        distinct, first, back = np.unique(rows, return_index=True, return_inverse=True)
        owner, terms = self._terms_of(distinct)
        if context is not None:  # a row's context is the same wherever the row appears
            borrowing = np.flatnonzero(context[first] >= 0)
            lent_to, lent = self._terms_of(context[first][borrowing])
            owner = np.concatenate([owner, borrowing[lent_to]])
            terms = np.concatenate([terms, lent])
        held = np.isin(terms, known)
        pairs = np.unique(owner[held] * len(self._idf) + terms[held])  # a term once per row
        row_of, term_of = pairs // len(self._idf), np.searchsorted(known, pairs % len(self._idf))
        unseen = len(ids) - len(known)  # question terms no sentence of the index holds
        local = idf(np.bincount(term_of, minlength=len(known)), len(distinct))
        weights = (
            (local, float(local.sum()) + unseen * float(idf(0, len(distinct))), among),
            (self._idf[known], float(self._idf[known].sum()) + unseen * self._unseen, overall),
        )
        for weight, total, out in weights:
            per_row = np.zeros(len(distinct), dtype=np.float64)
            np.add.at(per_row, row_of, weight[term_of] / total)
            out[:] = per_row[back]
        return among, overall

    def _terms_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every term of the given sentence rows, and the position in `rows` of its row."""
        starts, ends = self._offsets[rows], self._offsets[rows + 1]
        lengths = ends - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        at = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owner, np.asarray(self._terms[starts[owner] + at], dtype=np.int64)


def by_sentence(
    spans: np.ndarray, scores: np.ndarray, passages: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentences only, each scored as its best part, with the passage each belongs to: a
    quoting sentence whose attribution answers is highlighted whole, never cut to the part.
    `scores` may hold several columns of scores, each taken at its best part.

    `passages` numbers each row's passage, non-decreasing; rows of a passage are in
    `sentence_units` order.
    """
    if not len(spans):
        return spans, scores, passages
    inner = nested(spans, passages)
    sentence = np.cumsum(~inner) - 1
    best = np.full((int(sentence[-1]) + 1, *scores.shape[1:]), -np.inf, dtype=np.float64)
    np.maximum.at(best, sentence, scores)
    return spans[~inner], best, passages[~inner]


def choose_highlights(
    spans: list[tuple[int, int]], scores: np.ndarray, gives: np.ndarray, asks: np.ndarray
) -> tuple[list[list[int]], int]:
    """The best sentence, plus an adjacent one when it scores nearly as well; and the number
    of the sentence chosen (-1 for none).

    `asks`, one per sentence: it is itself a question. A question does not answer one, so it
    is never highlighted while the passage holds a statement, however well it matches (a
    quiz page printing the question asked; a headline that asks). Ranking and abstention
    still read it: a passage that asks the question is often the story that answers it.

    `gives`, one per sentence: it holds the sum of money asked for (qa/rerank/answer_type.py).
    When any does, the best of those is the answer, however well a sentence restating the
    question scores ("the film topped the box office" against "it took $21.4m"). Only sums:
    the answer to "how many" or "how long" is often in words no pattern reads as a number
    ("a few", "biennial"), and the rule moved as many such highlights away from the answer
    as to it (docs/quality.md, "the sentence that gives the sum").
    """
    if not spans:
        return [], -1
    states = ~asks if not asks.all() else np.ones(len(spans), dtype=bool)
    pool = states & gives if (states & gives).any() else states
    best = int(np.argmax(np.where(pool, scores, -np.inf)))
    chosen = [best]
    for neighbour in (best - 1, best + 1):
        if (
            0 <= neighbour < len(spans)
            and states[neighbour]
            and scores[neighbour] >= scores[best] - SECOND_SENTENCE_MARGIN
        ):
            chosen.append(neighbour)
            break
    return [list(spans[i]) for i in sorted(chosen)], best
