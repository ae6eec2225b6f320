"""Notes exported from Evernote (.enex): the articles a reader clipped from the web, each
note's content (ENML: XHTML inside CDATA) read as a page's text is, every character pointing
into the file. The title, creation date, author and the address
the note was clipped from are its fields. Each note is an article, named by its place
(`Clippings.enex#3`).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from index.ingest.decoding import decode
from index.ingest.html_text import headed_story
from index.ingest.raw import RawArticle, Skipped, safe_id

ENEX_SUFFIX = ".enex"
_NOTE = re.compile(r"<note>.*?</note>", re.DOTALL)
_CONTENT = re.compile(r"<content>\s*<!\[CDATA\[(.*?)\]\]>\s*</content>", re.DOTALL)
_FIELDS = {
    "title": re.compile(r"<title>(.*?)</title>", re.DOTALL),
    "published": re.compile(r"<created>(\d{4})(\d{2})(\d{2})T", re.DOTALL),
    "author": re.compile(r"<author>(.*?)</author>", re.DOTALL),
    "url": re.compile(r"<source-url>(.*?)</source-url>", re.DOTALL),
}


def read_enex(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    source = str(path)
    text, encoding = decode(data)
    notes = list(_NOTE.finditer(text))
    out: list[RawArticle | Skipped] = []
    for number, note in enumerate(notes, start=1):
        where = f"{source}#{number}"
        content = _CONTENT.search(text, note.start(), note.end())
        # The clip holds its own headline; the note's title is often the page's, site and all.
        story = headed_story(text, content.span(1), None) if content else None
        if story is None or content is None:
            out.append(Skipped(where, "a note with no text"))
            continue
        fields = _fields(text[note.start() : content.start()] + text[content.end() : note.end()])
        out.append(
            RawArticle(where, safe_id(f"{path.stem}-{number}"), text, story, fields, encoding, True)
        )
    return out or [Skipped(source, "no notes in this Evernote export")]


def _fields(note: str) -> dict[str, str]:
    fields = {}
    for name, pattern in _FIELDS.items():
        if found := pattern.search(note):
            value = "-".join(found.groups()) if name == "published" else found.group(1)
            if value := " ".join(unescape(value).split()):
                fields[name] = value
    return fields
