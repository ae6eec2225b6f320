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
_CDATA_OPENS, _CDATA_CLOSES = b"<![CDATA[", b"]]>"
_OUTSIDE, _IN_NOTE, _IN_CDATA = range(3)
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
    export may be one line), a `</note>` inside the clip's CDATA not taken for the note's
    end; None for one over `max_bytes`, read past. Each byte is searched once."""
    buffer = bytearray()
    state, pos, oversized = _OUTSIDE, 0, False
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            buffer += block
            while True:
                if state == _OUTSIDE:
                    at = buffer.find(_OPENS, pos)
                    if at < 0:  # keep only what may hold the start of an opening
                        del buffer[: max(0, len(buffer) - len(_OPENS) + 1)]
                        pos = 0
                        break
                    del buffer[:at]
                    state, pos, oversized = _IN_NOTE, len(_OPENS), False
                    continue
                if state == _IN_CDATA:
                    at = buffer.find(_CDATA_CLOSES, pos)
                    if at >= 0:
                        state, pos = _IN_NOTE, at + len(_CDATA_CLOSES)
                        continue
                else:
                    close, cdata = buffer.find(_CLOSES, pos), buffer.find(_CDATA_OPENS, pos)
                    if cdata >= 0 and (close < 0 or cdata < close):
                        state, pos = _IN_CDATA, cdata + len(_CDATA_OPENS)
                        continue
                    if close >= 0:
                        end = close + len(_CLOSES)
                        yield None if oversized or end > max_bytes else bytes(buffer[:end])
                        del buffer[:end]
                        state, pos = _OUTSIDE, 0
                        continue
                pos = max(pos, len(buffer) - len(_CDATA_OPENS) + 1)  # read on from here
                if len(buffer) > max_bytes:  # too large: only where to read on is kept
                    oversized = True
                    del buffer[:pos]
                    pos = 0
                break


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
