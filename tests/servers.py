"""Start `qa serve` on a free loopback port for a test; it stops itself after a deadline."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ui import launch

from .conftest import SERVER_DEADLINE_S


@contextmanager
def running_server(index_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    with launch.running_server(index_dir, env=env, deadline_s=SERVER_DEADLINE_S) as (url, _):
        yield url
