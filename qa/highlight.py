"""Pick the sentence(s) of a passage that answer the question: never the whole passage."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

LEXICAL_WEIGHT = 0.3  # share of the sentence score that comes from matching question terms
SECOND_SENTENCE_MARGIN = 0.04  # a neighbour this close to the best sentence is part of the answer


def sentence_scores(
    query_vector: np.ndarray,
    query_terms: set[str],
    vectors: np.ndarray,
    sentence_terms: Sequence[frozenset[str]],
) -> np.ndarray:
    """Cosine similarity to the question, blended with the share of question terms present."""
    semantic = vectors @ query_vector
    if not query_terms:
        return semantic
    lexical = np.array(
        [len(query_terms & terms) / len(query_terms) for terms in sentence_terms],
        dtype=np.float32,
    )
    return (1 - LEXICAL_WEIGHT) * semantic + LEXICAL_WEIGHT * lexical


def choose_highlights(spans: list[tuple[int, int]], scores: np.ndarray) -> list[list[int]]:
    """The best sentence, plus an adjacent one when it scores nearly as well."""
    if not spans:
        return []
    best = int(np.argmax(scores))
    chosen = [best]
    for neighbour in (best - 1, best + 1):
        if (
            0 <= neighbour < len(spans)
            and scores[neighbour] >= scores[best] - SECOND_SENTENCE_MARGIN
        ):
            chosen.append(neighbour)
            break
    return [list(spans[i]) for i in sorted(chosen)]
