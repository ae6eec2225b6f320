"""Datasets of article records read line by line (.jsonl, .csv, .tsv; JSON lines named
.json), so a file of any size is read: the size limit is one article's, and only a line over
it is skipped. Each line is decoded on its own (UTF-8, else the file's code page), or the whole file
as UTF-16 or UTF-32 when it opens with that byte-order mark; a read error keeps the records
read before it."""

from __future__ import annotations

import io
import lzma
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, AnyStr

from index.ingest.article_records import load_json, read_csv, read_jsonl
from index.ingest.compressed import head, opened
from index.ingest.decoding import decode, looks_binary, universal_newlines, wide_unicode
from index.ingest.raw import RawArticle, Skipped, size_text

RecordReader = Callable[[Path, Iterable[str], str], Iterator[RawArticle | Skipped]]
LINE_RECORD_READERS: dict[str, RecordReader] = {
    ".jsonl": read_jsonl,
    ".csv": read_csv,
    ".tsv": read_csv,
}
_AFTER_NEWLINE = re.compile(r"(?<=\n)")


def records_by_line(
    path: Path, opener: Any, reader: RecordReader, max_bytes: int
) -> list[RawArticle | Skipped]:
    """A .jsonl, .csv or .tsv file of any size, its lines given to `reader` (one of
    LINE_RECORD_READERS) one by one, each decoded on its own: a line over `max_bytes` is
    skipped, never the whole file, and what was read before a read error is kept."""
    source = str(path)
    if looks_binary(head(path, opener)):
        return [Skipped(source, "binary content, not text")]
    out: list[RawArticle | Skipped] = []
    long_lines: list[Skipped] = []
    other_encodings: dict[str, str] = {}  # a record's first line -> its encoding, if not UTF-8

    def lines() -> Iterator[str]:
        with opened(path, opener) as handle:
            for number, (text, encoding) in enumerate(_text_lines(handle, max_bytes), start=1):
                if text is None:
                    reason = f"a line larger than {size_text(max_bytes)}"
                    long_lines.append(Skipped(f"{source}#{number}", reason))
                    text = "\n"
                elif encoding != "utf-8":
                    other_encodings[f"{source}#{number}"] = encoding
                yield text

    try:
        for item in reader(path, lines(), "utf-8"):
            if isinstance(item, RawArticle) and item.source in other_encodings:
                item = replace(item, encoding=other_encodings[item.source])
            out.append(item)
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
        out.append(Skipped(source, f"unreadable after {len(out)} records: {exc}"))
    out += long_lines
    return out or [Skipped(source, "empty")]


def _text_lines(handle: Any, max_bytes: int) -> Iterator[tuple[str | None, str]]:
    """Each line of a binary file as text, with its encoding: UTF-8 or the file's code page
    line by line, or UTF-16 / UTF-32 throughout when the file opens with that mark. A line over
    `max_bytes` (characters, for UTF-16 and UTF-32) comes as None, read past."""
    wide = wide_unicode(handle.peek(8192)) if hasattr(handle, "peek") else None
    decoded: Iterator[tuple[str, str] | None]
    if wide:
        reader = io.TextIOWrapper(handle, encoding=wide, errors="replace", newline="")
        decoded = (
            None if text is None else (universal_newlines(text), wide)
            for text in _lines_within(reader.readline, max_bytes, "\n")
        )
    else:
        decoded = _decoded_lines(_lines_within(handle.readline, max_bytes, b"\n"))
    for item in decoded:
        if item is None:
            yield None, ""
            continue
        text, encoding = item
        # A lone carriage return ends a line too (CSV saved by Excel for Mac): once read as
        # "\n", each of its lines is a line of its own.
        for part in _AFTER_NEWLINE.split(text):
            if part:
                yield part, encoding


def _decoded_lines(lines: Iterable[bytes | None]) -> Iterator[tuple[str, str] | None]:
    """Each line as UTF-8, else in the code page found for the first line that is not UTF-8
    (Windows-1252, or Windows-1251 for a Russian table...): one line is too little to tell
    by, and the file's other lines were written by the same program."""
    legacy = None
    for line in lines:
        if line is None:
            yield None
            continue
        text, encoding = decode(line, legacy)
        if not encoding.startswith("utf"):
            legacy = encoding
        yield text, encoding


def _lines_within(
    read: Callable[[int], AnyStr], limit: int, newline: AnyStr
) -> Iterator[AnyStr | None]:
    """Lines from `read` (a readline); None for one longer than `limit`, read past."""
    while line := read(limit + 1):
        if len(line) > limit:
            while line and not line.endswith(newline):
                line = read(limit + 1)
            yield None
        else:
            yield line


def holds_json_lines(path: Path, opener: Any, max_bytes: int) -> bool:
    """Whether a .json file is JSON lines under another name, as many news datasets are: its
    first line a whole JSON object, the next one opening another."""
    with opened(path, opener) as handle:
        first, second = handle.readline(max_bytes + 1), handle.readline(64)
    try:
        record = load_json(decode(first)[0])
    except (ValueError, RecursionError):
        return False
    return isinstance(record, dict) and second.lstrip().startswith(b"{")
