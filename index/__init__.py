"""Building the index: seeds/ -> clean, describe, de-duplicate, chunk, embed -> index on disk."""

from index.build import (
    BuildReport,
    build_index,
    index_documents,
    prepare_document,
    read_documents,
    update_index,
)
from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexLockedError,
    IndexMissingError,
    InvalidInputError,
    QAError,
)
from index.records import Document
from index.store import FORMAT_VERSION, StoredIndex, load_index

__all__ = [
    "FORMAT_VERSION",
    "BuildReport",
    "Document",
    "IndexCorruptError",
    "IndexIncompatibleError",
    "IndexLockedError",
    "IndexMissingError",
    "InvalidInputError",
    "QAError",
    "StoredIndex",
    "build_index",
    "index_documents",
    "load_index",
    "prepare_document",
    "read_documents",
    "update_index",
]
