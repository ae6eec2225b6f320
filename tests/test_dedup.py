"""Near-duplicate detection: the numpy banding gives exactly what datasketch's MinHashLSH gives."""

from __future__ import annotations

import random

import numpy as np
from datasketch import MinHash, MinHashLSH

from index.text.dedup import PERMUTATIONS, SCHEME, find_duplicates, signature


def _with_lsh(signatures: np.ndarray, threshold: float = 0.8) -> dict[int, int]:
    """The reference: insert each article that matches no earlier one, in order."""
    lsh = MinHashLSH(threshold=threshold, num_perm=PERMUTATIONS)
    template = MinHash(num_perm=PERMUTATIONS, scheme=SCHEME)
    found: dict[int, int] = {}
    for i, values in enumerate(signatures):
        minhash = MinHash(
            num_perm=PERMUTATIONS,
            hashvalues=values,
            permutations=template.permutations,
            scheme=SCHEME,
        )
        matches = [int(key) for key in lsh.query(minhash)]
        if matches:
            found[i] = min(matches)
        else:
            lsh.insert(str(i), minhash)
    return found


def _corpus(seed: int) -> list[str]:
    rng = random.Random(seed)
    words = [f"w{n}" for n in range(400)]
    originals = [" ".join(rng.choices(words, k=rng.randint(30, 200))) for _ in range(60)]
    texts = list(originals)
    for _ in range(60):  # copies with a few words changed, some of them copies of copies
        source = rng.choice(texts).split()
        for _ in range(rng.randint(0, 6)):
            source[rng.randrange(len(source))] = rng.choice(words)
        texts.append(" ".join(source))
    rng.shuffle(texts)
    return texts


def test_the_same_duplicates_as_minhash_lsh() -> None:
    total = 0
    for seed in range(5):
        texts = _corpus(seed)
        signatures = np.array([signature(t) for t in texts], dtype=np.uint64)
        expected = _with_lsh(signatures)
        assert find_duplicates(texts, signatures=signatures) == expected
        total += len(expected)
    assert total > 100  # the corpora do hold near-duplicates


def test_no_articles_and_exact_copies() -> None:
    assert find_duplicates([]) == {}
    assert find_duplicates(
        ["one two three four five six", "x y", "one two three four five six"]
    ) == {2: 0}
