"""A country the question names must be one the first cited article mentions
(qa/asked_countries.py, qa/conditions.py)."""

from __future__ import annotations

import pytest

from qa import asked_countries
from qa.asked_countries import article_countries, country_spans, named_countries, naming
from qa.results import SearchResult
from tests.conftest import searcher_over
from tests.near_misses import assert_shown_as_near_miss


@pytest.mark.parametrize(
    ("question", "countries"),
    [
        ("What was Singapore's jobless rate?", ["Singapore"]),
        ("Which American firm bought the British bank?", ["United States", "United Kingdom"]),
        ("How many Britons live in the U.S.?", ["United Kingdom", "United States"]),
        ("Why did US-led talks in Guinea-Bissau stall?", ["United States", "Guinea-Bissau"]),
        ("What did North Korea say?", ["North Korea"]),  # not also "Korea", the South
        ("What did the Republic of Singapore sign?", ["Singapore"]),
        ("How do the Chinese and French markets differ?", ["China", "France"]),
        ("Who carved the turkey on the china plate?", []),  # small letters name nothing
        ("Where is the Island off the German shore?", ["Germany"]),  # a word, not Iceland
        ("Which SG firm won?", []),  # a two-letter code names nothing
        ("Who won the vote in 1990?", []),
    ],
)
def test_the_countries_a_question_names(question: str, countries: list[str]) -> None:
    assert named_countries(question) == countries


def test_an_article_mentions_a_country_by_any_name_its_people_or_its_capital() -> None:
    mentions = article_countries(
        ("Ministers in Moscow met Singaporean and Dutch traders in Washington.", "Talks end")
    )
    assert {"Russia", "Singapore", "Netherlands", "United States"} <= mentions
    assert "United Kingdom" in article_countries(("Rain fell across England.", None))
    assert article_countries(("El Gobierno de Alemania y Россия.", None)) == {"Germany", "Russia"}
    # "Holland" is too common in English (a surname, a cloth) to set a condition; it meets one
    assert named_countries("What did Holland export?") == []
    assert article_countries(("Tulips grown in Holland.", None)) == {"Netherlands"}
    assert article_countries(("", None)) == frozenset()
    assert [country for *_, country in country_spans("in the U.S.A. and the US")] == [
        "United States",
        "United States",
    ]


def test_a_question_about_a_country_the_article_never_mentions_is_a_near_miss(searcher) -> None:  # type: ignore[no-untyped-def]
    plain = searcher.search("How much is the American bounty for Maduro?", k=3)
    assert not plain.abstained and "$50 million" in plain.passages[0].text
    assert plain.countries_not_mentioned == []

    missed = searcher.search("How much is the Brazilian bounty for Maduro?", k=3)
    note = "The nearest article never mentions Brazil."
    assert_shown_as_near_miss(missed, plain, "countries_not_mentioned", ["Brazil"], note)


def test_the_closer_article_is_not_passed_over_for_one_naming_the_country(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A story that names the country in passing is seldom the answer: the closer article
    stays first, and abstains naming the country (qa/conditions.py, `years_first`)."""
    searcher = searcher_over(
        tmp_path,
        {
            "japan.txt": "Phone firm loses customers\n\n"
            "The mobile phone firm lost 200,000 customers in Japan in January, its worst month "
            "since it entered the market, after rivals cut the price of their handsets.\n",
            "germany.txt": "Phone firm's German arm\n\n"
            "The phone firm's German arm said its network would reach every town in Germany "
            "by the spring.\n",
        },
    )

    plain = searcher.search("How many customers did the phone firm lose in January?", k=2)
    assert not plain.abstained and plain.passages[0].source.endswith("japan.txt")

    asked = searcher.search("How many customers did the phone firm lose in Germany?", k=2)
    assert asked.passages[0].source.endswith("japan.txt")
    assert asked.abstained and asked.countries_not_mentioned == ["Germany"]

    japan = searcher.search("How many customers did the phone firm lose in Japan?", k=2)
    assert not japan.abstained and japan.countries_not_mentioned == []


def test_the_note_names_a_country_as_a_sentence_would() -> None:
    missed = SearchResult("", True, [], countries_not_mentioned=["United Kingdom", "Peru"])
    assert missed.miss_note() == "The nearest article never mentions the United Kingdom or Peru."


def test_a_sentence_names_a_country_by_any_form_a_question_may_use() -> None:
    sentences = ["Kenya won.", "The Kenyans won.", "The Republic of Kenya won.", "Kenyan."]
    assert naming(sentences, "Kenya").tolist() == [True, True, True, True]
    others = ["Kenyatta won.", "a kenyan won", "Nairobi won."]  # a longer word, small letters
    assert naming(others, "Kenya").tolist() == [
        False,
        False,
        False,
    ]  # a capital is no question's form
    # a longer name holding the form names another country, as in a question
    korea = ["Talks with North Korea.", "Korea won.", "South Korea won."]
    assert naming(korea, "South Korea").tolist() == [False, True, True]
    assert naming(["Rain in South Sudan.", "Sudan won."], "Sudan").tolist() == [False, True]
    texts = ["Talks in the U.S. and the US.", "USAID paid.", "AUS", "", "US"]
    assert naming(texts, "United States").tolist() == [
        True,
        False,
        False,
        False,
        True,
    ]


HARBOUR = (
    "Harbour plans leak before the general sails\n\n"
    "The general drew up his plans for the harbour assault over the winter, and the plans were "
    "kept in a locked chest at the harbour office.\n\n"
    "Word of the plans reached France in early March, well before the general sailed.\n\n"
    "The assault itself began in June and lasted eleven days.\n"
)


def test_a_country_written_another_way_is_highlighted(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """ "the French" asked, "France" written: the sentence naming the country holds the
    question's word among the candidates, and is highlighted alone. Read as a plain word, the
    restating sentence before it comes first."""
    searcher = searcher_over(tmp_path, {"harbour.txt": HARBOUR})
    question = "When did the French hear of the harbour plans?"
    answer = "Word of the plans reached France in early March, well before the general sailed."

    def highlighted() -> list[str]:
        top = searcher.search(question, k=1).passages[0]
        return [top.text[a - top.start : b - top.start] for a, b in top.highlights]

    assert highlighted() == [answer]
    monkeypatch.setattr(asked_countries, "named_forms", lambda question: [])
    assert highlighted()[0].startswith("The general drew up his plans")
