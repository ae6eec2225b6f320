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
    from index.build.builder import (
        BuildReport,
        build_index,
        index_documents,
        prepare_document,
        read_documents,
        update_index,
    )
    from index.stores.versions import FORMAT_VERSION, StoredIndex, load_index

# Imported on first use: building pulls in the splitter, MinHash and the store, which a
# command that only reads a manifest does not need.
_LAZY = {
    "BuildReport": "index.build.builder",
    "build_index": "index.build.builder",
    "index_documents": "index.build.builder",
    "prepare_document": "index.build.builder",
    "read_documents": "index.build.builder",
    "update_index": "index.build.builder",
    "FORMAT_VERSION": "index.stores.versions",
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
