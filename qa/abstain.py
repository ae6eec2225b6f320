"""Decide whether the best passage answers the question: a logistic model over retrieval scores.

The weights are fitted on labelled questions by `qa calibrate` and kept in
index/abstention.json; every build copies them into its manifest, so an index keeps
the model it was built with. An index without them falls back to that file.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class AbstentionModel:
    """P(answers) = sigmoid(w_sentence * best_sentence + w_score * passage_score + bias), the
    scores those of the first cited passage with index-wide term weights (Candidate.evidence,
    evidence_score)."""

    w_sentence: float
    w_score: float
    bias: float
    threshold: float = 0.5
    fitted_on: dict[str, Any] = field(default_factory=dict)  # data, size, measured precision/recall

    def probability(self, best_sentence: float, passage_score: float) -> float:
        z = self.w_sentence * best_sentence + self.w_score * passage_score + self.bias
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def from_settings(cls, stored: Any) -> AbstentionModel:
        if not isinstance(stored, dict):
            raise ValueError("abstention settings must be an object")
        known = {k: stored[k] for k in cls.__dataclass_fields__ if k in stored}
        return cls(**known)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
