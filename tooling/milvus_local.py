"""A Milvus server on this machine for tests and benchmarks: Milvus Lite's C++ server on loopback.

Milvus Lite 2.5 (`pip install milvus-lite==2.5.1`) ships the real server binary; started with
an address it speaks the same gRPC API as a Milvus cluster, so the code under test talks to
it exactly as it would to production. It accepts FLAT, IVF_FLAT and AUTOINDEX vector indexes.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from index.errors import StoreUnavailableError

START_TIMEOUT_S = 60.0


@contextmanager
def running_milvus(folder: Path, *, deadline_s: float = 3600.0) -> Iterator[str]:
    """Start a Milvus Lite server storing into `folder` on a free 127.0.0.1 port; yields its URI.

    The server is stopped on exit, and exits by itself after `deadline_s` whatever happens to
    the process that started it.
    """
    from milvus_lite.server import Server

    class _Server(Server):
        @property
        def args(self) -> list[str]:
            return ["timeout", str(int(deadline_s)), *super().args]

    folder.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    server = _Server(str(folder / "milvus.db"), f"127.0.0.1:{port}")
    if not server.init() or not server.start():
        raise StoreUnavailableError(f"Milvus Lite did not start in {folder}.")
    uri = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(uri)
        yield uri
    finally:
        if server._p is not None:
            server._p.terminate()  # `timeout` passes SIGTERM on to the server
        server.stop()


def _wait_until_up(uri: str) -> None:
    from index.stores.milvus import connect

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            connect(uri)
            return
        except StoreUnavailableError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
