"""Passages in a Milvus collection: dense vectors and server-side BM25 over the passage text.

Each index version writes its own collection (`<prefix>_<version>`), named in the version's
manifest and in its `store.json`, and the index folder's CURRENT swap makes it live: a
reader sees the old collection or the new one, never a half-filled one. Collections of
removed or abandoned versions are dropped (see `drop_collection_of`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.errors import IndexCorruptError, StoreUnavailableError
from index.text.terms import searchable_words

log = logging.getLogger(__name__)

MARKER = "store.json"  # written before the collection, so an abandoned build can be cleaned up
INSERT_BATCH = 2_000
MAX_TEXT_BYTES = 65_535  # Milvus VARCHAR limit
MAX_LIMIT = 16_384  # Milvus top-k limit
# Seconds a call may take, retries included (pymilvus counts them only for a whole number).
WRITE_TIMEOUTS = 30  # creating, filling and loading a collection: this many call timeouts
_SEARCH_PARAMS = {
    "IVF_FLAT": {"nprobe": 32},
    "IVF_SQ8": {"nprobe": 32},
    "HNSW": {"ef": 128},
    "DISKANN": {"search_list": 128},
}
_BUILD_PARAMS = {
    "IVF_FLAT": {"nlist": 1024},
    "IVF_SQ8": {"nlist": 1024},
    "HNSW": {"M": 16, "efConstruction": 200},
}


def connect(uri: str) -> Any:
    """A client for the Milvus at `uri`, with $QA_MILVUS_TOKEN if set; StoreUnavailableError if down."""
    try:
        from pymilvus import MilvusClient
    except ImportError:
        raise StoreUnavailableError(
            "This index keeps its passages in Milvus, which needs pymilvus. "
            "Install it with: pip install 'newsqa[milvus]'"
        ) from None
    for name in ("pymilvus", "pymilvus.milvus_client"):  # it sets both; our message says it
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        client = MilvusClient(
            uri=uri, token=config.env("QA_MILVUS_TOKEN") or "", timeout=config.milvus_timeout()
        )
        client.list_collections(timeout=config.milvus_timeout())
    except Exception as exc:
        raise StoreUnavailableError(
            f"Cannot reach Milvus at {uri} ({_reason(exc)}). Start it, or point $QA_MILVUS_URI at it."
        ) from None
    return client


def collection_name(prefix: str, version: str) -> str:
    return f"{prefix}_{re.sub(r'[^A-Za-z0-9]', '_', version.removeprefix('v-'))}"


def write_collection(
    folder: Path,
    version: str,
    texts: Sequence[str],
    vectors: np.ndarray,
    document_rows: np.ndarray,
    settings: Any,
) -> dict[str, Any]:
    """Create this version's collection and fill it; returns the manifest's "store" entry."""
    from pymilvus import DataType, Function, FunctionType

    name = collection_name(settings.collection_prefix, version)
    described = {**settings.describe(), "collection": name}
    client = connect(settings.uri)
    (folder / MARKER).write_text(json.dumps(described), encoding="utf-8")
    dimension = int(vectors.shape[1])
    schema = client.create_schema(auto_id=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("doc_row", DataType.INT64)
    schema.add_field(
        "text",
        DataType.VARCHAR,
        max_length=MAX_TEXT_BYTES,
        enable_analyzer=True,
        analyzer_params={"type": "english"},
    )
    schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
    schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
    schema.add_function(
        Function(
            name="text_bm25",
            function_type=FunctionType.BM25,
            input_field_names=["text"],
            output_field_names=["sparse"],
        )
    )
    index_params = client.prepare_index_params()
    index_params.add_index(
        "dense",
        index_type=settings.index_type,
        metric_type="IP",
        params=_BUILD_PARAMS.get(settings.index_type, {}),
    )
    index_params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    try:
        client.create_collection(
            name,
            schema=schema,
            index_params=index_params,
            consistency_level=settings.consistency_level,
            timeout=WRITE_TIMEOUTS * config.milvus_timeout(),
        )
        for start in range(0, len(texts), INSERT_BATCH):
            batch = range(start, min(start + INSERT_BATCH, len(texts)))
            client.insert(
                name,
                [
                    {
                        "id": i,
                        "doc_row": int(document_rows[i]),
                        "text": _fit(texts[i]),
                        "dense": vectors[i].tolist(),
                    }
                    for i in batch
                ],
                timeout=WRITE_TIMEOUTS * config.milvus_timeout(),
            )
        client.flush(name, timeout=WRITE_TIMEOUTS * config.milvus_timeout())
        stored = _count(client, name)
    except Exception as exc:
        raise StoreUnavailableError(
            f"Milvus at {settings.uri} refused the new collection {name} ({_reason(exc)})."
        ) from None
    if stored != len(texts):
        raise StoreUnavailableError(
            f"Milvus at {settings.uri} holds {stored} of the {len(texts)} passages written to {name}."
        )
    return {**described, "search_params": _SEARCH_PARAMS.get(settings.index_type, {})}


class MilvusStore:
    """Dense and BM25 rankings from one Milvus collection, restricted by document row."""

    def __init__(self, client: Any, described: dict[str, Any], uri: str) -> None:
        self.client = client
        self.collection = str(described["collection"])
        self.uri = uri
        self._search_params = dict(described.get("search_params") or {})
        self._size = 0

    @classmethod
    def open(cls, described: dict[str, Any], *, expected: int) -> MilvusStore:
        uri = _address(described)
        client = connect(uri)
        store = cls(client, described, uri)
        try:
            exists = client.has_collection(store.collection, timeout=config.milvus_timeout())
            if exists:
                client.load_collection(
                    store.collection, timeout=WRITE_TIMEOUTS * config.milvus_timeout()
                )
                store._size = _count(client, store.collection)
        except Exception as exc:
            raise StoreUnavailableError(
                f"Milvus at {uri} could not open {store.collection} ({_reason(exc)})."
            ) from None
        if not exists or store._size != expected:
            found = f"{store._size} passages" if exists else "no such collection"
            raise IndexCorruptError(
                f"The index's Milvus collection {store.collection} at {uri} does not match it "
                f"({found}, expected {expected}). Rebuild it with: qa index PATH... --store milvus"
            )
        return store

    def dense(self, vector: np.ndarray, depth: int, documents: np.ndarray | None) -> list[int]:
        return self._search(
            [np.asarray(vector, dtype=np.float32).tolist()],
            "dense",
            {"metric_type": "IP", "params": self._search_params},
            depth,
            documents,
        )

    def lexical(self, query: str, depth: int, documents: np.ndarray | None) -> list[int]:
        words = searchable_words(query)
        if not words:
            return []  # nothing left to match, as in the local BM25
        return self._search([words], "sparse", {"metric_type": "BM25"}, depth, documents)

    def size(self) -> int:
        return self._size

    def _search(
        self,
        data: list[Any],
        field: str,
        params: dict[str, Any],
        depth: int,
        documents: np.ndarray | None,
    ) -> list[int]:
        depth = min(depth, MAX_LIMIT, self._size)
        where = _document_filter(documents)
        if depth <= 0 or where is False:
            return []
        try:
            hits = self.client.search(
                self.collection,
                data=data,
                anns_field=field,
                limit=depth,
                filter=where or "",
                search_params=params,
                timeout=config.milvus_timeout(),
            )
        except Exception as exc:
            if field == "sparse" and "empty" in str(exc).lower():
                return []  # a question whose words are all stopwords: nothing to match
            raise StoreUnavailableError(
                f"Milvus at {self.uri} failed a search of {self.collection} ({_reason(exc)})."
            ) from None
        ranked = sorted(hits[0], key=lambda h: (-float(h["distance"]), int(h["id"])))
        return [int(h["id"]) for h in ranked if field == "dense" or float(h["distance"]) > 0]


def holds_collection(folder: Path) -> bool:
    """Whether a version folder names a Milvus collection (its passages outlive its files)."""
    return (folder / MARKER).is_file()


def drop_collection_of(folder: Path) -> None:
    """Drop the collection a removed or abandoned version folder wrote, if it wrote one."""
    try:
        described = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if described.get("kind") != "milvus" or not described.get("collection"):
        return
    uri = _address(described)
    try:
        client = connect(uri)
        client.drop_collection(str(described["collection"]), timeout=config.milvus_timeout())
    except Exception as exc:  # cleanup must never fail a build; the next one tries again
        log.warning("could not drop Milvus collection %s: %s", described["collection"], exc)


def _address(described: dict[str, Any]) -> str:
    """Where the collection lives: $QA_MILVUS_URI when set (the server moved), else the manifest's."""
    return config.env("QA_MILVUS_URI") or str(described.get("uri") or "")


def _document_filter(documents: np.ndarray | None) -> str | None | bool:
    """A Milvus filter for the allowed document rows: None for all, False for none."""
    if documents is None:
        return None
    rows = np.flatnonzero(documents)
    if not len(rows):
        return False
    if len(rows) == len(documents):
        return None
    return f"doc_row in [{','.join(str(int(r)) for r in rows)}]"


def _count(client: Any, name: str) -> int:
    rows = client.query(
        name,
        output_fields=["count(*)"],
        consistency_level="Strong",
        timeout=config.milvus_timeout(),
    )
    return int(rows[0]["count(*)"])


def _fit(text: str) -> str:
    """Passage text as Milvus can hold it: valid UTF-8 within the VARCHAR limit."""
    data = text.encode("utf-8", "replace")  # a lone surrogate cannot cross gRPC
    return data[:MAX_TEXT_BYTES].decode("utf-8", "ignore")


def _reason(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return " ".join(str(message).split())[:300]
