"""An article from a document that holds paragraphs but no page markup to find its body by
(a PDF; a Word, OpenDocument or Rich Text document): cleaned as a text file is, its headline
first, its byline read; or the articles of a news database's download such a document
holds."""

from __future__ import annotations

from dataclasses import asdict, replace

from index.ingest.clean import clean
from index.ingest.metadata import extract_metadata
from index.ingest.press_exports import split_export
from index.ingest.raw import RawArticle
from index.text.offsets import SpanText


def document_articles(
    source: str,
    doc_id: str,
    paragraphs: list[str],
    headline: str | None,
    title: str,
    encoding: str,
    declared: dict[str, str] | None = None,
) -> list[RawArticle]:
    """A document's articles: each of a news database's download (press_exports.py), else
    the one article its paragraphs make. `paragraphs` joined by blank lines is then the
    article's original text. The headline, one of them, opens the cleaned body (page
    furniture, a byline or a date may stand between the two in the document); the byline and
    date are read from the whole text, unless `declared` gives them. The outlet is only ever
    the declared one."""
    text = "\n\n".join(paragraphs)
    if exported := split_export(text, source, doc_id, encoding):
        return exported
    whole = SpanText.identity(text)
    parts, start = [], 0
    for paragraph in paragraphs:
        parts.append(whole.slice(start, start + len(paragraph)))
        start += len(paragraph) + 2
    if headline is None:
        body = clean(whole)
    else:
        first = paragraphs.index(headline)
        rest = clean(SpanText.join(parts[:first] + parts[first + 1 :], "\n\n"))
        body = SpanText.join([parts[first], rest], "\n\n") if rest.text.strip() else parts[first]
    known = {**(declared or {}), **({"title": headline or title} if headline or title else {})}
    found = extract_metadata(text, body.text, known)
    # A short line the text repeats names the outlet in scraped text; in print it is as often
    # an advertisement's label or a menu's, so only a declared outlet is kept.
    found = replace(found, outlet=known.get("outlet"))
    fields = {key: value for key, value in asdict(found).items() if value}
    return [RawArticle(source, doc_id, text, body, fields, encoding, body_found=True)]
