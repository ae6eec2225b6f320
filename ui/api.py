"""The JSON API under /api: the same results as `Searcher.search(...).to_dict()`."""

from __future__ import annotations

import os
import threading
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from index.errors import InvalidInputError
from qa.options import SearchOptions
from qa.results import SearchResult
from ui.live import LiveSearcher
from ui.schemas import DocumentResponse, Health, Problem, SearchRequest

_ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Problem}, 503: {"model": Problem}}


def router(live: LiveSearcher) -> APIRouter:
    api = APIRouter(prefix="/api")

    # Searches are CPU-bound: more at once than cores only adds thread contention, so the rest
    # wait here (bounded by the server's thread pool) and throughput stays at its peak.
    cpu_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))

    @api.post("/search", response_model=SearchResult, responses=_ERRORS)
    def search(request: SearchRequest) -> dict[str, Any]:
        """Cited passages answering the question; `abstained` says when none answers."""
        with cpu_slots:
            return _search(request)

    def _search(request: SearchRequest) -> dict[str, Any]:
        options = SearchOptions.of(
            k=request.k,
            history=tuple(request.history),
            earlier_answer=request.earlier_answer,
            outlet=request.outlet,
            published_from=request.published_from,
            published_to=request.published_to,
            prefer_recent=request.prefer_recent,
        )
        return live.get().answer(request.question, options).to_dict()

    @api.get(
        "/documents/{doc_id}",
        response_model=DocumentResponse,
        responses={404: {"model": Problem}, 503: {"model": Problem}},
    )
    def document(doc_id: str) -> dict[str, Any]:
        """The cleaned article and its metadata. Ids are looked up, never used as paths."""
        try:
            return live.get().document(doc_id)
        except InvalidInputError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=404)  # type: ignore[return-value]

    @api.get("/health", response_model=Health, responses={503: {"model": Problem}})
    def health() -> dict[str, Any]:
        """Status, model, how many documents and passages, when the index was built."""
        return live.get().info()

    return api
