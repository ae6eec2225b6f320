"""Write endpoints: POST /api/documents and DELETE /api/documents/{doc_id}.

Off unless the server is started with $QA_API_TOKEN set; then each call must carry
`Authorization: Bearer <token>`. A write returns once the change is the live index, so an
accepted document is searchable, and a deleted one gone, when the response arrives.
"""

from __future__ import annotations

import hmac
import threading
from typing import Any

from fastapi import APIRouter, Depends, Path
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from index import document_from_fields, update_index
from ui.live import LiveSearcher
from ui.schemas import NewDocument, Problem, Written


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


def router(live: LiveSearcher, token: str | None) -> APIRouter:
    api = APIRouter(prefix="/api")
    bearer = HTTPBearer(auto_error=False)
    one_writer = threading.Lock()  # writes queue here instead of failing on the index lock
    errors: dict[int | str, dict[str, Any]] = {
        code: {"model": Problem} for code in (400, 401, 403, 404, 503)
    }

    def authorised(credentials: HTTPAuthorizationCredentials | None) -> JSONResponse | None:
        if not token:
            return _problem(
                403, "Write endpoints are off. Start qa serve with QA_API_TOKEN set to enable them."
            )
        given = credentials.credentials if credentials else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return _problem(401, "Send the write token as: Authorization: Bearer <token>.")
        return None

    @api.post("/documents", response_model=Written, status_code=201, responses=errors)
    def add_document(
        body: NewDocument,
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
    ) -> Any:
        """Add an article, or replace the one with the same doc_id; searchable on return."""
        if refused := authorised(credentials):
            return refused
        doc = document_from_fields(body.model_dump(exclude_none=True), "api")
        with one_writer:
            existed = doc.doc_id in {d.doc_id for d in live.get().stored.documents}
            report = update_index(live.index_dir, add=[doc])
            live.get()  # load the new version before answering
        return Written(
            doc_id=doc.doc_id,
            action="replaced" if existed else "added",
            documents=report.documents,
            passages=report.passages,
            chunks=report.passages,
        )

    @api.delete("/documents/{doc_id}", response_model=Written, responses=errors)
    def delete_document(
        doc_id: str = Path(max_length=200),
        credentials: HTTPAuthorizationCredentials | None = Depends(bearer),  # noqa: B008
    ) -> Any:
        """Remove an article from FAISS and BM25 alike; gone from results on return."""
        if refused := authorised(credentials):
            return refused
        with one_writer:
            if doc_id not in {d.doc_id for d in live.get().stored.documents}:
                return _problem(404, f"No document with id {doc_id!r} in this index.")
            report = update_index(live.index_dir, remove=[doc_id])
            live.get()
        return Written(
            doc_id=doc_id,
            action="deleted",
            documents=report.documents,
            passages=report.passages,
            chunks=report.passages,
        )

    return api
