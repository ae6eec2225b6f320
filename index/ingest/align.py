"""Find an extractor's output in the page's own visible text, so every character of the
article body is a span of the original file.

Extractors (trafilatura) hand back plain text that differs from the page in small ways: runs
of whitespace joined or split, zero-width and soft-hyphen characters dropped, list items
written "- item", table rows written "| a | b |". Each output paragraph is looked up in the
visible text with whitespace and invisible format characters ignored, in page order; one not
found as a whole is halved at a word until its halves are found or too short to place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from index.text.offsets import SpanText

_LIST_ITEM = re.compile(r"^\s*[-*•]\s+")
_TABLE_RULE = re.compile(r"\s*:?-{2,}:?\s*")
_MIN_WORDS_TO_HALVE = 4


def extractor_pieces(text: str) -> list[str]:
    """The paragraphs and table cells of an extractor's plain-text output, markup removed."""
    pieces: list[str] = []
    for line in text.split("\n"):
        line = _LIST_ITEM.sub("", line)
        if line.lstrip().startswith("|"):
            pieces += [c for c in line.split("|") if c.strip() and not _TABLE_RULE.fullmatch(c)]
        elif line.strip():
            pieces.append(line)
    return pieces


def _is_ignored(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) == "Cf"


class _Squeezed:
    """Text without whitespace or format characters, and where each kept character was."""

    def __init__(self, text: str) -> None:
        self.where = [i for i, ch in enumerate(text) if not _is_ignored(ch)]
        self.text = "".join(text[i] for i in self.where)


def align(visible: SpanText, pieces: Iterable[str]) -> tuple[list[tuple[int, int]], list[str]]:
    """The [start, end) spans of the visible text that spell out `pieces`, one paragraph per
    piece (pieces halved to be found are joined back), in the extractor's order; and the
    pieces that could not be placed."""
    page = _Squeezed(visible.text)
    todo = [(piece, False) for piece in pieces]  # (text, joins the span placed before it)
    paragraphs: list[tuple[int, int]] = []  # visible-text spans
    unplaced: list[str] = []
    cursor = 0  # in squeezed page text
    joined_end = -1  # where the last placed piece ended, so a half that follows joins it
    while todo:
        piece, continues = todo.pop(0)
        wanted = "".join(ch for ch in piece if not _is_ignored(ch))
        if not wanted:
            continue
        at = page.text.find(wanted, cursor)
        if at < 0:
            at = page.text.find(wanted)  # an extractor may move a block (a lede, a caption)
        if at < 0:
            words = piece.split()
            if len(words) >= _MIN_WORDS_TO_HALVE:
                half = len(words) // 2
                todo[:0] = [(" ".join(words[:half]), continues), (" ".join(words[half:]), True)]
            else:
                unplaced.append(piece)
            continue
        start, end = page.where[at], page.where[at + len(wanted) - 1] + 1
        if continues and paragraphs and joined_end == at:
            paragraphs[-1] = (paragraphs[-1][0], end)
        else:
            paragraphs.append((start, end))
        cursor = joined_end = at + len(wanted)
    return paragraphs, unplaced


def paragraphs_text(visible: SpanText, spans: Iterable[tuple[int, int]]) -> SpanText:
    """The spans' text, a blank line between paragraphs."""
    return SpanText.join([visible.slice(s, e) for s, e in spans], "\n\n")
