"""Find near-duplicate articles (syndicated copies, re-scrapes) with MinHash over word shingles.

A copy is recognised by its body, below the headline: outlets reword a syndicated story's
headline, and so do news databases (the same story from LexisNexis and from Factiva). A
body under `_BODY_WORDS` words keeps its headline, so that short items with one template
text ("Live: ...", "Results") stay apart by what their headlines say.

Signatures are kept in the index (`MINHASH` in index/stores/versions.py), so an incremental
build only hashes the articles it has not seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_SHINGLE = 5
PERMUTATIONS = 128
DEFAULT_THRESHOLD = 0.8  # estimated Jaccard similarity of 5-word shingles
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only valid under it


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < _SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + _SHINGLE]).encode() for i in range(len(words) - _SHINGLE + 1)}


_BODY_WORDS = 20


def compared_text(title: str, text: str) -> str:
    """What a copy is recognised by: the text below its opening headline, unless that is
    shorter than `_BODY_WORDS` words; else the whole text."""
    if title and text.startswith(title):
        body = text[len(title) :]
        if len(re.findall(r"\w+", body)) >= _BODY_WORDS:
            return body
    return text


def article_signature(title: str, text: str) -> np.ndarray:
    """The signature an article is compared by (`compared_text`), as every build hashes it."""
    return signature(compared_text(title, text))


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text: PERMUTATIONS unsigned 64-bit values."""
    from datasketch import MinHash  # with scipy, a quarter second to import: only when hashing

    minhash = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME)
    minhash.update_batch(list(_shingles(text)))
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def find_duplicates(
    texts: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    signatures: np.ndarray | None = None,
) -> dict[int, int]:
    """Map index of each near-duplicate to the index of the first copy it duplicates.

    The banding is datasketch's `MinHashLSH` (its bands and rows for this threshold), applied
    in order: an article is a copy when one of its bands equals that band of an earlier
    article that was not itself a copy, and it is a copy of the earliest such article. The
    bands are grouped with numpy instead of a hash table per article, which keeps adding
    one article to a large index cheap; tests check the result equals `MinHashLSH`'s.
    """
    if signatures is None:
        signatures = np.array([signature(t) for t in texts], dtype=np.uint64).reshape(
            -1, PERMUTATIONS
        )
    n = len(signatures)
    if n == 0:
        return {}
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    bands, rows = lsh.b, lsh.r
    groups = np.column_stack(
        [
            np.unique(signatures[:, band * rows : (band + 1) * rows], axis=0, return_inverse=True)[
                1
            ].reshape(-1)
            for band in range(bands)
        ]
    )
    first = np.full((bands, int(groups.max()) + 1), n, dtype=np.int64)  # n: no article yet
    band_index = np.arange(bands)
    duplicate_of: dict[int, int] = {}
    for i in range(n):
        earliest = int(first[band_index, groups[i]].min())
        if earliest < n:
            duplicate_of[i] = earliest
        else:
            first[band_index, groups[i]] = i  # no earlier article in any of its buckets
    return duplicate_of
