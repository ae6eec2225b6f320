"""How a line of page text reads: as prose, as page furniture, as a title's opening, as a
byline or date; and the content words it shares with others."""

from __future__ import annotations

import re
from collections import Counter

from index.ingest import boilerplate as bp
from index.ingest.dates import find_date
from index.ingest.lists import LIST_MARKER
from index.text.stopwords import STOPWORDS

_OPENERS = "\"“‘'([«"
_SENTENCE_END = re.compile(r"(?:[.!?…](?:[\"”’')\]»]+)?|[。！？][」』）】]*|[।॥؟۔])$")
_INNER_SENTENCE_END = re.compile(r"[a-z0-9)\]][.!?…][\"”’')\]»]*\s+[\"“‘'(\[«]?[A-Z]")
_RUN_ON_MIN_WORDS = 12
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
    return ends_like_prose(text)


def ends_like_prose(text: str) -> bool:
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


def byline_or_date(text: str) -> bool:
    """ "By Ana Lima", "By Ana Lima | 3 March 2025", "Published: 3 March 2025", a date alone."""
    bylines = (bp.BYLINE_PREFIX, bp.BYLINE_LINE, bp.PUBLISHED_LINE)
    return any(b.match(text) for b in bylines) or (len(text.split()) <= 6 and bool(find_date(text)))


def opens_like_a_title(text: str) -> bool:
    """A capital, a digit or a currency sign first ("'Strong dollar' call", "$1m payoff"),
    or a name written small-then-capital ("iTunes now selling Band Aid song", "eBay")."""
    opening = text.lstrip(_OPENERS)
    first = opening[:1]
    return (
        first.isupper() or first.isdigit() or first in "$£€¥" or _BRAND.match(opening) is not None
    )
