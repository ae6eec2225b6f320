"""Write an index version: its files, its manifest and digest, synced, read back and
verified, then swapped in as CURRENT; older versions are removed only after that."""

from __future__ import annotations

import os
import shutil
import time
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.errors import IndexCorruptError
from index.file_names import json_text
from index.records import Document, document_record
from index.stores.disk import (
    current_name,
    fsync_tree,
    point_current,
    remove_stale,
    sha256_bytes,
    sha256_file,
    write_synced,
)
from index.stores.manifest import Counts, FileEntry
from index.stores.passage_store import StoreSettings, release, serves_from_server, write_passages
from index.stores.versions import (
    MANIFEST,
    MANIFEST_DIGEST,
    MINHASH,
    PASSAGE_VECTORS,
    PASSAGES,
    SENTENCE_TERMS,
    IndexData,
    file_problems,
    read_manifest,
    span_texts,
)
from index.text.terms import TermTable


def write_index(index_dir: Path, data: IndexData, store: StoreSettings | None = None) -> Path:
    """Write `data` as a new version and make it current. Call under `write_lock`."""
    run = uuid.uuid4().hex[:12]
    replaced = current_name(index_dir)
    final = index_dir / f"v-{time.strftime('%Y%m%dT%H%M%S')}-{run[:6]}"
    tmp = index_dir / f".tmp-{run}"
    tmp.mkdir(parents=True)
    try:
        earlier = index_dir / replaced if replaced else None
        stored_in = _write_files(tmp, final.name, data, store or StoreSettings(), earlier)
        manifest = replace(
            data.manifest,
            created=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            counts=Counts(
                documents=len(data.documents),
                duplicates=sum(1 for d in data.documents if d.duplicate_of),
                passages=int(len(data.passages)),
                sentences=int(len(data.sentences)),
            ),
            store=stored_in,
            source_files=_source_files(data.documents),
            files={name: _describe(tmp / name) for name in _files_of(tmp)},
        )
        manifest_text = json_text(manifest.to_json(), indent=2)
        write_synced(tmp / MANIFEST, manifest_text)
        write_synced(tmp / MANIFEST_DIGEST, sha256_bytes(manifest_text.encode("utf-8")))
        fsync_tree(tmp)
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


def _write_files(
    folder: Path, name: str, data: IndexData, store: StoreSettings, earlier: Path | None
) -> dict:
    """The data files of a version; returns the passage store's description."""
    with open(folder / "documents.jsonl", "w", encoding="utf-8") as out:
        for doc in data.documents:
            out.write(json_text(document_record(doc)) + "\n")
    np.save(folder / PASSAGES, data.passages.astype(np.int64))
    np.save(folder / "sentences.npy", data.sentences.astype(np.int64))
    np.save(folder / "sentence_vectors.npy", data.sentence_vectors.astype(np.float32))
    np.save(folder / PASSAGE_VECTORS, data.passage_vectors.astype(np.float32))
    if data.minhash is not None:
        np.save(folder / MINHASH, data.minhash.astype(np.uint64))
    TermTable.of_texts(
        span_texts(data.documents, data.sentences),
        earlier / SENTENCE_TERMS if earlier else None,
    ).save(folder / SENTENCE_TERMS)
    return write_passages(
        folder,
        name,
        span_texts(data.documents, data.passages),
        data.passage_vectors,
        data.passages[:, 0] if len(data.passages) else np.zeros(0, dtype=np.int64),
        store,
        earlier,
    )


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


def _source_files(documents: list[Document]) -> tuple[str, ...]:
    """The files the articles were read from, absolute: what `qa doctor` reads again when
    documents.jsonl is damaged (articles added through the API are kept in added/ instead)."""
    paths = {doc.source.split("#", 1)[0] for doc in documents if not doc.source.startswith("api/")}
    return tuple(sorted(os.path.abspath(p) for p in paths))


def _files_of(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _describe(path: Path) -> FileEntry:
    return FileEntry(path.stat().st_size, sha256_file(path))
