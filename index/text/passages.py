"""Cut cleaned text into overlapping passages at paragraph and sentence boundaries."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from index.errors import InvalidInputError

if TYPE_CHECKING:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

# Coarsest first: paragraphs, lines, sentence ends (after closing quotes too), words.
_SEPARATORS = [
    r"\n\n",
    r"\n",
    r"(?<=[.!?…])\s+|(?<=[.!?…][\"”’')\]])\s+",
    r"\s+",
    "",
]


MIN_PASSAGE_CHARS = 50


def check_splitting(size: int, overlap: int) -> None:
    """Raise InvalidInputError for settings the splitter cannot work with."""
    if size < MIN_PASSAGE_CHARS or not 0 <= overlap < size:
        raise InvalidInputError(
            f"--chunk-size must be at least {MIN_PASSAGE_CHARS} and --chunk-overlap from 0 to "
            f"below the size; got size {size}, overlap {overlap}."
        )


@lru_cache(maxsize=8)
def _splitter(size: int, overlap: int) -> RecursiveCharacterTextSplitter:
    check_splitting(size, overlap)
    from langchain_text_splitters import RecursiveCharacterTextSplitter  # only when splitting

    return RecursiveCharacterTextSplitter(
        separators=_SEPARATORS,
        is_separator_regex=True,
        keep_separator="end",
        chunk_size=size,
        chunk_overlap=overlap,
        strip_whitespace=True,
    )


def passage_spans(text: str, *, size: int, overlap: int) -> list[tuple[int, int]]:
    """(start, end) offsets of each passage; text[start:end] is exactly the passage."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _splitter(size, overlap).split_text(text):
        start = text.find(piece, cursor)
        if start < 0:  # cannot happen with keep_separator; fail loudly rather than misquote
            raise RuntimeError("chunk not found in its own text")
        spans.append((start, start + len(piece)))
        cursor = start + 1
    return spans
