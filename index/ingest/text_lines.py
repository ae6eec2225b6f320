"""A text's non-blank lines, each with its offsets in the text: what cleaning, metadata and
the news databases' downloads read line by line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # offsets of the stripped line in the text it was split from
    end: int
    text: str


def split_lines(text: str) -> list[Line]:
    """Non-blank lines with surrounding whitespace (no-break spaces too) trimmed."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            lines.append(Line(start, start + len(stripped), stripped))
        pos += len(raw) + 1
    return lines
