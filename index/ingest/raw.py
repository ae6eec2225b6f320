"""An article as read from a file, before cleaning; a file or record skipped, and why; and
the ids articles are known by."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from index.file_names import shown
from index.text.offsets import SpanText


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article as read: its original text, the extracted text and metadata hints."""

    source: str  # the file as given ("seeds/x.txt"), or "file.jsonl#LINE" for JSONL records
    doc_id: str
    original: str  # what source offsets point into (the file text, or a JSONL record's text)
    extracted: SpanText  # readable text, each character mapped into `original`
    fields: dict[str, str] = field(default_factory=dict)  # metadata the format declares
    encoding: str = "utf-8"
    body_found: bool = False  # an extractor already chose the article body in `extracted`


@dataclass(frozen=True, slots=True)
class Skipped:
    source: str
    reason: str

    def line(self) -> str:
        """One line saying what was skipped and why; a line break or other control character
        in a file's name is written as its escape ("new\\nline.txt"), so the line stays one,
        and a byte that is not UTF-8 as citations show it (index/file_names.py)."""
        name = shown(self.source)
        source = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode(), name)
        return f"skipped {source}: {self.reason}"


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


DOC_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$"


def safe_id(name: str) -> str:
    """A doc_id usable in a URL: `name` itself when it is one, else a cleaned form with a hash
    of `name` appended, so two different names never become one id."""
    if re.fullmatch(DOC_ID_PATTERN, name):
        return name
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")[:100]
    return f"{cleaned}-{digest[:8]}" if cleaned else digest[:12]


def unique_id(doc_id: str, source: str, used: set[str]) -> str:
    """`doc_id`, or with a hash of `source` appended when another article has it (same file
    name in two folders: both kept, apart); records the id returned in `used`."""
    if doc_id in used:
        doc_id = f"{doc_id}-{hashlib.sha1(source.encode()).hexdigest()[:8]}"
    used.add(doc_id)
    return doc_id


# What a document's parts may unpack to, in all: a bound against a zip bomb (or its like in a
# PDF) that would take the machine's memory before its text is read.
MAX_UNPACKED = 200 * 1024 * 1024


def size_text(size: int) -> str:
    return f"{size // (1024 * 1024)} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def renamed(item: RawArticle | Skipped, read_as: str, named: str) -> RawArticle | Skipped:
    """An item read from `read_as` (a temporary copy, the file holding a message), named by
    `named` instead: a bundle's member, an email's attachment, a mailbox's message."""
    if not item.source.startswith(read_as):
        return item
    return replace(item, source=named + item.source[len(read_as) :])
