"""The ranking model: features worked out by hand, and the packaged weights being the
earlier formula (0.2 fusion + 0.8 x (0.7 cosine + 0.3 term share + 0.05 answer kind)) with
0.15 x the share of the question's word pairs (chosen by scripts/train_ranker.py --sweep)."""

from __future__ import annotations

import numpy as np
import pytest

from qa.rerank.ranker import FEATURES, Ranker, packaged_ranker, sentence_features


def test_features_of_three_sentences() -> None:
    table = sentence_features(
        cosines=np.array([0.5, 0.2, 0.9]),
        shares=np.array([1.0, 0.0, 0.5]),
        kind="quantity",
        holds=np.array([True, False, True]),
        first=np.array([True, False, False]),
        texts=["Fees rose by 4%.", "Why did they rise?", 'He said: "Is it fair?"'],
        passage_cosines=np.array([0.3, 0.3, 0.6]),
        pair_shares=np.array([0.5, 0.0, 1.0]),
    )
    column = {name: table[:, i].tolist() for i, name in enumerate(FEATURES)}
    assert column["cosine"] == [0.5, 0.2, 0.9] and column["term_share"] == [1.0, 0.0, 0.5]
    assert column["quantity_held"] == [1.0, 0.0, 1.0]
    assert column["time_held"] == column["reason_held"] == [0.0, 0.0, 0.0]
    assert column["first_sentence"] == [1.0, 0.0, 0.0]
    assert column["asks"] == [0.0, 1.0, 1.0]  # a closing quote after "?" still asks
    assert column["log_length"] == pytest.approx(np.log1p([16, 18, 22]).tolist())
    assert column["passage_cosine"] == [0.3, 0.3, 0.6]
    assert column["pair_share"] == [0.5, 0.0, 1.0]


def test_packaged_weights_score_as_the_hand_set_formula() -> None:
    ranker = packaged_ranker()
    features = np.zeros((1, len(FEATURES)))
    features[0, FEATURES.index("cosine")] = 0.6
    features[0, FEATURES.index("term_share")] = 0.5
    features[0, FEATURES.index("time_held")] = 1.0
    features[0, FEATURES.index("pair_share")] = 0.5
    best = float(ranker.sentence_scores(features)[0])
    assert best == pytest.approx(0.7 * 0.6 + 0.3 * 0.5 + 0.05 + 0.15 * 0.5)
    assert ranker.passage_score(0.4, best) == pytest.approx(0.2 * 0.4 + 0.8 * best)


def test_the_word_pairs_part_of_a_score_is_told_apart() -> None:
    """The reranker orders passages with the word pairs and takes them out for the
    highlight and for abstention, whose model was fitted without them (qa/abstain.py)."""
    ranker = packaged_ranker()
    features = np.zeros((2, len(FEATURES)))
    features[:, FEATURES.index("cosine")] = 0.6
    features[:, FEATURES.index("term_share")] = 0.5
    features[1, FEATURES.index("pair_share")] = 1.0
    scores = ranker.sentence_scores(features)
    assert ranker.pair_scores(features) == pytest.approx([0.0, 0.15])
    within = scores - ranker.pair_scores(features)
    assert within[0] == pytest.approx(within[1])
    evidence = ranker.evidence_scores(within, features, np.array([0.4, 0.4]))
    assert evidence == pytest.approx([0.7 * 0.6 + 0.3 * 0.4] * 2)


def test_unknown_features_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown ranking features: colour"):
        Ranker.from_settings({"weights": {"colour": 1.0}, "fusion_weight": 0.2})
