"""A story as news agencies and newsroom systems deliver it: IPTC's NITF (`<nitf>`), or
NewsML-G2 (`<newsItem>`, or a `<newsMessage>` holding several), or the NewsML 1 of older wire
archives (`<NewsML>` of `<NewsItem>`s), the XML that AP, Reuters, AFP and most wire feeds send.

The story's own text is read as a page's is (html_text.py), each block a paragraph, every
character pointing into the file: the paragraphs of NITF's `<body.content>`, or of a
NewsML-G2 item's `<inlineXML>` (XHTML or NITF), under the headline (`<hl1>`, `<headline>`). Its metadata comes
from the fields the standard gives it: the headline, the byline, the date issued, the
publisher or the rights holder, and the item's id. Each item of a message is an article of
its own, named by its place (`wire.xml#2`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from index.ingest.decoding import decode_declared
from index.ingest.html_text import headed_story
from index.ingest.markup_spans import enclosed, first_enclosed
from index.ingest.raw import RawArticle, Skipped, safe_id

_OPENING = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<(?:\w+:)?(nitf|newsItem|newsMessage|NewsML)\b",
    re.DOTALL,
)


def _element(name: str, flags: int = 0) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The opening and closing tags of an element, with or without a namespace prefix."""
    opening = re.compile(rf"<(?:\w+:)?{re.escape(name)}\b[^<>]{{0,4000}}>", flags)
    return opening, re.compile(rf"</(?:\w+:)?{re.escape(name)}\s*>", flags)


_ITEM = _element("newsItem", re.IGNORECASE)  # NewsML-G2's `newsItem`, NewsML 1's `NewsItem`
_STORY = [_element("inlineXML"), _element("DataContent")]  # inside an item: content only
_NITF_STORY = [_element("body.content"), _element("body")]  # the element, tags and all
_HEADLINE = [_element("hl1"), _element("headline", re.IGNORECASE)]
_NORM_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})")
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([\w.-]+)")


def is_news_xml(head: bytes) -> bool:
    """Whether a file opens as a NITF document, a NewsML-G2 item or message, or NewsML 1."""
    return bool(_OPENING.match(head.removeprefix(b"\xef\xbb\xbf")))


def read_news_xml(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    """Each story of a NITF or NewsML file, read in the encoding its declaration names."""
    source = str(path)
    declaration = _XML_ENCODING.match(data.removeprefix(b"\xef\xbb\xbf"))
    text, encoding = decode_declared(data, [declaration[1].decode()] if declaration else [])
    items = [(o.start(), c.end()) for o, c in enclosed(text, *_ITEM)] or [(0, len(text))]
    out: list[RawArticle | Skipped] = []
    for number, (start, end) in enumerate(items, start=1):
        where = f"{source}#{number}" if len(items) > 1 else source
        fields = _fields(text[start:end])
        body = _story_span(text, start, end)
        if body is None:
            out.append(
                Skipped(
                    where,
                    "no story text in this news item (no <body>, <inlineXML> or <DataContent>)",
                )
            )
            continue
        headline = first_enclosed(text, _HEADLINE, start, end)
        shown = (headline[0].start(), headline[1].end()) if headline else None
        story = headed_story(text, body, shown)
        if story is None:
            out.append(Skipped(where, "no story text in this news item"))
            continue
        name = fields.pop("id", "") or (f"{path.stem}-{number}" if len(items) > 1 else path.stem)
        out.append(RawArticle(where, safe_id(name), text, story, fields, encoding, True))
    return out


def _story_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the story's text stands in the file: an item's inline content (NewsML-G2's
    `<inlineXML>`, NewsML 1's `<DataContent>`), else NITF's `<body.content>`, else its whole
    `<body>`."""
    if inline := first_enclosed(text, _STORY, start, end):
        return inline[0].end(), inline[1].start()
    if found := first_enclosed(text, _NITF_STORY, start, end):
        return found[0].start(), found[1].end()
    return None


def _fields(item: str) -> dict[str, str]:
    """Title, author, date, outlet and id, as NITF or NewsML declare them."""
    from lxml import etree

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:  # the text is decoded already: its declaration's encoding is no longer true
        root = etree.fromstring(_DECLARATION.sub("", item, count=1), parser)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    if root is None:
        return {}
    elements: dict[str, Any] = {}
    for element in root.iter():
        if isinstance(element.tag, str):
            elements.setdefault(etree.QName(element).localname.lower(), element)
    fields = {
        "title": _text(elements.get("hl1"))
        or _text(elements.get("headline"))
        or _text(elements.get("title")),
        "author": _BY.sub(
            "",
            _text(elements.get("byline"))
            or _text(elements.get("by"))
            or _text(_child(elements.get("creator"), "name")),
        ),
        "published": _date(elements),
        "outlet": _attribute(elements.get("pubdata"), "name")
        or _text(_child(elements.get("copyrightholder"), "name"))
        or _attribute(elements.get("copyrightholder"), "literal")
        or _attribute(elements.get("provider"), "literal")
        or _attribute(_child(elements.get("provider"), "party"), "FormalName"),
        "id": _attribute(elements.get("doc-id"), "id-string")
        or root.get("guid", "")
        or _text(elements.get("newsitemid")),
    }
    return {key: value for key, value in fields.items() if value}


def _date(elements: dict[str, Any]) -> str:
    for name, attribute in (
        ("date.issue", "norm"),
        ("story.date", "norm"),
        ("date.release", "norm"),
    ):
        if match := _NORM_DATE.match(_attribute(elements.get(name), attribute)):
            return "-".join(match.groups())
    for name in ("firstcreated", "contentcreated", "versioncreated"):
        if match := _NORM_DATE.match(_text(elements.get(name))):
            return "-".join(match.groups())
    return ""


def _child(element: Any, name: str) -> Any:
    from lxml import etree

    if element is None:
        return None
    return next(
        (c for c in element if isinstance(c.tag, str) and etree.QName(c).localname.lower() == name),
        None,
    )


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _attribute(element: Any, name: str) -> str:
    return " ".join((element.get(name) or "").split()) if element is not None else ""
