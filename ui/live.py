"""The searcher a long-running server uses: loaded once, reloaded when a new index is swapped in."""

from __future__ import annotations

import threading
from pathlib import Path

from index.stores.versions import CURRENT
from qa.searcher import Searcher


class LiveSearcher:
    """Hands out the Searcher for the index's current version; a rebuild needs no restart."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._searcher: Searcher | None = None
        self._version = ""

    def get(self) -> Searcher:
        version = self._current_version()
        if self._searcher is None or version != self._version:
            with self._lock:
                if self._searcher is None or version != self._version:
                    # Load fully before swapping: requests keep the old searcher meanwhile.
                    self._searcher = Searcher.load(self.index_dir)
                    self._version = version
        return self._searcher

    def _current_version(self) -> str:
        try:  # any bytes: a garbled pointer is reported by Searcher.load, not as a crash here
            return (self.index_dir / CURRENT).read_bytes().decode("utf-8", "replace").strip()
        except OSError:
            return ""
