"""The lexical side: BM25 over passages, stemmed, English stopwords removed.

Scores follow the Lucene variant of BM25 (k1 1.5, b 0.75; idf = ln(1 + (N - df + 0.5) /
(df + 0.5))), the same numbers bm25s computes; tests pin them to bm25s and to the formula.
Each passage's terms are kept as ids, keyed by a hash of its text, so that a new index
version tokenises only the passages it has not seen: adding one article to a large index
does not re-tokenise the others. The folder holds:

    vocab.json         the terms, in id order
    terms.npy          int32: every passage's term ids, concatenated
    term_offsets.npy   int64 (passages + 1): where each passage's ids start in terms.npy
    text_keys.npy      uint64: a hash of each passage's text, to find its terms again
    weights_*.npy      the BM25 weight of every (term, passage) pair, one column per term
                       (compressed sparse column: data, indices = passages, indptr)
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

K1 = 1.5
B = 0.75


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    import Stemmer

    return Stemmer.Stemmer("english")


_WORD = re.compile(r"(?u)\b\w\w+\b")  # words of two or more characters


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    """Lower-cased, stemmed terms without stopwords; the same for passages and questions.

    The same terms as `bm25s.tokenize(texts, stopwords="en", stemmer=<English Snowball>)`
    (tests compare them), without its per-call set-up, which dominated short texts.
    """
    stem, stop = _stemmer().stemWords, _stopwords()
    return [stem([w for w in _WORD.findall(text.lower()) if w not in stop]) for text in texts]


@lru_cache(maxsize=256)
def question_terms(question: str) -> tuple[str, ...]:
    """A question's terms in order, repeats kept; remembered, as a search needs them twice."""
    return tuple(tokenize([question])[0])


def build_bm25(texts: Sequence[str], directory: Path, previous: Path | None = None) -> None:
    """Write the BM25 index of `texts` into `directory`, reusing the terms of passages that
    the BM25 folder `previous` (an earlier version) already tokenised."""
    keys = _text_keys(texts)
    vocabulary, per_passage = _reuse(keys, previous)
    todo = [i for i, ids in enumerate(per_passage) if ids is None]
    ids_of = {term: i for i, term in enumerate(vocabulary)}
    for i, words in zip(todo, tokenize([texts[i] for i in todo]), strict=True):
        per_passage[i] = np.array([ids_of.setdefault(w, len(ids_of)) for w in words], np.int32)
    vocabulary = list(ids_of)
    arrays = [a for a in per_passage if a is not None]
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    joined = np.concatenate(arrays) if arrays else np.zeros(0, dtype=np.int32)
    terms, vocabulary = _compact(joined, vocabulary)
    data, indices, indptr = _weights(terms, lengths, len(vocabulary))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "vocab.json").write_text(json.dumps(vocabulary, ensure_ascii=False), "utf-8")
    np.save(directory / "terms.npy", terms)
    np.save(directory / "term_offsets.npy", np.concatenate([[0], np.cumsum(lengths)]))
    np.save(directory / "text_keys.npy", keys)
    np.save(directory / "weights_data.npy", data)
    np.save(directory / "weights_indices.npy", indices)
    np.save(directory / "weights_indptr.npy", indptr)


class BM25Index:
    """A saved BM25 index, memory-mapped; scores every passage for a question."""

    def __init__(self, directory: Path) -> None:
        vocabulary = json.loads((directory / "vocab.json").read_text("utf-8"))
        self._ids = {term: i for i, term in enumerate(vocabulary)}
        self._data = np.load(directory / "weights_data.npy", mmap_mode="r")
        self._indices = np.load(directory / "weights_indices.npy", mmap_mode="r")
        self._indptr = np.load(directory / "weights_indptr.npy")
        self._size = len(np.load(directory / "text_keys.npy", mmap_mode="r"))
        if len(self._indptr) != len(vocabulary) + 1 or self._indptr[-1] != len(self._data):
            raise ValueError("BM25 weights do not match the vocabulary")

    def scores(self, question: str) -> np.ndarray:
        """One score per passage; a term asked twice counts twice, as in bm25s."""
        scores = np.zeros(self._size, dtype=np.float32)
        for term in question_terms(question):
            i = self._ids.get(term)
            if i is not None:
                lo, hi = self._indptr[i], self._indptr[i + 1]
                scores[self._indices[lo:hi]] += self._data[lo:hi]  # a passage once per term
        return scores

    def top(self, question: str, depth: int, allowed: np.ndarray | None = None) -> list[int]:
        """Passage rows with a positive score, best first, restricted to `allowed` rows if given."""
        scores = self.scores(question)
        return [i for i in top_ids(scores, depth, allowed) if scores[i] > 0]

    def size(self) -> int:
        """Number of passages indexed."""
        return self._size


def top_ids(scores: np.ndarray, n: int, allowed: np.ndarray | None = None) -> list[int]:
    """Ids of the n highest scores (ties broken by id), restricted to `allowed` rows if given."""
    if allowed is not None:
        scores = np.where(allowed, scores, -np.inf)
    n = min(n, int(np.isfinite(scores).sum()))
    if n <= 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n]
    return [int(i) for i in part[np.lexsort((part, -scores[part]))]]


def _text_keys(texts: Sequence[str]) -> np.ndarray:
    return np.array(
        [
            int.from_bytes(
                hashlib.blake2b(t.encode("utf-8", "surrogatepass"), digest_size=8).digest(),
                "little",
            )
            for t in texts
        ],
        dtype=np.uint64,
    )


def _reuse(keys: np.ndarray, previous: Path | None) -> tuple[list[str], list[np.ndarray | None]]:
    """The previous vocabulary, and each passage's term ids where `previous` has its text."""
    per_passage: list[np.ndarray | None] = [None] * len(keys)
    if previous is None:
        return [], per_passage
    try:
        vocabulary = json.loads((previous / "vocab.json").read_text("utf-8"))
        old_keys = np.load(previous / "text_keys.npy")
        old_terms = np.load(previous / "terms.npy")
        offsets = np.load(previous / "term_offsets.npy")
    except (OSError, ValueError):
        return [], per_passage  # nothing to reuse: an older format, or a first build
    row_of = {int(k): r for r, k in enumerate(old_keys)}
    for i, key in enumerate(keys):
        r = row_of.get(int(key))
        if r is not None:
            per_passage[i] = old_terms[offsets[r] : offsets[r + 1]]
    return vocabulary, per_passage


def _compact(terms: np.ndarray, vocabulary: list[str]) -> tuple[np.ndarray, list[str]]:
    """Drop terms no passage uses any more (from removed articles), renumbering the rest."""
    used = np.unique(terms)
    if len(used) == len(vocabulary):
        return terms, vocabulary
    return np.searchsorted(used, terms).astype(np.int32), [vocabulary[i] for i in used]


def _weights(
    terms: np.ndarray, lengths: np.ndarray, vocabulary_size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BM25 weight of each (term, passage) pair, grouped by term (compressed sparse column)."""
    n = len(lengths)
    passage = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pairs, tf = np.unique(terms.astype(np.int64) * max(n, 1) + passage, return_counts=True)
    term, row = pairs // max(n, 1), pairs % max(n, 1)
    df = np.bincount(term, minlength=vocabulary_size)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    average = lengths.mean() if n and lengths.sum() else 1.0
    norm = K1 * (1 - B + B * lengths[row] / average)
    data = (idf[term] * tf / (tf + norm)).astype(np.float32)
    indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
    return data, row.astype(np.int32), indptr
