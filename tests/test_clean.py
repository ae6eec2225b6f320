from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from index.ingest.clean import clean
from index.ingest.files import iter_files, read_file
from index.text.offsets import SpanText, to_source

from .conftest import SEEDS

# Page furniture from the seed pages: teasers about other stories, menus, share bars, bios.
FURNITURE = [
    "Netanyahu",
    "Persian Gulf",
    "Asia Cup",
    "Impact Shorts",
    "Trending",
    "Whatsapp",
    "STORY CONTINUES",
    "read more",
    "Pin It",
    "Top Stories",
    "min read",
    "Deranged leftist",
    "Andaman",
    "preferred source",
    "Trust Project",
    "Request Reprint",
    "View all posts",
    "Kyle Anzalone is news editor",
    "originally appeared",
    "astronomers",
    "It's murder",
    "toma de posesi",
    "File Image/Reuters",
    "Share This",
    "Subscribe",
]
# Body sentences next to the furniture, which must survive.
BODY = [
    "Venezuela has confirmed that Venezuelan President Nicolas Maduro sent a letter",
    "A top Venezuelan official confirmed that President Nicolas Maduro sent a letter",
    "Only seven percent of South American drugs make it into the US via the Caribbean.",
    "Under threat of arrest, Gonzalez Urrutia fled to Spain.",
    "Venezuelan dictator Nicolas Maduro proposed direct talks",
    "The White House dismissed Maduro’s approach, calling him illegitimate.",
    "Last year, Spanish authorities arrested the brother of",
    "US oil major Chevron also still holds a license to operate in the country.",
    "Venezuelan President Nicolás Maduro said he had a phone call with U.S. President Donald Trump",
    "Trump said any country involved in producing drugs for illicit trafficking could be targeted by the U.S.",
]


@pytest.fixture(scope="module")
def cleaned() -> dict[str, tuple[str, SpanText]]:
    articles = [a for path in iter_files([SEEDS]) for a in read_file(path)]
    return {a.doc_id: (a.original, clean(a.extracted)) for a in articles}  # type: ignore[union-attr]


def test_no_furniture_survives(cleaned: dict[str, tuple[str, SpanText]]) -> None:
    text = "\n".join(c.text for _, c in cleaned.values())
    assert [f for f in FURNITURE if f.lower() in text.lower()] == []


def test_body_sentences_stay(cleaned: dict[str, tuple[str, SpanText]]) -> None:
    text = "\n".join(c.text for _, c in cleaned.values())
    assert [b for b in BODY if b not in text] == []


def test_every_paragraph_maps_back_verbatim(cleaned: dict[str, tuple[str, SpanText]]) -> None:
    for original, body in cleaned.values():
        runs = body.runs()
        pos = 0
        for paragraph in body.text.split("\n\n"):
            s, e = to_source(runs, pos, pos + len(paragraph))
            assert original[s:e] == paragraph
            pos += len(paragraph) + 2


def test_repeated_paragraph_kept_once() -> None:
    text = (
        "The minister resigned on Monday.\n\nThe minister resigned on Monday.\n\nHe denied it all."
    )
    assert (
        clean(SpanText.identity(text)).text
        == "The minister resigned on Monday.\n\nHe denied it all."
    )


def test_body_resumes_after_teaser_rail() -> None:
    text = (
        "Officials met in Geneva on Tuesday to discuss the ceasefire.\n"
        "Related Stories\n"
        "Storm hits coast as thousands flee\n"
        "Storm hits coast as thousands flee\n"
        "A storm hit the coast on Monday as thousands flee their homes...\n"
        "read more\n"
        "The talks will continue next week, a spokesperson said."
    )
    assert clean(SpanText.identity(text)).text == (
        "Officials met in Geneva on Tuesday to discuss the ceasefire.\n\n"
        "The talks will continue next week, a spokesperson said."
    )


def test_long_sentences_using_furniture_words_stay() -> None:
    text = "The lawsuit accuses the company of copyright infringement over millions of scraped news articles."
    assert clean(SpanText.identity(text)).text == text


def test_a_paragraph_using_a_strong_furniture_phrase_stays_and_the_furniture_line_does_not() -> (
    None
):
    # a SciFact abstract's opening: dropped whole before, for "originally appeared in"
    paragraph = (
        "The definition of sudden infant death syndrome originally appeared in 1969 and was "
        "modified two decades later. During the following years an enormous amount of research "
        "changed what is known about the causes of these deaths. A panel met to review the "
        "definition and proposed a new one for general use by pathologists."
    )
    text = f"{paragraph}\n\nThis article originally appeared at The Example Review."
    assert clean(SpanText.identity(text)).text == paragraph


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_cleaned_text_always_maps_into_the_original(text: str) -> None:
    body = clean(SpanText.identity(text))
    runs = body.runs()
    for paragraph_start, paragraph in _paragraphs(body.text):
        s, e = to_source(runs, paragraph_start, paragraph_start + len(paragraph))
        assert text[s:e] == paragraph


def _paragraphs(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for part in text.split("\n\n"):
        if part:
            out.append((pos, part))
        pos += len(part) + 2
    return out


def _clean(text: str) -> str:
    return clean(SpanText.identity(text)).text


def test_a_paragraph_closed_by_a_note_is_kept_and_a_dotted_menu_is_not() -> None:
    body = (
        "Four studios paid for trailers to be aired during the game. Fox paid for two of "
        "them, Disney for three.[citation needed]"
    )
    menu = "Home. News. Sport. Business. Tech. Science. Health. Travel. Culture. Food. Style. Video"
    assert _clean(f"{menu}\n{body}\n") == body


def test_an_article_with_no_line_that_reads_as_prose_keeps_its_longer_lines() -> None:
    text = (
        "Tumour suppression\n\np53 is a crucial tumour suppressor that responds to many stresses\n"
    )
    assert _clean(text) == "p53 is a crucial tumour suppressor that responds to many stresses"


LEDE = "The US created fewer jobs than expected in January, officials said on Friday."


@pytest.mark.parametrize(
    "headline",
    [
        "Jobs growth still slow in the US",
        "'Strong jobs' call halts US slide",
        "$1m jobs fund for US towns",
        "Share boost for US jobs agency",  # "Share" is the headline's word, not a share bar
        "The future in your pocket",  # no word in common with the lede, but a sentence's case
        "iTunes jobs board opens in US",  # a name written small-then-capital opens it
    ],
)
def test_a_headline_standing_above_the_article_is_kept_as_its_first_paragraph(
    headline: str,
) -> None:
    """The "headline, blank line, article" layout of text files (BBC News, BEIR corpora
    written out): the headline is searched and cited with the article, not dropped."""
    assert _clean(f"{headline}\n\n{LEDE}\n") == f"{headline}\n\n{LEDE}"


@pytest.mark.parametrize(
    "byline",
    ["By Ana Lima", "By Ana Lima | 3 February 2025", "3 February 2025", "Published: Feb 3, 2025"],
)
def test_a_headline_above_a_byline_or_date_is_kept_and_the_byline_is_not(byline: str) -> None:
    """A press release or a pasted story puts its byline or date between headline and body:
    the headline was dropped with the byline, and the text opened on the lede."""
    headline = "Jobs growth still slow in the US"
    assert _clean(f"{headline}\n\n{byline}\n\n{LEDE}\n") == f"{headline}\n\n{LEDE}"
    assert _clean(f"Home News Sport Weather\n\n{byline}\n\n{LEDE}\n") == LEDE  # a menu still


@pytest.mark.parametrize(
    "first_line",
    [
        "Home News Sport Weather",  # shares no word with the article: a menu
        "World Business and Politics",  # nor does this one, though it has a small word
        "By Jane Doe",  # a byline
        "Skip to main content of jobs",  # page furniture
        "Jobs",  # one word: a section label
        "jobs growth still slow in the US",  # a small letter: a line run on from a menu
    ],
)
def test_a_first_line_that_is_not_the_articles_headline_stays_out(first_line: str) -> None:
    assert _clean(f"{first_line}\n\n{LEDE}\n") == LEDE


def test_a_headline_needs_a_blank_line_below_it() -> None:
    assert _clean(f"Jobs growth still slow in the US\n{LEDE}\n") == LEDE


def test_long_lines_between_body_paragraphs_are_kept_and_those_around_it_are_not() -> None:
    first = "The council approved the budget on Monday after a long debate."
    items = [
        "- more money for schools in the north of the county,",
        "- a new bus route linking the hospital to the station,",
    ]
    last = "The plan will be reviewed next year, the council said."
    teaser = "Read this next: why the council voted for new bus lanes in the city"
    text = "\n".join([first, *items, last, teaser]) + "\n"
    assert _clean(text) == "\n\n".join([first, *items, last])


@pytest.mark.parametrize(
    "note",
    [
        "Halo 2 is out on 9 November in the US and 11 November in the UK",
        "Clark Boyd is technology correspondent for The World, a radio co-production",
    ],
)
def test_a_closing_note_without_its_full_stop_is_kept_and_a_footer_is_not(note: str) -> None:
    """A review ends on its release note, a report on its correspondent's line, written as
    a sentence without a full stop: they were left out with the furniture. A footer's
    address, a labelled teaser and a note that does not close the file still are."""
    assert _clean(f"{LEDE}\n\n{note}\n") == f"{LEDE}\n\n{note}"
    address = "Harbour Road 1111 - Barra do Rio - 89259-565 - Caixa Postal 421 - Fone: (047) 2106"
    teaser = "Read this next: why the council voted for new bus lanes in the city"
    for footer in (address, teaser, f"{note}\n\nHome News Sport Weather"):
        assert _clean(f"{LEDE}\n\n{footer}\n") == LEDE


def test_a_lede_without_its_full_stop_keeps_itself_and_the_headline_above_it() -> None:
    lede = "Japanese brewers are increasingly making money from drinks that taste like beer"
    text = f"Japan turns to beer alternatives\n\n{lede}\n\n{LEDE}\n"
    assert _clean(text) == f"Japan turns to beer alternatives\n\n{lede}\n\n{LEDE}"


def test_a_paragraph_whose_opening_name_was_lost_is_kept_below_the_body() -> None:
    """Scraped text that dropped the names set in bold: each paragraph below opens
    mid-sentence and the last runs to the end of the file, after the last full paragraph."""
    body = "Jason Gardener won the men's 60m title at the indoor trials in Sheffield."
    lost = [
        "delivered a powerful performance to take the women's 60m title in 7.27 seconds.",
        ", now based at Loughborough, sprinted past the front runner to take the 400m title.",
        "won the pole vault with a clearance of 5.65m. There was a third win for Britain when",
    ]
    menu = "more from sport: athletics results, fixtures and the latest news from the track"
    text = "\n\n".join([body, *lost, menu]) + "\n"
    assert _clean(text) == "\n\n".join([body, *lost])


def test_a_paragraph_opening_with_a_small_letter_of_any_script_is_kept_below_the_body() -> None:
    """A SciFact abstract below its title opens with a Greek small letter; it was dropped whole
    when only Latin small letters counted."""
    title = "New beta-lactamases from gram-negative bacteria and their clinical challenges."
    abstract = (
        "β-Lactamase evolution presents to the infectious disease community a major challenge "
        "in the treatment of infections. Structural studies now explain much of it."
    )
    assert _clean(f"{title}\n\n{abstract}\n") == f"{title}\n\n{abstract}"


def test_a_marked_list_below_the_body_is_kept_and_a_breadcrumb_is_not() -> None:
    """The list that ends a news story (an awards list, a sentence's terms), with the line
    introducing it, is kept though its items do not read as prose; a breadcrumb of one- or
    two-word items below the body stays out, as does a lone marked line."""
    body = "The winners of the theatre awards were announced in London on Sunday."
    lead_in = "The winners were:"
    awards = [
        "- Best actor - Richard Griffiths for The History Boys",
        "- Best new play - The History Boys by Alan Bennett",
    ]
    crumbs = ["• Home", "• World", "• Theatre awards announced in London on Sunday"]
    closing = "The ceremony was held at the Savoy Theatre."
    lone = "- Share this story with a friend today"
    text = "\n\n".join([body, lead_in, *awards, closing, *crumbs, lone]) + "\n"
    assert _clean(text) == "\n\n".join([body, lead_in, *awards, closing])


def test_rows_of_one_form_below_the_body_are_kept_and_teaser_links_are_not() -> None:
    """Draws, seedings and nominations end many sports and arts stories as unmarked rows, each
    written alike: in a numbered sequence (a second list may follow the first), as fixtures,
    with a bracketed name or as an award and its winner. Rows of Markdown links below the body are teasers; bracketed
    counts and a numbering that does not count up one by one are no list."""
    body = "The draw for the third round was made at the weekend, the association said."
    men = ["1 Roger Federer (Switzerland)", "2 Andy Roddick (US)", "3 Lleyton Hewitt (Australia)"]
    women = [
        "1 Lindsay Davenport (US)",
        "2 Amelie Mauresmo (France)",
        "3 Anastasia Myskina (Russia)",
    ]
    fixtures = ["Arsenal v Stoke", "Man Utd v Exeter", "Yeading v Newcastle"]
    nominees = ["Little Britain (BBC Three)", "Doc Martin (ITV1)", "The Office (BBC Two)"]
    winners = ["Pre-School Live Action - Balamory", "Animation - Brush Head", "Drama - Featherboy"]
    kept = [body, *men, *women]
    text = "\n\n".join([*kept, body.replace("third", "fourth"), *fixtures]) + "\n"
    assert _clean(text) == "\n\n".join([*kept, body.replace("third", "fourth"), *fixtures])
    for rows in (nominees, winners):
        assert _clean("\n\n".join([body, *rows]) + "\n") == "\n\n".join([body, *rows])
    teasers = [f"[Fans want the {n} band back on stage](https://example.com/{n})" for n in "abc"]
    counts = ["Most read stories (12)", "Most shared stories (7)", "Most viewed stories (3)"]
    jumps = ["1 comment on this story", "5 min read for subscribers", "6 photos from the match"]
    for rows in (teasers, counts, jumps, fixtures[:2]):
        assert _clean("\n\n".join([body, *rows]) + "\n") == body


def test_a_roster_line_below_the_body_is_kept_and_a_share_bar_is_not() -> None:
    """Team sheets and shortlists are printed as one line of names, each with its club or
    country in brackets; a second one may follow. A share bar's repeated "(Opens in new
    window)" and a menu's bracketed counts are no roster."""
    body = "Laporte has resisted fan pressure to start Michalak at fly-half, the coach said."
    team = (
        "Julien Laharrague (Brive), Aurelien Rougerie (Clermont), Yannick Jauzion (Stade "
        "Toulousain), Damien Traille (Biarritz), Serge Betsen (Biarritz)"
    )
    bench = "Replacements: William Servat (Stade Toulousain), Olivier Milloud (Bourgoin), " + (
        "Pierre Mignoni (Clermont), Frederic Michalak (Stade Toulousain)"
    )
    text = "\n\n".join([body, team, bench])
    assert _clean(text + "\n") == text
    share = " ".join(f"Share on {site} (Opens in new window)" for site in ("X", "Reddit", "Email"))
    counts = "World (12) Politics (5) Sport (3) Business (8)"
    for line in (share + " Print (Opens in new window)", counts):
        assert _clean(f"{body}\n\n{line}\n") == body


def test_a_marked_list_whose_items_go_on_with_the_lead_in_sentence_is_kept() -> None:
    """A lead-in without a colon ("The government had claimed tobacco firms") is kept with the
    marked items that finish its sentence; a heading over capitalised teasers is not."""
    body = "The ruling transforms the government's lawsuit against the industry, lawyers said."
    lead_in = "The government had claimed tobacco firms"
    items = [
        "- manipulated nicotine levels to increase addiction",
        "- targeted teenagers with advertising campaigns",
    ]
    teasers = ["Related coverage", "- Tobacco firms face new lawsuit", "- Smoking ban backed"]
    text = "\n\n".join([body, lead_in, *items]) + "\n"
    assert _clean(text) == text.strip()
    assert _clean("\n\n".join([body, *teasers]) + "\n") == body


def test_the_dropped_lines_script_lists_each_line_cleaning_leaves_out(tmp_path: Path) -> None:
    body = "The council approved the budget on Monday after a long debate."
    (tmp_path / "a.txt").write_text(f"Home News Sport\n\n{body}\n\nShare this\n", encoding="utf-8")
    script = Path(__file__).resolve().parent.parent / "scripts" / "dropped_lines.py"
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, check=True
    )
    lines = done.stdout.splitlines()
    assert [line.split(" | ")[1] for line in lines[:-1]] == ["Home News Sport", "Share this"]
    assert lines[-1] == "text files read: 1; lines left out: 2, in 1 of them"


def test_a_comments_heading_below_the_article_ends_it_and_one_above_it_does_not() -> None:
    """Readers' comments are prose too: a comments heading (`23 Comments`, `Leave a Reply`)
    ends the article once it has begun; the same word in a menu or share bar above the
    article ends nothing."""
    body = [
        "The council approved the budget on Monday after a long debate.",
        "The plan will be reviewed next year, the council said in a statement.",
    ]
    comment = "I think the council is wasting our money on this plan, as it always does."
    for heading in ("23 Comments", "Leave a Reply", "Comments (4)", "Join the conversation"):
        text = "\n\n".join(["Comments", *body, heading, comment]) + "\n"
        assert _clean(text) == "\n\n".join(body)


def test_comments_among_a_share_bars_buttons_does_not_end_the_article() -> None:
    """A printed page's share bar ("Facebook", "Twitter", "Comments", "Print") sits below the
    headline, after a site footer that reads as prose: its "Comments" counts the comments, it
    heads none, and the article below it is kept. Below the article, a comments heading
    still ends it."""
    footer = [
        "Quotes delayed at least 15 minutes. Market data provided by Interactive Data.",
        "This material may not be published, broadcast, rewritten, or redistributed.",
    ]
    headline = "Home Depot sales miss, shares plunge"
    body = [
        "Home Depot reported third-quarter earnings that topped estimates as revenue fell short.",
        "The retailer earned $2.8 billion, or $2.53 per diluted share, in the quarter.",
    ]
    comment = "I think the council is wasting our money on this plan, as it always does."
    bar = ["Facebook", "Twitter", "Comments", "Print", "Email"]
    text = "\n\n".join([*footer, headline, *bar, *body, "Comments", comment]) + "\n"
    assert _clean(text).endswith("\n\n".join(body))


def test_a_cookie_notice_is_dropped_and_a_story_about_cookies_is_not() -> None:
    """A consent notice speaks for the site and runs long; an article's sentence about
    cookies is reported speech about others."""
    notice = (
        "We use cookies and other tracking technologies to improve your browsing experience on "
        "our site, show personalized content and targeted ads, analyze site traffic, and "
        "understand where our audience is coming from. By choosing I Accept, you consent to "
        "our use of cookies and other tracking technologies."
    )
    story = [
        "Websites that use cookies must ask visitors first, the regulator said on Monday.",
        "The rules, which cover every site that tracks users, take effect in May next year.",
    ]
    text = "\n\n".join([notice, *story]) + "\n"
    assert _clean(text) == "\n\n".join(story)
