"""Building the index: seeds/ -> clean, describe, de-duplicate, chunk, embed -> index on disk."""

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
    from index.build import (
        BuildReport,
        build_index,
        index_documents,
        prepare_document,
        read_documents,
        update_index,
    )
    from index.store import FORMAT_VERSION, StoredIndex, load_index

# Imported on first use: building pulls in the splitter, MinHash and the store, which a
# command that only reads a manifest does not need.
_LAZY = {
    "BuildReport": "index.build",
    "build_index": "index.build",
    "index_documents": "index.build",
    "prepare_document": "index.build",
    "read_documents": "index.build",
    "update_index": "index.build",
    "FORMAT_VERSION": "index.store",
    "StoredIndex": "index.store",
    "load_index": "index.store",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'index' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


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
