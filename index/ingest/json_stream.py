"""A .json dataset too large to read whole, read one article at a time (ijson).

A crawler's export is one JSON list of every item it scraped (Scrapy's `-o items.json`), or
an API's reply holding that list (`{"status": "ok", "articles": [...]}`); a crawl of a few
thousand articles passes any limit set for one article. Such a file is streamed: the list is
found by the same rule as a file read whole (`article_records.article_list_key`), each
article is read from it in turn, and an error part-way keeps the articles before it.

It is parsed by ijson's Python backend. Its C backend (yajl) stops at a whole number of 2**63
or more, a 20-digit record id, as "integer overflow", and every article after it was lost;
the Python one reads such numbers, and a 58 MB list of 20,000 articles in under a second.
"""

from __future__ import annotations

import codecs
import lzma
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson

from index.ingest.article_records import (
    NO_ARTICLES,
    TEXT_FIELDS,
    article_from_record,
    article_list_key,
)
from index.ingest.compressed import opened
from index.ingest.raw import RawArticle, Skipped, size_text

_JSON = ijson.get_backend("python")
_READ_ERRORS = (ijson.JSONError, UnicodeDecodeError, OSError, EOFError, lzma.LZMAError, zlib.error)


def read_large_json(path: Path, opener: Any, max_bytes: int) -> list[RawArticle | Skipped]:
    """The articles of a .json file over `max_bytes`: a list of article objects, or an
    object holding one; anything else is skipped as too large to read whole."""
    source = str(path)
    try:
        prefix = _articles_prefix(path, opener)
    except _READ_ERRORS as exc:
        return [Skipped(source, f"invalid JSON: {_reason(exc)}")]
    if prefix is None:
        return [
            Skipped(
                source,
                f"larger than {size_text(max_bytes)} and not a list of articles "
                "(split it, or write one article per line as JSON lines)",
            )
        ]
    out: list[RawArticle | Skipped] = []
    objects = 0
    try:
        for n, item in enumerate(_items(path, opener, prefix), start=1):
            where = f"{path}#{n}"
            if isinstance(item, dict):
                objects += 1
                out.append(article_from_record(item, where, path.stem))
            else:
                out.append(Skipped(where, "an article must be a JSON object"))
    except _READ_ERRORS as exc:
        read = f"after article #{len(out)}" if out else "before its first article"
        return [
            *out,
            Skipped(source, f"invalid JSON {read} (those before it are kept): {_reason(exc)}"),
        ]
    return out if objects else [Skipped(source, NO_ARTICLES)]


def _items(path: Path, opener: Any, prefix: str) -> Iterator[Any]:
    with _past_mark(opened(path, opener)) as handle:
        yield from _JSON.items(handle, prefix, use_float=True)


def _past_mark(handle: Any) -> Any:
    """The file open past a UTF-8 byte-order mark (Windows PowerShell 5 writes one)."""
    if handle.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        handle.seek(0)
    return handle


def _articles_prefix(path: Path, opener: Any) -> str | None:
    """ijson's prefix for the file's articles: "item" for a list, "KEY.item" for a list an
    object holds under KEY; None for one article, or anything else."""
    with _past_mark(opened(path, opener)) as handle:
        events = _JSON.parse(handle)
        _, event, _ = next(events, ("", "", None))
        if event == "start_array":
            return "item"
        if event != "start_map":
            return None
        lists: dict[str, bool] = {}  # each top-level key holding a list: whether of objects
        key, first_item = "", False  # at the prefix "" only keys and the map's end come
        for prefix, event, value in events:
            if prefix == "" and event == "map_key":
                key, first_item = value, False
            elif prefix == key and event == "start_array":
                lists[key], first_item = False, True
            elif first_item and prefix == f"{key}.item":
                lists[key], first_item = event == "start_map", False
            elif prefix == key and event == "string" and key in TEXT_FIELDS:
                return None  # one article, its text alone over the limit
    found = article_list_key(lists)
    return None if found is None or "." in found else f"{found}.item"


def _reason(exc: BaseException) -> str:
    """The parser's first line about the error, cut short: it may quote the text it stopped
    at, a number of thousands of digits."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return reason if len(reason) <= _REASON_CHARS else f"{reason[:_REASON_CHARS]}…"


_REASON_CHARS = 200
