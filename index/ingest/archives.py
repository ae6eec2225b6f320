"""Files that hold many articles, each with its URL: web archives (.warc, .warc.gz; each
HTML response an article) and RSS/Atom feeds (each item an article). Nothing is fetched:
a feed's links are kept as the articles' URLs, never followed."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from index.ingest.decoding import decode_html
from index.ingest.html_article import extract_article
from index.ingest.html_text import readable_text
from index.ingest.raw import RawArticle, Skipped, safe_id

FEED_SUFFIXES = {".rss", ".atom", ".xml"}


def is_warc(path: Path) -> bool:
    return path.name.lower().endswith((".warc", ".warc.gz"))


def read_warc(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    """Each HTML response of the archive as an article, its URL kept."""
    stem = safe_id(re.sub(r"\.warc(\.gz)?$", "", path.name, flags=re.IGNORECASE))
    out: list[RawArticle | Skipped] = []
    try:
        for number, record in enumerate(ArchiveIterator(io.BytesIO(data)), start=1):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type.lower():
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            where = f"{path}#{number}"
            html, encoding = decode_html(record.content_stream().read(), content_type)
            page = extract_article(html)
            if not page.text.text.strip():
                out.append(Skipped(f"{where} ({url})", "no readable text"))
                continue
            fields = {**page.fields, "url": url} if url else page.fields
            doc_id = f"{stem}-{number}"
            out.append(
                RawArticle(where, doc_id, html, page.text, fields, encoding, page.body_found)
            )
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        out.append(Skipped(str(path), f"not a readable WARC file: {exc}"))
    if not out:
        out.append(Skipped(str(path), "no HTML responses in this web archive"))
    return out


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
        html = html.replace("\r\n", "\n").replace("\r", "\n")
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
