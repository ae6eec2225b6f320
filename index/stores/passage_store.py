"""Where passages are searched: the embedded FAISS + BM25 files, or a Milvus collection.

Both answer the same two questions for the searcher: the passages nearest a question vector
(dense) and the passages that best match its words (BM25), each optionally restricted to
some documents. Everything else an index holds (articles, passage offsets, sentence vectors
for highlighting) stays in the index folder, so citations, highlights, filters and
abstention are computed by the same code whichever store ranks the passages.

Choose the store when building: `qa index ... --store milvus --milvus-uri URI`, or
$QA_STORE / $QA_MILVUS_URI. The choice is recorded in the manifest under "store"; a token
for Milvus comes only from $QA_MILVUS_TOKEN and is never written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index import config
from index.errors import InvalidInputError

STORES = ("faiss", "milvus")
MILVUS_INDEX_TYPES = ("AUTOINDEX", "FLAT", "IVF_FLAT", "IVF_SQ8", "HNSW", "DISKANN")
CONSISTENCY_LEVELS = ("Strong", "Bounded", "Session", "Eventually")


class PassageStore(Protocol):
    """Ranks passages (rows of the index's chunk table) for one question."""

    def dense(self, vector: np.ndarray, depth: int, documents: np.ndarray | None) -> list[int]:
        """Up to `depth` passage rows nearest `vector`, best first; `documents` is a bool mask
        over document rows, or None for all."""
        ...

    def lexical(self, query: str, depth: int, documents: np.ndarray | None) -> list[int]:
        """Up to `depth` passage rows sharing terms with `query`, best BM25 score first."""
        ...

    def size(self) -> int:
        """Number of passages held."""
        ...


@dataclass(frozen=True, slots=True)
class StoreSettings:
    """Which store a build writes to, and how; `describe()` is what the manifest keeps."""

    kind: str = "faiss"
    uri: str | None = None  # Milvus: http://host:19530, or a Zilliz Cloud endpoint
    collection_prefix: str = "newsqa"
    index_type: str = (
        "AUTOINDEX"  # Milvus vector index; Milvus Lite takes FLAT, IVF_FLAT, AUTOINDEX
    )
    consistency_level: str = "Strong"  # Strong: a search sees every write before it

    def describe(self) -> dict[str, Any]:
        if self.kind == "faiss":
            return {"kind": "faiss"}
        return {
            "kind": self.kind,
            "uri": self.uri,
            "prefix": self.collection_prefix,
            "index_type": self.index_type,
            "consistency_level": self.consistency_level,
        }


def store_settings(
    kind: str | None = None,
    *,
    uri: str | None = None,
    collection_prefix: str | None = None,
    index_type: str | None = None,
    consistency_level: str | None = None,
    previous: dict[str, Any] | None = None,
) -> StoreSettings:
    """Settings from arguments, else $QA_STORE / $QA_MILVUS_*, else the live index's, else FAISS."""
    previous = previous or {}

    def pick(value: str | None, env: str, key: str, default: str | None) -> str | None:
        return value or config.env(env) or previous.get(key) or default

    chosen = (pick(kind, "QA_STORE", "kind", "faiss") or "faiss").lower()
    if chosen not in STORES:
        raise InvalidInputError(f"store must be one of {', '.join(STORES)}; got {chosen!r}.")
    if chosen == "faiss":
        return StoreSettings()
    settings = StoreSettings(
        kind=chosen,
        uri=pick(uri, "QA_MILVUS_URI", "uri", None),
        collection_prefix=pick(collection_prefix, "QA_MILVUS_COLLECTION", "prefix", "newsqa")
        or "newsqa",
        index_type=(pick(index_type, "QA_MILVUS_INDEX", "index_type", "AUTOINDEX") or "").upper(),
        consistency_level=(
            pick(consistency_level, "QA_MILVUS_CONSISTENCY", "consistency_level", "Strong") or ""
        ).capitalize(),
    )
    if not settings.uri:
        raise InvalidInputError(
            "The Milvus store needs an address: --milvus-uri http://HOST:19530 or $QA_MILVUS_URI."
        )
    if settings.index_type not in MILVUS_INDEX_TYPES:
        raise InvalidInputError(
            f"Milvus index type must be one of {', '.join(MILVUS_INDEX_TYPES)}; got {settings.index_type!r}."
        )
    if settings.consistency_level not in CONSISTENCY_LEVELS:
        raise InvalidInputError(
            f"Milvus consistency level must be one of {', '.join(CONSISTENCY_LEVELS)}; "
            f"got {settings.consistency_level!r}."
        )
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", settings.collection_prefix):
        raise InvalidInputError(
            "The Milvus collection prefix must be a letter or _ then up to 31 letters, digits or _; "
            f"got {settings.collection_prefix!r}."
        )
    return settings


def write_passages(
    folder: Path,
    version: str,
    texts: Sequence[str],
    vectors: np.ndarray,
    document_rows: np.ndarray,
    settings: StoreSettings,
    previous: Path | None = None,
) -> dict[str, Any]:
    """Store the passages of a new index version; returns the manifest's "store" entry.

    `previous` is the live version's folder, whose work a store may reuse."""
    if settings.kind == "milvus":
        from index.stores.milvus import write_collection

        return write_collection(folder, version, texts, vectors, document_rows, settings)
    from index.stores.embedded import write_embedded

    return write_embedded(folder, texts, vectors, previous)


def check_reachable(settings: StoreSettings) -> None:
    """Fail before any work is done when the store is a server that cannot be reached."""
    if settings.kind == "milvus":
        from index.stores.milvus import connect

        connect(str(settings.uri))


def open_passages(
    folder: Path, described: dict[str, Any], document_rows: np.ndarray
) -> PassageStore:
    """The store a loaded index version searches (`described`: the manifest's "store"
    entry); raises QAError when it cannot be reached."""
    if described.get("kind") == "milvus":
        from index.stores.milvus import MilvusStore

        return MilvusStore.open(described, expected=len(document_rows))
    from index.stores.embedded import EmbeddedStore

    return EmbeddedStore.open(folder, described, document_rows)


def required_files(described: dict[str, Any]) -> tuple[str, ...]:
    """Files a version folder must hold for its store, beyond the article and passage tables."""
    return () if described.get("kind") == "milvus" else ("chunks.faiss",)


def serves_from_server(folder: Path) -> bool:
    """Whether a version folder's passages live in a server, where readers may still be."""
    from index.stores.milvus import holds_collection

    return holds_collection(folder)


def release(folder: Path) -> None:
    """Free what a removed or abandoned version holds outside its folder (a Milvus collection)."""
    from index.stores.milvus import drop_collection_of

    drop_collection_of(folder)
