"""Answer questions from a built index with cited passages: retrieve, fuse, highlight, abstain."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.bm25 import tokenize
from index.embed import Encoder, get_encoder
from index.errors import IndexIncompatibleError, InvalidInputError
from index.offsets import to_source
from index.store import StoredIndex, load_index
from qa import validate
from qa.abstain import AbstentionModel
from qa.followup import resolve_followup
from qa.fusion import RRF_K, reciprocal_rank_fusion, top_ids
from qa.highlight import choose_highlights, sentence_scores
from qa.results import Passage, SearchResult

log = logging.getLogger(__name__)

CANDIDATES_PER_RETRIEVER = 100  # how deep each retriever's ranking goes into fusion
RERANK_DEPTH = 30  # fused candidates whose sentences are scored
SENTENCE_WEIGHT = 0.5  # share of the final score from the best sentence, the rest from fusion
MAX_PER_ARTICLE = 2  # passages one article may take while others also answer
MAX_MERGED_CHARS = 900  # merged neighbours stay a passage, not the whole article


@dataclass(frozen=True, slots=True)
class Filters:
    outlet: str | None = None
    published_from: str | None = None
    published_to: str | None = None

    def active(self) -> bool:
        return bool(self.outlet or self.published_from or self.published_to)


@dataclass(frozen=True, slots=True)
class _Candidate:
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
        s.search("Why did Maduro write to Trump?", k=3).to_dict()
    """

    def __init__(self, stored: StoredIndex, encoder: Encoder, index_dir: Path) -> None:
        self.stored = stored
        self.encoder = encoder
        self.index_dir = index_dir
        self._rows = {doc.doc_id: row for row, doc in enumerate(stored.documents)}
        self._sentences_of = _group_rows(stored.sentences)
        self._chunk_docs = (
            stored.chunks[:, 0] if len(stored.chunks) else np.zeros(0, dtype=np.int64)
        )
        self.abstention = AbstentionModel.from_manifest(stored.manifest)

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
        encoder = get_encoder(str(built_with))
        if encoder.dimension != stored.manifest.get("dimension"):
            raise IndexIncompatibleError(
                f"Model {built_with!r} makes {encoder.dimension}-d vectors but the index holds "
                f"{stored.manifest.get('dimension')}-d ones. Rebuild it with: qa index PATH... --index {path}"
            )
        return cls(stored, encoder, path)

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
    ) -> SearchResult:
        """The k passages that best answer `question`, with highlights and an abstain flag."""
        return self.batch_search(
            [question],
            k=k,
            history=history,
            outlet=outlet,
            published_from=published_from,
            published_to=published_to,
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
    ) -> list[SearchResult]:
        k = validate.k(k)
        asked = [validate.question(q) for q in questions]
        earlier = validate.history(history)
        filters = Filters(
            outlet=(outlet or "").strip() or None,
            published_from=validate.date(published_from, name="published_from"),
            published_to=validate.date(published_to, name="published_to"),
        )
        queries = [resolve_followup(q, earlier) for q in asked]
        vectors = self.encoder.encode(queries, progress=False)
        allowed = self._allowed(filters)
        return [
            self._answer(q, query, vector, k, allowed)
            for q, query, vector in zip(asked, queries, vectors, strict=True)
        ]

    def _answer(
        self, question: str, query: str, vector: np.ndarray, k: int, allowed: np.ndarray | None
    ) -> SearchResult:
        dense = self._dense_ranking(vector, allowed)
        bm25_scores = self.stored.bm25.scores(query)
        lexical = [
            i for i in top_ids(bm25_scores, CANDIDATES_PER_RETRIEVER, allowed) if bm25_scores[i] > 0
        ]
        fused = reciprocal_rank_fusion([dense, lexical])
        ranked = sorted(fused, key=lambda i: (-fused[i], i))[:RERANK_DEPTH]
        terms = set(tokenize([query])[0])
        best_rrf = 2.0 / (RRF_K + 1)  # first in both rankings
        candidates = []
        for chunk_id in ranked:
            doc_row, start, end = (int(v) for v in self.stored.chunks[chunk_id])
            spans, scores = self._score_sentences(doc_row, start, end, vector, terms)
            best = float(scores.max()) if len(scores) else 0.0
            score = (1 - SENTENCE_WEIGHT) * fused[chunk_id] / best_rrf + SENTENCE_WEIGHT * best
            candidates.append(
                _Candidate(doc_row, start, end, score, best, choose_highlights(spans, scores))
            )
        candidates.sort(key=lambda c: -c.score)
        chosen = _select(_merge_overlapping(candidates), k)
        passages = [self._passage(c) for c in chosen]
        confidence = (
            self.abstention.probability(chosen[0].best_sentence, chosen[0].score) if chosen else 0.0
        )
        return SearchResult(
            query=query,
            abstained=not chosen or confidence < self.abstention.threshold,
            passages=passages,
            question=question,
            confidence=round(confidence, 4),
        )

    def _dense_ranking(self, vector: np.ndarray, allowed: np.ndarray | None) -> list[int]:
        import faiss

        index = self.stored.faiss_index
        depth = min(CANDIDATES_PER_RETRIEVER, index.ntotal)
        if depth == 0:
            return []
        params = None
        if allowed is not None:
            ids = np.flatnonzero(allowed).astype(np.int64)
            if not len(ids):
                return []
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(ids))  # type: ignore[call-arg]
        _, found = index.search(vector.reshape(1, -1), depth, params=params)
        return [int(i) for i in found[0] if i >= 0]

    def _score_sentences(
        self, doc_row: int, start: int, end: int, vector: np.ndarray, terms: set[str]
    ) -> tuple[list[tuple[int, int]], np.ndarray]:
        rows = self._sentences_of.get(doc_row, np.zeros(0, dtype=np.int64))
        sentences = self.stored.sentences[rows]
        inside = rows[(sentences[:, 1] >= start) & (sentences[:, 2] <= end)] if len(rows) else rows
        spans = [
            (int(self.stored.sentences[r, 1]), int(self.stored.sentences[r, 2])) for r in inside
        ]
        if not spans:
            return [], np.zeros(0, dtype=np.float32)
        text = self.stored.documents[doc_row].text
        vectors = np.asarray(self.stored.sentence_vectors[inside])
        return spans, sentence_scores(vector, terms, vectors, [text[s:e] for s, e in spans])

    def _allowed(self, filters: Filters) -> np.ndarray | None:
        if not filters.active():
            return None
        wanted = (filters.outlet or "").casefold()
        ok_docs = np.array(
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
        return ok_docs[self._chunk_docs] if len(self._chunk_docs) else np.zeros(0, dtype=bool)

    def _passage(self, c: _Candidate) -> Passage:
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


def _group_rows(table: np.ndarray) -> dict[int, np.ndarray]:
    """Row numbers of `table` grouped by its first column (the document row)."""
    if not len(table):
        return {}
    order = np.argsort(table[:, 0], kind="stable")
    docs, first = np.unique(table[order, 0], return_index=True)
    bounds = [*first[1:], len(order)]
    return {int(d): order[s:e] for d, s, e in zip(docs, first, bounds, strict=True)}


def _merge_overlapping(candidates: list[_Candidate]) -> list[_Candidate]:
    """Overlapping passages of one article become one, keeping the better score."""
    merged: list[_Candidate] = []
    for cand in candidates:
        for i, kept in enumerate(merged):
            touching = cand.start < kept.end and kept.start < cand.end
            short_enough = max(kept.end, cand.end) - min(kept.start, cand.start) <= MAX_MERGED_CHARS
            if kept.doc_row == cand.doc_row and touching and short_enough:
                start, end = min(kept.start, cand.start), max(kept.end, cand.end)
                best = kept if kept.score >= cand.score else cand
                merged[i] = _Candidate(
                    kept.doc_row, start, end, best.score, best.best_sentence, best.highlights
                )
                break
        else:
            merged.append(cand)
    return merged


def _select(candidates: list[_Candidate], k: int) -> list[_Candidate]:
    """Top k, at most MAX_PER_ARTICLE from one article unless too few articles answer."""
    chosen: list[_Candidate] = []
    spare: list[_Candidate] = []
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


__all__ = ["Filters", "Searcher"]
