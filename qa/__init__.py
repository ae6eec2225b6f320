"""Answering: search a built index and return cited passages, never generated text."""

from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexMissingError,
    InvalidInputError,
    QAError,
)
from qa.results import Passage, SearchResult
from qa.searcher import Filters, Searcher

__all__ = [
    "Filters",
    "IndexCorruptError",
    "IndexIncompatibleError",
    "IndexMissingError",
    "InvalidInputError",
    "Passage",
    "QAError",
    "SearchResult",
    "Searcher",
]
