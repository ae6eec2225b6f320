"""Start `qa serve` on a free loopback port for a test; it stops itself after a deadline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

DEADLINE_SECONDS = 900  # a server a crashed test run left behind exits by itself


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(index_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [
            "timeout",
            str(DEADLINE_SECONDS),
            sys.executable,
            "-m",
            "qa.cli",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--index",
            str(index_dir),
        ],
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        started = time.monotonic()
        while time.monotonic() - started < 180:
            if process.poll() is not None:
                raise RuntimeError(
                    f"qa serve exited: {process.stderr.read() if process.stderr else ''}"
                )
            try:
                if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError("qa serve did not answer within 180 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
