"""The text of an HTML page, remembering where every character came from."""

from __future__ import annotations

from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from index.ingest.text_lines import split_lines
from index.ingest.unclosed_markup import parsed_length
from index.text.offsets import SpanText, offsets

# Content of these is never shown on the page.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head"})
# Content of these is page furniture, not an article's text.
_FURNITURE = _INVISIBLE | {
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "figure",
    "menu",
    "dialog",
}
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "main",
    "blockquote",
    "tr",
    "table",
    "ul",
    "ol",
    "pre",
    "hr",
    "dd",
    "dt",
    "figcaption",
    "time",
    # a wire story's own (IPTC NITF): headlines, byline, dateline, blocks of the body
    *("hl1", "hl2", "byline", "dateline", "abstract", "block", "tagline"),
    *("body.head", "body.content", "body.end"),
}
_VOID = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "base", "col"}
_META_KEYS = {
    "og:title": "title",
    "twitter:title": "title",
    "og:site_name": "outlet",
    "application-name": "outlet",
    "author": "author",
    "article:author": "author",
    "article:published_time": "published",
    "date": "published",
    "pubdate": "published",
    "publish-date": "published",
    "dc.date": "published",
    "parsely-pub-date": "published",
}


class _Extractor(HTMLParser):
    def __init__(self, source: str, skipped: frozenset[str]) -> None:
        super().__init__(convert_charrefs=False)
        self._skipped = skipped
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self.chars: list[str] = []
        self.starts, self.ends = offsets(), offsets()
        self.fields: dict[str, str] = {}
        self._skip_depth = 0
        self._in_title = False
        self.head_title: list[str] = []
        self._h1: list[str] = []
        self._in_h1 = False
        self._h1_start = 0
        self.h1_spans: list[tuple[int, int]] = []
        self._in_link = False
        self.linked = bytearray()  # per character of `chars`: 1 inside a link

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _emit(self, text: str, start: int, end: int) -> None:
        for ch in text:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)
        self.linked.extend(b"\x01" * len(text) if self._in_link else bytes(len(text)))

    def _newline(self) -> None:
        if self.chars and self.chars[-1] != "\n":
            anchor = self.ends[-1]
            self._emit("\n", anchor, anchor)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = (attr.get("property") or attr.get("name") or "").lower()
            if key in _META_KEYS and attr.get("content"):
                self.fields.setdefault(_META_KEYS[key], unescape(attr["content"]).strip())
            return
        if tag == "time" and attr.get("datetime"):
            self.fields.setdefault("published", attr["datetime"])
        if tag == "title":
            self._in_title = True
        if tag == "a" and attr.get("href"):  # links do not nest: a new one ends the last
            self._in_link = True
        if tag in self._skipped and tag not in _VOID:
            self._skip_depth += 1
        if tag in _BLOCKS:
            self._newline()
        if tag == "h1":
            self._in_h1 = True
            self._h1_start = len(self.chars)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self._skipped and tag not in _VOID:
            self._skip_depth = max(0, self._skip_depth - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag == "a":
            self._in_link = False
        if tag == "h1" and self._in_h1:
            self._in_h1 = False
            if not self._skip_depth and len(self.chars) > self._h1_start:
                self.h1_spans.append((self._h1_start, len(self.chars)))
        if tag in self._skipped and tag not in _VOID:
            self._skip_depth = max(0, self._skip_depth - 1)
        if tag in _BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.head_title.append(data)
        if self._skip_depth:
            return
        if self._in_h1:
            self._h1.append(data)
        start = self._offset()
        for i, ch in enumerate(data):
            if ch.isspace():
                # Collapse runs of whitespace to one space, as a browser shows them.
                if self.chars and not self.chars[-1].isspace():
                    self._emit(" ", start + i, start + i + 1)
            else:
                self._emit(ch, start + i, start + i + 1)

    def _reference(self, raw: str) -> None:
        if self._skip_depth:
            return
        start = self._offset()
        text = unescape(raw)
        if self._in_title:
            self.head_title.append(text)
        if self._in_h1:
            self._h1.append(text)
        self._emit(text, start, start + len(raw))

    def handle_entityref(self, name: str) -> None:
        self._reference(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._reference(f"&#{name};")

    def title(self) -> str:
        return " ".join("".join(self._h1 or self.head_title).split())


@dataclass(frozen=True, slots=True)
class PageText:
    text: SpanText  # one block per line
    fields: dict[str, str]  # what the head declares: title, outlet, author, published
    headings: tuple[tuple[int, int], ...]  # the h1 elements' [start, end) in `text`
    head_titles: tuple[str, ...] = ()  # the titles the head declares: og:title, <title>
    linked: bytes = b""  # per character of `text`: 1 where it is a link's

    def only_links(self, start: int, end: int) -> bool:
        """Whether every letter shown in [start, end) is a link's."""
        text = self.text.text
        return all(self.linked[i] or text[i].isspace() for i in range(start, end))

    def without_link_lines(self) -> SpanText:
        """The text less its lines that are links and nothing else: a menu's items, a
        category page's list of headlines."""
        kept, start = [], 0
        for line in self.text.text.split("\n"):
            end = start + len(line)
            if not self.only_links(start, end):
                kept.append(self.text.slice(start, end))
            start = end + 1
        return SpanText.join(kept, "\n")


def visible_text(source: str) -> PageText:
    """All the text a browser shows."""
    return _extract(source, _INVISIBLE)


def readable_text(source: str) -> PageText:
    """The visible text less menus, headers, footers, forms and figures."""
    return _extract(source, _FURNITURE)


def _extract(source: str, skipped: frozenset[str]) -> PageText:
    parser = _Extractor(source, skipped)
    parser.feed(source[: parsed_length(source)])
    parser.close()
    fields = dict(parser.fields)
    if "title" not in fields and parser.title():
        fields["title"] = parser.title()
    text = SpanText("".join(parser.chars), parser.starts, parser.ends)
    # The titles the head declares: og:/twitter:title, then the <title> element.
    titles = [parser.fields.get("title", ""), "".join(parser.head_title)]
    head_titles = tuple(" ".join(t.split()) for t in titles if t.strip())
    return PageText(text, fields, tuple(parser.h1_spans), head_titles, bytes(parser.linked))


def headed_story(
    source: str, body: tuple[int, int], headline: tuple[int, int] | None
) -> SpanText | None:
    """A story kept in markup (a wire story's XML, a clipped note): the blocks a browser
    shows of `source[body]`, each a paragraph, under the headline's text when that is not
    already the first; every character mapped into `source`. None when the body shows
    nothing."""
    paragraphs = _shown_blocks(source, *body)
    if not paragraphs:
        return None
    shown = _shown_blocks(source, *headline) if headline else []
    if shown and shown[0].text != paragraphs[0].text:
        paragraphs = [shown[0], *paragraphs]
    return SpanText.join(paragraphs, "\n\n")


def _shown_blocks(source: str, start: int, end: int) -> list[SpanText]:
    """The blocks shown between `start` and `end` of `source`, each trimmed, none empty."""
    shown = visible_text(source[start:end]).text
    shown = SpanText(shown.text, [s + start for s in shown.starts], [e + start for e in shown.ends])
    return [shown.slice(line.start, line.end) for line in split_lines(shown.text)]
