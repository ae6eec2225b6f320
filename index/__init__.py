"""Building the index: files -> clean, describe, de-duplicate, split, embed -> index on disk.

ingest/    files and pages to clean documents with metadata and exact offsets
text/      sentences, passages, terms, near-duplicates
encoders/  text to vectors (ONNX Runtime, or sentence-transformers on PyTorch)
stores/    the index on disk: versions, manifest, FAISS + BM25 or Milvus, kept articles
build/     one build: what to reuse, what to embed, where (this process or Ray), doctor
"""

from typing import TYPE_CHECKING

from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexLockedError,
    IndexMissingError,
    InvalidInputError,
    QAError,
)
from index.records import Document

if TYPE_CHECKING:
    from index.build.builder import build_index, index_documents, update_index
    from index.build.report import BuildReport
    from index.build.settings import BuildOptions
    from index.ingest.prepare import document_from_fields, prepare_document, read_documents
    from index.stores.manifest import FORMAT_VERSION, Manifest
    from index.stores.versions import StoredIndex, load_index

# Imported on first use: building pulls in the splitter, MinHash and the store, which a
# command that only reads a manifest does not need.
_LAZY = {
    "BuildOptions": "index.build.settings",
    "BuildReport": "index.build.report",
    "build_index": "index.build.builder",
    "index_documents": "index.build.builder",
    "update_index": "index.build.builder",
    "document_from_fields": "index.ingest.prepare",
    "prepare_document": "index.ingest.prepare",
    "read_documents": "index.ingest.prepare",
    "FORMAT_VERSION": "index.stores.manifest",
    "Manifest": "index.stores.manifest",
    "StoredIndex": "index.stores.versions",
    "load_index": "index.stores.versions",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


__all__ = [
    "FORMAT_VERSION",
    "BuildOptions",
    "BuildReport",
    "Document",
    "IndexCorruptError",
    "IndexIncompatibleError",
    "IndexLockedError",
    "IndexMissingError",
    "InvalidInputError",
    "Manifest",
    "QAError",
    "StoredIndex",
    "build_index",
    "document_from_fields",
    "index_documents",
    "load_index",
    "prepare_document",
    "read_documents",
    "update_index",
]
