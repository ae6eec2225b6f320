"""Elements found in markup by their opening and closing tags, in one pass.

A lazy pattern (`<item>.*?</item>`) is tried again from each opening: a file of many openings
and no closing is read once for each of them, and 240 KB of `<newsItem>` took 21 s. Here the
closing is looked for once after each opening, and the next opening after that closing; an
opening with no closing after it ends the search, as no later one can have one either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def enclosed(
    text: str, opening: re.Pattern[str], closing: re.Pattern[str], start: int = 0, end: int = -1
) -> Iterator[tuple[re.Match[str], re.Match[str]]]:
    """Each `opening` match in `text[start:end]`, left to right, with the first `closing`
    match after it."""
    stop = len(text) if end < 0 else end
    at = start
    while (found := opening.search(text, at, stop)) is not None:
        shut = closing.search(text, found.end(), stop)
        if shut is None:
            return
        yield found, shut
        at = shut.end()


def first_enclosed(
    text: str, pairs: list[tuple[re.Pattern[str], re.Pattern[str]]], start: int, end: int
) -> tuple[re.Match[str], re.Match[str]] | None:
    """The first element of the first kind in `pairs` (opening, closing) found between
    `start` and `end`."""
    for opening, closing in pairs:
        if (found := next(enclosed(text, opening, closing, start, end), None)) is not None:
            return found
    return None
