"""Write a new index version from documents: reuse what the live one embedded, embed the
rest, mark near-duplicates, and store it all (index/stores/versions.py swaps it in)."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.build.embedding import EmbeddedDocument, Embedder
from index.build.report import BuildReport
from index.build.reuse import (
    check_unique_ids,
    count_duplicates,
    mark_duplicates,
    reusable,
    same_documents,
    signatures,
    text_key,
)
from index.build.settings import SENTENCE_VECTORS, SPLITTER, BuildSettings, is_current
from index.encoders.loading import get_encoder
from index.errors import IndexMissingError, QAError, StoreUnavailableError
from index.ingest.raw import Skipped
from index.records import Document
from index.stores.disk import remove_stale, set_aside
from index.stores.manifest import Manifest, SkippedFile, Splitting
from index.stores.passage_store import check_reachable
from index.stores.versions import IndexData, StoredIndex, load_index
from index.stores.writer import write_index

log = logging.getLogger(__name__)


def live_index(target: Path, *, rebuilding: bool) -> StoredIndex | None:
    """The current index, or None when there is none.

    An index that exists but cannot be read (damaged, another format, another model) is
    never treated as empty: an update refuses with the fix, and a full rebuild first moves
    its versions aside (`damaged-<version>`), so no article in them is ever deleted.
    """
    try:
        return load_index(target)
    except StoreUnavailableError:
        raise  # the index is fine, its server is not: rebuilding would not help
    except IndexMissingError:
        return None
    except QAError as exc:
        if not rebuilding:
            raise type(exc)(f"{exc} Nothing was changed.") from None
        moved = set_aside(target)
        log.warning(
            "the index at %s could not be read (%s); kept its versions as %s",
            target,
            exc,
            ", ".join(moved),
        )
        return None


def unchanged_report(
    previous: StoredIndex, target: Path, skipped: tuple[Skipped, ...], seconds: float
) -> BuildReport:
    return BuildReport(
        target,
        len(previous.documents),
        count_duplicates(previous.documents),
        len(previous.passages),
        len(previous.sentences),
        skipped,
        seconds,
        unchanged=True,
    )


@dataclass(frozen=True, slots=True)
class Contents:
    """What a new version is to hold, and what is known of it already."""

    documents: list[Document]
    skipped: tuple[Skipped, ...] = ()  # files the build could not use, kept in the manifest
    signatures: dict[str, np.ndarray] = field(default_factory=dict)  # MinHash by text key
    sources: dict[str, Any] | None = None  # fingerprints of the files read (ingest/sources)


def write_version(
    contents: Contents,
    target: Path,
    settings: BuildSettings,
    previous: StoredIndex | None,
    embedder: Embedder,
    progress: bool | None = None,
) -> BuildReport:
    """Make the contents the live index (under the write lock), or say nothing changed."""
    started = time.perf_counter()
    documents, skipped = contents.documents, contents.skipped
    check_unique_ids(documents)
    check_reachable(settings.store)  # before minutes of embedding, not after
    if (
        previous is not None
        and is_current(previous, settings)
        and same_documents(previous.documents, documents)
    ):
        remove_stale(target, keep=previous.path.name)  # leftovers of a run killed after its swap
        return unchanged_report(previous, target, skipped, time.perf_counter() - started)
    keys = [text_key(d.text) for d in documents]
    minhash = signatures(documents, keys, previous, contents.signatures)
    documents = mark_duplicates(documents, minhash)
    found = reusable(previous, settings)
    parts: dict[int, EmbeddedDocument] = {}
    todo: list[int] = []
    for row, doc in enumerate(documents):
        if doc.duplicate_of:
            continue  # cited through its first copy's "also in"
        if keys[row] in found:
            parts[row] = found[keys[row]]
        else:
            todo.append(row)
    if todo:
        parts.update(embedder(documents, todo, settings, progress))
    dimension = (
        int(parts[todo[0]].passage_vectors.shape[1]) if todo else _dimension(previous, settings)
    )
    manifest = Manifest(
        model=settings.model,
        dimension=dimension,
        splitting=Splitting(SPLITTER, settings.chunk_size, settings.chunk_overlap),
        precision=settings.precision,
        sentence_vectors=SENTENCE_VECTORS,
        skipped=tuple(SkippedFile(s.source, s.reason) for s in skipped),
        sources=contents.sources,
        abstention=config.abstention_settings(),
    )
    data = _stacked(documents, parts, manifest, minhash)
    write_index(target, data, settings.store)
    return BuildReport(
        index_dir=target,
        documents=len(documents),
        duplicates=count_duplicates(documents),
        passages=len(data.passages),
        sentences=len(data.sentences),
        skipped=skipped,
        seconds=time.perf_counter() - started,
        embedded=len(todo),
    )


def _stacked(
    documents: list[Document],
    parts: dict[int, EmbeddedDocument],
    manifest: Manifest,
    minhash: np.ndarray,
) -> IndexData:
    """The documents' passages and sentences as tables of (document row, start, end), and
    their vectors, in document order."""
    rows = sorted(parts)

    def spans(name: str) -> np.ndarray:
        tables = [getattr(parts[r], name) for r in rows]
        if not tables:
            return np.zeros((0, 3), np.int64)
        owners = np.concatenate([np.full(len(t), r) for r, t in zip(rows, tables, strict=True)])
        return np.column_stack([owners, np.concatenate(tables)]).astype(np.int64).reshape(-1, 3)

    def vectors(name: str) -> np.ndarray:
        arrays = [getattr(parts[r], name) for r in rows]
        if not arrays:
            return np.zeros((0, manifest.dimension), np.float32)
        return np.concatenate(arrays).astype(np.float32)

    return IndexData(
        documents=documents,
        passages=spans("passages"),
        sentences=spans("sentences"),
        passage_vectors=vectors("passage_vectors"),
        sentence_vectors=vectors("sentence_vectors"),
        manifest=manifest,
        minhash=minhash,
    )


def _dimension(previous: StoredIndex | None, settings: BuildSettings) -> int:
    if previous is not None and previous.manifest.model == settings.model:
        return previous.manifest.dimension
    return get_encoder(settings.model).dimension
