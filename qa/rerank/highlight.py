"""Pick the sentence(s) of a passage that answer the question: never the whole passage."""

from __future__ import annotations

import numpy as np

from index.text.sentences import nested

SECOND_SENTENCE_MARGIN = 0.04  # a neighbour this close to the best sentence is part of the answer


def by_sentence(
    spans: np.ndarray, scores: np.ndarray, passages: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sentences only, each scored as its best part, with the passage each belongs to: a
    quoting sentence whose attribution answers is highlighted whole, never cut to the part.
    `scores` may hold several columns of scores, each taken at its best part.

    `passages` numbers each row's passage, non-decreasing; rows of a passage are in
    `sentence_units` order.
    """
    if not len(spans):
        return spans, scores, passages
    inner = nested(spans, passages)
    sentence = np.cumsum(~inner) - 1
    best = np.full((int(sentence[-1]) + 1, *scores.shape[1:]), -np.inf, dtype=np.float64)
    np.maximum.at(best, sentence, scores)
    return spans[~inner], best, passages[~inner]


def choose_highlights(
    spans: list[tuple[int, int]], scores: np.ndarray, gives: np.ndarray, asks: np.ndarray
) -> tuple[list[list[int]], int]:
    """The best sentence, plus an adjacent one when it scores nearly as well; and the number
    of the sentence chosen (-1 for none).

    `asks`, one per sentence: it is itself a question. A question does not answer one, so it
    is never highlighted while the passage holds a statement, however well it matches (a
    quiz page printing the question asked; a headline that asks). Ranking and abstention
    still read it: a passage that asks the question is often the story that answers it.

    `gives`, one per sentence: it holds the sum of money asked for (qa/rerank/answer_type.py).
    When any does, the best of those is the answer, however well a sentence restating the
    question scores ("the film topped the box office" against "it took $21.4m"). Only sums:
    the answer to "how many" or "how long" is often in words no pattern reads as a number
    ("a few", "biennial"), and the rule moved as many such highlights away from the answer
    as to it (docs/quality.md, "the sentence that gives the sum").
    """
    if not spans:
        return [], -1
    states = ~asks if not asks.all() else np.ones(len(spans), dtype=bool)
    pool = states & gives if (states & gives).any() else states
    best = int(np.argmax(np.where(pool, scores, -np.inf)))
    chosen = [best]
    for neighbour in (best - 1, best + 1):
        if (
            0 <= neighbour < len(spans)
            and states[neighbour]
            and scores[neighbour] >= scores[best] - SECOND_SENTENCE_MARGIN
        ):
            chosen.append(neighbour)
            break
    return [list(spans[i]) for i in sorted(chosen)], best
