"""Fit the abstention model on labelled questions: `qa calibrate SQUAD.json`.

Labels come from SQuAD without any hand labelling: the paragraphs of a random half of its
articles form the corpus, so that half's questions are answerable in it and the other half's
(other Wikipedia topics) are not. The model sees only the scores of the first cited passage.
Half of the questions fit it; the other half measure it.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from qa.citations import cite
from qa.searcher import Searcher
from tooling.evaluation.datasets import QuestionSet
from tooling.evaluation.modes import rank


@dataclass(frozen=True, slots=True)
class Calibration:
    settings: dict[str, Any]  # what index/abstention.json holds
    held_out: dict[str, float]  # precision and recall of abstaining on unseen questions


def calibrate(
    qset: QuestionSet,
    searcher: Searcher,
    *,
    per_side: int = 1500,
    seed: int = 13,
    progress: Callable[[str], None] = lambda _: None,
) -> Calibration:
    from sklearn.linear_model import LogisticRegression

    rng = random.Random(seed)
    articles = sorted({q_doc.split("-")[0] for q in qset.questions for q_doc in q.relevant})
    rng.shuffle(articles)
    inside = set(articles[: len(articles) // 2])
    corpus = {d.doc_id for d in searcher.stored.documents if d.doc_id.split("-")[0] in inside}
    answerable = [q for q in qset.questions if next(iter(q.relevant)).split("-")[0] in inside]
    outside = [q for q in qset.questions if next(iter(q.relevant)).split("-")[0] not in inside]
    sample = rng.sample(answerable, min(per_side, len(answerable))) + rng.sample(
        outside, min(per_side, len(outside))
    )
    labels = np.array([1] * min(per_side, len(answerable)) + [0] * min(per_side, len(outside)))
    progress(
        f"scoring {len(sample)} questions against {len(corpus)} of {len(searcher.stored.documents)} paragraphs"
    )
    features = np.array(
        [
            _features(cite(cands, 1))
            for cands in rank(searcher, [q.text for q in sample], "full", documents=corpus)
        ]
    )
    order = np.array(rng.sample(range(len(sample)), len(sample)))
    fit_rows, test_rows = order[: len(order) // 2], order[len(order) // 2 :]
    model = LogisticRegression().fit(features[fit_rows], labels[fit_rows])
    (w_sentence, w_score), bias = model.coef_[0], model.intercept_[0]
    answers = model.predict_proba(features[test_rows])[:, 1] >= 0.5
    held_out = _abstention_quality(~answers, labels[test_rows] == 0)
    settings = {
        "w_sentence": round(float(w_sentence), 4),
        "w_score": round(float(w_score), 4),
        "bias": round(float(bias), 4),
        "threshold": 0.5,
        "fitted_on": {
            "data": f"{qset.name} ({qset.format}): questions on a random half of its articles "
            "are answerable, on the other half not",
            "questions_fitted": int(len(fit_rows)),
            "questions_held_out": int(len(test_rows)),
            "seed": seed,
            "model": searcher.stored.manifest.model,
            "fitted": time.strftime("%Y-%m-%d"),
            "held_out": {k: round(v, 4) for k, v in held_out.items()},
        },
    }
    return Calibration(settings, held_out)


def _features(cited: list) -> list[float]:
    return [cited[0].evidence, cited[0].evidence_score] if cited else [0.0, 0.0]


def _abstention_quality(abstained: np.ndarray, should: np.ndarray) -> dict[str, float]:
    correct = float((abstained & should).sum())
    return {
        "precision": correct / max(1, int(abstained.sum())),
        "recall": correct / max(1, int(should.sum())),
        "false_abstention": float((abstained & ~should).sum()) / max(1, int((~should).sum())),
    }
