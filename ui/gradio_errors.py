"""Malformed calls to Gradio's own routes answered 400, not 500.

Gradio raises on some calls it cannot match to the chat's API (an unknown api name, a
`data` field its client utilities reject, an fn_index out of range) instead of answering;
uncaught, each became a 500 with no message. Gradio's own error middleware sends that 500
and re-raises; here the 500 is held back, and when the exception behind it is one of those
types the caller gets a 400 naming the API page instead. Anything else passes unchanged.
"""

from __future__ import annotations

import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.detail_reply import send_detail

log = logging.getLogger(__name__)
PREFIX = "/gradio_api/"
CALLER_ERRORS: tuple[type[Exception], ...] = (TypeError, KeyError, IndexError, ValueError)


def _caller_errors() -> tuple[type[Exception], ...]:
    try:
        from gradio.route_utils import FnIndexInferError
    except ImportError:  # another Gradio version: the generic types still apply
        return CALLER_ERRORS
    return (*CALLER_ERRORS, FnIndexInferError)


class GradioCallErrors:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.caught = _caller_errors()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []  # a 500 is held back until we know what raised it

        async def watched(message: Message) -> None:
            if held or (message["type"] == "http.response.start" and message["status"] == 500):
                held.append(message)
                return
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except self.caught as exc:
            if not held:
                raise
            log.info("malformed Gradio call to %s: %r", scope["path"], exc)
            await send_detail(
                send,
                400,
                "This call does not match the chat's API. The calls it takes are listed at "
                "/?view=api; the JSON API is documented at /docs.",
            )
            return
        except BaseException:
            await _flush(send, held)
            raise
        await _flush(send, held)


async def _flush(send: Send, held: list[Message]) -> None:
    for message in held:
        await send(message)
