"""Request-body limits on the bytes actually read, for every route (Gradio's included).

A Content-Length over the limit is refused before reading; a body sent without one
(`Transfer-Encoding: chunked`) is counted as it arrives and refused once it passes the limit,
so no route ever holds more than the limit in memory. Gradio's file-upload route is closed:
the app has no upload control.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.detail_reply import send_detail

MAX_BODY_BYTES = 1 << 20
CLOSED_PATHS = ("/gradio_api/upload", "/upload")


class BodyLimit:
    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/").endswith(CLOSED_PATHS):
            await send_detail(send, 404, "This server takes no file uploads.", close=True)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await send_detail(send, 413, f"Request body over {self.limit} bytes.", close=True)
            return
        received = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # Answer now and tell the app the client left: it stops reading, and
                    # whatever it would answer is dropped below.
                    refused = True
                    if not started:
                        await send_detail(
                            send, 413, f"Request body over {self.limit} bytes.", close=True
                        )
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, counted, watched)
