"""Strip page furniture from scraped article text, keeping every sentence of the body.

The cleaned text is the text users see and every offset points into; it is built only
from spans of the extracted text, so each character still maps back to the original file.
"""

from __future__ import annotations

import re
from functools import partial

from index.ingest import boilerplate as bp
from index.ingest.dates import find_date
from index.ingest.lists import LIST_MARKER, lists_below_body
from index.ingest.prose import (
    byline_or_date,
    content_words,
    ends_like_prose,
    is_furniture,
    is_prose,
    opens_like_a_title,
)
from index.ingest.text_lines import Line, split_lines
from index.text.offsets import SpanText
from index.text.stopwords import STOPWORDS

_AFTER_A_NAME = re.compile(r"[,;:]\s")  # a paragraph whose opening name was dropped
_FALLBACK_MIN_WORDS = 8  # when no line reads as prose, lines this long are kept
_SMALL_WORDS_SHARE = 3  # a sentence: one word in three or more written small
_LABELLED = re.compile(r"[\w' ]{1,30}:\s")  # "Read this next: ...", "Watch: ..."
_HEADLINE_WORDS = (2, 30)  # a first line this long, standing alone above the body, heads it


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
    for i in (
        _long_lines_inside_the_body(body, lines, seen)
        + lists_below_body(body, texts, is_new)
        + _closing_note(body, lines, seen)
    ):
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


def _closing_note(body: dict[int, bool], lines: list[Line], seen: set[str]) -> list[int]:
    """The file's last line, right below the last body paragraph, when it is a sentence
    without its full stop ("Halo 2 is out on 9 November in the US and 11 November in the
    UK"): a review's release note, a correspondent's line. A footer's address or copyright
    line is mostly names and numbers, not a sentence's small words; a teaser opens with its
    label ("Read this next: why ..."); a share bar or sign-up line names what it is."""
    last = len(lines) - 1
    if last < 1 or body.get(last) is not False or not body.get(last - 1):
        return []
    text = lines[last].text
    words = text.split()
    small = sum(w[:1].islower() for w in words)
    furniture = (bp.FURNITURE_WEAK, bp.FURNITURE_STRONG, bp.COOKIE_NOTICE)
    is_note = (
        len(words) >= _FALLBACK_MIN_WORDS
        and small * _SMALL_WORDS_SHARE >= len(words)
        and not _LABELLED.match(text)
        and not any(phrase.search(text) for phrase in furniture)  # at any length
        and is_prose(f"{text}.")
        and _is_new_text(text, seen)
    )
    return [last] if is_note else []


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
        and ends_like_prose(body)
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
