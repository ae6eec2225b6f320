"""An article saved or printed as a PDF ("Print... Save as PDF" in a browser).

pdfminer.six finds the text boxes of each page in reading order. Within a box, a line joins
the one above when its first word would not have fitted there (the line above was full and
wrapped) and no paragraph's margin parts them. The browser's running header and footer are
left out, a paragraph cut by a page break is joined, and the rest is cleaned as a text file
is, the printed headline first (index/ingest/paragraph_article.py). Offsets point into the
text as read, the file holding no text of its own to point into. A PDF is one article.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from index.ingest.paragraph_article import document_articles
from index.ingest.pdf_streams import unpacks_past
from index.ingest.prose import content_words
from index.ingest.raw import MAX_UNPACKED, RawArticle, Skipped, safe_id, size_text

PDF_SUFFIX = ".pdf"
FONTS_WITHOUT_LETTERS = "this PDF's fonts do not say which letters they draw"
_HYPHEN_BREAK = re.compile(r"(?<=\w)-$")
_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")  # pdfminer's mark for a glyph no letter maps to
_LIGATURES = re.compile("[\ufb00-\ufb06]")  # "ﬁ" as "fi": what a reader types
_LINE_MARGIN = 1.5  # lines this far apart (in line heights) may share a box
_SLACK = 1.0  # points
_HEADLINE_WITHIN = 40  # paragraphs from the top
_HEADLINE_MAX_WORDS = 30
_HEADLINE_TYPE = 1.3  # a headline set in type this much larger than the body's, at least
_SITE_MAX_WORDS = 6  # a longer part beside the headline is no site's name
_SITE_NAME_WORDS = 3  # a declared title this short names the site alone ("Quanta Magazine")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·:]\s+|:\s+")
_BROKEN_OFF = re.compile(r"[\w,;]$")  # a paragraph's last line does not end so
_MARGIN = 0.08  # of the page's height, top and bottom: where running lines stand
_PARAGRAPH_GAP = 0.8  # white space above a line, in line heights, that starts a paragraph
_SAME_TYPE = 1.25  # lines whose heights differ more are set in different type: not one paragraph


class Printed(NamedTuple):
    """A paragraph as printed: its text, whether it stands in the page's top or bottom
    margin, and the height of its first line (its type size, give or take the leading)."""

    text: str
    in_margin: bool
    size: float


def read_pdf(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    source = str(path)
    if unpacks_past(data, MAX_UNPACKED):
        return [Skipped(source, f"larger than {size_text(MAX_UNPACKED)} once unpacked")]
    pages: list[list[Printed]] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=_LINE_MARGIN)):
            pages.append(_page_paragraphs(page))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        return [Skipped(source, "a password-protected PDF")]
    except Exception as exc:  # noqa: BLE001 - a damaged PDF fails pdfminer in many ways
        return [Skipped(source, f"not a readable PDF: {exc or type(exc).__name__}")]
    printed = _without_running_lines(pages)
    texts = [_LIGATURES.sub(lambda m: unicodedata.normalize("NFKC", m[0]), p.text) for p in printed]
    unmapped = sum(len(m) for t in texts for m in _UNMAPPED_GLYPH.findall(t))
    if unmapped * 2 > sum(map(len, texts)):
        return [Skipped(source, FONTS_WITHOUT_LETTERS)]
    texts = [" ".join(_UNMAPPED_GLYPH.sub(" ", t).split()) for t in texts]
    printed = [p._replace(text=t) for p, t in zip(printed, texts, strict=True) if t]
    if not printed:
        return [Skipped(source, "no text in this PDF (a scan needs OCR first)")]
    paragraphs = [p.text for p in printed]
    title = _declared_title(data)
    headline, site = _printed_headline(paragraphs, title)
    headline = headline or _headline_by_type(printed, title) or _whole_title(paragraphs, title)
    declared = {"outlet": site} if site else {}
    stem = safe_id(path.stem)
    return list(document_articles(source, stem, paragraphs, headline, title, "pdf", declared))


def _printed_headline(paragraphs: list[str], title: str) -> tuple[str | None, str | None]:
    """The paragraph that prints the declared title less the site's name beside it
    ("Ferry approved" for "Ferry approved | The Gazette"), and the site's name when it
    follows the headline (a leading part may be a section: "Opinion: ...")."""
    for paragraph in _near_the_top(paragraphs):
        for part in _site_parts(title) if paragraph != title else ():
            if title == paragraph + part:
                site = _TITLE_SEPARATOR.split(part)[-1].strip()  # "News | BBC" -> "BBC"
                return paragraph, site if 0 < len(site.split()) <= _SITE_MAX_WORDS else None
            if title == part + paragraph:
                return paragraph, None
    return None, None


def _whole_title(paragraphs: list[str], title: str) -> str | None:
    """The declared title where a paragraph prints it whole (a browser's header line may be
    that one)."""
    return title if title in _near_the_top(paragraphs) else None


def _near_the_top(paragraphs: list[str]) -> list[str]:
    return [p for p in paragraphs[:_HEADLINE_WITHIN] if len(p.split()) >= 2]


def _headline_by_type(printed: list[Printed], title: str) -> str | None:
    """The headline by its type: of the paragraphs near the top, of two words or more and no
    more than a headline's, set clearly larger than the text's body type, the largest that
    may head the article given its declared title (a banner or the site's name may be set
    larger still)."""
    body = _body_type(printed)
    top = [
        p
        for p in printed[:_HEADLINE_WITHIN]
        if 2 <= len(p.text.split()) <= _HEADLINE_MAX_WORDS and p.size >= _HEADLINE_TYPE * body
    ]
    return next(
        (p.text for p in sorted(top, key=lambda p: -p.size) if _may_head(p.text, title)), None
    )


def _body_type(printed: list[Printed]) -> float:
    """The type size most of the text's letters are set in."""
    letters: Counter[float] = Counter()
    for p in printed:
        letters[round(p.size)] += len(p.text)
    return letters.most_common(1)[0][0]


def _may_head(paragraph: str, title: str) -> bool:
    """Whether a paragraph may head the article given its declared title: there is none, or
    it is a site's name alone ("Quanta Magazine"), or it shares half the words of the title's
    longest part (an outlet often rewords its headline for the page's title; the other parts
    name the site or section); but not a piece of the title, such as a headline's line that
    pdfminer did not join to the next."""
    if paragraph.casefold() in title.casefold():
        return False
    if len(content_words(title)) <= _SITE_NAME_WORDS:
        return True
    declared = content_words(max(_TITLE_SEPARATOR.split(title), key=len))
    printed = content_words(paragraph)
    return len(printed & declared) >= 0.5 * min(len(printed), len(declared))


def _site_parts(title: str) -> list[str]:
    """What may stand beside a headline in a page title: " | The Gazette", "The Gazette: "."""
    return [title[m.start() :] for m in _TITLE_SEPARATOR.finditer(title)] + [
        title[: m.end()] for m in _TITLE_SEPARATOR.finditer(title)
    ]


def _without_running_lines(pages: list[list[Printed]]) -> list[Printed]:
    """The pages' paragraphs less the running header and footer: a paragraph in the top or
    bottom margin that recurs, numbers aside, on half the pages or more (two at least), as a
    browser prints the date, title, address and "3/15" around each page. A paragraph that
    runs on from one page to the next is joined again."""

    def key(text: str) -> str:
        return re.sub(r"\d+", "#", text)

    seen = Counter(key(t) for page in pages for t in {p.text for p in page if p.in_margin})
    running = {k for k, n in seen.items() if n >= max(2, len(pages) / 2)}
    out: list[Printed] = []
    for page in pages:
        kept = [p for p in page if not (p.in_margin and key(p.text) in running)]
        if out and kept and _BROKEN_OFF.search(out[-1].text) and kept[0].text[:1].islower():
            # a paragraph the page break cut in two
            out[-1] = out[-1]._replace(text=out[-1].text + " " + kept.pop(0).text)
        out.extend(kept)
    return out


def _page_paragraphs(page: Any) -> list[Printed]:
    """A page's text boxes in reading order, each cut into paragraphs, each paragraph with
    whether it stands in the page's top or bottom margin: a line joins the one above when
    its first word would not have fitted there (the line was full and wrapped), less than a
    paragraph's margin parts them and both are set in the same type (a headline's last line
    does not run on into the byline below it)."""
    from pdfminer.layout import LTTextBox, LTTextLine

    margin = _MARGIN * page.height

    def in_margin(line: Any) -> bool:
        return bool(line.y0 > page.height - margin or line.y1 < margin)

    out: list[Printed] = []
    for box in page:
        if not isinstance(box, LTTextBox):
            continue
        lines = [line for line in box if isinstance(line, LTTextLine) and line.get_text().strip()]
        right = max((line.x1 for line in lines), default=0.0)
        for above, line in zip([None, *lines], lines, strict=False):
            text = " ".join(line.get_text().split())
            if (
                above is not None
                and in_margin(above) == in_margin(line)
                and above.y0 - line.y1 <= _PARAGRAPH_GAP * min(above.height, line.height)
                and max(above.height, line.height) <= _SAME_TYPE * min(above.height, line.height)
                and _wrapped(above, line, right)
            ):
                joiner = "" if _HYPHEN_BREAK.search(out[-1].text) else " "
                out[-1] = out[-1]._replace(text=out[-1].text + joiner + text)
            else:
                out.append(Printed(text, in_margin(line), line.height))
    return out


def _wrapped(above: Any, line: Any, right: float) -> bool:
    """Whether `line` continues `above`: its first word (and a space) would have run past the
    box's right edge had it been set on `above`."""
    word_end = line.x0
    for char in line:  # pdfminer's inserted spaces (LTAnno) have no place on the page
        if char.get_text().isspace():
            break
        word_end = getattr(char, "x1", word_end)
    space = 0.25 * max(line.height, 1.0)
    return above.x1 + space + (word_end - line.x0) > right - _SLACK


def _declared_title(data: bytes) -> str:
    """The document's declared title (a browser writes the page's <title> there)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        info = resolve1(document.info[0]) if document.info else {}
        raw = resolve1(info.get("Title")) if isinstance(info, dict) else None
    except Exception:  # noqa: BLE001 - a title is optional; the text was read already
        return ""
    if isinstance(raw, bytes):  # a PDF text string: UTF-16 after its mark, else Latin-1 here
        wide = raw.startswith(b"\xfe\xff")
        raw = raw.decode("utf-16" if wide else "latin-1", errors="replace")
    return _file_title_left_out(" ".join(str(raw).split()) if raw else "")


_OFFICE_PRINT = re.compile(r"^Microsoft (?:Word|PowerPoint|Excel|Outlook)\s+-\s+", re.IGNORECASE)
_FILE_NAME = re.compile(r"\.(?:docx?|rtf|odt|pdf|txt|html?|pages|wpd)$", re.IGNORECASE)
_NO_TITLE = re.compile(r"^(?:untitled(?: document)?|document\d*|doc\d*)$", re.IGNORECASE)


def _file_title_left_out(title: str) -> str:
    """The declared title, or "" where it names the file rather than the article: Office's
    printer writes "Microsoft Word - report.docx", and an editor's blank one is "Untitled" or
    "Document1". The headline is then found in the text, as for a document with no title."""
    title = _OFFICE_PRINT.sub("", title)
    return "" if _FILE_NAME.search(title) or _NO_TITLE.match(title) else title
