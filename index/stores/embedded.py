"""The default store: a FAISS index over passage vectors and a BM25 index, as files in the version folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.stores.bm25 import BM25Index, build_bm25
from index.stores.vector_index import build_vector_index, configure, search_parameters

VECTOR_FILE = "chunks.faiss"
BM25_FOLDER = "bm25"


def write_embedded(
    folder: Path, texts: Sequence[str], vectors: np.ndarray, previous: Path | None = None
) -> dict[str, Any]:
    """FAISS and BM25 files into `folder`; BM25 reuses the terms of `previous` (a version folder)."""
    import faiss

    vector_index, vector_settings = build_vector_index(vectors)
    faiss.write_index(vector_index, str(folder / VECTOR_FILE))
    build_bm25(texts, folder / BM25_FOLDER, previous / BM25_FOLDER if previous else None)
    return {"kind": "faiss", "faiss": vector_settings}


class EmbeddedStore:
    """FAISS for the dense ranking, bm25s for the lexical one; both memory-light and local."""

    def __init__(self, faiss_index: Any, bm25: BM25Index, document_rows: np.ndarray) -> None:
        self.faiss_index = faiss_index
        self.bm25 = bm25
        self._document_rows = document_rows

    @classmethod
    def open(
        cls, folder: Path, described: dict[str, Any], document_rows: np.ndarray
    ) -> EmbeddedStore:
        import faiss

        # One question is searched by one thread: for a single query, waking OpenMP's pool
        # costs more than it saves (measured on BBC News: p50 of a whole search 8.9 -> 6.5 ms;
        # a flat search over 50k passages 5.8 -> 4.3 ms); concurrent questions use the cores.
        faiss.omp_set_num_threads(1)
        settings = described.get("faiss") or {}
        vector_index = configure(faiss.read_index(str(folder / VECTOR_FILE)), settings)
        return cls(vector_index, BM25Index(folder / BM25_FOLDER), document_rows)

    def dense(self, vector: np.ndarray, depth: int, documents: np.ndarray | None) -> list[int]:
        import faiss

        depth = min(depth, self.faiss_index.ntotal)
        if depth <= 0:
            return []
        params = None
        allowed = self._passage_mask(documents)
        if allowed is not None:
            ids = np.flatnonzero(allowed).astype(np.int64)
            if not len(ids):
                return []
            params = search_parameters(self.faiss_index, faiss.IDSelectorBatch(ids))
        _, found = self.faiss_index.search(vector.reshape(1, -1), depth, params=params)
        return [int(i) for i in found[0] if i >= 0]

    def lexical(self, query: str, depth: int, documents: np.ndarray | None) -> list[int]:
        return self.bm25.top(query, depth, self._passage_mask(documents))

    def size(self) -> int:
        return int(self.faiss_index.ntotal)

    def _passage_mask(self, documents: np.ndarray | None) -> np.ndarray | None:
        if documents is None:
            return None
        if not len(self._document_rows):
            return np.zeros(0, dtype=bool)
        return documents[self._document_rows]
