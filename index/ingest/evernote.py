"""Notes exported from Evernote (.enex): the articles a reader clipped from the web, each
note's content (ENML: XHTML inside CDATA) read as a page's text is. The title, creation
date, author and the address the note was clipped from are its fields. Each note is an
article, named by its place (`Clippings.enex#3`).

An export carries each clip's pictures too, as base64, so a notebook of clips passes any
limit set for one article: the file is read note by note, and only a note over the limit is
skipped. Offsets point into the note's own XML, as a record's point into its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

from index.ingest.decoding import decode
from index.ingest.html_text import headed_story
from index.ingest.markup_spans import enclosed
from index.ingest.raw import RawArticle, Skipped, safe_id, size_text

ENEX_SUFFIX = ".enex"
_OPENS, _CLOSES = b"<note>", b"</note>"
_BLOCK = 1 << 20
_CONTENT = (re.compile(r"<content>\s*<!\[CDATA\["), re.compile(r"\]\]>\s*</content>"))
_FIELDS = {
    "title": re.compile(r"<title>(.*?)</title>", re.DOTALL),
    "published": re.compile(r"<created>(\d{4})(\d{2})(\d{2})T", re.DOTALL),
    "author": re.compile(r"<author>(.*?)</author>", re.DOTALL),
    "url": re.compile(r"<source-url>(.*?)</source-url>", re.DOTALL),
}


def read_enex(path: Path, max_bytes: int) -> list[RawArticle | Skipped]:
    source = str(path)
    out: list[RawArticle | Skipped] = []
    try:
        for number, note in enumerate(_notes(path, max_bytes), start=1):
            where = f"{source}#{number}"
            if note is None:
                out.append(Skipped(where, f"a note larger than {size_text(max_bytes)}"))
            else:
                out.append(_article(note, where, safe_id(f"{path.stem}-{number}")))
    except OSError as exc:
        out.append(Skipped(source, f"unreadable after {len(out)} notes: {exc.strerror or exc}"))
    return out or [Skipped(source, "no notes in this Evernote export")]


def _notes(path: Path, max_bytes: int) -> Iterator[bytes | None]:
    """Each note's XML, `<note>` to `</note>`, read a block at a time whatever the lines (an
    export may be one line); None for one over `max_bytes`, read past."""
    buffer = bytearray()
    inside = oversized = False
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            buffer += block
            while True:
                marker = _CLOSES if inside else _OPENS
                at = buffer.find(marker)
                if at < 0:
                    if inside and len(buffer) > max_bytes:
                        oversized = True  # keep only what may hold the start of its end
                    if not inside or oversized:
                        del buffer[: max(0, len(buffer) - len(marker) + 1)]
                    break
                if not inside:
                    del buffer[:at]
                    inside, oversized = True, False
                    continue
                end = at + len(_CLOSES)
                yield None if oversized or end > max_bytes else bytes(buffer[:end])
                del buffer[:end]
                inside = False


def _article(data: bytes, where: str, doc_id: str) -> RawArticle | Skipped:
    text, encoding = decode(data)
    content = next(enclosed(text, *_CONTENT), None)
    # The clip holds its own headline; the note's title is often the page's, site and all.
    story = headed_story(text, (content[0].end(), content[1].start()), None) if content else None
    if story is None or content is None:
        return Skipped(where, "a note with no text")
    fields = _fields(text[: content[0].start()] + text[content[1].end() :])
    return RawArticle(where, doc_id, text, story, fields, encoding, True)


def _fields(note: str) -> dict[str, str]:
    fields = {}
    for name, pattern in _FIELDS.items():
        if found := pattern.search(note):
            value = "-".join(found.groups()) if name == "published" else found.group(1)
            if value := " ".join(unescape(value).split()):
                fields[name] = value
    return fields
