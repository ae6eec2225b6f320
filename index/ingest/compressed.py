"""Files read through a decompressor: "news.jsonl.gz", "page.html.bz2" and ".xz" are read
as the file inside; and the first bytes of a file, decompressed, to tell what it holds."""

from __future__ import annotations

import bz2
import gzip
import lzma
from pathlib import Path
from typing import Any

DECOMPRESSORS: dict[str, Any] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def opened(path: Path, opener: Any = None) -> Any:
    """The file open for reading bytes, decompressed when `opener` is a decompressor's open."""
    return opener(path, "rb") if opener else path.open("rb")


def head(path: Path, opener: Any = None) -> bytes:
    with opened(path, opener) as handle:
        return handle.read(4096)
