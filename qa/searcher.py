"""Answer questions from a built index with cited passages: retrieve, fuse, rerank, abstain."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.encoders.loading import get_query_encoder
from index.encoders.pooling import TextEncoder
from index.errors import IndexIncompatibleError, InvalidInputError
from index.file_names import shown
from index.records import Document
from index.stores.versions import StoredIndex, load_index, out_of_date_terms, tokenized_alike
from qa.abstain import AbstentionModel
from qa.citations import cite, passage
from qa.conditions import MentionConditions, YearsAndCountries
from qa.filters import Recency, allowed_documents
from qa.options import Filters, SearchOptions
from qa.query import validate
from qa.query.followup import Query, resolve_query
from qa.query.spelling import Speller
from qa.rerank.answer_type import missing_kind
from qa.rerank.reranker import SentenceReranker
from qa.results import SearchResult
from qa.retrieval.candidates import Candidate
from qa.retrieval.fused import Retriever

log = logging.getLogger(__name__)


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
        self.retriever = Retriever(stored)
        self.reranker = SentenceReranker(stored)
        self.abstention = AbstentionModel.from_settings(
            stored.manifest.abstention or config.abstention_settings()
        )
        self._rows = {doc.doc_id: row for row, doc in enumerate(stored.documents)}
        self._recency = Recency(stored.documents)
        self.conditions = MentionConditions(stored.documents)  # years, countries asked

    @classmethod
    def load(
        cls, index_dir: str | os.PathLike[str] | None = None, *, model: str | None = None
    ) -> Searcher:
        """Open the index; a missing, corrupt or incompatible one raises a QAError naming the fix."""
        path = config.index_dir(index_dir)
        stored = load_index(path)
        built_with = stored.manifest.model
        if model and model != built_with:
            raise IndexIncompatibleError(
                f"The index at {path} was built with model {built_with!r}, not {model!r}. "
                f"Rebuild it with: qa index PATH... --index {path} --model {model}"
            )
        encoder = get_query_encoder(built_with)
        if encoder.dimension != stored.manifest.dimension:
            raise IndexIncompatibleError(
                f"Model {built_with!r} makes {encoder.dimension}-d vectors but the index holds "
                f"{stored.manifest.dimension}-d ones. Rebuild it with: qa index PATH... --index {path}"
            )
        if not tokenized_alike(stored):
            log.warning(out_of_date_terms(path))
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
        """The k passages that best answer `question`, with highlights and an abstain flag
        (the fields are those of `SearchOptions`)."""
        options = SearchOptions(
            k=k,
            history=history or (),  # type: ignore[arg-type]  # checked in answer()
            outlet=outlet,
            published_from=published_from,
            published_to=published_to,
            prefer_recent=prefer_recent,
        )
        return self.answer(question, options)

    def answer(self, question: str, options: SearchOptions | None = None) -> SearchResult:
        """`search` with its options as one record."""
        return self.answer_all([question], options)[0]

    def answer_all(
        self, questions: Sequence[str], options: SearchOptions | None = None
    ) -> list[SearchResult]:
        """Questions sharing one set of options (and conversation), embedded together."""
        options = (options or SearchOptions()).checked()
        asked = [validate.question(q) for q in questions]
        queries = self._resolve_all(
            asked, list(options.history), options.filters, options.earlier_answer
        )
        vectors = self.encoder.encode([query.text for query in queries], progress=False)
        allowed = allowed_documents(self.stored.documents, options.filters)
        return [
            self._answer(q, query, vector, options.k, allowed, options.prefer_recent)
            for q, query, vector in zip(asked, queries, vectors, strict=True)
        ]

    def resolve(
        self, question: str, history: Sequence[str] = (), filters: Filters | None = None
    ) -> str:
        """The query searched for a question: misspellings corrected against the articles'
        words, and a follow-up completed from the conversation (the previous answer's names,
        the earlier question's terms)."""
        return self._resolve_all([question], list(history), filters or Filters())[0].text

    def _resolve_all(
        self,
        questions: Sequence[str],
        history: list[str],
        filters: Filters,
        earlier_answer: str | None = None,
    ) -> list[Query]:
        """`resolve` for questions sharing one conversation: its previous answer taken as
        given, or found once (the latest earlier question answered again)."""
        if earlier_answer is not None or not history:
            previous = earlier_answer or ""
        else:
            previous = self._previous_answer(history, filters)
        return [resolve_query(self.speller.correct(q), history, previous) for q in questions]

    def _previous_answer(self, history: list[str], filters: Filters) -> str:
        """The highlighted sentence(s) that answered the latest earlier question, as the user
        saw it (same filters, the history before it); empty when that answer abstained."""
        *before, latest = history
        query = resolve_query(self.speller.correct(latest), before)  # one turn back suffices
        vector = self.encoder.encode([query.text], progress=False)[0]
        allowed = allowed_documents(self.stored.documents, filters)
        answer = self._answer(latest, query, vector, 1, allowed)
        if answer.abstained or not answer.passages:
            return ""
        top = answer.passages[0]
        text = self.stored.documents[self._rows[top.doc_id]].text
        return " ".join(text[start:end] for start, end in top.highlights)

    def reranked(
        self, query: Query | str, vector: np.ndarray, allowed: np.ndarray | None = None
    ) -> list[Candidate]:
        """The fused head of the ranking, reranked by sentence, best first (before citing).
        `query`: its text finds the passages, a follow-up's own words score the sentences
        (qa/query/followup.py, Query); a string does both."""
        if isinstance(query, str):
            query = Query(query, query)
        fused = self.retriever.fused(query.text, vector, allowed)
        return self.reranker.rerank(
            fused, vector, query.own, word_pairs=not query.leans_on_conversation
        )

    def years_first(self, question: str, candidates: list[Candidate]) -> list[Candidate]:
        """Passages whose articles mention the years the question names before those whose
        articles miss some (qa/conditions.py)."""
        return self.conditions.years_first(question, candidates)

    def confidence(self, cited: Sequence[Candidate]) -> float:
        """Estimated probability that the first cited passage answers the question."""
        if not cited:
            return 0.0
        return self.abstention.probability(cited[0].evidence, cited[0].evidence_score)

    def unmentioned(self, question: str, cited: Sequence[Candidate]) -> YearsAndCountries:
        """The years and countries the question names that the first cited article never
        mentions."""
        return self.conditions.unmentioned(question, cited)

    def kind_not_given(self, question: str, cited: Sequence[Candidate]) -> str | None:
        """The kind of answer the question asks for (a sum of money, a number) when the first
        cited passage gives none of it (qa/rerank/answer_type.py, `missing_kind`)."""
        if not cited:
            return None
        first = cited[0]
        return missing_kind(
            question, self.stored.documents[first.doc_row].text[first.start : first.end]
        )

    def abstains(self, question: str, cited: Sequence[Candidate]) -> bool:
        """No passage answers: none was found, the model doubts the first, its article never
        mentions a year or country the question names, or it gives no sum or number where one
        is asked."""
        missing = self.unmentioned(question, cited)
        kind = self.kind_not_given(question, cited)
        return self._abstained(cited, self.confidence(cited), missing, kind)

    def _abstained(
        self,
        cited: Sequence[Candidate],
        confidence: float,
        missing: YearsAndCountries,
        kind: str | None,
    ) -> bool:
        return (
            not cited or confidence < self.abstention.threshold or bool(missing) or kind is not None
        )

    def _answer(
        self,
        question: str,
        query: Query,
        vector: np.ndarray,
        k: int,
        allowed: np.ndarray | None,
        half_life: float | None = None,
    ) -> SearchResult:
        candidates = self.reranked(query, vector, allowed)
        if half_life:
            candidates = self._recency.prefer(candidates, half_life)
        chosen = cite(self.years_first(question, candidates), k)
        confidence = self.confidence(chosen)
        missing = self.unmentioned(question, chosen)
        kind = self.kind_not_given(question, chosen)
        return SearchResult(
            query=query.text,
            abstained=self._abstained(chosen, confidence, missing, kind),
            passages=[passage(self.stored.documents[c.doc_row], c, query.text) for c in chosen],
            question=question,
            confidence=round(confidence, 4),
            years_not_mentioned=missing.years,
            countries_not_mentioned=missing.countries,
            kind_not_given=kind,
        )

    # --- documents and health --------------------------------------------------------------

    def article(self, doc_id: str) -> Document:
        """The cleaned article; unknown ids raise InvalidInputError (never a path lookup)."""
        row = self._rows.get(doc_id) if isinstance(doc_id, str) else None
        if row is None:
            raise InvalidInputError(f"No document with id {doc_id!r} in this index.")
        return self.stored.documents[row]

    def document(self, doc_id: str) -> dict[str, Any]:
        """The cleaned article and its metadata, as the HTTP API returns it."""
        doc = self.article(doc_id)
        return {
            "doc_id": doc.doc_id,
            "source": shown(doc.source),
            "url": doc.url,
            "title": doc.title,
            "outlet": doc.outlet,
            "author": doc.author,
            "published": doc.published,
            "text": doc.text,
            "duplicate_of": doc.duplicate_of,
            "also_in": [shown(s) for s in doc.also_in],
            "encoding": doc.encoding,
        }

    def info(self) -> dict[str, Any]:
        manifest = self.stored.manifest
        return {
            "status": "ok",
            "index": str(self.index_dir),
            "model": manifest.model,
            "documents": manifest.counts.documents,
            "passages": manifest.counts.passages,
            "chunks": manifest.counts.passages,  # the earlier name, kept for API clients
            "built": manifest.created,
            "format_version": manifest.format_version,
        }

    def outlets(self) -> list[str]:
        return sorted({d.outlet for d in self.stored.documents if d.outlet})
