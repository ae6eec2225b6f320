"""An article kept as an OpenDocument text (.odt): LibreOffice's and Google Docs' download
format, read as a Word document is.

The body's headings, paragraphs, list items and table rows come in document order from the
zip's content.xml (the standard library reads it; no package needed); a table row is one line
of its cells, and notes and comments are left out. A paragraph in the Title style, or else
a heading of the first level, is the headline. Offsets point into this text, the file being
zipped XML.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from index.ingest.paragraph_article import document_articles
from index.ingest.raw import MAX_UNPACKED, RawArticle, Skipped, safe_id, size_text

ODT_SUFFIX = ".odt"
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
_TEXT, _TABLE, _STYLE = (f"{{{_NS[k]}}}" for k in ("text", "table", "style"))
# What a damaged zip or XML raises: a bad header, a missing part, a broken stream, bad markup
# or a space count that is not a number.
_DAMAGED = (
    zipfile.BadZipFile,
    KeyError,
    ElementTree.ParseError,
    OSError,
    EOFError,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    ValueError,
)
_LEFT_OUT = {f"{_TEXT}note", f"{{{_NS['office']}}}annotation", f"{_TEXT}tracked-changes"}


def read_odt(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    source = str(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:
            if bundle.getinfo("content.xml").file_size > MAX_UNPACKED:
                return [Skipped(source, f"its text is larger than {size_text(MAX_UNPACKED)}")]
            root = ElementTree.fromstring(bundle.read("content.xml"))
        body = root.find("office:body/office:text", _NS)
        found = _blocks(body, _title_styles(root)) if body is not None else iter(())
        blocks = [(text, kind) for text, kind in found if text]
    except _DAMAGED as exc:
        return [Skipped(source, f"not a readable OpenDocument text: {exc or type(exc).__name__}")]
    if not blocks:
        return [Skipped(source, "no text in this OpenDocument text")]
    headline = next((t for t, kind in blocks if kind == "title"), None)
    headline = headline or next((t for t, kind in blocks if kind == "heading 1"), None)
    paragraphs = [text for text, _ in blocks]
    # No declared title is taken: the file's own is a working name ("draft 3"), as in Word.
    return list(document_articles(source, safe_id(path.stem), paragraphs, headline, "", "odt"))


def _title_styles(root: ElementTree.Element) -> set[str]:
    """The Title style's name and those of the automatic styles built on it ("P1")."""
    names = {"Title"}
    for style in root.iterfind("office:automatic-styles/style:style", _NS):
        if style.get(f"{_STYLE}parent-style-name") == "Title":
            names.add(style.get(f"{_STYLE}name", ""))
    return names


def _blocks(element: ElementTree.Element, titles: set[str]) -> Iterator[tuple[str, str]]:
    """(text, kind) of each paragraph, heading and table row in order; kind is "title",
    "heading N", "table" or "paragraph"."""
    for child in element:
        if child.tag in (f"{_TEXT}p", f"{_TEXT}h"):
            text = " ".join(_text(child).split())
            if child.tag == f"{_TEXT}h":
                yield text, f"heading {child.get(f'{_TEXT}outline-level', '1')}"
            else:
                title = child.get(f"{_TEXT}style-name") in titles
                yield text, "title" if title else "paragraph"
        elif child.tag == f"{_TABLE}table-row":
            cells = (" ".join(_text(c).split()) for c in child.iterfind("table:table-cell", _NS))
            yield " | ".join(dict.fromkeys(c for c in cells if c)), "table"
        elif child.tag not in _LEFT_OUT:
            yield from _blocks(child, titles)  # lists, sections, tables, frames


def _text(element: ElementTree.Element) -> str:
    """The element's words: spans and links read, `text:s` as its spaces, tabs and line
    breaks as spaces, notes and comments left out."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif child.tag in (f"{_TEXT}tab", f"{_TEXT}line-break"):
            parts.append(" ")
        elif child.tag not in _LEFT_OUT:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
