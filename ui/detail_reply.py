"""Answer a request from ASGI middleware the way the API answers errors: JSON `{"detail": …}`."""

from __future__ import annotations

import json

from starlette.types import Send


async def send_detail(send: Send, status: int, detail: str, *, close: bool = False) -> None:
    """`close` asks the client to drop the connection: for a request whose body went unread."""
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
