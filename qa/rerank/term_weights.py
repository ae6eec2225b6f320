"""How much of a question's words a sentence holds: its terms, and its terms' neighbours."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
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
    A term no sentence holds gets the largest weight. `HeldTerms.pair_shares` weighs the
    question's neighbouring terms held close together in the same way.
    """

    def __init__(self, table: TermTable) -> None:
        n = len(table)
        self.term_ids = {term: i for i, term in enumerate(table.vocabulary)}
        self.term_idf = idf(table.document_frequency(), n)  # over all the index's sentences
        self.unseen_idf = float(idf(0, n))
        self._terms = table.terms
        self._offsets = table.offsets

    def held(self, rows: np.ndarray, context: np.ndarray | None = None) -> HeldTerms:
        """The terms of the given sentence rows, read once for `HeldTerms.shares` and
        `HeldTerms.pair_shares`. `context`, one per row: a sentence row whose terms the row
        holds too (the sentence before one that refers back to it, qa/rerank/continuation.py),
        or -1."""
        distinct, first, back = np.unique(rows, return_index=True, return_inverse=True)
        owner, terms = self._terms_of(distinct)
        lent_to, lent = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if context is not None and len(rows):  # a row's context is the same wherever it appears
            borrowing = np.flatnonzero(context[first] >= 0)
            lent_to, lent = self._terms_of(context[first][borrowing])
            lent_to = borrowing[lent_to]
        return HeldTerms(self, len(rows), distinct, back, owner, terms, lent_to, lent)

    def _terms_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every term of the given sentence rows, and the position in `rows` of its row."""
        starts, ends = self._offsets[rows], self._offsets[rows + 1]
        lengths = ends - starts
        owner = np.repeat(np.arange(len(rows)), lengths)
        at = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return owner, np.asarray(self._terms[starts[owner] + at], dtype=np.int64)


@dataclass(frozen=True, slots=True)
class HeldTerms:
    """The terms some sentence rows hold (`TermWeights.held`): `distinct` rows, `back` from
    each row given to its distinct one; `owner` and `terms`, every term of the distinct rows
    in text order with the position of its row; `lent_to` and `lent`, the same for the terms
    a row borrows from the sentence it refers back to."""

    weights: TermWeights
    rows: int
    distinct: np.ndarray
    back: np.ndarray
    owner: np.ndarray
    terms: np.ndarray
    lent_to: np.ndarray
    lent: np.ndarray

    def shares(
        self, question: Collection[str], alike: Sequence[tuple[Collection[str], np.ndarray]] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """For each row, the weighted share of the question's terms it holds (or borrows): with
        idf among the distinct rows, and with idf over the whole index.

        `alike`: a country the question names (qa/asked_countries.py), as the terms of the
        words it names it by, with whether each row names it too, by any of a question's
        forms. Among the rows those terms count as one, held by the rows that hold all of
        them or name the country another way: "French" is held by "France". Over the index,
        what abstention reads (`overall`), the terms count as written."""
        among = np.zeros(self.rows, dtype=np.float32)
        overall = np.zeros(self.rows, dtype=np.float32)
        if not self.rows:
            return among, overall
        question = set(question)
        ids = {term: self.weights.term_ids.get(term) for term in question}
        known = np.array(sorted({i for i in ids.values() if i is not None}), dtype=np.int64)
        n = len(self.distinct)
        held = np.zeros((n, len(known)), dtype=bool)
        if len(known):
            owner = np.concatenate([self.owner, self.lent_to])
            terms = np.concatenate([self.terms, self.lent])
            held[_held_once(owner, terms, known, len(self.weights.term_idf))] = True
        column = {term: int(np.searchsorted(known, i)) for term, i in ids.items() if i is not None}
        grouped = {term for words, _ in alike for term in words}
        holders = [held[:, [column[t] for t in sorted(question - grouped) if t in column]]]
        for words, naming in alike:
            holds = np.zeros(n, dtype=bool)  # all its terms held, or it is named
            if all(t in column for t in words):
                holds |= held[:, [column[t] for t in words]].all(axis=1)
            holds[self.back[naming]] = True
            holders.append(holds[:, None])
        unseen = sum(1 for t in question - grouped if t not in column)
        among[:] = _weighted(np.hstack(holders), unseen)[self.back]
        index_idf = self.weights.term_idf[known]
        total = float(index_idf.sum()) + (len(question) - len(known)) * self.weights.unseen_idf
        overall[:] = (held @ index_idf / total)[self.back] if len(known) else 0.0
        return among, overall

    def pair_shares(self, question: Sequence[str]) -> np.ndarray:
        """For each row, the weighted share of the question's neighbouring term pairs it holds
        within PAIR_WINDOW terms of each other, in either order: "why do interest rates rise"
        has the pairs (interest, rate) and (rate, rise); "a rise in interest rates" holds both,
        a sentence with "interest", "rates" and "rise" far apart holds none. Word order is what
        a bag of terms misses (IR's sequential dependence models add it so). A pair weighs the
        smaller idf of its two terms among the distinct rows; a term no row holds weighs the
        most, as in `shares`. `question`: its terms in order. A row borrowing the terms of the
        sentence it refers back to holds that sentence's pairs as well."""
        out = np.zeros(self.rows, dtype=np.float32)
        size = len(self.weights.term_idf)
        ids = [self.weights.term_ids.get(term, -1) for term in question]
        pairs = sorted({(min(a, b), max(a, b)) for a, b in pairwise(ids) if a != b})
        if not self.rows or not pairs:
            return out
        n = len(self.distinct)
        known = np.array(sorted({i for pair in pairs for i in pair if i >= 0}), dtype=np.int64)
        _, term_of = _held_once(self.owner, self.terms, known, size)
        frequency = np.bincount(term_of, minlength=len(known))
        local = dict(zip(known.tolist(), idf(frequency, n).tolist(), strict=True))
        unseen = float(idf(0, n))
        weights = np.array([min(local.get(a, unseen), local.get(b, unseen)) for a, b in pairs])
        codes = np.array([a * size + b for a, b in pairs], dtype=np.int64)
        own_rows, own_pairs = _pairs_held(self.owner, self.terms, codes, size)
        lent_rows, lent_pairs = _pairs_held(self.lent_to, self.lent, codes, size)
        matched = np.unique(
            np.concatenate([own_rows, lent_rows]) * len(codes)
            + np.concatenate([own_pairs, lent_pairs])
        )
        per_row = np.bincount(matched // len(codes), weights[matched % len(codes)], minlength=n)
        out[:] = per_row[self.back] / weights.sum()
        return out


def _weighted(holds: np.ndarray, unseen: int) -> np.ndarray:
    """Per row of `holds` (rows x terms), the share of the terms it holds, each term weighted
    by its idf among the rows; `unseen` more terms are held by none."""
    n = len(holds)
    weights = idf(holds.sum(axis=0), n)
    total = float(weights.sum()) + unseen * float(idf(0, n))
    return holds @ weights / total if total else np.zeros(n)


def _held_once(
    owner: np.ndarray, terms: np.ndarray, known: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each (row, term) where a row holds one of the `known` term ids (sorted), once however
    often the row says it: the row, and the term's position in `known`. `size`: the
    vocabulary's."""
    held = np.isin(terms, known)
    codes = np.unique(owner[held] * size + terms[held])
    return codes // size, np.searchsorted(known, codes % size)


def _pairs_held(
    owner: np.ndarray, terms: np.ndarray, codes: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Where two terms of one row lie within PAIR_WINDOW of each other and make a pair whose
    code (smaller id x `size` + larger id) `codes` holds (sorted): the row and the pair's
    number, once per such place. `owner` and `terms`: each row's terms together, in text order."""
    place = np.flatnonzero(np.isin(terms, np.unique(np.concatenate([codes // size, codes % size]))))
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
