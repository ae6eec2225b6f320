from __future__ import annotations

from pathlib import Path

import pytest

from index import Document, prepare_document
from index.ingest.dates import parse_date
from index.ingest.files import read_file

from .conftest import SEEDS

EXPECTED = {
    "000_335d19b92d0335c8": ("Antiwar.com", "Dave DeCamp", "2025-09-23", None),
    "001_6dd0d9ca4f747149": (
        None,
        "Kyle Anzalone",
        "2025-09-22",
        "Maduro Sent Letter to Trump Offering Talks to Prevent Conflict",
    ),
    "002_ef28ed4ec1542ba3": ("UNN", None, "2025-09-23", None),
    "003_d437317e571d7d5a": (
        "Firstpost",
        "FP News Desk",
        "2025-09-27",
        "Venezuela’s Maduro offers to help Trump hunt down drug gang leaders, "
        "but White House rejects overture",
    ),
    "004_c50f99fad24b26ca": ("Newsweek", "Amira El-Fekki", None, None),
}


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_seed_metadata(doc_id: str) -> None:
    doc = prepare_document(read_file(SEEDS / f"{doc_id}.txt")[0])  # type: ignore[arg-type]
    assert doc is not None
    outlet, author, published, title = EXPECTED[doc_id]
    assert (doc.outlet, doc.author, doc.published) == (outlet, author, published)
    if title:
        assert doc.title == title
    else:  # no headline on the page: the first sentence of the body stands in
        assert doc.text.startswith(doc.title.rstrip("…"))


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("date 2025-09-23", "2025-09-23"),
        ("by | Sep 22, 2025", "2025-09-22"),
        ("FP News Desk • September 27, 2025, 12:40:24 IST", "2025-09-27"),
        ("2025-09-23T10:15:00Z", "2025-09-23"),
        ("Sept. 3, 2024", "2024-09-03"),
        ("22 September 2025", "2025-09-22"),
        ("3rd March 2024", "2024-03-03"),
        ("2025/01/05", "2025-01-05"),
        ("3. März 2018 Samstag", "2018-03-03"),  # LexisNexis in German
        ("12 januari 2020 zondag", "2020-01-12"),  # Nexis Uni in Dutch
        ("mardi 1er octobre 2019", "2019-10-01"),
        ("3 de marzo de 2018", "2018-03-03"),
        ("5 de março de 2019", "2019-03-05"),
        ("7 settembre 2021", "2021-09-07"),
        ("2025-02-30", None),
        ("no date here", None),
    ],
)
def test_date_formats(text: str, iso: str | None) -> None:
    assert parse_date(text) == iso


def _page_document(folder: Path, html: str) -> Document:
    """`html` saved as a page and read as `qa index` reads it."""
    page = folder / "story.html"
    page.write_text(html, encoding="utf-8")
    doc = prepare_document(read_file(page)[0])  # type: ignore[arg-type]
    assert doc is not None
    return doc


def test_html_metadata_from_head(tmp_path: Path) -> None:
    doc = _page_document(
        tmp_path,
        "<html><head><title>Site | Headline</title>"
        '<meta property="og:title" content="Headline here">'
        '<meta property="og:site_name" content="The Daily">'
        '<meta name="author" content="Jane Roe">'
        '<meta property="article:published_time" content="2025-10-01T08:00:00Z"></head>'
        "<body><nav>Home News Sport</nav><article><h1>Headline here</h1>"
        "<p>The council approved the budget on Tuesday after a long debate.</p></article>"
        "<footer>© The Daily</footer></body></html>",
    )
    assert (doc.title, doc.outlet, doc.author, doc.published) == (
        "Headline here",
        "The Daily",
        "Jane Roe",
        "2025-10-01",
    )
    # the printed headline opens the text, as a text file's headline line does
    assert doc.text == (
        "Headline here\n\nThe council approved the budget on Tuesday after a long debate."
    )


@pytest.mark.parametrize(
    ("head", "published"),
    [
        ("", None),  # a year in the text is not the article's date
        ('<meta property="article:published_time" content="2020-01-01T08:00:00Z">', "2020-01-01"),
        ('<meta property="article:published_time" content="2020-03-05T08:00:00Z">', "2020-03-05"),
    ],
)
def test_a_page_is_not_dated_by_a_year_its_text_names(
    tmp_path: Path, head: str, published: str | None
) -> None:
    """htmldate's search of a page's text reads "founded in 2003" or "© 2019" as 1 January of
    that year; a page that declares no date gets none rather than that one, and a date its
    markup declares, 1 January included, is kept."""
    doc = _page_document(
        tmp_path,
        f"<html><head><title>Firm hires staff</title>{head}</head><body>"
        "<h1>Firm hires forty new staff</h1>"
        "<p>The firm, founded in 2003, hired 40 people this year, its boss said on Monday.</p>"
        "<p>It plans to hire more next year, he added in a statement.</p>"
        "<footer>© 2019 The Daily</footer></body></html>",
    )
    assert doc.published == published


def test_a_title_cut_from_a_long_first_sentence_ends_on_a_word_that_names() -> None:
    from index.ingest.metadata import extract_metadata
    from index.text.stopwords import STOPWORDS

    body = (
        "The council rejected the harbour board's request for talks with the port operator to "
        "settle the dispute over the old bridge before the winter storms arrived in the bay."
    )
    title = extract_metadata(body, body, {}).title
    assert title.endswith("…") and len(title) <= 121
    last = title.removesuffix("…").split()[-1]
    assert last.lower() not in STOPWORDS and body.startswith(title.removesuffix("…"))


@pytest.mark.parametrize(
    ("layout", "title", "published", "text"),
    [
        (  # a bare date line under the headline dates it; the headline is metadata
            "Heat wave hits Europe\n2022/06/13\n"
            "Temperatures rose above 40 degrees in Spain on Monday, officials said.\n",
            "Heat wave hits Europe",
            "2022-06-13",
            "Temperatures rose above 40 degrees in Spain on Monday, officials said.",
        ),
        (  # a time after the date line's date leaves it a date line (saved pages print both)
            "Heat wave hits Europe\nJune 13, 2022 at 4:02 pm\n"
            "Temperatures rose above 40 degrees in Spain on Monday, officials said.\n",
            "Heat wave hits Europe",
            "2022-06-13",
            "Temperatures rose above 40 degrees in Spain on Monday, officials said.",
        ),
        (
            "Heat wave hits Europe\n13 Jun 2022, 12:40 IST\n"
            "Temperatures rose above 40 degrees in Spain on Monday, officials said.\n",
            "Heat wave hits Europe",
            "2022-06-13",
            "Temperatures rose above 40 degrees in Spain on Monday, officials said.",
        ),
        (  # a headline above a blank line titles it and is kept as its first paragraph
            "Jobs growth still slow in the US\n\n"
            "The US created fewer jobs than expected in January, officials said.\n",
            "Jobs growth still slow in the US",
            None,
            "Jobs growth still slow in the US\n\n"
            "The US created fewer jobs than expected in January, officials said.",
        ),
    ],
)
def test_the_headline_line_of_a_plain_text_article_titles_it(
    tmp_path: Path, layout: str, title: str, published: str | None, text: str
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(layout, encoding="utf-8")
    doc = prepare_document(read_file(article)[0])  # type: ignore[arg-type]
    assert doc is not None
    assert (doc.title, doc.published, doc.text) == (title, published, text)


SAVED_PAGE = """\
* Home
* News
* Sport
* Weather
Set Your Location:
Your weather is set to .
NHL LIVE
Harbour board approves new ferry terminal after long review
A two-year study weighed the bay, the fishing fleet and the waterfront
By Ana Lima
Friday, 3 March
Harbour Wire March 3, 2025, 9:02 AM
The harbour authority approved a new ferry terminal on Tuesday after a two-year review of its effects on the bay.
The terminal will cost 40 million euros and open in 2027, the harbour authority said.
Fishermen said the review had heard their concerns about the fleet's moorings.
"""


def test_a_saved_page_is_titled_and_dated_by_the_lines_above_its_lede_not_its_menus(
    tmp_path: Path,
) -> None:
    """A page saved as text opens with its menus and puts a standfirst, a byline and its
    datelines between its headline and its lede. Its title was the first line the cleaning
    read as prose ("Your weather is set to ."); it is now the title-like line above the lede
    that shares the most words with the story: not the standfirst's fewer shared words, not
    a menu or a label, not the weekday line. Its date, printed there too, was not read."""
    from index.ingest.metadata import extract_metadata

    page = tmp_path / "saved.txt"
    page.write_text(SAVED_PAGE, encoding="utf-8")
    doc = prepare_document(read_file(page)[0])  # type: ignore[arg-type]
    assert doc is not None
    assert doc.title == "Harbour board approves new ferry terminal after long review"
    assert doc.published == "2025-03-03"
    assert extract_metadata(SAVED_PAGE, doc.text, {"title": "Declared"}).title == "Declared"
    lede_first = "\n\n".join(SAVED_PAGE.splitlines()[-3:])  # nothing above the lede
    assert extract_metadata(lede_first, lede_first, {}).title.startswith("The harbour authority")


def test_a_preview_is_titled_by_its_match_not_its_venue_line(tmp_path: Path) -> None:
    """A match preview prints its venue, date and kick-off between headline and lede. The
    venue shares as many words with the story as the headline does ("Stade", "France"
    against "France", "Wales") and stands nearer; it took the title. The headline's words
    are the ones the story repeats."""
    story = (
        "France may have beaten Scotland and England but they were tedious throughout. "
        "Wales, on the other hand, have played fine rugby this season.\n\n"
        "Wales also have a good record at the Stade de France, having won there twice. "
        "France have made one change and Wales two."
    )
    page = f"France v Wales (Sat)\n\nStade de France, Paris\n\nSaturday, 26 February\n\n{story}\n"
    preview = tmp_path / "preview.txt"
    preview.write_text(page, encoding="utf-8")
    doc = prepare_document(read_file(preview)[0])  # type: ignore[arg-type]
    assert doc is not None
    assert doc.title == "France v Wales (Sat)"


LEDE = "The harbour authority approved a new ferry terminal on Tuesday after a long review."


@pytest.mark.parametrize(
    ("above", "author"),
    [
        ("Ana Lima - Mar 3, 2025, 10:31 pm CST", "Ana Lima"),  # a name, then its date
        ("Ana Lima @analima / 2 days", "Ana Lima"),  # a name, then its handle
        ("Monday March 3, 2025 7:45 am PST by Ana Lima", "Ana Lima"),  # date and time, then "by"
        ("By Ana Lima Staff Writer", "Ana Lima"),  # the role printed after the name
        ("By Ana Lima November", "Ana Lima"),  # the date run on after it
        ("By Theresa May", "Theresa May"),  # a surname that is a month stays
        ("Harbour workers abused by Rob Stone speak out", None),  # a headline's "by"
        ("By Ana Lima and Tom Stone", "Ana Lima, Tom Stone"),  # several authors
        ("By Ana Lima, Tom Stone, Cleveland.com", "Ana Lima, Tom Stone"),  # not the outlet
        ("by Ana Lima\nMonday, March 3, 2025", "Ana Lima"),  # a weekday names no one
    ],
)
def test_the_author_printed_above_a_saved_page_lede(above: str, author: str | None) -> None:
    """Saved pages print their byline in many forms between headline and lede, below their
    menus; before, only "By Name" was read, with whatever words followed the name."""
    from index.ingest.metadata import extract_metadata

    page = f"* Home\n* News\nFerry terminal approved\n{above}\n{LEDE}\n"
    assert extract_metadata(page, LEDE, {}).author == author
