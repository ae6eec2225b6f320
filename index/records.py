"""The record that flows from ingest to the index: one cleaned document."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Document:
    """One cleaned article. `text` is the source of truth every offset points into."""

    doc_id: str
    source: str
    title: str
    outlet: str | None
    author: str | None
    published: str | None
    text: str
    # Runs of (clean_start, source_start, clean_len, source_len): where cleaned text came from.
    source_map: tuple[tuple[int, int, int, int], ...]
    content_hash: str
    encoding: str = "utf-8"
    duplicate_of: str | None = None
    also_in: tuple[str, ...] = field(default=())
    url: str | None = None  # where the article was published, when the source says


def document_record(doc: Document) -> dict[str, Any]:
    """The document as the JSON object stored for it (shallow: asdict() deep-copies, slowly)."""
    return {f.name: getattr(doc, f.name) for f in fields(doc)}


def document_from_record(record: dict[str, Any]) -> Document:
    """The Document a stored JSON object describes (a documents.jsonl line, a kept article)."""
    record = dict(record)
    record["source_map"] = tuple(tuple(run) for run in record["source_map"])
    record["also_in"] = tuple(record.get("also_in") or ())
    return Document(**record)
