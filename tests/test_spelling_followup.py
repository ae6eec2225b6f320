"""Misspelt words corrected against the articles' own words; follow-ups completed from the
previous answer. Neutral texts, not the seed articles."""

from __future__ import annotations

from qa.query.followup import named_in, resolve_followup, resolve_query
from qa.query.spelling import Speller

ARTICLES = [
    "The Harbourview council approved the Kettlewell bridge budget on Tuesday.",
    "Engineers said the Kettlewell bridge would reopen in spring after repairs.",
]


def test_unknown_words_are_corrected_towards_the_articles() -> None:
    speller = Speller(ARTICLES)
    assert speller.correct("When will the Ketlewell brigde reopen?") == (
        "When will the Kettlewell bridge reopen?"
    )
    assert speller.correct("Did Harbourveiw's council approve it?") == (
        "Did Harbourview's council approve it?"
    )


def test_english_words_and_far_words_are_left_alone() -> None:
    speller = Speller(ARTICLES)
    # "gave" and "Tour" are English though the articles never use them; "Zanzibar" is far
    # from every article word. None of them is changed.
    question = "Who gave the Tour prize in Zanzibar?"
    assert speller.correct(question) == question
    # A first letter is never changed: "Chevening" does not become "evening".
    assert Speller(["The evening session ran late."]).correct("Chevening talks") == (
        "Chevening talks"
    )


def test_a_question_in_another_language_is_not_made_english() -> None:
    """Turning an accented word into another word is no typo fix: "Quién ganó" became "Quinn
    gant", one edit each, over an English corpus that names a Quinn. A word that keeps its
    accent, gains one or only loses it is still corrected."""
    speller = Speller([*ARTICLES, "Quinn said the gant was torn by Björkman and Grönholm."])
    question = "¿Quién ganó el premio Kettlewell?"
    assert speller.correct(question) == question
    assert speller.correct("Did Bjökrman beat Gronholm?") == "Did Björkman beat Grönholm?"
    # An accent the articles do not write is dropped: the same name, as they spell it.
    assert Speller(["Nicolas Maduro spoke on Monday."]).correct("Nicolás said") == "Nicolas said"


def test_names_in_a_sentence() -> None:
    sentence = "On Monday, Mr Tomas Varga of Harbourview Holdings said the Bank of Lisbon agreed."
    assert named_in(sentence) == ["Tomas", "Varga", "Harbourview", "Holdings", "Bank", "Lisbon"]
    assert named_in("Engineers closed the bridge.") == []


def test_a_followup_takes_the_previous_answers_names_first() -> None:
    query = resolve_followup(
        "Where did he study?",
        ["Who was appointed to lead the port authority?"],
        "The board appointed Tomas Varga to lead the port authority.",
    )
    assert query == "Where did he study? Tomas Varga appointed lead port authority"
    standalone = "Where did Tomas Varga study engineering?"
    assert resolve_followup(standalone, ["Who leads it?"], "Ana Lind leads it.") == standalone
    history, earlier = ["Who leads it?"], "Ana Lind leads it."
    assert resolve_query("Where did he study?", history, earlier).leans_on_conversation
    assert not resolve_query(f" {standalone} ", history, earlier).leans_on_conversation


def test_search_shows_the_corrected_query(searcher) -> None:  # type: ignore[no-untyped-def]
    result = searcher.search("What did the Venezulan defense minister accuse the US of?", k=3)
    assert "Venezuelan" in result.query and "Venezulan" not in result.query
    assert result.question.startswith("What did the Venezulan")


def test_a_given_earlier_answer_is_used_instead_of_answering_again(searcher) -> None:  # type: ignore[no-untyped-def]
    from qa.options import SearchOptions

    history = ("Who leads the harbour board?",)
    given = "Harbour chief Marta Okonkwo resigned on Friday."
    asked = searcher.answer(
        "Where did she go?", SearchOptions(history=history, earlier_answer=given)
    )
    assert "Okonkwo" in asked.query  # the names come from the answer the caller showed
    calls: list[object] = []
    searcher._previous_answer = lambda *a: calls.append(a) or ""  # type: ignore[method-assign]
    try:
        searcher.answer("Where did she go?", SearchOptions(history=history, earlier_answer=given))
        assert calls == []  # nothing answered again
        searcher.answer("Where did she go?", SearchOptions(history=history))
        assert len(calls) == 1  # without it, the earlier question is answered again
    finally:
        del searcher._previous_answer


def test_a_followups_sentence_is_chosen_by_its_own_words(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The words carried from the conversation find the story; they must not pull the
    sentence that answered the earlier question back to the top."""
    from index import build_index
    from qa.options import SearchOptions
    from qa.searcher import Searcher

    earlier = (
        "Harbourview council chair Tomas Varga announced on Monday that the Kettlewell bridge "
        "would close for urgent repairs to its cracked supports."
    )
    answer = "Engineers expect the crossing to open to traffic again in March."
    article = "\n\n".join(
        [
            "Kettlewell bridge to close",
            earlier,
            "Ferries will carry commuters across the river while the work goes on, and the "
            "council will pay for extra sailings at rush hour.",
            "Local shops on the north bank fear they will lose trade for months.",
            answer,
        ]
    )
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "bridge.txt").write_text(article + "\n", encoding="utf-8")
    build_index([tmp_path / "articles"], tmp_path / "index")
    searcher = Searcher.load(tmp_path / "index")
    result = searcher.answer(
        "When will it open again?",
        SearchOptions(
            history=("Who announced the Kettlewell bridge closure?",), earlier_answer=earlier
        ),
    )
    assert "Tomas Varga" in result.query  # the carried names are still searched
    top = result.passages[0]
    text = searcher.article(top.doc_id).text
    assert [text[a:b] for a, b in top.highlights] == [answer]
