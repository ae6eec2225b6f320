"""Build an index: read, clean, describe, de-duplicate, chunk, embed, store.

Builds are incremental: a document whose cleaned text is already in the live index keeps its
passages and vectors, so re-running on an unchanged corpus embeds nothing and adding one
article embeds only that article. BM25 and FAISS are rewritten from the full set every time,
so both always cover exactly the same passages.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.encoders.loading import get_encoder
from index.errors import (
    IndexCorruptError,
    IndexMissingError,
    InvalidInputError,
    QAError,
    StoreUnavailableError,
)
from index.ingest.clean import clean
from index.ingest.files import RawArticle, Skipped, iter_files, read_file, unique_id
from index.ingest.metadata import extract_metadata
from index.ingest.sources import describe_sources
from index.records import Document
from index.stores.kept import forget, kept_documents, kept_until_written
from index.stores.passage_store import StoreSettings, check_reachable, store_settings
from index.stores.versions import (
    CURRENT,
    IndexData,
    StoredIndex,
    load_index,
    remove_stale,
    set_aside,
    write_index,
    write_lock,
)
from index.text.dedup import PERMUTATIONS, find_duplicates, signature
from index.text.passages import check_chunking, chunk_spans
from index.text.sentences import nested, sentence_units

log = logging.getLogger(__name__)

NO_TEXT_LEFT = "no article text left after removing page furniture"


@dataclass(frozen=True, slots=True)
class BuildReport:
    index_dir: Path
    documents: int
    duplicates: int
    chunks: int
    sentences: int
    skipped: tuple[Skipped, ...]
    seconds: float
    embedded: int = 0  # documents whose vectors were computed; the others were reused
    resumed: int = 0  # of those, computed by an earlier, interrupted run (--engine ray)
    removed: int = 0
    kept: int = 0  # articles added by `qa add` or the API, kept through this rebuild
    pruned: int = 0  # such articles dropped because the build was asked to prune them
    unchanged: bool = False  # nothing to do: the index already held exactly these documents


def prepare_document(raw: RawArticle) -> Document | None:
    """Clean one article and read its metadata; None when no article text remains."""
    body = clean(raw.extracted)
    if not body.text.strip():
        return None
    meta = extract_metadata(raw.extracted.text, body.text, raw.fields)
    return Document(
        doc_id=raw.doc_id,
        source=raw.source,
        title=meta.title,
        outlet=meta.outlet,
        author=meta.author,
        published=meta.published,
        text=body.text,
        source_map=body.runs(),
        content_hash=hashlib.sha256(raw.original.encode("utf-8", "surrogatepass")).hexdigest(),
        encoding=raw.encoding,
    )


def build_index(
    paths: Iterable[str | os.PathLike[str]],
    index_dir: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    chunk_size: int = config.DEFAULT_CHUNK_SIZE,
    chunk_overlap: int = config.DEFAULT_CHUNK_OVERLAP,
    batch_size: int = config.DEFAULT_BATCH_SIZE,
    precision: str | None = None,
    progress: bool | None = None,
    store: StoreSettings | None = None,
    prune: bool = False,
) -> BuildReport:
    """Index every supported file under `paths` into `index_dir`: the index then holds exactly
    them, plus the articles added by `qa add` or the API unless `prune` drops those.

    `store` says where passages are searched (FAISS + BM25 files by default, or Milvus; see
    index/passage_store.py); without it, $QA_STORE or the live index's choice holds.

    Example:
        build_index(["seeds/"], ".qa-index")
    """
    started = time.perf_counter()
    paths = list(paths)
    if not paths:
        raise InvalidInputError("Give at least one file or folder to index, e.g.: qa index seeds/")
    check_chunking(chunk_size, chunk_overlap)
    files = list(iter_files(paths))
    sources = describe_sources(files)
    settings = {
        "model": model,
        "chunk_size": chunk_size,
        "chunk_overlap": chunk_overlap,
        "batch_size": batch_size,
        "precision": precision,
        "store": store,
    }
    target = config.index_dir(index_dir)
    current = None if prune else _unchanged_sources(target, sources, settings)
    if current is not None:
        return replace(current, seconds=time.perf_counter() - started)
    documents, skipped = read_documents(files)
    if not documents:
        given = ", ".join(str(p) for p in paths)
        raise InvalidInputError(
            f"No articles to index in {given} (supported: .txt, .md, .html, .jsonl)."
        )
    report = index_documents(
        documents,
        index_dir,
        model=model,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        batch_size=batch_size,
        precision=precision,
        progress=progress,
        skipped=skipped,
        store=store,
        sources=sources,
        prune=prune,
    )
    return replace(report, seconds=time.perf_counter() - started)


def _unchanged_sources(
    target: Path, sources: dict[str, Any], arguments: dict[str, Any]
) -> BuildReport | None:
    """The report of a build with nothing to do, when the live index was built from exactly
    these files (same bytes, same code) with these settings; else None."""
    if not (target / CURRENT).is_file():
        return None
    with write_lock(target):
        previous = _live_index(target, rebuilding=True)
        if previous is None or previous.manifest.get("sources") != sources:
            return None
        if not _is_current(previous, _settings(previous, **arguments)):
            return None
        remove_stale(target, keep=previous.path.name)  # leftovers of a run killed after its swap
        skipped = tuple(
            Skipped(s["source"], s["reason"]) for s in previous.manifest.get("skipped", [])
        )
        kept, _ = kept_documents(target)
        return replace(_unchanged_report(previous, target, skipped, 0.0), kept=len(kept))


def read_documents(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Document], list[Skipped]]:
    """Read and clean every supported file; articles with no text left are reported as skipped."""
    return collect_documents(prepare_file(path) for path in iter_files(paths))


def prepare_file(path: Path) -> list[Document | Skipped]:
    """Read and clean one file's articles (ids unique within it), or say why each was skipped."""
    prepared: list[Document | Skipped] = []
    for item in read_file(path):
        if isinstance(item, Skipped):
            prepared.append(item)
            continue
        doc = prepare_document(item)
        prepared.append(doc if doc is not None else Skipped(item.source, NO_TEXT_LEFT))
    return prepared


def collect_documents(
    per_file: Iterable[Sequence[Document | Skipped]],
) -> tuple[list[Document], list[Skipped]]:
    """Files' prepared articles in order, with ids made unique across files."""
    documents: list[Document] = []
    skipped: list[Skipped] = []
    used: set[str] = set()
    for items in per_file:
        for item in items:
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            doc_id = unique_id(item.doc_id, item.source, used)
            documents.append(item if doc_id == item.doc_id else replace(item, doc_id=doc_id))
    return documents, skipped


def index_documents(
    documents: list[Document],
    index_dir: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    chunk_size: int = config.DEFAULT_CHUNK_SIZE,
    chunk_overlap: int = config.DEFAULT_CHUNK_OVERLAP,
    batch_size: int = config.DEFAULT_BATCH_SIZE,
    precision: str | None = None,
    progress: bool | None = None,
    skipped: Iterable[Skipped] = (),
    store: StoreSettings | None = None,
    embedder: Embedder | None = None,
    signatures: dict[str, np.ndarray] | None = None,
    sources: dict[str, Any] | None = None,
    prune: bool = False,
) -> BuildReport:
    """Make the index hold exactly `documents` (already clean), reusing what it already embedded,
    plus the articles added by `qa add` or the API (index/kept.py) unless `prune` drops them.

    `embedder` splits and embeds the documents that need it (default: in this process);
    `signatures` are MinHash signatures already computed, by cleaned-text hash; `sources`
    describes the files the documents were read from (index/sources.py), for the manifest.
    """
    target = config.index_dir(index_dir)
    with write_lock(target):
        previous = _live_index(target, rebuilding=True)
        documents, kept, pruned = _with_kept(target, documents, prune)
        settings = _settings(
            previous, model, chunk_size, chunk_overlap, batch_size, precision, store
        )
        report = _write(
            documents,
            target,
            settings,
            previous,
            tuple(skipped),
            progress,
            embedder or embed_here,
            signatures or {},
            sources,
        )
        forget(target, pruned)  # only once the version without them is live
        return replace(report, kept=kept, pruned=len(pruned))


def _with_kept(
    target: Path, documents: list[Document], prune: bool
) -> tuple[list[Document], int, list[str]]:
    """The documents plus the kept ones (a kept article replaces a file's of the same id);
    with `prune`, the documents alone and the ids whose kept files are to be deleted."""
    kept, unreadable = kept_documents(target)
    if unreadable and not prune:
        raise IndexCorruptError(
            f"Some articles added to the index at {target} cannot be read, so a rebuild would "
            f"lose them: {unreadable[0]}. Mend or delete the file, or rebuild with --prune."
        )
    if prune:
        return documents, 0, [d.doc_id for d in kept]
    replaced = {d.doc_id for d in kept}
    return [d for d in documents if d.doc_id not in replaced] + kept, len(kept), []


def update_index(
    index_dir: str | os.PathLike[str] | None = None,
    *,
    add: Sequence[Document] = (),
    remove: Collection[str] = (),
    progress: bool | None = None,
    embedder: Embedder | None = None,
) -> BuildReport:
    """Add or replace (same doc_id) documents and remove others, in one atomic step.

    Unknown ids in `remove` raise InvalidInputError and change nothing. `embedder` as for
    `index_documents`.
    """
    embedder = embedder or embed_here
    target = config.index_dir(index_dir)
    with write_lock(target):
        previous = _live_index(target, rebuilding=False)
        if previous is None:
            if remove or not add:
                raise IndexMissingError(
                    f"No index at {target}. Build one with: qa index seeds/ --index {target}"
                )
            settings = _settings(
                None,
                None,
                config.DEFAULT_CHUNK_SIZE,
                config.DEFAULT_CHUNK_OVERLAP,
                config.DEFAULT_BATCH_SIZE,
                None,
                None,
            )
            with kept_until_written(target, add):
                return _write(list(add), target, settings, None, (), progress, embedder, {})
        known = {d.doc_id for d in previous.documents}
        unknown = sorted(set(remove) - known)
        if unknown:
            raise InvalidInputError(f"No document with id {unknown[0]!r} in the index at {target}.")
        replaced = {d.doc_id for d in add}
        kept = [
            d for d in previous.documents if d.doc_id not in replaced and d.doc_id not in remove
        ]
        manifest = previous.manifest
        chunking = manifest.get("chunking") or {}
        settings = _settings(
            previous,
            str(manifest.get("model")),
            int(chunking.get("size", config.DEFAULT_CHUNK_SIZE)),
            int(chunking.get("overlap", config.DEFAULT_CHUNK_OVERLAP)),
            config.DEFAULT_BATCH_SIZE,
            None,
            None,
        )
        skipped = tuple(Skipped(s["source"], s["reason"]) for s in manifest.get("skipped", []))
        with kept_until_written(target, add):
            report = _write(
                [_undup(d) for d in kept] + list(add),
                target,
                settings,
                previous,
                skipped,
                progress,
                embedder,
                {},
            )
        forget(target, remove)  # once the version without them is live
        return replace(report, removed=len(set(remove)))


# How sentence vectors are made; an index made otherwise has its vectors made again.
SENTENCE_VECTORS = "pooled from passage tokens; attributions alone"


@dataclass(frozen=True, slots=True)
class BuildSettings:
    model: str
    chunk_size: int
    chunk_overlap: int
    batch_size: int
    store: StoreSettings
    precision: str  # see config.PRECISIONS; vectors of either precision are reused alike


@dataclass(frozen=True, slots=True)
class EmbeddedDocument:
    """One document's passages and sentences with their vectors, as stored in an index."""

    chunks: np.ndarray  # (n, 2) start, end
    sentences: np.ndarray  # (m, 2) start, end
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray


# Splits and embeds the documents at the given rows: (documents, rows, settings, progress).
Embedder = Callable[
    [list[Document], list[int], BuildSettings, "bool | None"], dict[int, EmbeddedDocument]
]


def _stored_in(previous: StoredIndex | None) -> dict | None:
    """The live index's store settings, which later builds keep unless told otherwise."""
    return previous.manifest.get("store") if previous is not None else None


def _settings(
    previous: StoredIndex | None,
    model: str | None,
    chunk_size: int,
    chunk_overlap: int,
    batch_size: int,
    precision: str | None,
    store: StoreSettings | None,
) -> BuildSettings:
    """A build's settings: the arguments, else the environment, else the live index's store."""
    return BuildSettings(
        config.model_name(model),
        chunk_size,
        chunk_overlap,
        batch_size,
        store or store_settings(previous=_stored_in(previous)),
        config.precision(precision),
    )


def _is_current(previous: StoredIndex, settings: BuildSettings) -> bool:
    """Whether the live index was built as `settings` would build it, with today's abstention."""
    return (
        _built_alike(previous, settings)
        and _same_store(previous, settings.store)
        and previous.manifest.get("abstention") == config.abstention_settings()
    )


def _unchanged_report(
    previous: StoredIndex, target: Path, skipped: tuple[Skipped, ...], seconds: float
) -> BuildReport:
    return BuildReport(
        target,
        len(previous.documents),
        _count_duplicates(previous.documents),
        len(previous.chunks),
        len(previous.sentences),
        skipped,
        seconds,
        unchanged=True,
    )


def _live_index(target: Path, *, rebuilding: bool) -> StoredIndex | None:
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


def _write(
    documents: list[Document],
    target: Path,
    settings: BuildSettings,
    previous: StoredIndex | None,
    skipped: tuple[Skipped, ...],
    progress: bool | None,
    embedder: Embedder,
    signatures: dict[str, np.ndarray],
    sources: dict[str, Any] | None = None,
) -> BuildReport:
    started = time.perf_counter()
    _check_unique_ids(documents)
    check_reachable(settings.store)  # before minutes of embedding, not after
    if (
        previous is not None
        and _is_current(previous, settings)
        and _same_documents(previous.documents, documents)
    ):
        remove_stale(target, keep=previous.path.name)  # leftovers of a run killed after its swap
        return _unchanged_report(previous, target, skipped, time.perf_counter() - started)
    keys = [text_key(d.text) for d in documents]
    minhash = _signatures(documents, keys, previous, signatures)
    documents = _mark_duplicates(documents, minhash)
    reusable = _reusable(previous, settings)
    parts: dict[int, EmbeddedDocument] = {}
    todo: list[int] = []
    for row, doc in enumerate(documents):
        if doc.duplicate_of:
            continue  # cited through its first copy's "also in"
        found = reusable.get(keys[row])
        if found is not None:
            parts[row] = found
        else:
            todo.append(row)
    if todo:
        parts.update(embedder(documents, todo, settings, progress))
    rows = sorted(parts)
    dimension = (
        _dimension(previous, settings) if not todo else int(parts[todo[0]].chunk_vectors.shape[1])
    )

    def stacked(name: str, width: int, dtype: type) -> np.ndarray:
        arrays = [getattr(parts[r], name) for r in rows]
        return np.concatenate(arrays).astype(dtype) if arrays else np.zeros((0, width), dtype)

    def with_rows(name: str) -> np.ndarray:
        table = stacked(name, 2, np.int64)
        owners = (
            np.concatenate([np.full(len(getattr(parts[r], name)), r) for r in rows])
            if rows
            else np.zeros(0)
        )
        return np.column_stack([owners.astype(np.int64), table]).reshape(-1, 3)

    data = IndexData(
        documents=documents,
        chunks=with_rows("chunks"),
        sentences=with_rows("sentences"),
        chunk_vectors=stacked("chunk_vectors", dimension, np.float32),
        sentence_vectors=stacked("sentence_vectors", dimension, np.float32),
        settings={
            "model": settings.model,
            "dimension": dimension,
            "chunking": {
                "splitter": "langchain_text_splitters.RecursiveCharacterTextSplitter",
                "size": settings.chunk_size,
                "overlap": settings.chunk_overlap,
            },
            "precision": settings.precision,
            "sentence_vectors": SENTENCE_VECTORS,
            "skipped": [{"source": s.source, "reason": s.reason} for s in skipped],
            **({"sources": sources} if sources else {}),
            "abstention": config.abstention_settings(),
        },
        minhash=minhash,
    )
    write_index(target, data, settings.store)
    return BuildReport(
        index_dir=target,
        documents=len(documents),
        duplicates=_count_duplicates(documents),
        chunks=len(data.chunks),
        sentences=len(data.sentences),
        skipped=skipped,
        seconds=time.perf_counter() - started,
        embedded=len(todo),
    )


def embed_here(
    documents: list[Document], rows: list[int], settings: BuildSettings, progress: bool | None
) -> dict[int, EmbeddedDocument]:
    """Split and embed the given documents in this process."""
    texts = [documents[r].text for r in rows]
    done = embed_split(texts, [split_document(t, settings) for t in texts], settings, progress)
    return dict(zip(rows, done, strict=True))


def split_document(text: str, settings: BuildSettings) -> tuple[np.ndarray, np.ndarray]:
    """A cleaned article's passage spans and sentence spans (with attribution parts, see
    `sentence_units`), each int64 (n, 2): start, end."""
    chunks = chunk_spans(text, size=settings.chunk_size, overlap=settings.chunk_overlap)
    return (
        np.asarray(chunks, dtype=np.int64).reshape(-1, 2),
        np.asarray(sentence_units(text), dtype=np.int64).reshape(-1, 2),
    )


def embed_split(
    texts: Sequence[str],
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    settings: BuildSettings,
    progress: bool | None = False,
) -> list[EmbeddedDocument]:
    """Vectors for split articles, from one encoder pass over the passages.

    Each sentence's vector is pooled from the tokens of the passage that holds most of it
    (`Encoder.encode_with_spans`). Encoded on their own: a quoting sentence's attribution
    parts, whose point is to be read apart from the quotation; sentences no passage token
    covers; and every sentence with a model that does not mean-pool.
    """
    chunk_texts = [t[s:e] for t, (c, _) in zip(texts, splits, strict=True) for s, e in c]
    sentence_texts = [t[s:e] for t, (_, z) in zip(texts, splits, strict=True) for s, e in z]
    log.info("embedding %d passages and %d sentences", len(chunk_texts), len(sentence_texts))
    encoder = get_encoder(settings.model, settings.precision)
    batch = settings.batch_size
    sentence_vectors = np.zeros((len(sentence_texts), encoder.dimension), np.float32)
    if encoder.pools_token_means:
        spans, owners = _sentences_by_passage(splits)
        chunk_vectors, pooled, missing = encoder.encode_with_spans(
            chunk_texts, spans, batch_size=batch, progress=progress
        )
        sentence_vectors[owners] = pooled
        alone = np.setdiff1d(np.arange(len(sentence_texts)), owners[~missing])
    else:
        chunk_vectors = encoder.encode(chunk_texts, batch_size=batch, progress=progress)
        alone = np.arange(len(sentence_texts))
    if len(alone):
        sentence_vectors[alone] = encoder.encode(
            [sentence_texts[i] for i in alone], batch_size=batch, progress=progress
        )
    out: list[EmbeddedDocument] = []
    c = z = 0
    for chunks, sentences in splits:
        out.append(
            EmbeddedDocument(
                chunks,
                sentences,
                chunk_vectors[c : c + len(chunks)],
                sentence_vectors[z : z + len(sentences)],
            )
        )
        c, z = c + len(chunks), z + len(sentences)
    return out


def _sentences_by_passage(
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[list[np.ndarray], np.ndarray]:
    """For each passage (in order over all articles), the spans of the sentences it holds the
    most of, relative to the passage and cut to it; and those sentences' numbers, in the same
    order. A sentence no passage overlaps, and an attribution part, are left out."""
    spans: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    first_sentence = 0
    for chunks, sentences in splits:
        if len(chunks):  # an article with no passage has its sentences encoded alone
            overlap = np.minimum(sentences[:, 1:], chunks[:, 1]) - np.maximum(
                sentences[:, :1], chunks[:, 0]
            )
            best = overlap.argmax(axis=1)
            held = (overlap[np.arange(len(sentences)), best] > 0) & ~nested(sentences)
            for j, (start, end) in enumerate(chunks):
                mine = np.flatnonzero(held & (best == j))
                spans.append(np.clip(sentences[mine], start, end) - start)
                owners.append(first_sentence + mine)
        first_sentence += len(sentences)
    joined = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    return spans, joined.astype(np.int64)


def _reusable(previous: StoredIndex | None, settings: BuildSettings) -> dict[str, EmbeddedDocument]:
    """Cleaned-text hash -> stored passages and vectors, when the live index was built alike."""
    if previous is None or not _built_alike(previous, settings):
        return {}
    chunk_vectors = previous.chunk_vectors
    by_doc_chunks = _rows_by_document(previous.chunks)
    by_doc_sentences = _rows_by_document(previous.sentences)
    out: dict[str, EmbeddedDocument] = {}
    for row, doc in enumerate(previous.documents):
        if row not in by_doc_chunks:
            continue
        c, s = by_doc_chunks[row], by_doc_sentences.get(row, np.zeros(0, dtype=np.int64))
        out[text_key(doc.text)] = EmbeddedDocument(
            previous.chunks[c, 1:],
            previous.sentences[s, 1:],
            np.asarray(chunk_vectors[c]),
            np.asarray(previous.sentence_vectors[s]),
        )
    return out


def _built_alike(previous: StoredIndex, settings: BuildSettings) -> bool:
    """Whether the live index's passages and vectors are what `settings` would make."""
    chunking = previous.manifest.get("chunking") or {}
    return (
        previous.manifest.get("model") == settings.model
        and previous.manifest.get("sentence_vectors") == SENTENCE_VECTORS
        and chunking.get("size") == settings.chunk_size
        and chunking.get("overlap") == settings.chunk_overlap
    )


def _same_store(previous: StoredIndex, store: StoreSettings) -> bool:
    stored_in = previous.manifest.get("store") or {}
    return all(stored_in.get(key) == value for key, value in store.describe().items())


def _rows_by_document(table: np.ndarray) -> dict[int, np.ndarray]:
    if not len(table):
        return {}
    docs, first, counts = np.unique(table[:, 0], return_index=True, return_counts=True)
    return {int(d): np.arange(f, f + n) for d, f, n in zip(docs, first, counts, strict=True)}


def _dimension(previous: StoredIndex | None, settings: BuildSettings) -> int:
    if previous is not None and previous.manifest.get("model") == settings.model:
        return int(previous.manifest["dimension"])
    return get_encoder(settings.model).dimension


def _same_documents(old: list[Document], new: list[Document]) -> bool:
    return len(old) == len(new) and [_undup(d) for d in old] == [_undup(d) for d in new]


def _undup(doc: Document) -> Document:
    """The document without what near-duplicate detection added (it is redone per build)."""
    if doc.duplicate_of is None and not doc.also_in:
        return doc
    return replace(doc, duplicate_of=None, also_in=())


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _check_unique_ids(documents: list[Document]) -> None:
    seen: set[str] = set()
    for doc in documents:
        if doc.doc_id in seen:
            raise InvalidInputError(
                f"Two documents have the id {doc.doc_id!r}; ids must be unique."
            )
        seen.add(doc.doc_id)


def _count_duplicates(documents: list[Document]) -> int:
    return sum(1 for d in documents if d.duplicate_of)


def _signatures(
    documents: list[Document],
    keys: list[str],
    previous: StoredIndex | None,
    given: dict[str, np.ndarray],
) -> np.ndarray:
    """MinHash signatures of every document (`keys`: their text keys), reusing given ones
    and the live index's."""
    known: dict[str, np.ndarray] = dict(given)
    if previous is not None and previous.minhash is not None:
        known.update(
            (text_key(d.text), previous.minhash[row]) for row, d in enumerate(previous.documents)
        )
    rows = [known.get(key) for key in keys]
    return np.array(
        [
            row if row is not None else signature(d.text)
            for row, d in zip(rows, documents, strict=True)
        ],
        dtype=np.uint64,
    ).reshape(-1, PERMUTATIONS)


def _mark_duplicates(documents: list[Document], minhash: np.ndarray) -> list[Document]:
    """Near-duplicates point at their first copy, which lists where else it appears."""
    duplicate_of = find_duplicates([d.text for d in documents], signatures=minhash)
    also_in: dict[int, list[str]] = {}
    for copy, original in duplicate_of.items():
        also_in.setdefault(original, []).append(documents[copy].source)
    marked = []
    for i, doc in enumerate(documents):
        first = documents[duplicate_of[i]].doc_id if i in duplicate_of else None
        copies = tuple(also_in.get(i, ()))
        unchanged = doc.duplicate_of == first and doc.also_in == copies
        marked.append(doc if unchanged else replace(doc, duplicate_of=first, also_in=copies))
    return marked
