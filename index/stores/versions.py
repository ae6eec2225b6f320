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
from dataclasses import dataclass, field
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
from index.records import Document, document_from_record, document_record
from index.stores.passage_store import (
    PassageStore,
    StoreSettings,
    open_passages,
    release,
    required_files,
    serves_from_server,
    write_passages,
)
from index.text.terms import TermTable

# 2: chunk vectors kept beside the FAISS index, for incremental builds
# 3: BM25 kept as term ids per passage and weights of our own, so that it too is incremental
FORMAT_VERSION = 3
CURRENT = "CURRENT"
SENTENCE_TERMS = "sentence_terms"  # a term table (index/terms.py), one row per sentence
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.json.sha256"  # covers the manifest, which covers every other file
DAMAGED = "damaged-"  # prefix of version folders set aside because they could not be read
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
    return (
        f"See what is damaged and repair it with: qa doctor --index {index_dir} --repair "
        f"(or rebuild it with: qa index PATH... --index {index_dir})"
    )


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


def write_index(index_dir: Path, data: IndexData, store: StoreSettings | None = None) -> Path:
    """Write `data` as a new version and make it current. Call under `write_lock`."""
    run = uuid.uuid4().hex[:12]
    replaced = current_name(index_dir)
    final = index_dir / f"v-{time.strftime('%Y%m%dT%H%M%S')}-{run[:6]}"
    tmp = index_dir / f".tmp-{run}"
    tmp.mkdir(parents=True)
    try:
        with open(tmp / "documents.jsonl", "w", encoding="utf-8") as out:
            for doc in data.documents:
                out.write(json.dumps(document_record(doc), ensure_ascii=False) + "\n")
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
            "source_files": _source_files(data.documents),
            "files": {name: _describe(tmp / name) for name in _files_of(tmp)},
        }
        manifest_text = json.dumps(manifest, indent=2, ensure_ascii=False)
        _write_synced(tmp / MANIFEST, manifest_text)
        _write_synced(tmp / MANIFEST_DIGEST, _sha256_text(manifest_text))
        _fsync_dir(tmp)
        os.rename(tmp, final)
        _verify_written(index_dir, final)  # read back from disk before it goes live
        point_current(index_dir, final)
    except BaseException:
        for folder in (tmp, final):
            if folder.exists() and current_name(index_dir) != final.name:
                release(folder)
                shutil.rmtree(folder, ignore_errors=True)
        raise
    # A Milvus-backed version stays one write longer: searches already running on it finish.
    grace = replaced if replaced and serves_from_server(index_dir / replaced) else None
    remove_stale(index_dir, keep=final.name, grace=grace)
    return final


def _verify_written(index_dir: Path, version: Path) -> None:
    """Every file of a new version as its manifest says, read back: only then does it go live
    and older versions get removed."""
    _, manifest = read_manifest(index_dir, version)
    problems = file_problems(version, manifest)
    if problems:
        raise IndexCorruptError(
            f"The new index version at {version} did not verify ({problems[0]}); the index "
            "is unchanged. Check the disk, then run the command again."
        )


def current_name(index_dir: Path) -> str | None:
    """The name CURRENT gives, or None when it is missing, empty or not UTF-8."""
    try:
        return (index_dir / CURRENT).read_bytes().decode("utf-8").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def current_version(index_dir: Path) -> Path:
    """The live version folder, or IndexMissingError naming the command that builds one."""
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        raise IndexMissingError(
            f"No index at {index_dir}. Build one with: qa index seeds/ --index {index_dir}"
        )
    name = current_name(index_dir) or ""
    version = index_dir / name
    if not name.startswith("v-") or "/" in name or not version.is_dir():
        raise IndexCorruptError(
            f"The index at {index_dir} has a damaged CURRENT file: it names no version folder. "
            f"{_rebuild_hint(index_dir)}"
        )
    return version


def read_manifest(index_dir: Path, version: Path | None = None) -> tuple[Path, dict[str, Any]]:
    """The manifest of the live version (or of `version`), checked against its digest."""
    version = version or current_version(index_dir)
    try:
        raw = (version / MANIFEST).read_bytes()
        digest = version / MANIFEST_DIGEST
        if digest.exists() and digest.read_text(encoding="ascii").strip() != _sha256_bytes(raw):
            raise ValueError("it does not match its checksum")
        manifest = json.loads(raw.decode("utf-8"))
        if not isinstance(manifest, dict):
            raise ValueError("not an object")
        _check_manifest(manifest)
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"The index at {index_dir} has an unreadable manifest ({exc}). {_rebuild_hint(index_dir)}"
        ) from None
    found = manifest.get("format_version")
    if found != FORMAT_VERSION:
        raise IndexIncompatibleError(
            f"The index at {index_dir} has format version {found!r}; this qa reads version "
            f"{FORMAT_VERSION}. Rebuild it with: qa index PATH... --index {index_dir}"
        )
    return version, manifest


def _check_manifest(manifest: dict[str, Any]) -> None:
    """The fields every reader relies on have the types it expects (ValueError if not)."""
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("bytes"), int) and isinstance(v.get("sha256"), str)
        for v in files.values()
    ):
        raise ValueError("its file list is malformed")
    if not isinstance(manifest.get("dimension"), int) or not isinstance(manifest.get("model"), str):
        raise ValueError("its model or dimension is malformed")
    for name in ("counts", "chunking"):
        if not isinstance(manifest.get(name, {}), dict):
            raise ValueError(f"its {name} entry is malformed")


def load_index(index_dir: Path, *, verify: bool = True, version: Path | None = None) -> StoredIndex:
    """Load the live version (or `version`); damaged or missing files raise IndexCorruptError,
    never a wrong answer."""
    version, manifest = read_manifest(index_dir, version)
    files = manifest["files"]
    problems = file_problems(version, manifest, verify=verify)
    if problems:
        raise IndexCorruptError(
            f"The index at {index_dir} is damaged: {problems[0]}. {_rebuild_hint(index_dir)}"
        )
    missing = [name for name in (*_DATA_FILES, *required_files(manifest)) if name not in files]
    if missing:
        raise IndexCorruptError(
            f"The index at {index_dir} lacks {', '.join(missing)}. {_rebuild_hint(index_dir)}"
        )
    try:
        documents = [
            document_from_record(json.loads(line))
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


def file_problems(version: Path, manifest: dict[str, Any], *, verify: bool = True) -> list[str]:
    """What is wrong with the version's files against its manifest, one line a file."""
    problems = []
    for name, expected in manifest["files"].items():
        path = version / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != expected["bytes"]:
            problems.append(
                f"{name} is truncated or extended ({path.stat().st_size} bytes, not {expected['bytes']})"
            )
        elif verify and _sha256(path) != expected["sha256"]:
            problems.append(f"{name} does not match its checksum")
    return problems


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


def _source_files(documents: list[Document]) -> list[str]:
    """The files the articles were read from, absolute: what `qa doctor` reads again when
    documents.jsonl is damaged (articles added through the API are kept in added/ instead)."""
    paths = {doc.source.split("#", 1)[0] for doc in documents if not doc.source.startswith("api/")}
    return sorted(os.path.abspath(p) for p in paths)


def _files_of(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _describe(path: Path) -> dict[str, Any]:
    return {"bytes": path.stat().st_size, "sha256": _sha256(path)}


def _sha256_text(text: str) -> str:
    return _sha256_bytes(text.encode("utf-8"))


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def point_current(index_dir: Path, version: Path) -> None:
    """Make `version` (a folder in `index_dir`) the live one, atomically."""
    _write_synced(index_dir / f"{CURRENT}.tmp", version.name)
    os.replace(index_dir / f"{CURRENT}.tmp", index_dir / CURRENT)
    _fsync_dir(index_dir)
