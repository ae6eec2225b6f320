"""The stemmed terms of many texts (passages, sentences), kept as ids and reused across versions.

Each text's terms are keyed by a hash of the text, so that a new index version tokenises only
the texts it has not seen: adding one article to a large index does not re-tokenise the
others. A table is saved as a folder:

    vocab.json         the terms, in id order
    terms.npy          int32: every text's term ids, concatenated
    term_offsets.npy   int64 (texts + 1): where each text's ids start in terms.npy
    text_keys.npy      uint64: a hash of each text, to find its terms again
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from index.text.stopwords import ASKING_WORDS

FILES = ("vocab.json", "terms.npy", "term_offsets.npy", "text_keys.npy")

# Combining marks belong to their word: the vowel signs of Indic scripts, Arabic harakat,
# Latin diacritics written apart ("भारत" is one word, not "भ" and "रत").
_MARKS = "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0900-\u0963\u0966-\u0dff"  # not the danda (।)
# Kana, Han and Hangul letters.
_CJK_LETTERS = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af"
# Words of two or more letters; a lone CJK letter is a word too.
_WORD = re.compile(f"[\\w{_MARKS}]{{2,}}|[{_CJK_LETTERS}]")
# Chinese, Japanese and Korean letters (compatibility ideographs too): text without spaces
# between words is searched by overlapping letter pairs (bigrams), as CJK analyzers do.
_CJK = re.compile(f"[{_CJK_LETTERS}\uf900-\ufaff]+")


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stemmed terms without stopwords, Latin letters without their accents; the
    same for passages and questions.

    The same terms as `bm25s.tokenize(texts, stopwords="en", stemmer=<English Snowball>)` on
    the texts with accents taken off (tests compare them), without its per-call set-up, which
    dominated short texts.
    """
    stop = _stopwords()
    return [_terms(text, stop) for text in texts]


def _terms(text: str, stop: frozenset[str]) -> list[str]:
    return _stemmer().stemWords([w for w in _words(fold_accents(text.lower())) if w not in stop])


# A Latin letter with an accent, written as one character or as a letter and its marks.
_ACCENTED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]|(?<=[A-Za-z])[\u0300-\u036f]+")


def fold_accents(text: str) -> str:
    """Latin letters without their accents ("Nicolás Rodríguez" -> "Nicolas Rodriguez"), as
    search engines fold them (Lucene's ASCII folding): a question typed on a plain keyboard
    finds the names a story writes with accents, and the other way round. Letters that are
    not an accented plain letter stay ("ß", "ø", "ł"), and so do other scripts' marks (the
    vowel signs of Devanagari, the breve of Cyrillic "й")."""
    return text if text.isascii() else _ACCENTED.sub(_plain, text)


def _plain(match: re.Match[str]) -> str:
    found = match.group()
    if unicodedata.combining(found[0]):  # marks written apart, after a plain letter
        return ""
    plain = "".join(c for c in unicodedata.normalize("NFKD", found) if not unicodedata.combining(c))
    return plain if plain and plain.isascii() else found


def _words(text: str) -> list[str]:
    """Words; a run of CJK letters as its overlapping pairs ("東京都" -> "東京", "京都")."""
    out: list[str] = []
    for word in _WORD.findall(text):
        if not _CJK.search(word):
            out.append(word)
            continue
        for part in re.split(f"({_CJK.pattern})", word):
            if _CJK.fullmatch(part):
                out += [part[i : i + 2] for i in range(len(part) - 1)] if len(part) > 1 else [part]
            elif len(part) > 1:
                out.append(part)
    return out


def searchable_words(question: str) -> str:
    """The question's words that `question_terms` would keep, unstemmed, with their case:
    for a search engine with its own analyzer (Milvus), so that both match the same words.
    Words of one character and words that only ask ("why", "did") are left out."""
    return " ".join(w for w in _WORD.findall(question) if w.lower() not in ASKING_WORDS)


def matched_words(question: str, text: str) -> list[str]:
    """The words of `text` (lower-cased, each once, in order) whose stems are among the
    question's terms: what the two share, as a reader would see it."""
    wanted = set(question_terms(question))
    stop = _stopwords()
    seen: list[str] = []
    for word in _words(text.lower()):
        plain = fold_accents(word)
        if plain not in stop and word not in seen and _stemmer().stemWord(plain) in wanted:
            seen.append(word)
    return seen


@lru_cache(maxsize=256)
def question_terms(question: str) -> tuple[str, ...]:
    """A question's terms in order, repeats kept, without the words that only ask ("why",
    "did"); remembered, as a search needs them twice."""
    return tuple(_terms(question, _stopwords() | ASKING_WORDS))


@dataclass
class TermTable:
    """Term ids of each of n texts: text i's ids are terms[offsets[i]:offsets[i + 1]]."""

    vocabulary: list[str]
    terms: np.ndarray
    offsets: np.ndarray
    keys: np.ndarray

    @classmethod
    def of_texts(cls, texts: Sequence[str], previous: Path | None = None) -> TermTable:
        """The table of `texts`, taking the terms of texts the saved table `previous` holds."""
        keys = _text_keys(texts)
        old = _saved(previous)
        found = _rows_of(keys, old.keys) if old else np.full(len(keys), -1, dtype=np.int64)
        ids_of = {term: i for i, term in enumerate(old.vocabulary if old else [])}
        todo = np.flatnonzero(found < 0)
        new = [
            np.array([ids_of.setdefault(w, len(ids_of)) for w in words], dtype=np.int32)
            for words in tokenize([texts[int(i)] for i in todo])
        ]
        reused = np.flatnonzero(found >= 0)
        lengths = np.zeros(len(keys), dtype=np.int64)
        lengths[todo] = [len(ids) for ids in new]
        if old is not None:
            lengths[reused] = old.lengths()[found[reused]]
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        terms = np.zeros(offsets[-1], dtype=np.int32)
        if old is not None and len(reused):  # one gather for every text seen before
            n = lengths[reused]
            within = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
            source = np.repeat(old.offsets[found[reused]], n) + within
            terms[np.repeat(offsets[reused], n) + within] = np.asarray(old.terms)[source]
        for i, ids in zip(todo, new, strict=True):
            terms[offsets[i] : offsets[i + 1]] = ids
        terms, vocabulary = _compact(terms, list(ids_of))
        return cls(vocabulary, terms, offsets, keys)

    @classmethod
    def load(cls, directory: Path) -> TermTable:
        vocabulary = json.loads((directory / "vocab.json").read_text("utf-8"))
        table = cls(
            vocabulary,
            np.load(directory / "terms.npy", mmap_mode="r"),
            np.load(directory / "term_offsets.npy"),
            np.load(directory / "text_keys.npy", mmap_mode="r"),
        )
        if len(table.offsets) != len(table.keys) + 1 or table.offsets[-1] != len(table.terms):
            raise ValueError(f"the term table in {directory} is inconsistent")
        return table

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "vocab.json").write_text(
            json.dumps(self.vocabulary, ensure_ascii=False), "utf-8"
        )
        np.save(directory / "terms.npy", self.terms)
        np.save(directory / "term_offsets.npy", self.offsets)
        np.save(directory / "text_keys.npy", self.keys)

    def __len__(self) -> int:
        return len(self.keys)

    def made_by_this_tokenizer(self, first_text: str) -> bool:
        """Whether the table's terms are today's `tokenize`'s, told by the key of its first
        text (`first_text`); an empty table is."""
        return not len(self) or int(self.keys[0]) == int(_text_keys([first_text])[0])

    def terms_of(self, row: int) -> list[str]:
        """The terms of text `row`, in order."""
        return [self.vocabulary[i] for i in self.terms[self.offsets[row] : self.offsets[row + 1]]]

    def lengths(self) -> np.ndarray:
        return np.diff(self.offsets)

    def document_frequency(self) -> np.ndarray:
        """For each term id, how many texts hold it."""
        owner = np.repeat(np.arange(len(self), dtype=np.int64), self.lengths())
        pairs = np.unique(np.asarray(self.terms, dtype=np.int64) * max(len(self), 1) + owner)
        return np.bincount(pairs // max(len(self), 1), minlength=len(self.vocabulary))


# Changes whenever `tokenize` would split some text otherwise, so that a saved table's terms
# are taken over only from a table made by the same tokenizer (2: CJK letter pairs, marks
# kept in their word; 3: Latin accents folded).
TOKENIZER_VERSION = b"terms-3"


def _text_keys(texts: Sequence[str]) -> np.ndarray:
    """A key per text and tokenizer: equal keys, equal terms."""
    return np.array(
        [
            int.from_bytes(
                hashlib.blake2b(
                    t.encode("utf-8", "surrogatepass"), digest_size=8, key=TOKENIZER_VERSION
                ).digest(),
                "little",
            )
            for t in texts
        ],
        dtype=np.uint64,
    )


def _saved(directory: Path | None) -> TermTable | None:
    """The table saved in `directory`; None for none, or an older or unreadable one."""
    if directory is None:
        return None
    try:
        return TermTable.load(directory)
    except (OSError, ValueError):
        return None


def _rows_of(keys: np.ndarray, known: np.ndarray) -> np.ndarray:
    """For each key, a row of `known` holding it, or -1."""
    if not len(known):
        return np.full(len(keys), -1, dtype=np.int64)
    order = np.argsort(known, kind="stable")
    at = np.minimum(np.searchsorted(known[order], keys), len(known) - 1)
    return np.where(known[order][at] == keys, order[at], -1).astype(np.int64)


def _compact(terms: np.ndarray, vocabulary: list[str]) -> tuple[np.ndarray, list[str]]:
    """Drop terms no text uses any more (from removed articles), renumbering the rest."""
    used = np.unique(terms)
    if len(used) == len(vocabulary):
        return terms, vocabulary
    return np.searchsorted(used, terms).astype(np.int32), [vocabulary[i] for i in used]
