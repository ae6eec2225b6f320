"""Fingerprints of the files a build reads, and of the code that turns them into documents.

A build records both in its manifest. A later build that finds the same files, byte for
byte, read by the same code, knows the index already holds them: it returns without
cleaning a single file. Any change to a file, to the list of files, or to the code under
index/ingest/ or index/text/ falls back to reading and cleaning everything, which still
embeds nothing that is already embedded.
"""

from __future__ import annotations

import hashlib
import stat
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

_BLOCK = 1 << 20


def describe_sources(files: Sequence[Path]) -> dict[str, Any]:
    """{"code": ..., "files": {path: digest}}; an unreadable file's digest is None."""
    return {"code": code_fingerprint(), "files": {str(f): _digest(f) for f in files}}


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A digest of the code that reads, cleans and describes files (index/ingest/) and that
    splits and tokenises their text (index/text/)."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent.parent
    for module in sorted([*package.glob("ingest/*.py"), *package.glob("text/*.py")]):
        digest.update(module.relative_to(package).as_posix().encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def _digest(path: Path) -> str | None:
    digest = hashlib.blake2b(digest_size=16)
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # a pipe or device: never read (it could block or never end)
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(_BLOCK), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
