"""How much of a question's words a sentence holds: its terms, and its terms' neighbours."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import pairwise

import numpy as np

from index.stores.bm25 import idf
from index.text.terms import TermTable

PAIR_WINDOW = 3  # terms apart (stopwords not counted) for a question's word pair to be held


class TermWeights:
    """How much of a question's terms each sentence holds, each term weighted by its rarity.

    Rarity is measured two ways, both as BM25 idf:
    - among the sentences being compared (those of the passages retrieved for the question),
      to rank them: a word every candidate holds, such as the name the story is about, tells
      them apart less than the word only the answering sentence holds;
    - over all the index's sentences, to judge whether any answers: how much of the
      question's rare vocabulary a sentence covers, whatever the other candidates hold.
    A term no sentence holds gets the largest weight. `pair_shares` weighs the question's
    neighbouring terms held close together in the same way.
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

    def pair_shares(
        self, rows: np.ndarray, question: Sequence[str], context: np.ndarray | None = None
    ) -> np.ndarray:
        """For each sentence row, the weighted share of the question's neighbouring term pairs
        it holds within PAIR_WINDOW terms of each other, in either order: "why do interest
        rates rise" has the pairs (interest, rate) and (rate, rise); "a rise in interest rates"
        holds both, a sentence with "interest", "rates" and "rise" far apart holds none. Word
        order is what a bag of terms misses (IR's sequential dependence models add it so). A pair
        weighs the smaller idf of its two terms among the distinct rows given; a term no row
        holds weighs the most, as in `shares`. `question`: its terms in order; `context` as in
        `shares`, a row holding the pairs of the sentence it refers back to as well."""
        out = np.zeros(len(rows), dtype=np.float32)
        ids = [self._ids.get(term, -1) for term in question]
        pairs = sorted({(min(a, b), max(a, b)) for a, b in pairwise(ids) if a != b})
        if not len(rows) or not pairs:
            return out
        distinct, first, back = np.unique(rows, return_index=True, return_inverse=True)
        owner, terms = self._terms_of(distinct)
        known = np.array(sorted({i for pair in pairs for i in pair if i >= 0}), dtype=np.int64)
        among = np.isin(terms, known)
        held = np.unique(owner[among] * len(self._idf) + terms[among])
        frequency = np.bincount(np.searchsorted(known, held % len(self._idf)), minlength=len(known))
        local = dict(zip(known.tolist(), idf(frequency, len(distinct)).tolist(), strict=True))
        unseen = float(idf(0, len(distinct)))
        weights = np.array([min(local.get(a, unseen), local.get(b, unseen)) for a, b in pairs])
        codes = np.array([a * len(self._idf) + b for a, b in pairs], dtype=np.int64)
        row_of, pair_of = self._pairs_held(owner, terms, codes)
        if context is not None:  # a row's context is the same wherever the row appears
            borrowing = np.flatnonzero(context[first] >= 0)
            lent_to, lent = self._pairs_held(*self._terms_of(context[first][borrowing]), codes)
            row_of = np.concatenate([row_of, borrowing[lent_to]])
            pair_of = np.concatenate([pair_of, lent])
        matched = np.unique(row_of * len(codes) + pair_of)
        per_row = np.bincount(
            matched // len(codes), weights[matched % len(codes)], minlength=len(distinct)
        )
        out[:] = per_row[back] / weights.sum()
        return out

    def _pairs_held(
        self, owner: np.ndarray, terms: np.ndarray, codes: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Where two terms of one row lie within PAIR_WINDOW of each other and make a pair
        whose code (smaller id x vocabulary size + larger id) `codes` holds (sorted): the
        row's position and the pair's number, once per such place."""
        size = len(self._idf)
        place = np.flatnonzero(
            np.isin(terms, np.unique(np.concatenate([codes // size, codes % size])))
        )
        owner, terms = owner[place], terms[place]  # only the question's terms, in text order
        rows, found = [], []
        for step in range(1, PAIR_WINDOW + 1):  # a pair within the window is this few apart
            first, second = terms[:-step], terms[step:]
            code = np.minimum(first, second) * size + np.maximum(first, second)
            number = np.minimum(np.searchsorted(codes, code), len(codes) - 1)
            held = (owner[:-step] == owner[step:]) & (place[step:] - place[:-step] <= PAIR_WINDOW)
            held &= codes[number] == code
            rows.append(owner[:-step][held])
            found.append(number[held])
        return np.concatenate(rows), np.concatenate(found)

    def _terms_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every term of the given sentence rows, and the position in `rows` of its row."""
        starts, ends = self._offsets[rows], self._offsets[rows + 1]
        lengths = ends - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        at = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owner, np.asarray(self._terms[starts[owner] + at], dtype=np.int64)
