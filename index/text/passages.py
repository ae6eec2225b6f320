"""Cut cleaned text into overlapping passages at paragraph and sentence boundaries."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

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


_OVERLAP_BLOCK = 256  # sentences whose overlaps with nearby passages are taken at once


def most_overlapped(sentences: np.ndarray, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each sentence (start, end), the passage (start, end; in order of start) it shares
    the most characters with, the first of equals, and how many. Sentences are compared in
    blocks with the passages that start near them only, so a book-length article (200,000
    sentences, 28,000 passages) needs no sentences-by-passages table."""
    starts = passages[:, 0]
    longest = int((passages[:, 1] - starts).max())
    first = np.searchsorted(starts, sentences[:, 0] - longest, side="left")  # ends before: none
    last = np.searchsorted(starts, sentences[:, 1], side="left")  # starts after: none
    best = np.zeros(len(sentences), dtype=np.int64)
    most = np.zeros(len(sentences), dtype=np.int64)
    for b in range(0, len(sentences), _OVERLAP_BLOCK):
        block = sentences[b : b + _OVERLAP_BLOCK]
        lo = min(int(first[b : b + _OVERLAP_BLOCK].min()), len(passages) - 1)
        hi = max(int(last[b : b + _OVERLAP_BLOCK].max()), lo + 1)
        near = passages[lo:hi]
        overlap = np.minimum(block[:, 1:], near[:, 1]) - np.maximum(block[:, :1], near[:, 0])
        pick = overlap.argmax(axis=1)
        best[b : b + len(block)] = lo + pick
        most[b : b + len(block)] = overlap[np.arange(len(block)), pick]
    return best, most
