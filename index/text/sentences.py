"""Split text into sentences with exact offsets, without breaking at "U.S." or "Mr."."""

from __future__ import annotations

import re

import numpy as np

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm st jr sr inc ltd co corp "
    "dept univ vs etc approx est fig jan feb mar apr jun jul aug sep sept oct nov dec "
    "mon tue wed thu fri sat sun a.m p.m".split()
)
# A sentence may end at ., !, ? or … plus closing quotes/brackets, before space and a
# capital or a letter of a script without case (Korean, Arabic, Devanagari...); at the full
# stops of Chinese and Japanese (。！？), of Devanagari (।) and Arabic (؟ ۔) wherever they are.
_CANDIDATE = re.compile(
    r"[.!?…]+[\"”’')\]»]*(?=\s+[\"“‘'(\[«]?(?:[A-Z0-9À-Ý]|[^\W\d_a-zß-ÿ\u0100-\u024f\u0430-\u045f]))"
    r"|[。！？]+[」』）】\"”’)]*|[।॥؟۔]+"
)
# Raise when a change to the rules above would give an article already indexed other
# sentences: an index whose manifest names another version has every article split and
# embedded again on its next build, instead of keeping its old sentences (index/build/settings.py).
RULES_VERSION = 2  # 2: the stops of Chinese, Japanese, Devanagari and Arabic, and uncased scripts
_PARAGRAPH = re.compile(r"\n\s*\n")
_WORDS = re.compile(r"\w+")


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets into `text` of each sentence within text[start:end], trimmed."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    para_start = start
    for para in [*_PARAGRAPH.finditer(text, start, end), None]:
        para_end = para.start() if para else end
        _split_paragraph(text, para_start, para_end, spans)
        if para:
            para_start = para.end()
    return spans


def _split_paragraph(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    sentence_start = start
    for match in _CANDIDATE.finditer(text, start, end):
        if match.group().startswith(".") and _is_abbreviation(text, sentence_start, match.start()):
            continue
        _add(text, sentence_start, match.end(), spans)
        sentence_start = match.end()
    _add(text, sentence_start, end, spans)


def _is_abbreviation(text: str, sentence_start: int, dot: int) -> bool:
    word = text[sentence_start:dot].rsplit(None, 1)[-1] if text[sentence_start:dot].strip() else ""
    word = word.lstrip("\"“‘'([").lower()
    # "U.S", "a.m" and single initials ("J") are abbreviations; so are listed titles.
    return (
        word in _ABBREVIATIONS or len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))
    )


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if stripped:
        left = start + (len(chunk) - len(chunk.lstrip()))
        spans.append((left, left + len(stripped)))


# A quotation of at least MIN_QUOTED_WORDS words; shorter ones are scare quotes ("fake news").
_QUOTATION = re.compile(r"“[^“”]*”|\"[^\"]*\"")
_UNIT_EDGE = " \t\n,;:.!?—–-"
MIN_QUOTED_WORDS = 4
MIN_CLAUSE_WORDS = 3


def attributions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of sentence text[start:end] outside its quotations, when it quotes someone.

    In news most quotations come with who said it and where: `"...," the minister wrote in a
    memo seen by Reuters.` The quotation dominates the sentence's meaning, so a question
    about the source ("which agency saw the memo?") is matched against these parts alone.
    """
    quotes = [
        (m.start(), m.end())
        for m in _QUOTATION.finditer(text, start, end)
        if len(_WORDS.findall(m.group())) >= MIN_QUOTED_WORDS
    ]
    if not quotes:
        return []
    parts: list[tuple[int, int]] = []
    at = start
    for q_start, q_end in [*quotes, (end, end)]:
        piece = text[at:q_start]
        left = at + len(piece) - len(piece.lstrip(_UNIT_EDGE))
        right = at + len(piece.rstrip(_UNIT_EDGE))
        if left < right and len(_WORDS.findall(text[left:right])) >= MIN_CLAUSE_WORDS:
            parts.append((left, right))
        at = q_end
    return parts


def sentence_units(text: str) -> list[tuple[int, int]]:
    """Sentences, each followed by its attribution parts (see `attributions`), which lie inside it."""
    units: list[tuple[int, int]] = []
    for start, end in split_sentences(text):
        units.append((start, end))
        units.extend(attributions(text, start, end))
    return units


def nested(units: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Which rows of an (n, 2) start, end array, in `sentence_units` order, lie inside an
    earlier row; with `groups` (non-decreasing, one per row), an earlier row of the same group."""
    if not len(units):
        return np.zeros(0, dtype=bool)
    ends = units[:, 1].astype(np.int64)
    if groups is not None:  # each group's ends lifted above every earlier group's
        ends = ends + groups.astype(np.int64) * (int(ends.max()) + 1)
    reach = np.maximum.accumulate(ends)
    return np.concatenate([[False], ends[1:] <= reach[:-1]])
