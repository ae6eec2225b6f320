"""Second stage: the fused head reranked by its best sentence, whose span is the highlight."""

from __future__ import annotations

import numpy as np

from index.stores.versions import StoredIndex, span_texts
from index.text.passages import most_overlapped
from index.text.terms import question_terms
from qa import asked_countries
from qa.rerank.answer_type import asked_kind, holds_kind
from qa.rerank.continuation import previous_sentences, refers_back
from qa.rerank.highlight import by_sentence, choose_highlights
from qa.rerank.ranker import Ranker, asks, kind_held, packaged_ranker, sentence_features
from qa.rerank.term_weights import TermWeights
from qa.retrieval.candidates import Candidate
from qa.retrieval.fused import BEST_RRF, Fused

RERANK_DEPTH = 30  # fused candidates whose sentences are scored


class SentenceReranker:
    """Scores every sentence of the top fused passages (qa/rerank/ranker.py) in one product."""

    def __init__(self, stored: StoredIndex, ranker: Ranker | None = None) -> None:
        self.stored = stored
        self.ranker = ranker or packaged_ranker()
        self._term_weights = TermWeights(stored.sentence_terms)
        self._sentences_of = _group_rows(stored.sentences)
        self._cut_sentences_of = cut_sentences(stored.sentences, stored.passages)
        self._previous = previous_sentences(stored.sentences)  # qa/rerank/continuation.py
        self._first_start = _first_sentence_starts(stored.sentences, len(stored.documents))

    def head(self, fused: Fused) -> tuple[list[int], list[float]]:
        """The passages that are reranked, and their fusion scores normalised to 0..1."""
        top = fused.ranked[:RERANK_DEPTH]
        return top, [fused.scores[i] / BEST_RRF for i in top]

    def rerank(
        self, fused: Fused, vector: np.ndarray, query: str, word_pairs: bool = True
    ) -> list[Candidate]:
        """The head of a fused ranking rescored with each passage's best sentence, best first.
        `query`: the words its sentences are scored against (a follow-up's own words).
        `word_pairs`: whether the query's neighbouring word pairs order the passages; not for
        a follow-up that leans on the conversation, whose own words lack what they refer to
        ("Is it increasing its fees?" would put anyone's "increasing its fees" first)."""
        passage_ids, fusion = self.head(fused)
        passages, spans, features, owner, overall_shares = self.sentence_candidates(
            passage_ids, vector, query, word_pairs
        )
        ranking = self.ranker.sentence_scores(features)
        # word pairs order passages only: within one, the sentence restating the question's
        # phrase would outrank the one that answers, and abstention was fitted without them
        within = ranking - self.ranker.pair_scores(features)
        evidence = self.ranker.evidence_scores(within, features, overall_shares)
        gives = kind_held(features, "money") & (asked_kind(query) == "money")  # the sum asked
        # a part (an attribution) states, so a sentence that quotes a question states too
        scores = np.column_stack([within, evidence, gives, ~asks(features), ranking])
        spans, scores, owner = by_sentence(spans, scores, owner)
        counts = np.bincount(owner, minlength=len(passages))
        ends = np.cumsum(counts)
        out: list[Candidate] = []
        rows = zip(passage_ids, passages, fusion, ends, counts, strict=True)
        for passage_id, (doc_row, start, end), share, hi, n in rows:
            own, own_spans = scores[hi - n : hi], spans[hi - n : hi]
            top = own[own[:, 0].argmax()] if len(own) else np.zeros(5)
            best = float(own[:, 4].max()) if len(own) else 0.0  # with the word pairs
            sure = float(top[1])
            highlights, chosen = choose_highlights(
                [(int(a), int(b)) for a, b in own_spans], own[:, 0], own[:, 2] > 0, own[:, 3] == 0
            )
            shown = own[chosen] if len(own) else top
            # a cut sentence highlighted is quoted whole: the passage widens to hold it
            bounds = [start, end, *(i for span in highlights for i in span)]
            out.append(
                Candidate(
                    doc_row,
                    min(bounds),
                    max(bounds),
                    self.ranker.passage_score(share, best),
                    float(shown[0]),
                    highlights,
                    *fused.ranks(passage_id),
                    evidence=sure,
                    evidence_score=self.ranker.passage_score(share, sure),
                    highlight_gives_sum=bool(shown[2]),
                )
            )
        return sorted(out, key=lambda c: -c.score)

    def sentence_candidates(
        self, passage_ids: list[int], vector: np.ndarray, query: str, word_pairs: bool = True
    ) -> tuple[list[tuple[int, int, int]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The passages, and for every sentence (or attribution part) inside them: its span,
        its ranking features (qa/rerank/ranker.py; the word pairs' share 0 unless
        `word_pairs`), the number of the passage it lies in and its share of the question's
        terms weighted over the whole index (for abstention)."""
        stored, kind = self.stored, asked_kind(query)
        passages = [tuple(int(v) for v in stored.passages[i]) for i in passage_ids]
        found = [
            self._sentences_of_passage(i, *p) for i, p in zip(passage_ids, passages, strict=True)
        ]
        inside = [rows for rows, _ in found]
        rows = np.concatenate(inside) if inside else np.zeros(0, dtype=np.int64)
        table = stored.sentences[rows]
        texts = span_texts(stored.documents, table)
        owner = np.repeat(np.arange(len(passages)), [len(m) for m in inside])
        passage_cosines = np.asarray(stored.passage_vectors[passage_ids]) @ vector
        previous = np.concatenate([b for _, b in found]) if found else np.zeros(0, dtype=np.int64)
        context = np.where(refers_back(texts), previous, -1)
        held = self._term_weights.held(rows, context)
        forms: dict[str, set[str]] = {}  # country -> the question's terms naming it
        for form, country in asked_countries.named_forms(query):
            forms.setdefault(country, set()).update(question_terms(form))
        alike = [
            (terms, asked_countries.naming(texts, country))
            for country, terms in forms.items()
            if terms
        ]
        among, overall = held.shares(set(question_terms(query)), alike)
        pairs = held.pair_shares(question_terms(query)) if word_pairs else np.zeros(len(rows))
        features = sentence_features(
            np.asarray(stored.sentence_vectors[rows]) @ vector,
            among,
            kind,
            holds_kind(kind, texts, query) if kind is not None else None,
            table[:, 1] == self._first_start[table[:, 0]] if len(rows) else np.zeros(0),
            texts,
            passage_cosines[owner] if len(rows) else np.zeros(0),
            pairs,
        )
        return passages, table[:, 1:], features, owner, overall  # type: ignore[return-value]

    def _sentences_of_passage(
        self, passage_id: int, doc_row: int, start: int, end: int
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sentence rows of an article that lie within [start, end), with the cut sentences
        this passage holds the most of (`cut_sentences`), in text order; and for each the row
        of the whole sentence before it (-1 for none; qa/rerank/continuation.py)."""
        rows = self._sentences_of.get(doc_row)
        if rows is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        sentences = self.stored.sentences[rows]
        inside = rows[(sentences[:, 1] >= start) & (sentences[:, 2] <= end)]
        if (cut := self._cut_sentences_of.get(passage_id)) is not None:
            inside = np.concatenate([inside, cut])
            inside = inside[np.argsort(self.stored.sentences[inside, 1], kind="stable")]
        return inside, self._previous[inside]


def cut_sentences(sentences: np.ndarray, passages: np.ndarray) -> dict[int, np.ndarray]:
    """Sentences that lie inside no passage, grouped under the passage holding the most of
    each, the one the build pooled its vector from (`most_overlapped`): passage row ->
    sentence rows.

    Passages are cut where a sentence seems to end (a full stop and a space) or, in a sentence
    longer than a passage, between words; the sentence splitter knows "U.S. forces" and "Dr.
    Smith" go on. A sentence cut that way, beyond what the passages' overlap repeats, would lie
    in no passage and never be scored or highlighted: 1% of the sentences of SQuAD's Wikipedia
    articles, holding 3% of its answers. Both tables hold (document row, start, end) rows."""
    if not len(sentences) or not len(passages):
        return {}
    width = int(max(sentences[:, 2].max(), passages[:, 2].max())) + 1
    order = np.lexsort((passages[:, 1], passages[:, 0]))
    doc, start, end = (passages[order, c] for c in range(3))
    # a document's passages start in order, so the furthest end so far is a running maximum
    reach = np.maximum.accumulate(doc * width + end)
    before = (
        np.searchsorted(doc * width + start, sentences[:, 0] * width + sentences[:, 1], "right") - 1
    )
    inside = reach[np.maximum(before, 0)] >= sentences[:, 0] * width + sentences[:, 2]
    inside &= (before >= 0) & (doc[np.maximum(before, 0)] == sentences[:, 0])
    cut = np.flatnonzero(~inside)
    if not len(cut):
        return {}
    cut = cut[np.argsort(sentences[cut, 0], kind="stable")]
    articles, first = np.unique(sentences[cut, 0], return_index=True)
    homes: dict[int, list[int]] = {}
    for d, rows in zip(articles, np.split(cut, first[1:]), strict=True):
        own = order[np.searchsorted(doc, d, "left") : np.searchsorted(doc, d, "right")]
        if not len(own):
            continue
        best, most = most_overlapped(sentences[rows, 1:], passages[own, 1:])
        for row, home in zip(rows[most > 0], own[best[most > 0]], strict=True):
            homes.setdefault(int(home), []).append(int(row))
    return {p: np.asarray(rows, dtype=np.int64) for p, rows in homes.items()}


def _first_sentence_starts(sentences: np.ndarray, documents: int) -> np.ndarray:
    """Per document row, where its first sentence starts (-1 for none)."""
    starts = np.full(documents, np.iinfo(np.int64).max, dtype=np.int64)
    if len(sentences):
        np.minimum.at(starts, sentences[:, 0], sentences[:, 1])
    starts[starts == np.iinfo(np.int64).max] = -1
    return starts


def _group_rows(table: np.ndarray) -> dict[int, np.ndarray]:
    """Row numbers of `table` grouped by its first column (the document row)."""
    if not len(table):
        return {}
    order = np.argsort(table[:, 0], kind="stable")
    docs, first = np.unique(table[order, 0], return_index=True)
    bounds = [*first[1:], len(order)]
    return {int(d): order[s:e] for d, s, e in zip(docs, first, bounds, strict=True)}
