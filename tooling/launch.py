"""Run `qa serve` as a child process on a free 127.0.0.1 port, for tests and measurements.

The child is wrapped in `timeout`, so one left behind by a crashed caller exits by itself.
Its stderr goes to a temporary file (a pipe nobody reads could fill up and stall it), which
is quoted when the server dies before it is up.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_command(
    index_dir: str | os.PathLike[str], port: int, corpus: Sequence[str] | None = None
) -> list[str]:
    """`qa serve` on 127.0.0.1:`port`; `corpus` is what it indexes first when there is no index."""
    command = [sys.executable, "-m", "qa.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--index", str(index_dir)]
    return command if corpus is None else [*command, "--corpus", *corpus]


@dataclass
class Child:
    """A started server process and the file its stderr goes to."""

    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def stderr_tail(self, chars: int = 3000) -> str:
        self.log.seek(0)
        return self.log.read().decode("utf-8", errors="replace")[-chars:]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def start(
    command: Sequence[str],
    *,
    deadline_s: int,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> Child:
    """Start `command`, killed by `timeout` after `deadline_s` seconds whatever happens."""
    log = tempfile.TemporaryFile()  # noqa: SIM115 - Child.stop() closes it
    process = subprocess.Popen(
        ["timeout", str(deadline_s), *command],
        cwd=cwd,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    return Child(process, log)


def wait_until_up(url: str, child: Child, *, within_s: float) -> None:
    """Return once `url`/api/health answers 200; raise with the server's stderr if it died."""
    started = time.monotonic()
    while time.monotonic() - started < within_s:
        if child.process.poll() is not None:
            raise RuntimeError(f"qa serve exited: {child.stderr_tail()}")
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"qa serve did not answer within {within_s:.0f} s")


@contextmanager
def running_server(
    index_dir: str | os.PathLike[str],
    *,
    env: dict[str, str] | None = None,
    corpus: Sequence[str] | None = None,
    deadline_s: int = 900,
    within_s: float = 180,
    cwd: str | os.PathLike[str] | None = None,
) -> Iterator[tuple[str, Child]]:
    """`qa serve` over `index_dir`, up and answering: yields its URL and process, then stops it."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    child = start(serve_command(index_dir, port, corpus), deadline_s=deadline_s, env=env, cwd=cwd)
    try:
        wait_until_up(url, child, within_s=within_s)
        yield url, child
    finally:
        child.stop()
