"""The index on disk: a folder of named files with a versioned manifest, swapped in atomically.

    <index>/CURRENT            name of the live version folder (replaced atomically)
    <index>/LOCK               held by the one process writing
    <index>/v-<time>-<id>/     manifest.json, documents.jsonl, chunks.npy, sentences.npy,
                               chunk_vectors.npy, sentence_vectors.npy, sentence_terms/, and the passage
                               store: chunks.faiss + bm25/, or store.json naming a Milvus
                               collection (index/passage_store.py)

A build writes a new version folder, then points CURRENT at it: a reader sees the old index
or the new one, never half of one, and a killed build leaves the old index untouched.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexLockedError,
    IndexMissingError,
    QAError,
)
from index.passage_store import (
    PassageStore,
    StoreSettings,
    open_passages,
    release,
    required_files,
    serves_from_server,
    write_passages,
)
from index.records import Document
from index.terms import TermTable

# 2: chunk vectors kept beside the FAISS index, for incremental builds
# 3: BM25 kept as term ids per passage and weights of our own, so that it too is incremental
FORMAT_VERSION = 3
CURRENT = "CURRENT"
SENTENCE_TERMS = "sentence_terms"  # a term table (index/terms.py), one row per sentence
MANIFEST = "manifest.json"
_DATA_FILES = (
    "documents.jsonl",
    "chunks.npy",
    "sentences.npy",
    "chunk_vectors.npy",
    "sentence_vectors.npy",
)


@dataclass
class IndexData:
    """Everything a build computed, ready to be written."""

    documents: list[Document]
    chunks: np.ndarray  # int64 (n, 3): document row, start, end
    sentences: np.ndarray  # int64 (m, 3): document row, start, end
    chunk_vectors: np.ndarray  # float32 (n, dimension), unit length
    sentence_vectors: np.ndarray  # float32 (m, dimension), unit length
    settings: dict[str, Any] = field(default_factory=dict)  # model, chunking, ... for the manifest
    minhash: np.ndarray | None = None  # uint64 (documents, 128): near-duplicate signatures


@dataclass
class StoredIndex:
    """A loaded index version, ready to be searched."""

    path: Path
    manifest: dict[str, Any]
    documents: list[Document]
    chunks: np.ndarray
    sentences: np.ndarray
    passages: PassageStore  # ranks passages: FAISS + BM25 files, or a Milvus collection
    sentence_vectors: np.ndarray  # memory-mapped
    chunk_vectors: np.ndarray  # memory-mapped; what the FAISS index was built from
    sentence_terms: TermTable  # each sentence's stemmed terms, for highlighting
    minhash: np.ndarray | None = None  # per document, when the index has them


def _rebuild_hint(index_dir: Path) -> str:
    return f"Rebuild it with: qa index PATH... --index {index_dir}"


@contextlib.contextmanager
def write_lock(index_dir: Path) -> Iterator[None]:
    """Exclusive lock for writers; a second writer fails at once with a clear message."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / "LOCK", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexLockedError(
                f"Another qa process is writing the index at {index_dir}. Wait for it to finish."
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_index(index_dir: Path, data: IndexData, store: StoreSettings | None = None) -> Path:
    """Write `data` as a new version and make it current. Call under `write_lock`."""
    run = uuid.uuid4().hex[:12]
    replaced = _current_name(index_dir)
    final = index_dir / f"v-{time.strftime('%Y%m%dT%H%M%S')}-{run[:6]}"
    tmp = index_dir / f".tmp-{run}"
    tmp.mkdir(parents=True)
    try:
        with open(tmp / "documents.jsonl", "w", encoding="utf-8") as out:
            for doc in data.documents:
                # Shallow on purpose: asdict() deep-copies every source-map run, and is slow.
                record = {f.name: getattr(doc, f.name) for f in fields(doc)}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        np.save(tmp / "chunks.npy", data.chunks.astype(np.int64))
        np.save(tmp / "sentences.npy", data.sentences.astype(np.int64))
        np.save(tmp / "sentence_vectors.npy", data.sentence_vectors.astype(np.float32))
        np.save(tmp / "chunk_vectors.npy", data.chunk_vectors.astype(np.float32))
        if data.minhash is not None:
            np.save(tmp / "minhash.npy", data.minhash.astype(np.uint64))
        earlier = index_dir / replaced if replaced else None
        TermTable.of_texts(
            span_texts(data.documents, data.sentences),
            earlier / SENTENCE_TERMS if earlier else None,
        ).save(tmp / SENTENCE_TERMS)
        texts = span_texts(data.documents, data.chunks)
        stored_in = write_passages(
            tmp,
            final.name,
            texts,
            data.chunk_vectors,
            data.chunks[:, 0] if len(data.chunks) else np.zeros(0, dtype=np.int64),
            store or StoreSettings(),
            earlier,
        )
        manifest = {
            "format_version": FORMAT_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            **data.settings,
            "counts": {
                "documents": len(data.documents),
                "duplicates": sum(1 for d in data.documents if d.duplicate_of),
                "chunks": int(len(data.chunks)),
                "sentences": int(len(data.sentences)),
            },
            "store": stored_in,
            "files": {name: _describe(tmp / name) for name in _files_of(tmp)},
        }
        _write_synced(tmp / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
        _fsync_dir(tmp)
        os.rename(tmp, final)
        _write_synced(index_dir / f"{CURRENT}.tmp", final.name)
        os.replace(index_dir / f"{CURRENT}.tmp", index_dir / CURRENT)
        _fsync_dir(index_dir)
    except BaseException:
        release(tmp)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    # A Milvus-backed version stays one write longer: searches already running on it finish.
    grace = replaced if replaced and serves_from_server(index_dir / replaced) else None
    remove_stale(index_dir, keep=final.name, grace=grace)
    return final


def _current_name(index_dir: Path) -> str | None:
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def current_version(index_dir: Path) -> Path:
    """The live version folder, or IndexMissingError naming the command that builds one."""
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        raise IndexMissingError(
            f"No index at {index_dir}. Build one with: qa index seeds/ --index {index_dir}"
        )
    name = pointer.read_text(encoding="utf-8").strip()
    version = index_dir / name
    if not name or "/" in name or not version.is_dir():
        raise IndexCorruptError(
            f"The index at {index_dir} points at a missing version. {_rebuild_hint(index_dir)}"
        )
    return version


def read_manifest(index_dir: Path) -> tuple[Path, dict[str, Any]]:
    version = current_version(index_dir)
    try:
        manifest = json.loads((version / MANIFEST).read_text(encoding="utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"The index at {index_dir} has an unreadable manifest ({exc}). {_rebuild_hint(index_dir)}"
        ) from None
    found = manifest.get("format_version")
    if found != FORMAT_VERSION:
        raise IndexIncompatibleError(
            f"The index at {index_dir} has format version {found!r}; this qa reads version "
            f"{FORMAT_VERSION}. {_rebuild_hint(index_dir)}"
        )
    return version, manifest


def load_index(index_dir: Path, *, verify: bool = True) -> StoredIndex:
    """Load the live version; damaged or missing files raise IndexCorruptError, never a wrong answer."""
    version, manifest = read_manifest(index_dir)
    files = manifest.get("files") or {}
    for name, expected in files.items():
        path = version / name
        if not path.is_file() or path.stat().st_size != expected.get("bytes"):
            raise IndexCorruptError(
                f"The index at {index_dir} is incomplete: {name} is missing or truncated. {_rebuild_hint(index_dir)}"
            )
        if verify and _sha256(path) != expected.get("sha256"):
            raise IndexCorruptError(
                f"The index at {index_dir} is corrupt: {name} does not match its checksum. {_rebuild_hint(index_dir)}"
            )
    missing = [name for name in (*_DATA_FILES, *required_files(manifest)) if name not in files]
    if missing:
        raise IndexCorruptError(
            f"The index at {index_dir} lacks {', '.join(missing)}. {_rebuild_hint(index_dir)}"
        )
    try:
        documents = [
            _document(json.loads(line))
            for line in (version / "documents.jsonl").open(encoding="utf-8")
        ]
        chunks = np.load(version / "chunks.npy")
        sentences = np.load(version / "sentences.npy")
        sentence_vectors = np.load(version / "sentence_vectors.npy", mmap_mode="r")
        chunk_vectors = np.load(version / "chunk_vectors.npy", mmap_mode="r")
        minhash = np.load(version / "minhash.npy") if "minhash.npy" in files else None
        if f"{SENTENCE_TERMS}/vocab.json" in files:
            sentence_terms = TermTable.load(version / SENTENCE_TERMS)
        else:  # written before sentence terms were stored: tokenised once, here
            sentence_terms = TermTable.of_texts(span_texts(documents, sentences))
    except Exception as exc:  # any parse failure of a file that passed its size check
        raise IndexCorruptError(
            f"The index at {index_dir} could not be read ({exc}). {_rebuild_hint(index_dir)}"
        ) from None
    passages = _open_passages(index_dir, version, manifest, chunks)
    dimension = manifest.get("dimension")
    if (
        passages.size() != len(chunks)
        or chunk_vectors.shape != (len(chunks), dimension)
        or len(sentence_vectors) != len(sentences)
        or (len(sentence_vectors) and sentence_vectors.shape[1] != dimension)
        or len(sentence_terms) != len(sentences)
    ):
        raise IndexCorruptError(
            f"The index at {index_dir} is inconsistent (vectors vs passages). {_rebuild_hint(index_dir)}"
        )
    return StoredIndex(
        version,
        manifest,
        documents,
        chunks,
        sentences,
        passages,
        sentence_vectors,
        chunk_vectors,
        sentence_terms,
        minhash if minhash is not None and len(minhash) == len(documents) else None,
    )


def _open_passages(
    index_dir: Path, version: Path, manifest: dict[str, Any], chunks: np.ndarray
) -> PassageStore:
    try:
        return open_passages(
            version, manifest, chunks[:, 0] if len(chunks) else np.zeros(0, dtype=np.int64)
        )
    except QAError:
        raise
    except Exception as exc:  # a FAISS or BM25 file that passed its size check but not parsing
        raise IndexCorruptError(
            f"The index at {index_dir} could not be read ({exc}). {_rebuild_hint(index_dir)}"
        ) from None


def span_texts(documents: list[Document], table: np.ndarray) -> list[str]:
    """The text of each (document row, start, end) row of a passage or sentence table."""
    return [documents[d].text[start:end] for d, start, end in np.asarray(table).tolist()]


def _document(record: dict[str, Any]) -> Document:
    record["source_map"] = tuple(tuple(run) for run in record["source_map"])
    record["also_in"] = tuple(record.get("also_in") or ())
    return Document(**record)


def _files_of(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _describe(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_synced(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def _fsync_dir(path: Path) -> None:
    """Flush a folder's files and entries to disk, so a power cut cannot publish empty files."""
    for entry in [path, *path.rglob("*")]:
        fd = os.open(entry, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


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
