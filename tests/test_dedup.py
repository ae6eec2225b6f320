"""Near-duplicate detection: the numpy banding gives exactly what datasketch's MinHashLSH gives;
copies are recognised by their bodies."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from datasketch import MinHash, MinHashLSH

from index.ingest.prepare import read_documents
from index.text.dedup import PERMUTATIONS, SCHEME, compared_text, find_duplicates, signature


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


EXPORTS = Path(__file__).parent / "data" / "exports"


def test_a_story_under_a_reworded_headline_is_a_copy_but_short_items_keep_theirs_apart(
    tmp_path: Path,
) -> None:
    """The same 60-word story downloaded from LexisNexis (its headline longer, its lines
    hard-wrapped) and from Factiva is one story with a copy; compared with their headlines,
    one in six of its 5-word shingles differ, and the two were cited apart. Two items of one
    short template text stay apart by their headlines."""
    documents, _ = read_documents([EXPORTS / "lexis.txt", EXPORTS / "factiva.txt"])
    by_id = {d.doc_id: d for d in documents}
    lexis, factiva = by_id["lexis-1"], by_id["factiva-1"]
    assert lexis.title != factiva.title
    texts = [compared_text(d.title, d.text) for d in (factiva, lexis)]
    signatures = np.array([signature(t) for t in texts], dtype=np.uint64)
    assert find_duplicates(texts, signatures=signatures) == {1: 0}
    template = "Follow the latest updates as they come in, with reaction from across the region."
    items = [("Storm closes the harbour", template), ("Election results from the valley", template)]
    texts = [compared_text(title, f"{title}\n\n{body}") for title, body in items]
    assert texts == [f"{title}\n\n{body}" for title, body in items]  # under 20 words: whole
    assert find_duplicates(texts) == {}
