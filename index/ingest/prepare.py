"""Files to clean documents: read each file's articles, strip page furniture, read metadata."""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from index.errors import InvalidInputError, QAError
from index.ingest.article_records import article_from_record
from index.ingest.clean import clean
from index.ingest.files import read_file, select_files
from index.ingest.metadata import extract_metadata
from index.ingest.raw import RawArticle, Skipped, unique_id
from index.records import Document

NO_TEXT_LEFT = "no article text left after removing page furniture"
log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


def prepare_document(raw: RawArticle) -> Document | None:
    """Clean one article and read its metadata; None when no article text remains."""
    # An extractor's body is kept whole: page-furniture rules tuned on scraped text cost
    # recall there (docs/ingest.md); they clean only text no extractor has chosen from.
    body = raw.extracted if raw.body_found else clean(raw.extracted)
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
        url=raw.fields.get("url"),
    )


def document_from_fields(record: dict[str, Any], source_prefix: str) -> Document:
    """One article given as JSON fields (a document posted to the HTTP API), cleaned; its
    source is `<source_prefix>/<doc_id>`. InvalidInputError says what is missing."""
    raw = article_from_record(record, source_prefix, source_prefix)
    if isinstance(raw, Skipped):
        raise InvalidInputError(f"The document has {raw.reason}.")
    doc = prepare_document(raw)
    if doc is None:
        raise InvalidInputError(f"The document has {NO_TEXT_LEFT}.")
    return replace(doc, source=f"{source_prefix}/{doc.doc_id}")


def read_documents(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Sequence[str] = (),
    index_dir: str | os.PathLike[str] | None = None,
) -> tuple[list[Document], list[Skipped]]:
    """Read and clean every supported file not matching a pattern of `exclude` nor inside
    `index_dir`; those files and the articles with no text left are reported as skipped."""
    files, excluded = select_files(paths, exclude, index_dir)
    documents, skipped = collect_documents(prepare_file(path) for path in files)
    return documents, [*excluded, *skipped]


def prepare_file(path: Path) -> list[Document | Skipped]:
    """Read and clean one file's articles (ids unique within it), or say why each was skipped.

    A fault of this tool's own in reading a file, or in cleaning one of its articles, skips
    that file or that article with the error named, and the run goes on: one odd file (a CSV
    header of 200,000 columns ended a whole build) never costs the others. Errors this tool
    raises on purpose (a full disk) still stop it."""
    items = _or_fault(read_file, path, str(path))
    if isinstance(items, Skipped):
        return [items]
    prepared: list[Document | Skipped] = []
    for item in items:
        if isinstance(item, Skipped):
            prepared.append(item)
            continue
        doc = _or_fault(prepare_document, item, item.source)
        prepared.append(doc if doc is not None else Skipped(item.source, NO_TEXT_LEFT))
    return prepared


def _or_fault(work: Callable[[T], R], given: T, source: str) -> R | Skipped:
    """`work(given)`, or `source` skipped naming the fault when it fails for a reason of this
    tool's own; errors raised on purpose (a QAError, no memory left) pass through."""
    try:
        return work(given)
    except (QAError, MemoryError):
        raise
    except Exception as exc:
        log.exception("%s failed on %s", work.__name__, source)  # read_file, prepare_document
        return Skipped(
            source,
            f"could not be read ({type(exc).__name__}: {exc}); a fault in this tool, please "
            "report it",
        )


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
