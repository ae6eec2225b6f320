"""Judging answers as a user sees them: by the article's id or path, the answer string, the
highlight and the abstain flag; figures per kind of question, worked out by hand."""

from __future__ import annotations

from qa.results import Passage, SearchResult
from tooling.evaluation.as_user import (
    Judged,
    changed,
    document_names,
    judge,
    mcnemar_exact,
    outcome,
    paired,
    summarise,
)
from tooling.evaluation.datasets import Question

TEXT = "The council met on Monday. It approved a budget of 4 million. Critics objected."


def _passage(doc_id: str, source: str, start: int, end: int, highlight: tuple[int, int]) -> Passage:
    return Passage(
        doc_id,
        source,
        "t",
        None,
        None,
        None,
        TEXT[start:end],
        start,
        end,
        start,
        end,
        0.5,
        [list(highlight)],
    )


def test_an_article_is_named_by_id_or_by_any_trailing_part_of_its_path() -> None:
    names = document_names("007-ab12", "/data/bbc/business/007.txt", ("/data/bbc/tech/114.txt",))
    assert {"007-ab12", "business/007", "007", "bbc/business/007", "tech/114"} <= names
    assert "business/114" not in names


def test_rank_and_highlight_are_read_from_what_search_returned() -> None:
    question = Question("q1", "How big is the budget?", contains=(("business/007", "4 million"),))
    wrong = _passage("x", "/c/business/008.txt", 0, 80, (0, 26))
    right = _passage("y", "/c/business/007.txt", 27, 61, (27, 61))
    result = SearchResult("q", False, [wrong, right])
    judged = judge(question, result, lambda _: TEXT)
    assert judged.rank == 2 and judged.highlighted is True
    unmarked = _passage("y", "/c/business/007.txt", 0, 80, (0, 26))
    assert (
        judge(question, SearchResult("q", False, [unmarked]), lambda _: TEXT).highlighted is False
    )


def test_figures_per_kind_count_an_abstained_answer_as_no_hit() -> None:
    rows = [
        Judged("a", "single", True, False, 1, True, "", 0.9),
        Judged("b", "single", True, True, 1, True, "", 0.2),  # right, but behind "no answer"
        Judged("c", "typo", True, False, 3, False, "", 0.8),
        Judged("d", "unanswerable", False, True, None, None, "", 0.1),
        Judged("e", "unanswerable", False, False, None, None, "", 0.7),
    ]
    figures = summarise(rows)
    assert figures["all"]["hit@1"] == round(1 / 3, 3) and figures["all"]["rank hit@1"] == round(
        2 / 3, 3
    )
    assert figures["all"]["hit@3"] == round(2 / 3, 3)
    assert figures["all"]["highlight"] == round(2 / 3, 3)
    assert figures["all"]["false_abstention"] == round(1 / 3, 3)
    assert figures["unanswerable"]["abstention"] == 0.5
    assert figures["single"]["hit@1"] == 0.5 and figures["typo"]["hit@3"] == 1.0


def test_the_exact_mcnemar_test_matches_binomial_tails_worked_by_hand() -> None:
    assert mcnemar_exact(0, 5) == 2 / 32  # 5 discordant questions, all one way
    assert mcnemar_exact(6, 2) == 2 * (1 + 8 + 28) / 256
    assert mcnemar_exact(3, 3) == 1.0
    assert mcnemar_exact(0, 0) == 1.0


def test_two_systems_are_compared_question_by_question() -> None:
    def judged(qid: str, rank: int | None, abstained: bool = False) -> Judged:
        return Judged(qid, "single", True, abstained, rank, None, "", 1.0)

    ours = [judged("a", 1), judged("b", 2), judged("c", 1, abstained=True), judged("d", None)]
    theirs = [judged("a", 1), judged("b", 1), judged("c", 1), judged("d", 3)]
    figures = paired(ours, theirs)
    # hit@1: a both; b, c only theirs (c abstained: no answer shown). hit@3: a, b both; c, d theirs
    assert figures["hit@1"] == {"questions": 4, "only_ours": 0, "only_theirs": 2, "p_value": 0.5}
    assert figures["hit@3"] == {"questions": 4, "only_ours": 0, "only_theirs": 2, "p_value": 0.5}


def test_an_outcome_says_where_the_answer_was_cited_and_if_it_was_refused() -> None:
    def judged(rank: int | None, highlighted: bool | None, abstained: bool) -> Judged:
        return Judged("q", "single", True, abstained, rank, highlighted, "", 0.5)

    assert outcome(judged(2, True, False)) == "answer cited at 2, highlighted"
    assert outcome(judged(5, None, False)) == "answer cited at 5"
    assert outcome(judged(None, None, True)) == "abstained (answer not cited)"
    assert outcome(judged(1, False, True)) == "abstained (answer cited at 1, not highlighted)"
    refused = Judged("u", "unanswerable", False, True, None, None, "", 0.1)
    assert outcome(refused) == "abstained"
    earlier = [_row("q", 1, True), _row("x", 1, True)]
    now = [judged(3, False, False)]  # "x" is not in this run: not compared
    assert changed(earlier, now) == [
        ("q", "single", "answer cited at 1, highlighted", "answer cited at 3, not highlighted")
    ]
    assert changed(earlier[:1], [judged(1, True, False)]) == []


def _row(qid: str, rank: int, highlighted: bool) -> dict[str, object]:
    """One question's row as `qa eval --json` writes it."""
    return {
        "qid": qid,
        "kind": "single",
        "answerable": True,
        "abstained": False,
        "rank": rank,
        "highlighted": highlighted,
        "query": "",
        "confidence": 0.5,
    }
