"""How a reranked passage is scored: a linear model over features of its sentences.

Each sentence (and each attribution part of a quoting sentence) gets the features below;
its score is their weighted sum, and a passage scores

    fusion_weight x its normalised fusion score + (1 - fusion_weight) x its best sentence.

The share of the question's word pairs a sentence holds only orders passages: within a
passage the highlight, and the evidence abstention judges, are scored without it
(`pair_scores`; qa/rerank/reranker.py).

The weights live in qa/rerank/ranker.json. Written by hand they are the earlier formula (0.7 cosine +
0.3 term share + 0.05 for holding the kind of answer asked for; fusion weight 0.2), with 0.15
for the word pairs, chosen by `scripts/train_ranker.py --sweep pair_share`; the script also
fits every weight on labelled sets and says which sets it used.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

FEATURES = (
    "cosine",  # the sentence's vector against the question's
    "term_share",  # share of the question's terms it holds, idf among the candidates; a
    # country the question names is held by any of its names ("France" for "French")
    "time_held",  # a "when" question, and the sentence holds a time
    "quantity_held",  # a "how many/much" question, and the sentence holds a quantity
    "reason_held",  # a "why" question, and the sentence holds a cause or purpose
    "first_sentence",  # the article's first sentence (often its headline)
    "asks",  # the sentence is itself a question: it asks, it does not answer
    "log_length",  # log of its length in characters
    "passage_cosine",  # the vector of the passage it lies in against the question's
    "pair_share",  # share of the question's neighbouring term pairs it holds close together
)
_KIND_COLUMN = {  # the feature each asked kind sets; a sum of money is a quantity
    "time": FEATURES.index("time_held"),
    "quantity": FEATURES.index("quantity_held"),
    "money": FEATURES.index("quantity_held"),
    "reason": FEATURES.index("reason_held"),
}


@dataclass(frozen=True, slots=True)
class Ranker:
    weights: np.ndarray  # one per FEATURES
    fusion_weight: float
    fitted_on: dict[str, Any] = field(default_factory=dict)

    def sentence_scores(self, features: np.ndarray) -> np.ndarray:
        return features @ self.weights

    def evidence_scores(
        self, scores: np.ndarray, features: np.ndarray, overall_shares: np.ndarray
    ) -> np.ndarray:
        """`scores` (this ranker's, of `features`, without `pair_scores`) with the index-wide
        term share in place of the ranking's one (qa/rerank/term_weights.py, TermWeights):
        what abstention judges."""
        share = FEATURES.index("term_share")
        return scores + self.weights[share] * (overall_shares - features[:, share])

    def pair_scores(self, features: np.ndarray) -> np.ndarray:
        """The part of `sentence_scores` the question's word pairs give (qa/rerank/reranker.py
        lets it order passages only)."""
        pairs = FEATURES.index("pair_share")
        return self.weights[pairs] * features[:, pairs]

    def passage_score(self, fused: float, best_sentence: float) -> float:
        return self.fusion_weight * fused + (1 - self.fusion_weight) * best_sentence

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> Ranker:
        weights = settings["weights"]
        unknown = set(weights) - set(FEATURES)
        if unknown:
            raise ValueError(f"unknown ranking features: {', '.join(sorted(unknown))}")
        return cls(
            np.array([float(weights.get(name, 0.0)) for name in FEATURES]),
            float(settings["fusion_weight"]),
            dict(settings.get("fitted_on") or {}),
        )

    def to_settings(self) -> dict[str, Any]:
        return {
            "weights": {n: round(float(w), 4) for n, w in zip(FEATURES, self.weights, strict=True)},
            "fusion_weight": round(self.fusion_weight, 4),
            "fitted_on": self.fitted_on,
        }


def packaged_ranker() -> Ranker:
    text = (resources.files("qa.rerank") / "ranker.json").read_text(encoding="utf-8")
    return Ranker.from_settings(json.loads(text))


def kind_held(features: np.ndarray, kind: str) -> np.ndarray:
    """Per row of a FEATURES matrix built for a question asking for `kind`, whether the
    sentence holds one."""
    return features[:, _KIND_COLUMN[kind]] > 0


def is_question(sentence: str) -> bool:
    """The sentence ends with a question mark, inside closing quotes or brackets or not."""
    return sentence.rstrip().rstrip("\"'”’)").endswith("?")


def asks(features: np.ndarray) -> np.ndarray:
    """Per row of a FEATURES matrix, whether the sentence is itself a question."""
    return features[:, FEATURES.index("asks")] > 0


def sentence_features(
    cosines: np.ndarray,
    shares: np.ndarray,
    kind: str | None,
    holds: np.ndarray | None,
    first: np.ndarray,
    texts: list[str],
    passage_cosines: np.ndarray,
    pair_shares: np.ndarray,
) -> np.ndarray:
    """The FEATURES matrix, one row per sentence or part."""
    n = len(cosines)
    table = np.zeros((n, len(FEATURES)), dtype=np.float64)
    table[:, 0] = cosines
    table[:, 1] = shares
    if kind is not None and holds is not None:
        table[:, _KIND_COLUMN[kind]] = holds
    table[:, 5] = first
    table[:, 6] = [is_question(t) for t in texts]
    table[:, 7] = np.log1p([len(t) for t in texts])
    table[:, 8] = passage_cosines
    table[:, 9] = pair_shares
    return table
