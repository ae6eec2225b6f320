"""A year the question names must be one the first cited article mentions (qa/asked_years.py)."""

from __future__ import annotations

import pytest

from qa.asked_years import article_years, mentioned_years, named_years, unmentioned
from qa.cli.commands import format_result
from tests.conftest import searcher_over
from tests.near_misses import assert_shown_as_near_miss
from ui.render import answer_html


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("the Jerwood prize in 2003, said", {"2003"}),
        ("the 2004-05 season", {"2004", "2005"}),
        ("the 2004/05 accounts", {"2004", "2005"}),
        ("the war of 1914-18", {"1914", "1915", "1916", "1917", "1918"}),
        ("from 1990-2010", {"1990", "2010"}),  # a pair that far apart is two years, not a span
        ("published 2005-12-01T10:00", {"2005"}),  # a date, not a span to 2012
        ("on 20/12/2005", {"2005"}),
        ("1,999 fans, 12005 votes and 3.2001 points", set()),  # parts of other numbers
        ("in the 1990s, the mid-1880's and 1905", {"1990s", "1880s", "1905"}),
        ("", set()),
    ],
)
def test_the_years_a_text_mentions(text: str, years: set[str]) -> None:
    assert mentioned_years(text) == years


def test_a_question_names_each_year_it_writes_once() -> None:
    assert named_years("Did sales in 2004 beat 2003, or 2004's?") == ["2004", "2003"]
    assert named_years("Has sepsis mortality fallen in 2009-2014?") == ["2009", "2014"]
    assert named_years("How many of the 1,800 troops came home?") == []
    assert named_years("Do 1/2000 in the UK carry the prion?") == []  # a share
    assert named_years("What grew in the 1990s, the mid-1880's and 2005's budget?") == [
        "1990s",
        "1880s",
        "2005",
    ]


def test_an_article_must_mention_every_year_asked_in_its_text_title_or_date() -> None:
    question = "Who won the 2005 mayoral election?"

    def missing(question: str, *parts: str | None) -> list[str]:
        return unmentioned(named_years(question), article_years(parts))

    assert missing(question, "Lee won the 2004 election.", "Poll result", None) == ["2005"]
    assert missing(question, "Lee won the election.", "Poll result", "2005-05-06") == []
    assert missing(question, "He rode the 2004-05 season.", "", None) == []
    assert missing("Who won the election?", "No year here.", "", None) == []
    assert missing("Sales in 2003 and 2005?", "Sales in 2003.", None) == ["2005"]


def test_a_decade_asked_is_met_by_any_year_or_decade_in_it_and_a_century_asks_nothing() -> None:
    def missing(question: str, text: str) -> list[str]:
        return unmentioned(named_years(question), article_years([text]))

    question = "Who ran the mill in the 1990s?"
    assert missing(question, "Ann Roe ran the mill from 1994.") == []
    assert missing(question, "In the 1990s Ann Roe ran it.") == []
    assert missing(question, "The mid-1990's were hard.") == []
    assert missing(question, "Ann Roe ran it until 1989, then from 2001.") == ["1990s"]
    assert missing(question, "Ann Roe ran it.") == ["1990s"]
    assert missing("Which cities grew in the 1600s and 1700s?", "In the 17th century...") == []
    assert named_years("Was it built in the 1900s or the 2000s?") == []
    assert missing("What changed in the 1850s?", "Change came in the 1800s.") == []  # a century
    assert missing("What changed in the 1850s?", "Change came in 1905.") == ["1850s"]
    assert missing("Who won in 1995?", "The 1990s were a decade of wins.") == ["1995"]


def test_a_question_about_a_year_the_article_never_mentions_is_a_near_miss(searcher) -> None:  # type: ignore[no-untyped-def]
    plain = searcher.search("How much is the bounty for Maduro?", k=3)
    assert not plain.abstained and "$50 million" in plain.passages[0].text

    # The article gives no year in its text; its date, 2025-09-22, is the year it mentions.
    dated = searcher.search("How much was the bounty for Maduro in 2025?", k=3)
    assert not dated.abstained and dated.years_not_mentioned == []

    missed = searcher.search("How much was the bounty for Maduro in 1990?", k=3)
    note = "The nearest article never mentions 1990."
    assert_shown_as_near_miss(missed, plain, "years_not_mentioned", ["1990"], note)

    decade = searcher.search("How much was the bounty for Maduro in the 1990s?", k=3)
    assert decade.abstained and decade.years_not_mentioned == ["1990s"]
    assert "The nearest article never mentions the 1990s." in format_result(decade)
    recent = searcher.search("How much was the bounty for Maduro in the 2020s?", k=3)
    assert not recent.abstained and recent.years_not_mentioned == []  # dated 2025


def test_an_article_that_mentions_the_year_asked_about_comes_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    searcher = searcher_over(
        tmp_path,
        {
            "budget.txt": "Council sets the bridge budget\n\n"
            "The city council approved a bridge repair budget of $4 million on Tuesday, after a "
            "long debate about the cost of the bridge repairs and the budget for the roads.\n",
            "delay.txt": "Bridge work put off\n\n"
            "In 2024 the council put off the repairs to the old bridge until the spring, citing "
            "the weather. Residents had asked for the work to start sooner.\n",
        },
    )

    plain = searcher.search("What did the council decide about the bridge repair budget?", k=2)
    assert plain.passages[0].source.endswith("budget.txt")  # the closer match, no year asked

    dated = searcher.search(
        "What did the council decide about the bridge repair budget in 2024?", k=2
    )
    assert dated.passages[0].source.endswith("delay.txt")  # the one article that mentions 2024
    assert dated.years_not_mentioned == []


def test_a_passage_that_gives_no_sum_asked_for_is_a_near_miss(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A question for a sum (or a number) whose first passage gives none abstains, and says
    why; the passage stays as a near miss (qa/rerank/answer_type.py, `missing_kind`)."""
    searcher = searcher_over(
        tmp_path,
        {
            "deal.txt": "Harbour firm buys ferry operator\n\n"
            "The harbour firm Quayline has agreed to buy the ferry operator Tidewater, the two "
            "companies said on Monday. Quayline did not say what it paid for Tidewater.\n\n"
            "Tidewater runs the ferries between the islands and employs 340 people.\n"
        },
    )

    staff = searcher.search("How many people does Tidewater employ?", k=2)
    assert not staff.abstained and staff.kind_not_given is None

    paid = searcher.search("How much did Quayline pay for the ferry operator Tidewater?", k=2)
    assert paid.abstained
    assert paid.kind_not_given == "money"
    assert paid.passages and paid.passages[0].source.endswith("deal.txt")  # still shown
    assert paid.to_dict()["kind_not_given"] == "money"
    note = "The nearest passage gives no sum of money."
    assert note in format_result(paid)
    assert note in answer_html(paid)
