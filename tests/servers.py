"""Start `qa serve` on a free loopback port for a test; it stops itself after a deadline."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tooling import launch

from .conftest import SERVER_DEADLINE_S


@contextmanager
def running_server(index_dir: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    with launch.running_server(index_dir, env=env, deadline_s=SERVER_DEADLINE_S) as (url, _):
        yield url


@contextmanager
def writable_copy(index_dir: Path, folder: Path, token: str) -> Iterator[str]:
    """`qa serve` over a private copy of `index_dir` in `folder`, with writes on under `token`."""
    target = folder / "index"
    shutil.copytree(index_dir, target)
    with running_server(target, env={"QA_API_TOKEN": token}) as url:
        yield url
