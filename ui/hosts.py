"""Answer only the Host names this server serves, and no cross-origin reader it was not told of.

A page on another site can point its own domain at 127.0.0.1 (DNS rebinding) and then read
the API as same-origin; its requests carry that domain in Host, so they are refused with 421.
By default the loopback names are served, and the --host the server binds when it is a name
or address other than a wildcard; `--allowed-host` adds more. Responses keep CORS headers
only for the origins given with `--allowed-origin` (the app's own pages need none): Gradio's
own middleware would otherwise let any `localhost:*` page read them.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.detail_reply import send_detail

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
_WILDCARDS = ("0.0.0.0", "::", "")


def host_name(value: str) -> str:
    """The name in a Host header or origin netloc, without port or IPv6 brackets, lower case."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value[1:]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed_names(bind_host: str, extra: Iterable[str] = ()) -> frozenset[str]:
    names = {*LOOPBACK_NAMES, *(host_name(h) for h in extra)}
    if host_name(bind_host) not in _WILDCARDS:
        names.add(host_name(bind_host))
    return frozenset(names)


class HostCheck:
    def __init__(self, app: ASGIApp, hosts: frozenset[str], origins: Iterable[str] = ()) -> None:
        self.app = app
        self.hosts = hosts
        self.origins = frozenset(o.rstrip("/").lower() for o in origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if host not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            await send_detail(
                send,
                421,
                f"This server does not serve the host {host!r}. Start qa serve with "
                f"--allowed-host {host or 'NAME'} to serve it.",
            )
            return
        origin = headers.get(b"origin", b"").decode("latin-1").rstrip("/").lower()
        if not origin or self._trusted(origin):
            await self.app(scope, receive, send)
            return

        async def without_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {
                    **message,
                    "headers": [
                        (k, v)
                        for k, v in message.get("headers", [])
                        if not k.lower().startswith(b"access-control-")
                    ],
                }
            await send(message)

        await self.app(scope, receive, without_cors)

    def _trusted(self, origin: str) -> bool:
        return origin in self.origins
