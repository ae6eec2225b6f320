"""The article body a page declares in its structured data (schema.org JSON-LD's
`articleBody`), for a page whose own text holds no body: a site that draws its story with
JavaScript saves as an empty shell ("Loading…", "Enable JavaScript to read this article"),
yet often carries the whole text for search engines. Each character points at where the
JSON writes it in the page, escapes (`\\n`, `\\u00e9`) and character references included, so
offsets still point into the file. Markup inside the text (`<p>`) is left out, a paragraph's
end kept as a blank line.
"""

from __future__ import annotations

import re

from index.ingest.decoding import with_references_read
from index.ingest.markup_spans import enclosed
from index.text.offsets import SpanText

_LD_OPENS = re.compile(
    r"<script\b[^<>]{0,4000}?\btype\s*=\s*[\"']?application/ld\+json[^<>]{0,4000}>", re.IGNORECASE
)
_SCRIPT_CLOSES = re.compile(r"</script\s*>", re.IGNORECASE)
_BODY_KEY = re.compile(r'"articleBody"\s*:\s*(?=")')
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]{0,4000}>")
_BREAKING_TAGS = {"p", "br", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\n", "t": "\t"}


def declared_body(source: str) -> SpanText | None:
    """The longest `articleBody` string of the page's JSON-LD, as text mapped into `source`;
    None when the page declares none."""
    best: SpanText | None = None
    for opening, closing in enclosed(source, _LD_OPENS, _SCRIPT_CLOSES):
        for key in _BODY_KEY.finditer(source, opening.end(), closing.start()):
            found = _json_string(source, key.end(), closing.start())
            if found is not None and (best is None or len(found.text) > len(best.text)):
                best = found
    if best is None or not best.text.strip():
        return None
    return with_references_read(_without_markup(best))


def _json_string(source: str, at: int, end: int) -> SpanText | None:
    """The JSON string literal opening at `source[at]` (a double quote), decoded, each
    character mapped to the escape or letter that writes it; None when it is not closed
    before `end` or holds an escape JSON does not have."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = at + 1
    while i < end:
        char = source[i]
        if char == '"':
            return SpanText("".join(chars), starts, ends)
        width, decoded = 1, char
        if char == "\\":
            width, decoded = _escape(source, i)
            if not decoded:
                return None
        chars.append(decoded)
        starts += [i] * len(decoded)
        ends += [i + width] * len(decoded)
        i += width
    return None


def _escape(source: str, at: int) -> tuple[int, str]:
    """(how many characters the escape at `source[at]` takes, what it stands for); "" for an
    escape JSON does not have. A surrogate pair written as two escapes is one character."""
    kind = source[at + 1 : at + 2]
    if kind in _ESCAPES:
        return 2, _ESCAPES[kind]
    if kind != "u" or not re.fullmatch(r"[0-9a-fA-F]{4}", source[at + 2 : at + 6]):
        return 2, ""
    code = int(source[at + 2 : at + 6], 16)
    low = source[at + 6 : at + 12]
    if 0xD800 <= code < 0xDC00 and re.fullmatch(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}", low):
        pair = 0x10000 + ((code - 0xD800) << 10) + (int(low[2:], 16) - 0xDC00)
        return 12, chr(pair)
    return 6, chr(code) if not 0xD800 <= code < 0xE000 else "\ufffd"


def _without_markup(text: SpanText) -> SpanText:
    """The text less its tags, as paragraphs: a tag that ends a paragraph or a line parts
    them with a blank line; whitespace around each is trimmed, and empty ones dropped."""
    paragraphs: list[SpanText] = []
    current: list[SpanText] = []
    done = 0
    for tag in _TAG.finditer(text.text):
        current.append(text.slice(done, tag.start()))
        done = tag.end()
        if tag.group(2).lower() in _BREAKING_TAGS:
            paragraphs.append(_trimmed(SpanText.join(current, "")))
            current = []
    current.append(text.slice(done, len(text.text)))
    paragraphs.append(_trimmed(SpanText.join(current, "")))
    return SpanText.join([p for p in paragraphs if p.text], "\n\n")


def _trimmed(text: SpanText) -> SpanText:
    lead = len(text.text) - len(text.text.lstrip())
    return text.slice(lead, len(text.text.rstrip()))
