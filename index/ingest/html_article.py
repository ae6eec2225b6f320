"""An HTML page's article: trafilatura chooses the body (reader comments left out) and reads
the metadata; the body is then found in the page's own text, so every offset still points
into the file. The headline, byline and date are read as the page prints them above the
body, else as the page declares them. The printed headline is also the text's first
paragraph, searched and cited as a text file's headline line is. A page trafilatura finds
nothing in falls back to the page's readable text, or to the body its JSON-LD declares when
that is longer (index/ingest/declared_body.py); a body found that only opens the declared
one, at half its length or less (a paywall's teaser), gives way to it."""

from __future__ import annotations

import bisect
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass

import htmldate
import trafilatura
from trafilatura.settings import Document

from index.ingest.align import align, extractor_pieces, paragraphs_text
from index.ingest.declared_body import declared_body
from index.ingest.html_text import PageText, readable_text, visible_text
from index.ingest.page_metadata import (
    byline_and_date,
    is_byline_or_date,
    names_site,
    people_only,
    title_without_site,
)
from index.ingest.split_body import joined_body_page
from index.text.offsets import SpanText

# trafilatura logs each page it finds too little in; a skipped page is reported by us.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

_ABOVE_BODY_CHARS = 600  # how far above the body a byline is looked for without a headline
_HEADLINE_MIN_WORDS = 3  # a shorter h1 is a headline only when the page's title holds it
_LEAD_PARAGRAPHS = 3  # a byline may sit after a standfirst: looked for between these too
_SHORT_BODY_WORDS = 150  # a precise body this short is checked against the default reading
_LINKED_BODY_SHARE = 0.5  # a "body" more than this much links is a list of other stories
_TEASER_SHARE = 2  # a declared body this many times the found one's words holds the whole story


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    text: SpanText  # the body, or the readable text when no body was found
    fields: dict[str, str]  # title, author, published, outlet, url: as far as the page says
    body_found: bool  # whether `text` is already the article body


def extract_article(source: str) -> HtmlArticle:
    page = visible_text(source)
    found = _trafilatura(source)
    sites = [name for name in (found.sitename, found.hostname) if name] if found else []
    fields = dict(page.fields)
    if "author" in fields:  # the head's own, tidied as trafilatura's is
        fields["author"] = people_only(fields["author"], sites) or ""
    spans: list[tuple[int, int]] = []
    if found is not None:
        fields.update(_declared(found, sites, source))
        spans, _unplaced = align(page.text, extractor_pieces(found.text or ""))
        # A paragraph inside an h1 is a heading; the headline is put back first, below.
        spans = _outside(spans, page.headings)
        if _mostly_links(page, spans):  # a category or search page: headlines, not a story
            spans = []
        # Byline and date lines opening the body are read as metadata, not kept as text.
        while len(spans) > 1 and is_byline_or_date(page.text.text[slice(*spans[0])]):
            spans = spans[1:]
    declared = declared_body(source)  # what its structured data says the story is, if anything
    if spans:
        headline = _headline_above(page, min(start for start, _ in spans), sites)
        fields.update(_printed_near_top(page, spans, headline, sites))
        story = paragraphs_text(page.text, spans)
        if declared is not None and _teaser_of(story.text, declared.text):
            story = declared  # a paywall's teaser: the page declares the whole story
        if headline is not None:
            story = SpanText.join(
                [page.text.slice(*_trimmed(page.text.text, headline)), story], "\n\n"
            )
        body, body_found = story, True
    else:
        # No body found: the page's readable text, less lines that are only links (a
        # category or search page lists other stories' headlines, not an article); or the
        # body its structured data declares, when that says more (a page drawn by script).
        body, body_found = readable_text(source).without_link_lines(), False
        if declared is not None and len(declared.text.split()) > len(body.text.split()):
            body, body_found = declared, True
    if page.head_titles and not _is_headline(fields.get("title", ""), sites, page.head_titles):
        # not a section label: the head's own title, less the site's name
        fields["title"] = title_without_site(page.head_titles[0], sites)
    return HtmlArticle(body, {k: v for k, v in fields.items() if v}, body_found)


def _teaser_of(found: str, declared: str) -> bool:
    """Whether the body found is the opening of the declared one, which says twice as much or
    more: what a paywall shows of a story whose structured data holds all of it."""
    first = " ".join(found.split("\n\n")[0].split())
    return (
        len(declared.split()) >= _TEASER_SHARE * len(found.split())
        and bool(first)
        and (first in " ".join(declared.split()))
    )


def _mostly_links(page: PageText, spans: list[tuple[int, int]]) -> bool:
    """Whether most of what was found as the body is paragraphs that are links and nothing
    else: the list of other stories' headlines an index, category or search page shows."""
    sizes = [(end - start, page.only_links(start, end)) for start, end in spans]
    linked = sum(size for size, only in sizes if only)
    return linked > _LINKED_BODY_SHARE * sum(size for size, _ in sizes)


def _trafilatura(source: str) -> Document | None:
    """trafilatura's body and metadata; for an article split into sibling blocks
    (index/ingest/split_body.py), read again from the page with the blocks joined."""
    found = _one_reading(source)
    joined = joined_body_page(source, found.text or "") if found is not None else None
    if joined is None:
        return found
    whole = _one_reading(joined)
    return whole if _words(whole) > _words(found) else found


def _one_reading(source: str) -> Document | None:
    """trafilatura's body and metadata, favouring precision; when that body is short and
    trafilatura's default reading finds at least twice the words, the precise one has cut the
    article (leaving a reprint notice, a teaser), and the default one is taken."""
    precise = _bare_extraction(source, favor_precision=True)
    words = _words(precise)
    if words >= _SHORT_BODY_WORDS:
        return precise
    default = _bare_extraction(source, favor_precision=False)
    return default if _words(default) >= 2 * max(words, 1) else precise


def _bare_extraction(source: str, *, favor_precision: bool) -> Document | None:
    try:
        found = trafilatura.bare_extraction(
            source,
            include_comments=False,
            include_tables=True,
            favor_precision=favor_precision,
            with_metadata=True,
            as_dict=False,
        )
    except Exception:  # noqa: BLE001 - a page lxml cannot take is read without trafilatura
        return None
    return found if isinstance(found, Document) else None


def _words(found: Document | None) -> int:
    return len((found.text or "").split()) if found is not None else 0


def _is_headline(heading: str, sites: list[str], declared: tuple[str, ...]) -> bool:
    """Not the site's name, and not a section label ("Games") no declared title holds."""
    words = heading.split()
    if not words or names_site(heading, sites):
        return False
    wanted = " ".join(words).casefold()
    return len(words) >= _HEADLINE_MIN_WORDS or any(wanted in t.casefold() for t in declared)


def _outside(
    spans: list[tuple[int, int]], outers: Iterable[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The spans that lie within none of `outers`: the outers sorted once, each span looked
    up in them (a page of 50,000 headings took 100 s when each span was tried on each)."""
    ordered = sorted(outers)
    starts = [start for start, _ in ordered]
    reach = list(itertools.accumulate((end for _, end in ordered), max))  # furthest end so far
    kept = []
    for span in spans:
        opened = bisect.bisect_right(starts, span[0])  # the outers starting at or before it
        if not opened or reach[opened - 1] < span[1]:
            kept.append(span)
    return kept


def _headline_above(page: PageText, body_start: int, sites: list[str]) -> tuple[int, int] | None:
    """The span of the last h1 above the body that reads as a headline, if any."""
    text = page.text.text
    headings = [
        (start, end)
        for start, end in page.headings
        if end <= body_start and _is_headline(text[start:end], sites, page.head_titles)
    ]
    return headings[-1] if headings else None


def _trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """The span less the whitespace at its ends."""
    start, end = span
    inner = text[start:end]
    return start + len(inner) - len(inner.lstrip()), end - len(inner) + len(inner.rstrip())


def _printed_near_top(
    page: PageText,
    spans: list[tuple[int, int]],
    headline: tuple[int, int] | None,
    sites: list[str],
) -> dict[str, str]:
    """Headline, byline and date as printed at the article's top: the headline (the last h1
    above the body), and the text between it and the body, and between the body's first
    paragraphs."""
    text = page.text.text
    body_start = min(start for start, _ in spans)
    printed: dict[str, str] = {}
    if headline is not None:
        start, end = headline
        printed["title"] = " ".join(text[start:end].split())
        lines = text[end:body_start].split("\n")
    else:
        lines = text[max(0, body_start - _ABOVE_BODY_CHARS) : body_start].split("\n")
    lead = sorted(spans)[: _LEAD_PARAGRAPHS + 1]
    for (_, end), (start, _) in zip(lead, lead[1:], strict=False):
        lines += text[end:start].split("\n")
    author, published = byline_and_date(lines, sites)
    if author:
        printed["author"] = author
    if published:
        printed["published"] = published
    return printed


def _declared(found: Document, sites: list[str], source: str) -> dict[str, str]:
    guessed = found.date is not None and _year_only(found.date, found.url, source)
    values = {
        "title": title_without_site(found.title, sites) if found.title else None,
        "author": people_only(found.author, sites) if found.author else None,
        "published": None if guessed else found.date,
        "outlet": found.sitename,
        "url": found.url,
    }
    return {key: value.strip() for key, value in values.items() if value and value.strip()}


def _year_only(published: str, url: str | None, source: str) -> bool:
    """Whether a date is htmldate's reading of a bare year in the page's text ("founded in
    2003", "© 2019"), which it gives as 1 January of that year: not the article's date. A
    date the page's markup or address declares is found without searching the text."""
    if not published.endswith("-01-01"):
        return False
    declared = htmldate.find_date(source, extensive_search=False, original_date=True, url=url)
    return declared != published
