"""Sentences that carry on the subject of the sentence before them.

News names its subject once and then refers back to it: "The Harbour Trust looks after the
old docks. It was founded in 1887 by a group of fishermen." Asked "When was the Harbour Trust
established?", the sentence that answers holds none of the question's words; its "It" stands
for them. So a sentence that opens with a pronoun, or with "the" and a word written small
("the company", "the new law"), is scored as holding the question's terms that the sentence
before it holds, as well as its own (qa/rerank/term_weights.py, `TermWeights.shares`;
docs/quality.md, "Sentences that refer back").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from index.text.sentences import nested

# A pronoun, or "the" before a word written small ("the company", "the new law"): a subject
# met before. "The Harbour Trust" names its subject afresh.
OPENS_WITH_REFERENCE = re.compile(
    r"[\W_]*(?:(?i:it|its|he|his|she|her|they|their|them|this|these|those|that)\b|[Tt]he [a-z])"
)


def previous_sentences(table: np.ndarray) -> np.ndarray:
    """For each row of a sentence table (document row, start, end; each article's rows in
    `sentence_units` order: a sentence, then the parts inside it), the row of the last whole
    sentence of its article that ends before it starts, or -1 for none."""
    if not len(table):
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(table[:, 0], kind="stable")
    docs, units = table[order, 0].astype(np.int64), table[order, 1:].astype(np.int64)
    whole = np.flatnonzero(~nested(units, docs))
    reach = int(units[:, 1].max()) + 1  # keys article by article: doc x reach + offset
    ends = docs[whole] * reach + units[whole, 1]
    at = np.searchsorted(ends, docs * reach + units[:, 0], side="right") - 1
    found = whole[np.maximum(at, 0)]
    before = np.where((at >= 0) & (docs[found] == docs), order[found], -1)
    out = np.empty(len(table), dtype=np.int64)
    out[order] = before
    return out


def refers_back(texts: Sequence[str]) -> np.ndarray:
    """Which sentences open by referring to a subject named before them."""
    return np.fromiter(
        (OPENS_WITH_REFERENCE.match(text) is not None for text in texts), bool, len(texts)
    )
