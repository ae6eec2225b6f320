"""The index folder's bookkeeping: the writers' lock, the CURRENT pointer swapped atomically,
synced writes, checksums, and clearing or setting aside version folders.

    <index>/CURRENT      name of the live version folder (replaced atomically)
    <index>/LOCK         held by the one process writing
    <index>/v-<time>-<id>/         one version (index/stores/versions.py)
    <index>/damaged-v-<time>-<id>/ a version set aside because it could not be read
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from index.errors import IndexLockedError
from index.stores.passage_store import release

CURRENT = "CURRENT"
DAMAGED = "damaged-"  # prefix of version folders set aside because they could not be read
LOCK_WAIT_SECONDS = 10.0  # how long a writer waits for another to finish before giving up


@contextlib.contextmanager
def write_lock(index_dir: Path, wait: float | None = None) -> Iterator[None]:
    """Exclusive lock for writers; a second writer waits up to `wait` seconds (default
    LOCK_WAIT_SECONDS), then fails with a clear message."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "LOCK", "w") as handle:
        deadline = time.monotonic() + (LOCK_WAIT_SECONDS if wait is None else wait)
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IndexLockedError(
                        f"Another qa process is writing the index at {index_dir}. "
                        "Try again once it has finished."
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_name(index_dir: Path) -> str | None:
    """The name CURRENT gives, or None when it is missing, empty or not UTF-8."""
    try:
        return (index_dir / CURRENT).read_bytes().decode("utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def point_current(index_dir: Path, version: Path) -> None:
    """Make `version` (a folder in `index_dir`) the live one, atomically."""
    write_synced(index_dir / f"{CURRENT}.tmp", version.name)
    os.replace(index_dir / f"{CURRENT}.tmp", index_dir / CURRENT)
    fsync_tree(index_dir)


def remove_stale(index_dir: Path, *, keep: str, grace: str | None = None) -> None:
    """Old versions and leftovers of killed runs, with any Milvus collection they wrote.

    Readers holding old files keep their inodes; `grace` names a version kept until the
    next write because its passages live in a server, not in files.
    """
    for entry in index_dir.iterdir():
        if (
            entry.is_dir()
            and entry.name not in (keep, grace)
            and entry.name.startswith(("v-", ".tmp-"))
        ):
            release(entry)
            shutil.rmtree(entry, ignore_errors=True)


def set_aside(index_dir: Path) -> list[str]:
    """Rename every version folder to damaged-<name> and drop CURRENT: a rebuild then starts
    afresh without deleting anything `qa doctor` could still recover. Returns the new names."""
    moved = []
    for entry in sorted(index_dir.iterdir()):
        if entry.is_dir() and entry.name.startswith("v-"):
            entry.rename(index_dir / f"{DAMAGED}{entry.name}")
            moved.append(f"{DAMAGED}{entry.name}")
    (index_dir / CURRENT).unlink(missing_ok=True)
    return moved


def write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def fsync_tree(path: Path) -> None:
    """Flush a folder's files and entries to disk, so a power cut cannot publish empty files."""
    for entry in [path, *path.rglob("*")]:
        fd = os.open(entry, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
