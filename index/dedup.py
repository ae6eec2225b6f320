"""Find near-duplicate articles (syndicated copies, re-scrapes) with MinHash over word shingles."""

from __future__ import annotations

import re
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

_SHINGLE = 5
_PERMUTATIONS = 128
DEFAULT_THRESHOLD = 0.8  # estimated Jaccard similarity of 5-word shingles


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < _SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + _SHINGLE]).encode() for i in range(len(words) - _SHINGLE + 1)}


def find_duplicates(
    texts: Sequence[str], *, threshold: float = DEFAULT_THRESHOLD
) -> dict[int, int]:
    """Map index of each near-duplicate to the index of the first copy it duplicates."""
    lsh = MinHashLSH(threshold=threshold, num_perm=_PERMUTATIONS)
    duplicate_of: dict[int, int] = {}
    for i, text in enumerate(texts):
        signature = MinHash(num_perm=_PERMUTATIONS)
        signature.update_batch(list(_shingles(text)))
        matches = [int(key) for key in lsh.query(signature)]
        if matches:
            duplicate_of[i] = min(matches)
        else:
            lsh.insert(str(i), signature)
    return duplicate_of
