"""Find near-duplicate articles (syndicated copies, re-scrapes) with MinHash over word shingles.

Signatures are kept in the index (`minhash.npy`), so an incremental build only hashes the
articles it has not seen.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash, MinHashLSH

_SHINGLE = 5
PERMUTATIONS = 128
DEFAULT_THRESHOLD = 0.8  # estimated Jaccard similarity of 5-word shingles
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are only valid under it


def _shingles(text: str) -> set[bytes]:
    words = re.findall(r"\w+", text.lower())
    if len(words) < _SHINGLE:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + _SHINGLE]).encode() for i in range(len(words) - _SHINGLE + 1)}


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text: PERMUTATIONS unsigned 64-bit values."""
    minhash = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME)
    minhash.update_batch(list(_shingles(text)))
    return np.asarray(minhash.hashvalues, dtype=np.uint64)


def find_duplicates(
    texts: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    signatures: np.ndarray | None = None,
) -> dict[int, int]:
    """Map index of each near-duplicate to the index of the first copy it duplicates."""
    if signatures is None:
        signatures = np.array([signature(t) for t in texts], dtype=np.uint64).reshape(
            -1, PERMUTATIONS
        )
    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    template = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME)  # its permutations, made once
    duplicate_of: dict[int, int] = {}
    for i, values in enumerate(signatures):
        minhash = MinHash(
            num_perm=PERMUTATIONS,
            hashvalues=values,
            permutations=template.permutations,
            scheme=SCHEME,
        )
        matches = [int(key) for key in lsh.query(minhash)]
        if matches:
            duplicate_of[i] = min(matches)
        else:
            lsh.insert(str(i), minhash)
    return duplicate_of
