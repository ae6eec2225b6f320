"""Files that hold articles with their URLs: web archives (.warc, .warc.gz; each HTML
response an article), pages a browser saved as one file (.mhtml, .mht: "Webpage, Single
File") and RSS/Atom feeds (each item an article). Nothing is fetched: a feed's links are
kept as the articles' URLs, never followed."""

from __future__ import annotations

import email
import email.policy
import plistlib
import re
import time
import xml.parsers.expat
from pathlib import Path
from typing import Any

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from index.ingest.decoding import decode_html, universal_newlines
from index.ingest.html_article import extract_article
from index.ingest.html_text import readable_text
from index.ingest.raw import RawArticle, Skipped, safe_id, size_text

FEED_SUFFIXES = {".rss", ".atom", ".xml"}
MHTML_SUFFIXES = {".mhtml", ".mht"}
WEBARCHIVE_SUFFIX = ".webarchive"


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith((".warc", ".warc.gz"))


def read_warc(path: Path, *, max_record_bytes: int) -> list[RawArticle | Skipped]:
    """Each HTML response of the archive as an article, its URL kept; the file is streamed,
    so its size does not matter, and a response over `max_record_bytes` is skipped by name."""
    stem = safe_id(re.sub(r"\.warc(\.gz)?$", "", path.name, flags=re.IGNORECASE))
    out: list[RawArticle | Skipped] = []
    try:
        with path.open("rb") as handle:
            for number, record in enumerate(ArchiveIterator(handle), start=1):
                if record.rec_type == "response" and record.http_headers is not None:
                    out += _response(path, stem, number, record, max_record_bytes)
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        out.append(Skipped(str(path), f"not a readable WARC file: {exc}"))
    if not out:
        out.append(Skipped(str(path), "no HTML responses in this web archive"))
    return out


def _response(
    path: Path, stem: str, number: int, record: Any, max_bytes: int
) -> list[RawArticle | Skipped]:
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return []
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    where = f"{path}#{number}"
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        return [Skipped(f"{where} ({url})", f"larger than {size_text(max_bytes)}")]
    html, encoding = decode_html(data, content_type)
    return page_article(
        where, f"{stem}-{number}", html, encoding, _address(url), f"{where} ({url})"
    )


def read_mhtml(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    """A page saved as one MIME file (its images and styles beside it in other parts): the
    HTML part read as a page, with the address it was saved from. Offsets point into that
    part's HTML, its transfer encoding (quoted-printable, base64) undone."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    parts = [p for p in message.walk() if p.get_content_type() == "text/html"]
    payload = parts[0].get_payload(decode=True) if parts else None
    if not isinstance(payload, bytes) or not payload.strip():
        return [Skipped(str(path), "no HTML page in this saved web page (.mhtml)")]
    html, encoding = decode_html(payload, str(parts[0].get("Content-Type", "")))
    url = message.get("Snapshot-Content-Location") or parts[0].get("Content-Location")
    address = _address(str(url) if url else "")
    return page_article(str(path), safe_id(path.stem), html, encoding, address, str(path))


def read_webarchive(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    """A page Safari saved as a Web Archive (a property list holding the page, its images and
    frames): the main resource read as a page, with the address it was saved from. Offsets
    point into that resource's HTML."""
    try:
        archive = plistlib.loads(data)
    except (ValueError, xml.parsers.expat.ExpatError, RecursionError):
        return [Skipped(str(path), "not a readable Safari web archive (.webarchive)")]
    main = archive.get("WebMainResource") if isinstance(archive, dict) else None
    main = main if isinstance(main, dict) else {}
    payload, kind = main.get("WebResourceData"), str(main.get("WebResourceMIMEType", "text/html"))
    if not isinstance(payload, bytes) or not payload.strip() or "html" not in kind:
        return [Skipped(str(path), "no HTML page in this Safari web archive (.webarchive)")]
    charset = main.get("WebResourceTextEncodingName")
    html, encoding = decode_html(payload, f"charset={charset}" if charset else "")
    url = _address(str(main.get("WebResourceURL") or ""))
    return page_article(str(path), safe_id(path.stem), html, encoding, url, str(path))


def page_article(
    source: str, doc_id: str, html: str, encoding: str, declared: dict[str, str], skipped_as: str
) -> list[RawArticle | Skipped]:
    """A page found in a container (an archive, a saved page, an email) as an article, the
    fields the container declares (its address, an email's subject) over the page's own;
    skipped, named `skipped_as`, when it has no readable text."""
    page = extract_article(html)
    if not page.text.text.strip():
        return [Skipped(skipped_as, "no readable text")]
    fields = {**page.fields, **declared}
    return [RawArticle(source, doc_id, html, page.text, fields, encoding, page.body_found)]


def _address(url: str) -> dict[str, str]:
    """The address a page was saved from, as its fields (none when there is none)."""
    return {"url": url.strip()} if url.strip() else {}


def read_feed(path: Path, data: bytes, encoding: str) -> list[RawArticle | Skipped]:
    """Each item of an RSS or Atom feed as an article: its content (else its summary), title,
    author, date and link. The item's own HTML is what offsets point into."""
    feed = feedparser.parse(data)  # bytes: parsed as they are; a string could be fetched as a URL
    if not feed.entries:
        return [Skipped(str(path), "not an RSS or Atom feed (no items found)")]
    outlet = feed.feed.get("title")
    stem = safe_id(path.stem)
    out: list[RawArticle | Skipped] = []
    for number, entry in enumerate(feed.entries, start=1):
        where = f"{path}#{number}"
        contents = entry.get("content") or []
        html = (contents[0].get("value") if contents else None) or entry.get("summary") or ""
        html = universal_newlines(html)
        text = readable_text(html).text
        if not text.text.strip():
            out.append(Skipped(where, "an item with no text"))
            continue
        fields = {
            "title": entry.get("title"),
            "author": entry.get("author"),
            "published": _iso_date(entry.get("published_parsed") or entry.get("updated_parsed")),
            "outlet": outlet,
            "url": entry.get("link"),
        }
        fields = {k: " ".join(v.split()) for k, v in fields.items() if v}
        out.append(
            RawArticle(where, f"{stem}-{number}", html, text, fields, encoding, body_found=True)
        )
    return out


def _iso_date(parsed: time.struct_time | None) -> str | None:
    return time.strftime("%Y-%m-%d", parsed) if parsed else None
