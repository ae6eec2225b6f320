"""Downloads from news databases, many articles in one file: LexisNexis's text download
("1 of 10 DOCUMENTS" above each), Nexis Uni's ("End of Document" below each) and Factiva's
("Document GRDN0000..." below each), as text, a document or a page. Each article sits
between a header of fields (outlet, date, headline, byline, length in words) and a trailer
(load date, language, copyright).

Read as one text, such a file became one article: the first story's headline over every
story, the fields read as prose, one date for all. Each article is now read on its own
(`news.txt#3`), its headline, outlet, date and byline declared from its header, its text
the headline and body, both spans of the article's own part of the file. A part that has
no header of its kind is kept whole as an article, never dropped; the text around the
articles (a download request, a search summary) is not an article and is left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from index.ingest.dates import parse_date
from index.ingest.html_text import visible_text
from index.ingest.raw import RawArticle
from index.ingest.text_lines import Line, split_lines
from index.text.offsets import SpanText

_LEXIS_START = re.compile(
    r"(?:FOCUS - )?\d+ of \d+ DOCUMENTS?|Dokument \d+ von \d+|Document \d+ de \d+", re.I
)
_NEXIS_END = re.compile(r"End of Document")
_FACTIVA_END = re.compile(r"Document [A-Za-z0-9]{16,}")
_MARK = rf"(?:{_LEXIS_START.pattern}|{_NEXIS_END.pattern}|{_FACTIVA_END.pattern})"
_ANY_MARK = re.compile(rf"^\s*{_MARK}\s*$", re.M | re.I)
_MARK_IN_MARKUP = re.compile(rf">\s*{_MARK}\s*<", re.I)
_LENGTH_FIELD = re.compile(r"(?:LENGTH|L[ÄA]NGE|LONGUEUR):\s*\d[\d,.]*\s*\w+", re.I)
_WORD_COUNT = re.compile(r"\d[\d,.]*\s+words")
_FIELD = re.compile(r"(?P<key>[A-Z][A-Za-z]*(?:-[A-Za-z]+)*):\s*(?P<value>.*)")
_UPPER_FIELD = re.compile(r"[A-Z]{2,}(?:-[A-Z]+)*:.*")
_CREDIT = re.compile(r"(?:By|(?:Distributed|Written|Provided|Edited) by)\s", re.I)
_EDITION = re.compile(r".*\bedition\b.*|.*;|\S+(?:\s\S+)?", re.I)  # or two words at most
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_TIME = re.compile(r"\d{1,2}:\d\d(?:\s*\w+)?")
_COPYRIGHT = re.compile(r"Copyright\b|©|\(c\)|All Rights Reserved", re.I)
_BYLINE_KEYS = {"byline", "autor", "auteur"}
_TRAILER_KEYS = frozenset(  # Nexis Uni's fields below the body
    "load-date language publication-type subject company organization industry geographic "
    "person ticker document-type journal-code notes graphic correction-date url update "
    "series".split()
)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One article's header read: where its headline and body lie, and its fields."""

    headline: tuple[int, int] | None  # line indexes, end exclusive
    body: tuple[int, int]
    fields: dict[str, str]
    first: int = 0  # the article's first line: a cover page may come before it


def split_page_export(html: str, source: str, stem: str, encoding: str) -> list[RawArticle] | None:
    """`split_export` over a page's visible text (a download saved as HTML), each article's
    offsets pointing into that text; None, with no parse, when no element holds a mark."""
    if not _MARK_IN_MARKUP.search(html):
        return None
    return split_export(visible_text(html).text.text, source, stem, encoding)


def split_export(text: str, source: str, stem: str, encoding: str) -> list[RawArticle] | None:
    """The articles of a news database's download, or None when `text` is not one."""
    if not _ANY_MARK.search(text):
        return None  # most files: one search, no lines split
    lines = split_lines(text)
    for marks, starts_each, parse in (
        (_LEXIS_START, True, _lexis),
        (_NEXIS_END, False, _nexis_uni),
        (_FACTIVA_END, False, _factiva),
    ):
        cuts = [i for i, line in enumerate(lines) if marks.fullmatch(line.text)]
        if not cuts:
            continue
        read = [
            (part, parse(lines[part[0] : part[1]], text))
            for part in _parts(len(lines), cuts, starts_each)
        ]
        if any(parsed for _, parsed in read):
            articles = [
                _article(text, lines[a:b], parsed, f"{source}#{n}", f"{stem}-{n}", encoding)
                for n, ((a, b), parsed) in enumerate(read, start=1)
            ]
            if len(articles) == 1 and articles[0] is not None:
                # A download of one article (Nexis Uni saves each apart when asked) is named
                # as its file is.
                return [replace(articles[0], source=source, doc_id=stem)]
            return [article for article in articles if article is not None]
    return None


def _parts(count: int, cuts: list[int], starts_each: bool) -> list[tuple[int, int]]:
    """Line ranges of the articles: after each start mark, or before each end mark (what
    follows the last end mark, a search summary, is not one)."""
    if starts_each:
        return [(c + 1, nxt) for c, nxt in zip(cuts, [*cuts[1:], count], strict=True)]
    return [(prev + 1, c) for prev, c in zip([-1, *cuts[:-1]], cuts, strict=True)]


def _article(
    text: str, lines: list[Line], parsed: _Parsed | None, source: str, doc_id: str, enc: str
) -> RawArticle | None:
    lines = lines[parsed.first :] if parsed else lines
    if not lines:
        return None
    original = text[lines[0].start : lines[-1].end]
    whole = SpanText.identity(original)
    if parsed is None or parsed.body[0] >= parsed.body[1]:
        return RawArticle(source, doc_id, original, whole, {}, enc)

    def span(first: int, end: int) -> SpanText:
        start, stop = lines[first - parsed.first].start, lines[end - 1 - parsed.first].end
        return whole.slice(start - lines[0].start, stop - lines[0].start)

    body = span(*parsed.body)
    fields = dict(parsed.fields)
    if parsed.headline:
        headline = span(*parsed.headline)
        fields["title"] = " ".join(headline.text.split())
        body = SpanText.join([headline, body], "\n\n")
    return RawArticle(source, doc_id, original, body, fields, enc, body_found=True)


def _lexis(lines: list[Line], text: str) -> _Parsed | None:
    """LexisNexis: blocks of outlet, date (an edition may follow in its block) and headline,
    then fields in capitals (BYLINE, SECTION, LENGTH, ...); the body; fields and copyright
    to the end. The blocks are read by place, so a date in any language is passed over."""
    length = next((i for i, line in enumerate(lines) if _LENGTH_FIELD.fullmatch(line.text)), None)
    if length is None:
        return None
    body_start = length + 1
    while body_start < len(lines) and _UPPER_FIELD.fullmatch(lines[body_start].text):
        body_start += 1  # DATELINE:, HIGHLIGHT: and the like below the length
    fields = _fields(lines[:body_start])
    first_field = next(
        (i for i, line in enumerate(lines[:length]) if _UPPER_FIELD.fullmatch(line.text)), length
    )
    blocks = [0, *(i for i in range(1, first_field) if _blank_above(text, lines, i))]
    if len(blocks) < 3:  # no blank lines (a page's blocks): a line each, the date read
        dated = next((i for i in range(1, min(first_field, 4)) if parse_date(lines[i].text)), 0)
        top = dated + 1
        while top < first_field - 1 and _EDITION.fullmatch(lines[top].text):
            top += 1  # "Edition 1;", "North": the date's block, not the headline
        blocks = [0, dated, top] if dated else blocks
    headline = None
    if len(blocks) >= 3 and blocks[2] < first_field:
        fields["outlet"] = lines[0].text
        fields["published"] = parse_date(lines[blocks[1]].text) or ""
        headline = (blocks[2], first_field)
    if "HEADLINE" in fields:
        fields["title"], headline = fields["HEADLINE"], None
    return _Parsed(headline, (body_start, _trailer_start(lines, body_start)), _public(fields))


def _nexis_uni(lines: list[Line], text: str) -> _Parsed | None:
    """Nexis Uni: headline, outlet, date (an edition may follow), copyright, fields (Section,
    Length, Byline), the word "Body", the body, Load-Date and other fields to the end. The
    first article follows the download's cover page."""
    body_line = next((i for i, line in enumerate(lines) if line.text in {"Body", "Body:"}), None)
    length = next((i for i, line in enumerate(lines) if _LENGTH_FIELD.fullmatch(line.text)), None)
    if body_line is None or length is None or length > body_line:
        return None
    fields = _fields(lines[length:body_line])
    top = length  # the copyright and fields above the length: the date is just above them
    while top > 0 and (
        _COPYRIGHT.match(lines[top - 1].text) or _FIELD.fullmatch(lines[top - 1].text)
    ):
        top -= 1
    # The date line: one that reads as a date, else one that names a year ("12 januari 2020")
    dated = next((i for i in (top - 1, top - 2) if i >= 2 and parse_date(lines[i].text)), None)
    if dated is None:
        dated = next(
            (i for i in (top - 1, top - 2) if i >= 2 and _YEAR.search(lines[i].text)), None
        )
    headline = None
    if dated is not None:
        fields["published"] = parse_date(lines[dated].text) or ""
        fields["outlet"] = lines[dated - 1].text
        headline = (dated - 2, dated - 1)
    body = (body_line + 1, _trailer_start(lines, body_line + 1))
    return _Parsed(headline, body, _public(fields), headline[0] if headline else 0)


def _factiva(lines: list[Line], text: str) -> _Parsed | None:
    """Factiva: headline, "By" byline and credit lines ("Distributed by ..."), word count,
    date, time, outlet, its code, language, copyright; then the body. Above the first
    headline a printed download may carry "Factiva" and "Dow Jones"."""
    count = next((i for i, line in enumerate(lines[:12]) if _WORD_COUNT.fullmatch(line.text)), None)
    if count is None:
        return None
    fields: dict[str, str] = {}
    headline = count - 1
    while headline >= 0 and _CREDIT.match(lines[headline].text):
        if byline := re.match(r"By\s+(.+)", lines[headline].text):
            fields["author"] = byline[1]
        headline -= 1
    if headline < 0:
        return None
    if count + 1 < len(lines) and (published := parse_date(lines[count + 1].text)):
        fields["published"] = published
    after = lines[count + 2 : count + 8]
    outlet = next((line.text for line in after if not _TIME.fullmatch(line.text)), None)
    if outlet:
        fields["outlet"] = outlet
    copyright_at = next(
        (
            i
            for i in range(count + 2, min(count + 9, len(lines)))
            if _COPYRIGHT.match(lines[i].text)
        ),
        None,
    )
    if copyright_at is None:
        return None
    body_start = copyright_at + 1
    while body_start < len(lines) and _COPYRIGHT.search(lines[body_start].text):
        body_start += 1  # "All Rights Reserved." on a line of its own
    return _Parsed((headline, headline + 1), (body_start, len(lines)), fields, headline)


def _blank_above(text: str, lines: list[Line], i: int) -> bool:
    return text.count("\n", lines[i - 1].end, lines[i].start) >= 2


def _fields(lines: list[Line]) -> dict[str, str]:
    """The header's "KEY: value" lines, byline as author."""
    found: dict[str, str] = {}
    for line in lines:
        if match := _FIELD.fullmatch(line.text):
            key = match["key"]
            if key.lower() in _BYLINE_KEYS:
                found["author"] = match["value"].strip()
            else:
                found.setdefault(key.upper(), match["value"].strip())
    return found


def _public(fields: dict[str, str]) -> dict[str, str]:
    """The fields an article declares: title, outlet, published, author."""
    return {
        k: v for k, v in fields.items() if k in {"title", "outlet", "published", "author"} and v
    }


def _trailer_start(lines: list[Line], body_start: int) -> int:
    """Where the trailer begins: the fields ("LOAD-DATE:", "Load-Date:", "Classification")
    and copyright lines that end the article, read back from its end."""
    end = len(lines)
    while end > body_start and _in_trailer(lines[end - 1].text):
        end -= 1
    return end


def _in_trailer(text: str) -> bool:
    field = _FIELD.fullmatch(text)
    return bool(
        (field and (field["key"].isupper() or field["key"].lower() in _TRAILER_KEYS))
        or _COPYRIGHT.match(text)
        or text in {"Classification", "Graphic"}
    )
