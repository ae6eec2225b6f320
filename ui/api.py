"""The JSON API under /api: the same results as `Searcher.search(...).to_dict()`."""

from __future__ import annotations

import errno
import os
import threading
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexLockedError,
    IndexMissingError,
    InvalidInputError,
    QAError,
    StoreUnavailableError,
)
from qa.query.validate import MAX_HISTORY, MAX_K, MAX_QUESTION_CHARS
from qa.results import SearchResult
from ui.limits import BodyLimit
from ui.live import LiveSearcher


class SearchRequest(BaseModel):
    # Limits are stated in the schema and checked by qa.query.validate, whose 400s say what to fix.
    question: str = Field(
        description=f"the question, at most {MAX_QUESTION_CHARS} characters",
        json_schema_extra={"minLength": 1, "maxLength": MAX_QUESTION_CHARS, "pattern": r"\S"},
    )
    k: int = Field(
        5,
        description=f"number of passages, 1 to {MAX_K}",
        json_schema_extra={"minimum": 1, "maximum": MAX_K},
    )
    history: list[str] = Field(
        default_factory=list,
        description=f"earlier questions, oldest first (last {MAX_HISTORY} used)",
    )
    outlet: str | None = None
    # Documented as ISO dates; other common formats ("March 3, 2025") are accepted too.
    published_from: str | None = Field(
        None, description="YYYY-MM-DD, inclusive", json_schema_extra={"format": "date"}
    )
    published_to: str | None = Field(
        None, description="YYYY-MM-DD, inclusive", json_schema_extra={"format": "date"}
    )
    prefer_recent: float | None = Field(
        None,
        description="recency preference as a half-life in days (e.g. 30); off when absent",
        json_schema_extra={"exclusiveMinimum": 0},
    )


class DocumentResponse(BaseModel):
    doc_id: str
    source: str
    title: str
    outlet: str | None
    author: str | None
    published: str | None
    text: str
    duplicate_of: str | None
    also_in: list[str]
    encoding: str


class Health(BaseModel):
    status: str
    index: str
    model: str | None
    documents: int | None
    chunks: int | None
    built: str | None
    format_version: int | None


class Problem(BaseModel):
    detail: str


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
        result = live.get().search(
            request.question,
            k=request.k,
            history=request.history,
            outlet=request.outlet,
            published_from=request.published_from,
            published_to=request.published_to,
            prefer_recent=request.prefer_recent,
        )
        return result.to_dict()

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


def install(app: FastAPI, live: LiveSearcher, write_token: str | None = None) -> None:
    """Add the API routes and turn every QAError into a 4xx/503 with a `detail` message."""
    from ui import writes

    app.include_router(router(live))
    app.include_router(writes.router(live, write_token))
    app.add_middleware(BodyLimit)

    @app.exception_handler(InvalidInputError)
    async def bad_input(_: Request, exc: InvalidInputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(QAError)
    async def unavailable(_: Request, exc: QAError) -> JSONResponse:
        if isinstance(exc, IndexLockedError):
            return JSONResponse(
                {"detail": str(exc)}, status_code=503, headers={"Retry-After": "10"}
            )
        missing = isinstance(
            exc,
            IndexMissingError | IndexCorruptError | IndexIncompatibleError | StoreUnavailableError,
        )
        return JSONResponse({"detail": str(exc)}, status_code=503 if missing else 400)

    @app.exception_handler(OSError)
    async def storage(_: Request, exc: OSError) -> JSONResponse:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            detail, status = "The disk holding the index is full; the index is unchanged.", 507
        elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            detail, status = "The index folder cannot be written; the index is unchanged.", 503
        else:
            detail, status = f"The index could not be read or written ({exc.strerror}).", 503
        return JSONResponse({"detail": detail}, status_code=status)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # The default handler echoes the input back and fails on what JSON cannot encode
        # (a lone surrogate such as "\ud800"); only locations and messages are returned here.
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
            parts.append(
                f"{where}: {error.get('msg', 'invalid')}" if where else str(error.get("msg"))
            )
        detail = "; ".join(parts) or "Invalid request."
        return JSONResponse(
            {"detail": detail.encode("utf-8", "replace").decode("utf-8")}, status_code=422
        )
