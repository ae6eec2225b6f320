"""Correct misspelt question words against the index's own vocabulary (symspellpy).

A word is corrected only when neither the articles nor English use it (symspellpy's own
82,765-word English frequency list): it then matches nothing in BM25, and its misspelling
pulls the question's vector off. The correction is the most frequent corpus word within one
edit (two for words of eight letters or more) that starts with the same letter and does not
turn an accented word into another unaccented one ("Nicolás" may become "Nicolas", "ganó"
not "gant"), so a question moves towards what the articles say and a question in another
language is not made English; the query searched is returned as "searched
for", so the user sees the change.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from symspellpy import SymSpell, Verbosity

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
MIN_LENGTH = 4  # shorter words have too many neighbours one edit away
LONG_WORD = 8  # from this length two edits are allowed
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@lru_cache(maxsize=1)
def english_counts() -> dict[str, int]:
    """symspellpy's English words, each with how often English writes it."""
    listing = resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
    pairs = (line.split(" ", 1) for line in listing.read_text("utf-8").splitlines() if line)
    return {word: int(count) for word, count in pairs}


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    return frozenset(english_counts())


def _unaccented(word: str) -> str:
    """ "nicolás" -> "nicolas": the letters without their accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


class Speller:
    def __init__(self, texts: Iterable[str]) -> None:
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w.lower() for w in _WORD.findall(text))
        self._known = counts.keys() | english_words()
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in counts.items():
            if len(word) >= MIN_LENGTH - 1:
                self._symspell.create_dictionary_entry(word, count)

    def correct(self, question: str) -> str:
        """The question with each unknown word replaced by its likeliest corpus spelling."""
        return _WORD.sub(lambda m: self._fix(m.group(0)), question)

    def _fix(self, word: str) -> str:
        possessive = _POSSESSIVE.search(word)
        stem = word[: possessive.start()] if possessive else word
        lower = stem.lower()
        if len(lower) < MIN_LENGTH or lower in self._known or word.lower() in self._known:
            return word
        distance = 2 if len(lower) >= LONG_WORD else 1
        found = self._symspell.lookup(lower, Verbosity.TOP, max_edit_distance=distance)
        if not found:
            return word
        best = found[0].term
        if best[0] != lower[0]:
            return word  # typos rarely change a word's first letter; names often share the rest
        if best.isascii() and not lower.isascii() and best != _unaccented(lower):
            return word  # no slip of the keys types an accent: "ganó" is Spanish, not "gant"
        fixed = best.capitalize() if stem[0].isupper() else best
        return fixed + (possessive.group(0) if possessive else "")
