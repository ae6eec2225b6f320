"""Term tables (stemmed terms per text, reused across versions) and idf-weighted term shares."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from index.text import terms
from index.text.terms import TermTable, tokenize
from qa.rerank.term_weights import TermWeights

SENTENCES = [
    "Officials said the oil deal was signed.",
    "There is little evidence of the deal.",
    "Oil prices rose, then oil prices fell.",
    "The of and.",
]


def _idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def test_a_table_holds_each_texts_terms_and_survives_a_save(tmp_path: Path) -> None:
    table = TermTable.of_texts(SENTENCES)
    assert [table.terms_of(r) for r in range(len(SENTENCES))] == tokenize(SENTENCES)
    table.save(tmp_path / "t")
    loaded = TermTable.load(tmp_path / "t")
    assert [loaded.terms_of(r) for r in range(len(SENTENCES))] == tokenize(SENTENCES)
    df = dict(zip(loaded.vocabulary, loaded.document_frequency(), strict=True))
    assert df["oil"] == 2 and df["price"] == 1 and df["deal"] == 2  # "price" twice in one text


def test_a_later_table_tokenises_only_texts_it_has_not_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    TermTable.of_texts(SENTENCES[:3]).save(tmp_path / "v1")
    seen: list[str] = []
    real = terms.tokenize
    monkeypatch.setattr(terms, "tokenize", lambda texts: seen.extend(texts) or real(texts))
    later = [SENTENCES[2], "A new sentence about oil."]
    table = TermTable.of_texts(later, tmp_path / "v1")
    assert seen == ["A new sentence about oil."]
    assert [table.terms_of(r) for r in range(2)] == tokenize(later)
    assert sorted(table.vocabulary) == sorted({t for words in tokenize(later) for t in words})


def test_a_table_made_by_another_tokenizer_is_not_taken_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    TermTable.of_texts(SENTENCES[:3]).save(tmp_path / "v1")
    monkeypatch.setattr(terms, "TOKENIZER_VERSION", b"terms-next")
    seen: list[str] = []
    real = terms.tokenize
    monkeypatch.setattr(terms, "tokenize", lambda texts: seen.extend(texts) or real(texts))
    TermTable.of_texts(SENTENCES[:3], tmp_path / "v1")
    assert seen == SENTENCES[:3]  # every text tokenised again


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Nicolás Maduro and Delcy Rodríguez", "Nicolas Maduro and Delcy Rodriguez"),
        ("the Cártel de los Soles", "the Cartel de los Soles"),
        ("Beyoncé's Pokémon café", "Beyonce's Pokemon cafe"),
        ("e\u0301te\u0301 à Montréal", "ete a Montreal"),  # accents written apart
        ("ÉCOLE NAÏVE", "ecole naive"),
    ],
)
def test_a_name_typed_without_its_accents_has_the_same_terms(written: str, typed: str) -> None:
    assert tokenize([written]) == tokenize([typed])
    assert terms.question_terms(f"Who is {typed}?") == terms.question_terms(f"Who is {written}?")


def test_letters_that_are_no_accented_plain_letter_and_other_scripts_keep_their_marks() -> None:
    kept = ["Straße", "Øresund", "Łódź", "Москва и Йошкар-Ола", "भारत", "한국어 東京都"]
    assert [terms.fold_accents(t) for t in kept] == [
        "Straße",
        "Øresund",
        "Łodz",  # ó has a plain letter; Ł has none
        "Москва и Йошкар-Ола",
        "भारत",
        "한국어 東京都",
    ]
    assert terms.matched_words("cafe in Montreal", "Le café de Montréal") == ["café", "montréal"]


def test_an_inconsistent_saved_table_is_refused(tmp_path: Path) -> None:
    TermTable.of_texts(SENTENCES).save(tmp_path / "t")
    np.save(tmp_path / "t" / "term_offsets.npy", np.array([0, 1], dtype=np.int64))
    with pytest.raises(ValueError, match="inconsistent"):
        TermTable.load(tmp_path / "t")


def test_shares_weight_each_question_term_by_its_rarity_and_count_it_once() -> None:
    weights = TermWeights(TermTable.of_texts(SENTENCES))
    n = len(SENTENCES)
    question = set(tokenize(["evidence of the oil deal"])[0])  # evid, oil, deal
    assert question == {"evid", "oil", "deal"}
    total = _idf(n, 1) + 2 * _idf(n, 2)
    expected = [
        (_idf(n, 2) + _idf(n, 2)) / total,  # oil, deal
        (_idf(n, 1) + _idf(n, 2)) / total,  # evidence, deal
        _idf(n, 2) / total,  # oil, counted once although the sentence says it twice
        0.0,
    ]
    among, overall = weights.held(np.arange(n)).shares(question)
    assert among == pytest.approx(expected, rel=1e-5)  # the rows given are the whole index
    assert overall == pytest.approx(expected, rel=1e-5)


def test_among_the_candidates_a_term_they_all_hold_weighs_least() -> None:
    """Among sentences 0 and 2 "oil" is held by both and "deal" by one: "deal" tells them
    apart. Over the index both terms are held by two of four sentences and weigh alike."""
    weights = TermWeights(TermTable.of_texts(SENTENCES))
    question = {"oil", "deal"}
    among, overall = weights.held(np.array([2, 0, 0])).shares(question)
    local_total = _idf(2, 2) + _idf(2, 1)
    assert among == pytest.approx(
        [_idf(2, 2) / local_total, 1.0, 1.0], rel=1e-5
    )  # a row given twice counts once
    assert overall == pytest.approx([0.5, 1.0, 1.0], rel=1e-5)
    assert among[0] < overall[0]
    lent = weights.held(np.array([3, 1]), np.array([2, -1])).shares(question)
    for shares in lent:  # row 3 holds no term of its own but refers back to row 2's "oil"
        assert shares == pytest.approx([0.5, 0.5], rel=1e-5)


def test_a_term_no_sentence_holds_weighs_most_and_matches_nothing() -> None:
    weights = TermWeights(TermTable.of_texts(SENTENCES))
    n = len(SENTENCES)
    unseen = math.log(1 + (n + 0.5) / 0.5)
    for shares in weights.held(np.arange(n)).shares({"oil", "zeppelin"}):
        assert shares[2] == pytest.approx(_idf(n, 2) / (_idf(n, 2) + unseen), rel=1e-5)
    for shares in weights.held(np.arange(n)).shares({"zeppelin"}):
        assert shares.tolist() == [0.0] * n
    for shares in weights.held(np.zeros(0, dtype=np.int64)).shares({"oil"}):
        assert shares.tolist() == []


NAMED = [
    "French officials signed the oil deal.",  # the question's own word
    "Officials in France signed the deal.",  # the same country, named another way
    "Oil prices rose.",
]


def test_among_the_candidates_a_country_named_another_way_holds_the_questions_word() -> None:
    """The question's "French" is held by the sentence writing "France": among the rows the
    name counts as one term, held by both. Over the index (abstention's share) it counts as
    written."""
    weights = TermWeights(TermTable.of_texts(NAMED))
    question = set(terms.question_terms("What did French officials sign?"))
    assert question == {"french", "offici", "sign"}
    rows = weights.held(np.arange(3))
    plain_among, plain_overall = rows.shares(question)
    among, overall = rows.shares(question, [({"french"}, np.array([True, True, False]))])
    assert plain_among[1] == pytest.approx(2 * _idf(3, 2) / (2 * _idf(3, 2) + _idf(3, 1)))
    assert among == pytest.approx([1.0, 1.0, 0.0], rel=1e-5)  # three terms, each held by two
    assert overall.tolist() == plain_overall.tolist()


def test_a_country_asked_in_two_words_is_held_by_both_or_by_another_name() -> None:
    """ "United States" is held by a sentence holding both its terms or naming the country
    otherwise ("America"), not by one holding "states" alone; a name no sentence of the index
    writes still counts for those naming the country."""
    texts = ["The United States agreed.", "Both states agreed.", "America agreed.", "Rain."]
    weights = TermWeights(TermTable.of_texts(texts))
    rows = weights.held(np.arange(4))
    naming = np.array([True, False, True, False])
    among, _ = rows.shares({"unit", "state"}, [({"unit", "state"}, naming)])
    assert among == pytest.approx([1.0, 0.0, 1.0, 0.0])
    among, _ = rows.shares(
        {"agre", "kenyan"}, [({"kenyan"}, np.array([False, False, True, False]))]
    )
    assert among[2] == pytest.approx(1.0) and 0 < among[0] < 1 and among[3] == 0


PAIRED = [
    "A rise in interest rates came on Monday.",  # interest rate, rate rise: both pairs
    "Rates of pay did not rise.",  # rate rise only
    "Interest grew in the town, and the council said that its rates were fixed.",  # far apart
    "Interest rates rise.",
]


def test_pair_shares_count_neighbouring_question_terms_held_close_in_either_order() -> None:
    """Both pairs weigh alike here (each weighs its commoner term, "rate", which all three
    rows hold), so a sentence holding one pair within three terms holds half."""
    weights = TermWeights(TermTable.of_texts(PAIRED))
    question = terms.question_terms("Why do interest rates rise?")
    assert question == ("interest", "rate", "rise")
    shares = weights.held(np.array([0, 1, 2])).pair_shares(question)
    assert shares == pytest.approx([1.0, 0.5, 0.0])  # "rise ... rate" counts, either order
    among, _ = weights.held(np.array([0, 1, 2])).shares(set(question))
    assert among[2] > 0  # row 2 holds two of the terms, only far apart


def test_a_pair_weighs_its_commoner_term_and_one_no_sentence_holds_still_counts() -> None:
    weights = TermWeights(TermTable.of_texts(PAIRED))
    rows = np.array([0, 1, 3])  # "rate" in all three, "interest" in two, "monday" in one
    shares = weights.held(rows).pair_shares(["rate", "interest", "monday"])
    rate_interest, interest_monday = _idf(3, 3), _idf(3, 2)
    assert shares == pytest.approx(
        [1.0, 0.0, rate_interest / (rate_interest + interest_monday)], rel=1e-5
    )
    shares = weights.held(rows).pair_shares(["interest", "rate", "zeppelin"])
    assert shares == pytest.approx([0.5, 0.0, 0.5], rel=1e-5)  # (rate, zeppelin) is not held
    assert weights.held(rows).pair_shares(["rate"]).tolist() == [0.0, 0.0, 0.0]  # no pair to hold
    lent = weights.held(np.array([1, 0, 1]), np.array([3, -1, 3])).pair_shares(["interest", "rate"])
    assert lent.tolist() == [1.0, 1.0, 1.0]  # row 1 refers back to row 3, which holds the pair
    assert weights.held(np.zeros(0, dtype=np.int64)).pair_shares(["rate", "rise"]).tolist() == []
