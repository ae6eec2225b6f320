"""Build an index: read, clean, describe, de-duplicate, chunk, embed, store."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index import config
from index.chunk import chunk_spans
from index.clean import clean
from index.dedup import find_duplicates
from index.embed import get_encoder
from index.errors import InvalidInputError
from index.ingest import RawArticle, Skipped, read_corpus
from index.metadata import extract_metadata
from index.records import Document
from index.sentences import split_sentences
from index.store import IndexData, write_index, write_lock

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildReport:
    index_dir: Path
    documents: int
    duplicates: int
    chunks: int
    sentences: int
    skipped: tuple[Skipped, ...]
    seconds: float


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
    progress: bool | None = None,
) -> BuildReport:
    """Index every supported file under `paths` into `index_dir`, replacing what was there.

    Example:
        build_index(["seeds/"], ".qa-index")
    """
    started = time.perf_counter()
    target = config.index_dir(index_dir)
    model_name = config.model_name(model)
    paths = list(paths)
    if not paths:
        raise InvalidInputError("Give at least one file or folder to index, e.g.: qa index seeds/")
    chunk_spans("", size=chunk_size, overlap=chunk_overlap)  # validates the settings early
    raws, skipped = read_corpus(paths)
    documents: list[Document] = []
    for raw in raws:
        doc = prepare_document(raw)
        if doc is None:
            skipped.append(
                Skipped(raw.source, "no article text left after removing page furniture")
            )
        else:
            documents.append(doc)
    if not documents:
        given = ", ".join(str(p) for p in paths)
        raise InvalidInputError(
            f"No articles to index in {given} (supported: .txt, .md, .html, .jsonl)."
        )
    report = index_documents(
        documents,
        target,
        model=model_name,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        batch_size=batch_size,
        progress=progress,
        skipped=skipped,
    )
    return replace(report, seconds=time.perf_counter() - started)


def index_documents(
    documents: list[Document],
    index_dir: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    chunk_size: int = config.DEFAULT_CHUNK_SIZE,
    chunk_overlap: int = config.DEFAULT_CHUNK_OVERLAP,
    batch_size: int = config.DEFAULT_BATCH_SIZE,
    progress: bool | None = None,
    skipped: Iterable[Skipped] = (),
) -> BuildReport:
    """Index documents that are already clean (e.g. benchmark passages), replacing what was there."""
    started = time.perf_counter()
    target = config.index_dir(index_dir)
    model_name = config.model_name(model)
    skipped = tuple(skipped)
    documents = _mark_duplicates(documents)
    chunks, sentences = _segment(documents, chunk_size, chunk_overlap)
    encoder = get_encoder(model_name)
    chunk_texts = [documents[d].text[s:e] for d, s, e in chunks]
    sentence_texts = [documents[d].text[s:e] for d, s, e in sentences]
    log.info("embedding %d passages and %d sentences", len(chunk_texts), len(sentence_texts))
    data = IndexData(
        documents=documents,
        chunks=np.asarray(chunks, dtype=np.int64).reshape(-1, 3),
        sentences=np.asarray(sentences, dtype=np.int64).reshape(-1, 3),
        chunk_vectors=encoder.encode(chunk_texts, batch_size=batch_size, progress=progress),
        sentence_vectors=encoder.encode(sentence_texts, batch_size=batch_size, progress=progress),
        settings={
            "model": model_name,
            "dimension": encoder.dimension,
            "chunking": {
                "splitter": "langchain_text_splitters.RecursiveCharacterTextSplitter",
                "size": chunk_size,
                "overlap": chunk_overlap,
            },
            "skipped": [{"source": s.source, "reason": s.reason} for s in skipped],
            "abstention": config.abstention_settings(),
        },
    )
    with write_lock(target):
        write_index(target, data)
    return BuildReport(
        index_dir=target,
        documents=len(documents),
        duplicates=sum(1 for d in documents if d.duplicate_of),
        chunks=len(chunks),
        sentences=len(sentences),
        skipped=skipped,
        seconds=time.perf_counter() - started,
    )


def _mark_duplicates(documents: list[Document]) -> list[Document]:
    """Near-duplicates point at their first copy, which lists where else it appears."""
    duplicate_of = find_duplicates([d.text for d in documents])
    also_in: dict[int, list[str]] = {}
    for copy, original in duplicate_of.items():
        also_in.setdefault(original, []).append(documents[copy].source)
    return [
        replace(
            doc,
            duplicate_of=documents[duplicate_of[i]].doc_id if i in duplicate_of else None,
            also_in=tuple(also_in.get(i, ())),
        )
        for i, doc in enumerate(documents)
    ]


def _segment(
    documents: list[Document], size: int, overlap: int
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """Passages and sentences of every document that is not a duplicate of another."""
    chunks: list[tuple[int, int, int]] = []
    sentences: list[tuple[int, int, int]] = []
    for row, doc in enumerate(documents):
        if doc.duplicate_of:
            continue  # cited through its first copy's "also in"
        chunks += [(row, s, e) for s, e in chunk_spans(doc.text, size=size, overlap=overlap)]
        sentences += [(row, s, e) for s, e in split_sentences(doc.text)]
    return chunks, sentences
