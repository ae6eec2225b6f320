"""Strip page furniture from scraped article text, keeping every sentence of the body.

The cleaned text is the text users see and every offset points into; it is built only
from spans of the extracted text, so each character still maps back to the original file.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import partial

from index.ingest import boilerplate as bp
from index.ingest.dates import find_date
from index.ingest.lists import LIST_MARKER, lists_below_body
from index.ingest.text_lines import Line, split_lines
from index.text.offsets import SpanText
from index.text.stopwords import STOPWORDS

_OPENERS = "\"“‘'([«"
_SENTENCE_END = re.compile(r"(?:[.!?…](?:[\"”’')\]»]+)?|[。！？][」』）】]*|[।॥؟۔])$")
_INNER_SENTENCE_END = re.compile(r"[a-z0-9)\]][.!?…][\"”’')\]»]*\s+[\"“‘'(\[«]?[A-Z]")
_AFTER_A_NAME = re.compile(r"[,;:]\s")  # a paragraph whose opening name was dropped
_RUN_ON_MIN_WORDS = 12
_FALLBACK_MIN_WORDS = 8  # when no line reads as prose, lines this long are kept
_HEADLINE_WORDS = (2, 30)  # a first line this long, standing alone above the body, heads it
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")  # kana and Han letters
_UNSPACED_MIN_LETTERS = 10
_WORD = re.compile(r"[a-zà-ÿ0-9][\w'’-]*", re.IGNORECASE)
_BRAND = re.compile(r"[a-z][A-Z]\w*\b")  # iTunes, eBay, iPhone


def is_prose(text: str) -> bool:
    """A line that reads as one or more sentences, not a label, menu item or headline. In
    scripts without case a sentence may open with any letter; in those written without
    spaces (Chinese, Japanese) length stands in for the count of words."""
    body = LIST_MARKER.sub("", text).lstrip(_OPENERS)
    if not body:
        return False
    first = body[0]
    opens = first.isupper() or first.isdigit() or (first.isalpha() and not first.islower())
    unspaced = len(_UNSPACED.findall(text)) >= _UNSPACED_MIN_LETTERS
    words = len(text.split())
    if not opens or (words < 3 and not unspaced):
        return False
    return _ends_like_prose(text)


def _ends_like_prose(text: str) -> bool:
    """It ends a sentence; or it is a paragraph cut off, or closed by a note ("...
    Glass.[citation needed]", "... asks the question:"), with whole sentences of some length
    before."""
    if _SENTENCE_END.search(text):
        return True
    words = len(text.split())
    inner_ends = len(_INNER_SENTENCE_END.findall(text))
    return words >= _RUN_ON_MIN_WORDS and inner_ends > 0 and words / (inner_ends + 1) >= 5


def is_furniture(text: str) -> bool:
    words = len(text.split())
    if bp.FURNITURE_STRONG.search(text):
        return words <= bp.FURNITURE_STRONG_MAX_WORDS
    if bp.COOKIE_NOTICE.search(text) and words <= bp.COOKIE_NOTICE_MAX_WORDS:
        return True
    return words <= bp.FURNITURE_WEAK_MAX_WORDS and bool(bp.FURNITURE_WEAK.search(text))


def content_words(text: str) -> set[str]:
    """Lower-cased content words cut to five letters: a cheap stem for topic overlap."""
    return set(content_word_counts(text))


def content_word_counts(text: str) -> Counter[str]:
    """How often each of `text`'s content words (cut as `content_words` cuts them) occurs."""
    return Counter(w.lower()[:5] for w in _WORD.findall(text) if w.lower() not in STOPWORDS)


def strip_prefix(text: str) -> int:
    """Length of datelines, glued bylines and share bars opening a line of body text."""
    pos = 0
    while True:
        rest = text[pos:]
        match = bp.DATELINE_PREFIX.match(rest) or bp.GLUED_PREFIX.match(rest)
        byline = bp.BYLINE_PREFIX.match(rest)
        if byline and byline.end() < len(rest):  # only a byline glued to what follows
            match = match or byline
        if not match or not match.end():
            return pos
        pos += match.end()
        pos += len(text[pos:]) - len(text[pos:].lstrip())


def clean(extracted: SpanText) -> SpanText:
    """The article body: prose paragraphs, each once, joined by blank lines."""
    lines = split_lines(extracted.text)
    spans: dict[int, tuple[int, int]] = {}  # line index -> the span it keeps, for body lines
    body: dict[int, bool] = {}  # line index -> read as body; lines skipped as teasers are absent
    seen: set[str] = set()
    name_lines: list[tuple[int, str]] = []  # (line index, name) of lone-name lines: author boxes
    i = 0
    while i < len(lines):
        line = lines[i]
        # Readers' comments follow a comments heading once the article has begun (two
        # paragraphs read, or the headline and one); in a menu above it, or among a share
        # bar's buttons, the word ends nothing.
        if bp.END_OF_ARTICLE.match(line.text) or (
            len(seen) > 1 and bp.COMMENTS_HEADING.match(line.text) and not _in_share_bar(lines, i)
        ):
            break
        if bp.TEASER_HEADING.match(line.text):
            i = _skip_teasers(lines, i + 1)
            continue
        if re.fullmatch(bp.NAME, line.text):
            name_lines.append((i, line.text))
        start = line.start + strip_prefix(line.text)
        text = extracted.text[start : line.end].strip()
        spans[i] = (start, start + len(text))
        body[i] = (i == 0 and _is_headline(extracted.text, lines)) or (
            (_is_body(text, seen) or (bool(seen) and _continues_a_paragraph(text, seen)))
            and not _is_author_bio(text, i, name_lines)
        )
        if body[i]:
            seen.add(text)
        i += 1
    is_new = partial(_is_new_text, seen=seen)
    texts = [line.text for line in lines]
    for i in _long_lines_inside_the_body(body, lines, seen) + lists_below_body(body, texts, is_new):
        spans[i] = (lines[i].start, lines[i].end)  # kept whole: its opening is not a byline
        body[i] = True
    kept = [extracted.slice(*spans[i]) for i in sorted(body) if body[i]]
    if not kept:  # nothing read as prose: keep the longer lines rather than lose the article
        kept = [
            extracted.slice(line.start, line.end)
            for line in lines
            if len(line.text.split()) >= _FALLBACK_MIN_WORDS and not is_furniture(line.text)
        ]
    return SpanText.join(kept, "\n\n")


def _in_share_bar(lines: list[Line], i: int) -> bool:
    """Whether the line before or after line `i` is a share button ("Twitter", "Email")."""
    return any(0 <= j < len(lines) and bp.SHARE_BUTTON.match(lines[j].text) for j in (i - 1, i + 1))


def _long_lines_inside_the_body(
    body: dict[int, bool], lines: list[Line], seen: set[str]
) -> list[int]:
    """Lines of eight words or more that lie between body paragraphs (with only such lines
    between them and the paragraphs) are body too, though they do not read as prose: list
    items ("- lied about the dangers of smoking"), answers set off by a colon, a sentence
    broken across lines. Page furniture sits around the body, not inside it."""

    def long(i: int) -> bool:
        text = lines[i].text
        return not body[i] and len(text.split()) >= _FALLBACK_MIN_WORDS and _is_new_text(text, seen)

    found: list[int] = []
    run: list[int] = []
    after_body, previous = False, -1
    for i in sorted(body):
        if i != previous + 1:  # a teaser rail was skipped here: no longer inside the body
            after_body, run = False, []
        previous = i
        if long(i) and lines[i].text not in {lines[j].text for j in run}:
            run.append(i)
            continue
        if body[i] and after_body:
            found += run
        after_body, run = body[i], []
    return found


def _is_headline(text: str, lines: list[Line]) -> bool:
    """The file's first line is a headline when it stands alone (a blank line below it),
    reads as a title rather than a sentence, shares a word with the prose that follows it or
    is written in a sentence's case (a menu or site name is neither) and the body starts
    below it, or below a byline and date: the common layouts of text files. It is kept as
    the body's first paragraph, so it is searched and cited like the rest of the article."""
    if len(lines) < 2:
        return False
    first, after = lines[0], lines[1]
    body = 1  # a byline or a date may stand between the headline and the body
    while body < min(len(lines) - 1, 3) and byline_or_date(lines[body].text):
        body += 1
    low, high = _HEADLINE_WORDS
    return (
        low <= len(first.text.split()) <= high
        and opens_like_a_title(first.text)
        and not is_prose(first.text)
        and _opens_the_body(lines, body)
        and "\n\n" in re.sub(r"[ \t]", "", text[first.end : after.start])
        and not (bp.FURNITURE_STRONG.search(first.text) or bp.BYLINE_PREFIX.match(first.text))
        and find_date(first.text) is None
        and (
            bool(
                content_words(first.text)
                & content_words(" ".join(x.text for x in lines[body : body + 3]))
            )
            or _in_sentence_case(first.text)
        )
    )


def byline_or_date(text: str) -> bool:
    """ "By Ana Lima", "By Ana Lima | 3 March 2025", "Published: 3 March 2025", a date alone."""
    bylines = (bp.BYLINE_PREFIX, bp.BYLINE_LINE, bp.PUBLISHED_LINE)
    return any(b.match(text) for b in bylines) or (len(text.split()) <= 6 and bool(find_date(text)))


def _in_sentence_case(text: str) -> bool:
    """Three words or more, one after the first a small-letter word that is not a stopword:
    a headline written as a sentence ("The future in your pocket"), not a menu."""
    words = text.split()
    return len(words) >= 3 and any(
        w[:1].islower() and w.lower() not in STOPWORDS for w in words[1:]
    )


def _opens_the_body(lines: list[Line], i: int) -> bool:
    """Line i reads as prose, or is a long line (a lede without its full stop) that prose
    follows."""
    text = lines[i].text
    if is_prose(text):
        return True
    return (
        len(text.split()) >= _FALLBACK_MIN_WORDS
        and opens_like_a_title(text)
        and i + 1 < len(lines)
        and is_prose(lines[i + 1].text)
    )


def opens_like_a_title(text: str) -> bool:
    """A capital, a digit or a currency sign first ("'Strong dollar' call", "$1m payoff"),
    or a name written small-then-capital ("iTunes now selling Band Aid song", "eBay")."""
    opening = text.lstrip(_OPENERS)
    first = opening[:1]
    return (
        first.isupper() or first.isdigit() or first in "$£€¥" or _BRAND.match(opening) is not None
    )


def _is_body(text: str, seen: set[str]) -> bool:
    return is_prose(text) and _is_new_text(text, seen)


def _continues_a_paragraph(text: str, seen: set[str]) -> bool:
    """A paragraph whose opening words were lost, below body text: it starts mid-sentence (a
    small letter, or the comma or colon after a name the scraper dropped, as when names set
    in bold are stripped) yet is eight words or more and reads as prose from there on."""
    body = LIST_MARKER.sub("", text)
    return (
        (body[:1].islower() or bool(_AFTER_A_NAME.match(body)))  # any script's small letters
        and len(body.split()) >= _FALLBACK_MIN_WORDS
        and _ends_like_prose(body)
        and _is_new_text(text, seen)
    )


def _is_new_text(text: str, seen: set[str]) -> bool:
    """Neither page furniture nor a photo credit, nor a paragraph already kept."""
    return not is_furniture(text) and not bp.CAPTION_CREDIT.search(text) and text not in seen


def _is_author_bio(text: str, index: int, name_lines: list[tuple[int, str]]) -> bool:
    """ "Jane Doe is news editor of ..." right after a lone "Jane Doe" line: an author box."""
    return any(
        index - where <= 3 and re.match(rf"{re.escape(name)} (?:is|was|has|covers|writes)\b", text)
        for where, name in name_lines
    )


def _skip_teasers(lines: list[Line], i: int) -> int:
    """Index of the first line after a rail of teasers (headlines, their snippets, "read more")."""
    headline: str | None = None
    while i < len(lines):
        text = lines[i].text
        if bp.END_OF_ARTICLE.match(text):
            return i
        if not is_prose(text) or is_furniture(text) or bp.TEASER_HEADING.match(text):
            headline = text
        elif not (text.endswith(("...", "…")) or (headline and _is_snippet_of(text, headline))):
            return i  # the article resumes
        else:
            headline = None
        i += 1
    return i


def _is_snippet_of(text: str, headline: str) -> bool:
    """A teaser's summary repeats its headline's words in its first sentence."""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    head = content_words(headline)
    shared = head & content_words(first)
    return len(shared) >= 3 and len(shared) >= 0.4 * len(head)
