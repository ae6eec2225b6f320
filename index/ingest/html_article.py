"""An HTML page's article: trafilatura chooses the body (reader comments left out) and reads
the metadata; the body is then found in the page's own text, so every offset still points
into the file. A page trafilatura finds nothing in falls back to the page's readable text."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trafilatura

from index.ingest.align import align, extractor_pieces
from index.ingest.html_text import readable_text, visible_text
from index.ingest.page_metadata import people_only, title_without_site
from index.text.offsets import SpanText

# trafilatura logs each page it finds too little in; a skipped page is reported by us.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    text: SpanText  # the body, or the readable text when no body was found
    fields: dict[str, str]  # title, author, published, outlet, url: as far as the page says
    body_found: bool  # whether `text` is already the article body


def extract_article(source: str) -> HtmlArticle:
    visible, declared = visible_text(source)
    try:
        found = trafilatura.bare_extraction(
            source,
            include_comments=False,
            include_tables=True,
            favor_precision=True,
            with_metadata=True,
        )
    except Exception:  # noqa: BLE001 - a page lxml cannot take is read without trafilatura
        found = None
    fields = {**declared, **_metadata(found)} if found is not None else declared
    if found is not None and found.text:
        pieces = extractor_pieces(found.text)
        titles = (found.title or "", fields.get("title", ""))
        if len(pieces) > 1 and any(_same_words(pieces[0], title) for title in titles):
            pieces = pieces[1:]  # the headline: kept as the title, not as body text
        body, _unplaced = align(visible, pieces)
        if body.text.strip():
            return HtmlArticle(body, fields, body_found=True)
    text, _ = readable_text(source)
    return HtmlArticle(text, fields, body_found=False)


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def _metadata(found: trafilatura.settings.Document) -> dict[str, str]:
    site_names = [name for name in (found.sitename, found.hostname) if name]
    values = {
        "title": title_without_site(found.title, site_names) if found.title else None,
        "author": people_only(found.author, site_names) if found.author else None,
        "published": found.date,
        "outlet": found.sitename,
        "url": found.url,
    }
    return {key: value.strip() for key, value in values.items() if value and value.strip()}
