"""Answer questions from a built index with cited passages: retrieve, fuse, highlight, abstain."""

from __future__ import annotations

import datetime
import functools
import logging
import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.encoders.loading import get_query_encoder
from index.encoders.pooling import TextEncoder
from index.errors import IndexIncompatibleError, InvalidInputError
from index.stores.versions import StoredIndex, load_index, span_texts
from index.text.offsets import to_source
from index.text.terms import question_terms
from qa.abstain import AbstentionModel
from qa.query import validate
from qa.query.followup import resolve_followup
from qa.query.spelling import Speller
from qa.rerank.answer_type import asked_kind, holds_kind
from qa.rerank.highlight import TermWeights, by_sentence, choose_highlights
from qa.rerank.ranker import packaged_ranker, sentence_features
from qa.results import Passage, SearchResult
from qa.retrieval.fusion import RRF_K, reciprocal_rank_fusion

log = logging.getLogger(__name__)

CANDIDATES_PER_RETRIEVER = 100  # how deep each retriever's ranking goes into fusion
RERANK_DEPTH = 30  # fused candidates whose sentences are scored
FUSION_WEIGHTS = (1.0, 1.0)  # dense, BM25: equal votes in reciprocal rank fusion
MAX_PER_ARTICLE = 2  # passages one article may take while others also answer
MAX_MERGED_CHARS = 900  # merged neighbours stay a passage, not the whole article
ADJACENT_GAP = 2  # characters between passages the splitter cut apart at a paragraph break
MODES = ("dense", "bm25", "fused", "full")
BEST_RRF = sum(FUSION_WEIGHTS) / (RRF_K + 1)  # first in both rankings: a fusion score of 1
RECENCY_WEIGHT = 0.2  # with a recency preference, an old or undated article loses up to 20%


@dataclass(frozen=True, slots=True)
class Filters:
    outlet: str | None = None
    published_from: str | None = None
    published_to: str | None = None

    def active(self) -> bool:
        return bool(self.outlet or self.published_from or self.published_to)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A ranked passage of one article; `best_sentence` and `highlights` only once reranked."""

    doc_row: int
    start: int
    end: int
    score: float
    best_sentence: float
    highlights: list[list[int]]


class Searcher:
    """A loaded index and its embedding model.

    Example:
        s = Searcher.load(".qa-index")
        s.search("Why was the bridge closed?", k=3).to_dict()
    """

    def __init__(self, stored: StoredIndex, encoder: TextEncoder, index_dir: Path) -> None:
        self.stored = stored
        self.encoder = encoder
        self.index_dir = index_dir
        self._rows = {doc.doc_id: row for row, doc in enumerate(stored.documents)}
        self._sentences_of = _group_rows(stored.sentences)
        self.abstention = AbstentionModel.from_manifest(stored.manifest)
        self._term_weights = TermWeights(stored.sentence_terms)
        self.ranker = packaged_ranker()
        self._first_start = _first_sentence_starts(stored.sentences, len(stored.documents))
        self._published_days = np.array(
            [_day_number(d.published) for d in stored.documents], dtype=np.float64
        )

    @classmethod
    def load(
        cls, index_dir: str | os.PathLike[str] | None = None, *, model: str | None = None
    ) -> Searcher:
        """Open the index; a missing, corrupt or incompatible one raises a QAError naming the fix."""
        path = config.index_dir(index_dir)
        stored = load_index(path)
        built_with = stored.manifest.get("model")
        if model and model != built_with:
            raise IndexIncompatibleError(
                f"The index at {path} was built with model {built_with!r}, not {model!r}. "
                f"Rebuild it with: qa index PATH... --index {path} --model {model}"
            )
        encoder = get_query_encoder(str(built_with))
        if encoder.dimension != stored.manifest.get("dimension"):
            raise IndexIncompatibleError(
                f"Model {built_with!r} makes {encoder.dimension}-d vectors but the index holds "
                f"{stored.manifest.get('dimension')}-d ones. Rebuild it with: qa index PATH... --index {path}"
            )
        return cls(stored, encoder, path)

    @functools.cached_property
    def speller(self) -> Speller:
        """Spelling corrections from this index's articles; built on the first question."""
        return Speller(doc.text for doc in self.stored.documents)

    # --- questions -------------------------------------------------------------------------

    def search(
        self,
        question: str,
        k: int = 5,
        history: Sequence[str] | None = None,
        *,
        outlet: str | None = None,
        published_from: str | None = None,
        published_to: str | None = None,
        prefer_recent: float | None = None,
    ) -> SearchResult:
        """The k passages that best answer `question`, with highlights and an abstain flag.

        `prefer_recent` is a half-life in days: passages from articles that much older than
        the newest one in the index lose a tenth of their score, older ones up to a fifth.
        """
        return self.batch_search(
            [question],
            k=k,
            history=history,
            outlet=outlet,
            published_from=published_from,
            published_to=published_to,
            prefer_recent=prefer_recent,
        )[0]

    def batch_search(
        self,
        questions: Sequence[str],
        k: int = 5,
        history: Sequence[str] | None = None,
        *,
        outlet: str | None = None,
        published_from: str | None = None,
        published_to: str | None = None,
        prefer_recent: float | None = None,
    ) -> list[SearchResult]:
        k = validate.k(k)
        half_life = validate.half_life(prefer_recent)
        asked = [validate.question(q) for q in questions]
        earlier = validate.history(history)
        filters = Filters(
            outlet=(outlet or "").strip() or None,
            published_from=validate.date(published_from, name="published_from"),
            published_to=validate.date(published_to, name="published_to"),
        )
        queries = self._resolve_all(asked, earlier, filters)
        vectors = self.encoder.encode(queries, progress=False)
        allowed = self._allowed(filters)
        return [
            self._answer(q, query, vector, k, allowed, half_life)
            for q, query, vector in zip(asked, queries, vectors, strict=True)
        ]

    def resolve(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> str:
        """The query searched for a question: misspellings corrected against the articles'
        words, and a follow-up completed from the conversation (the previous answer's names,
        the earlier question's terms)."""
        return self._resolve_all([question], list(history), filters or Filters())[0]

    def _resolve_all(
        self, questions: Sequence[str], history: list[str], filters: Filters
    ) -> list[str]:
        """`resolve` for questions sharing one conversation: its previous answer found once."""
        previous = self._previous_answer(history, filters) if history else ""
        return [resolve_followup(self.speller.correct(q), history, previous) for q in questions]

    def _previous_answer(self, history: list[str], filters: Filters) -> str:
        """The highlighted sentence(s) that answered the latest earlier question, as the user
        saw it (same filters, the history before it); empty when that answer abstained."""
        *before, latest = history
        query = resolve_followup(self.speller.correct(latest), before)  # one turn back suffices
        vector = self.encoder.encode([query], progress=False)[0]
        answer = self._answer(latest, query, vector, 1, self._allowed(filters))
        if answer.abstained or not answer.passages:
            return ""
        top = answer.passages[0]
        text = self.stored.documents[self._rows[top.doc_id]].text
        return " ".join(text[start:end] for start, end in top.highlights)

    def rank(
        self,
        questions: Sequence[str],
        mode: str = "full",
        *,
        depth: int = CANDIDATES_PER_RETRIEVER,
        documents: Collection[str] | None = None,
        vectors: np.ndarray | None = None,
    ) -> list[list[Candidate]]:
        """Ranked passages per question for one retrieval mode, before merging and k: for evaluation.

        Modes: "dense" (FAISS only), "bm25" (BM25 only), "fused" (both by reciprocal rank
        fusion) and "full" (fusion reranked by the best sentence of each passage).
        `documents` restricts the search to those document ids; `vectors` are the questions'
        embeddings when the caller already has them.
        """
        if mode not in MODES:
            raise InvalidInputError(f"mode must be one of {', '.join(MODES)}; got {mode!r}.")
        allowed = None
        if documents is not None:
            allowed = np.array([doc.doc_id in documents for doc in self.stored.documents], bool)
        if vectors is None:
            vectors = self.encoder.encode(list(questions), progress=False)
        return [
            self._ranking(q, v, allowed, mode, depth)
            for q, v in zip(questions, vectors, strict=True)
        ]

    def confidence(self, cited: Sequence[Candidate]) -> float:
        """Estimated probability that the first cited passage answers the question."""
        if not cited:
            return 0.0
        return self.abstention.probability(cited[0].best_sentence, cited[0].score)

    def _answer(
        self,
        question: str,
        query: str,
        vector: np.ndarray,
        k: int,
        allowed: np.ndarray | None,
        half_life: float | None = None,
    ) -> SearchResult:
        candidates = self._ranking(
            query, vector, allowed, "full", CANDIDATES_PER_RETRIEVER, reranked_only=True
        )
        if half_life:
            candidates = self._prefer_recent(candidates, half_life)
        chosen = cite(candidates, k)
        passages = [self._passage(c) for c in chosen]
        confidence = self.confidence(chosen)
        return SearchResult(
            query=query,
            abstained=not chosen or confidence < self.abstention.threshold,
            passages=passages,
            question=question,
            confidence=round(confidence, 4),
        )

    def _ranking(
        self,
        query: str,
        vector: np.ndarray,
        allowed: np.ndarray | None,
        mode: str,
        depth: int,
        *,
        reranked_only: bool = False,
    ) -> list[Candidate]:
        """Each retriever's top `depth`, fused; in "full" mode the top RERANK_DEPTH reranked
        first, then (unless `reranked_only`) the rest of the fused list below them."""
        depth = max(depth, RERANK_DEPTH) if mode == "full" else depth
        if mode in ("dense", "bm25"):
            store = self.stored.passages
            ranking = (
                store.dense(vector, depth, allowed)
                if mode == "dense"
                else store.lexical(query, depth, allowed)
            )
            return [self._candidate(i, 1.0 / (RRF_K + r)) for r, i in enumerate(ranking, 1)]
        ranked, fused = self._fused(query, vector, allowed, depth)
        if mode == "fused":
            return [self._candidate(i, fused[i]) for i in ranked]
        top = ranked[:RERANK_DEPTH]
        head = self._reranked(
            top,
            [fused[i] / BEST_RRF for i in top],
            vector,
            set(question_terms(query)),
            asked_kind(query),
        )
        head.sort(key=lambda c: -c.score)
        if reranked_only:
            return head
        floor = min((c.score for c in head), default=0.0)
        tail = [self._candidate(i, floor * fused[i] / BEST_RRF) for i in ranked[RERANK_DEPTH:]]
        return head + tail

    def fused_head(
        self, query: str, vector: np.ndarray, allowed: np.ndarray | None = None
    ) -> tuple[list[int], list[float]]:
        """The passages that are reranked, and their fusion scores normalised to 0..1."""
        ranked, fused = self._fused(query, vector, allowed, CANDIDATES_PER_RETRIEVER)
        top = ranked[:RERANK_DEPTH]
        return top, [fused[i] / BEST_RRF for i in top]

    def _fused(
        self, query: str, vector: np.ndarray, allowed: np.ndarray | None, depth: int
    ) -> tuple[list[int], dict[int, float]]:
        """Each retriever's top `depth` fused by reciprocal rank: the ranked passage ids
        and each one's fusion score."""
        store = self.stored.passages
        dense = store.dense(vector, depth, allowed)
        lexical = store.lexical(query, depth, allowed)
        fused = reciprocal_rank_fusion([dense, lexical], weights=FUSION_WEIGHTS)
        return sorted(fused, key=lambda i: (-fused[i], i))[:depth], fused

    def _prefer_recent(self, candidates: list[Candidate], half_life: float) -> list[Candidate]:
        days = self._published_days
        newest = days.max() if len(days) else -1
        rescored = []
        for c in candidates:
            age = newest - days[c.doc_row]
            freshness = 0.5 ** (age / half_life) if days[c.doc_row] >= 0 else 0.0
            rescored.append(replace(c, score=c.score * (1 - RECENCY_WEIGHT * (1 - freshness))))
        return sorted(rescored, key=lambda c: -c.score)

    def _candidate(self, chunk_id: int, score: float) -> Candidate:
        doc_row, start, end = (int(v) for v in self.stored.chunks[chunk_id])
        return Candidate(doc_row, start, end, score, 0.0, [])

    def _reranked(
        self,
        chunk_ids: list[int],
        fusion: list[float],
        vector: np.ndarray,
        terms: set[str],
        kind: str | None,
    ) -> list[Candidate]:
        """Passages rescored with their best sentence; all sentences scored in one product."""
        passages, spans, features, owner = self.sentence_candidates(chunk_ids, vector, terms, kind)
        scores = self.ranker.sentence_scores(features)
        spans, scores, owner = by_sentence(spans, scores, owner)
        counts = np.bincount(owner, minlength=len(passages))
        ends = np.cumsum(counts)
        out: list[Candidate] = []
        for (doc_row, start, end), fused, hi, n in zip(passages, fusion, ends, counts, strict=True):
            own, own_spans = scores[hi - n : hi], spans[hi - n : hi]
            best = float(own.max()) if len(own) else 0.0
            score = self.ranker.passage_score(fused, best)
            highlights = choose_highlights([(int(a), int(b)) for a, b in own_spans], own)
            out.append(Candidate(doc_row, start, end, score, best, highlights))
        return out

    def sentence_candidates(
        self, chunk_ids: list[int], vector: np.ndarray, terms: set[str], kind: str | None
    ) -> tuple[list[tuple[int, int, int]], np.ndarray, np.ndarray, np.ndarray]:
        """The passages, and for every sentence (or attribution part) inside them: its span,
        its ranking features (qa/ranker.py) and the number of the passage it lies in."""
        passages = [tuple(int(v) for v in self.stored.chunks[i]) for i in chunk_ids]
        inside = [self._sentences_inside(*p) for p in passages]
        rows = np.concatenate(inside) if inside else np.zeros(0, dtype=np.int64)
        table = self.stored.sentences[rows]
        texts = span_texts(self.stored.documents, table)
        owner = np.repeat(np.arange(len(passages)), [len(m) for m in inside])
        passage_cosines = np.asarray(self.stored.chunk_vectors[chunk_ids]) @ vector
        features = sentence_features(
            np.asarray(self.stored.sentence_vectors[rows]) @ vector,
            self._term_weights.shares(rows, terms) if terms else None,
            kind,
            holds_kind(kind, texts) if kind is not None else None,
            table[:, 1] == self._first_start[table[:, 0]] if len(rows) else np.zeros(0),
            texts,
            passage_cosines[owner] if len(rows) else np.zeros(0),
        )
        return passages, table[:, 1:], features, owner  # type: ignore[return-value]

    def _sentences_inside(self, doc_row: int, start: int, end: int) -> np.ndarray:
        """Sentence rows of an article that lie within [start, end), in text order."""
        rows = self._sentences_of.get(doc_row)
        if rows is None:
            return np.zeros(0, dtype=np.int64)
        sentences = self.stored.sentences[rows]
        return rows[(sentences[:, 1] >= start) & (sentences[:, 2] <= end)]

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters.active():
            return None
        wanted = (filters.outlet or "").casefold()
        return np.array(
            [
                (not wanted or (doc.outlet or "").casefold() == wanted)
                and (not filters.published_from or (doc.published or "") >= filters.published_from)
                and (not filters.published_to or (doc.published or "9999") <= filters.published_to)
                and (
                    not (filters.published_from or filters.published_to)
                    or doc.published is not None
                )
                for doc in self.stored.documents
            ],
            dtype=bool,
        )

    def _passage(self, c: Candidate) -> Passage:
        doc = self.stored.documents[c.doc_row]
        source_start, source_end = to_source(doc.source_map, c.start, c.end)
        return Passage(
            doc_id=doc.doc_id,
            source=doc.source,
            title=doc.title,
            outlet=doc.outlet,
            author=doc.author,
            published=doc.published,
            text=doc.text[c.start : c.end],
            start=c.start,
            end=c.end,
            source_start=source_start,
            source_end=source_end,
            score=round(c.score, 4),
            highlights=c.highlights,
            also_in=list(doc.also_in),
        )

    # --- documents and health --------------------------------------------------------------

    def document(self, doc_id: str) -> dict[str, Any]:
        """The cleaned article and its metadata; KeyError-free: unknown ids raise InvalidInputError."""
        row = self._rows.get(doc_id) if isinstance(doc_id, str) else None
        if row is None:
            raise InvalidInputError(f"No document with id {doc_id!r} in this index.")
        doc = self.stored.documents[row]
        return {
            "doc_id": doc.doc_id,
            "source": doc.source,
            "title": doc.title,
            "outlet": doc.outlet,
            "author": doc.author,
            "published": doc.published,
            "text": doc.text,
            "duplicate_of": doc.duplicate_of,
            "also_in": list(doc.also_in),
            "encoding": doc.encoding,
        }

    def info(self) -> dict[str, Any]:
        manifest = self.stored.manifest
        return {
            "status": "ok",
            "index": str(self.index_dir),
            "model": manifest.get("model"),
            "documents": manifest.get("counts", {}).get("documents"),
            "chunks": manifest.get("counts", {}).get("chunks"),
            "built": manifest.get("created"),
            "format_version": manifest.get("format_version"),
        }

    def outlets(self) -> list[str]:
        return sorted({d.outlet for d in self.stored.documents if d.outlet})


def _day_number(published: str | None) -> int:
    """Days since year 1 of an ISO date, -1 when unknown."""
    try:
        return datetime.date.fromisoformat(published or "").toordinal()
    except ValueError:
        return -1


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


def cite(candidates: list[Candidate], k: int) -> list[Candidate]:
    """The k passages to show: overlapping hits of one article merged, few per article."""
    return _select(_merge_overlapping(candidates), k)


def _merge_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    """Overlapping or adjacent passages of one article become one, keeping the better score."""
    merged: list[Candidate] = []
    for cand in candidates:
        for i, kept in enumerate(merged):
            touching = (
                cand.start <= kept.end + ADJACENT_GAP and kept.start <= cand.end + ADJACENT_GAP
            )
            short_enough = max(kept.end, cand.end) - min(kept.start, cand.start) <= MAX_MERGED_CHARS
            if kept.doc_row == cand.doc_row and touching and short_enough:
                start, end = min(kept.start, cand.start), max(kept.end, cand.end)
                best = kept if kept.score >= cand.score else cand
                merged[i] = Candidate(
                    kept.doc_row, start, end, best.score, best.best_sentence, best.highlights
                )
                break
        else:
            merged.append(cand)
    return merged


def _select(candidates: list[Candidate], k: int) -> list[Candidate]:
    """Top k, at most MAX_PER_ARTICLE from one article unless too few articles answer."""
    chosen: list[Candidate] = []
    spare: list[Candidate] = []
    per_doc: dict[int, int] = {}
    for cand in candidates:
        if per_doc.get(cand.doc_row, 0) < MAX_PER_ARTICLE:
            chosen.append(cand)
            per_doc[cand.doc_row] = per_doc.get(cand.doc_row, 0) + 1
        else:
            spare.append(cand)
        if len(chosen) == k:
            return chosen
    return (chosen + spare)[:k] if len(chosen) < k else chosen


__all__ = ["MODES", "Candidate", "Filters", "Searcher", "cite"]
