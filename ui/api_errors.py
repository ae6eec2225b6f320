"""Every error the HTTP API can meet, answered as JSON `{"detail": ...}` in the user's words."""

from __future__ import annotations

import errno

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexLockedError,
    IndexMissingError,
    InvalidInputError,
    QAError,
    StoreUnavailableError,
)


def install_error_handlers(app: FastAPI) -> None:
    """Turn every QAError into a 4xx/503, disk trouble into 507/503, with a `detail` message."""

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
