"""Read a corpus from files and folders: .txt, .md, .html/.htm, records (.jsonl, .json, .csv,
.tsv, .parquet, .arrow), web archives (.warc, .warc.gz), saved pages (.mhtml, .mht, Safari's
.webarchive, .pdf), documents (Word's .docx and .doc, OpenDocument's .odt, Rich Text's .rtf),
emails (.eml, .mbox, their attachments too), Evernote exports (.enex), wire stories (NITF and
NewsML .xml) and RSS/Atom feeds (.rss, .atom, .xml); any of them compressed (.gz, .bz2, .xz)
is read as the file inside, and a .zip or .tar as the folder it packs (index/ingest/bundles.py).
A news database's download holds many articles (index/ingest/press_exports.py).

Every file is decoded robustly (UTF-8, a declared charset, then Windows-1252); files that are
binary, empty, too large or unreadable are skipped and reported by name, never crash the run.
"""

from __future__ import annotations

import errno
import lzma
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from fnmatch import fnmatchcase
from functools import partial
from pathlib import Path

from index.ingest import saved_pages
from index.ingest.archives import (
    FEED_SUFFIXES,
    MHTML_SUFFIXES,
    WEBARCHIVE_SUFFIX,
    is_warc,
    read_feed,
    read_mhtml,
    read_warc,
    read_webarchive,
)
from index.ingest.article_records import read_json, read_jsonl
from index.ingest.bundles import is_bundle, read_bundle
from index.ingest.columnar import COLUMNAR_SUFFIXES, read_columnar
from index.ingest.compressed import DECOMPRESSORS, head, opened
from index.ingest.dataset_lines import LINE_RECORD_READERS, holds_json_lines, records_by_line
from index.ingest.decoding import (
    decode,
    decode_html,
    looks_binary,
    with_references_read,
)
from index.ingest.doc_text import DOC_SUFFIX, read_doc
from index.ingest.docx_text import DOCX_SUFFIX, read_docx
from index.ingest.email_message import EMAIL_SUFFIX, read_email
from index.ingest.evernote import ENEX_SUFFIX, read_enex
from index.ingest.front_matter import front_matter
from index.ingest.html_article import extract_article
from index.ingest.json_stream import read_large_json
from index.ingest.mailbox_file import MBOX_SUFFIX, read_mbox
from index.ingest.markdown_text import visible_markdown
from index.ingest.news_xml import is_news_xml, read_news_xml
from index.ingest.odt_text import ODT_SUFFIX, read_odt
from index.ingest.pdf_text import PDF_SUFFIX, read_pdf
from index.ingest.press_exports import split_export, split_page_export
from index.ingest.raw import RawArticle, Skipped, safe_id, size_text
from index.ingest.rtf_text import RTF_SUFFIX, read_rtf
from index.text.offsets import SpanText

_PAGE_SUFFIXES = {".html", ".htm"}
# Documents read from their bytes (a PDF, a zip, a property list, Rich Text in its code page),
# before any text check.
_BINARY_READERS: dict[str, Callable[[Path, bytes], list[RawArticle | Skipped]]] = {
    PDF_SUFFIX: read_pdf,
    DOCX_SUFFIX: read_docx,
    DOC_SUFFIX: read_doc,
    WEBARCHIVE_SUFFIX: read_webarchive,
    RTF_SUFFIX: read_rtf,
    ODT_SUFFIX: read_odt,
}
# Files of any size read in place, a part at a time (a batch of rows, a message): not through
# a decompressor, as they seek.
_IN_PLACE_READERS: dict[str, Callable[[Path, int], list[RawArticle | Skipped]]] = {
    **dict.fromkeys(COLUMNAR_SUFFIXES, read_columnar),
    MBOX_SUFFIX: lambda path, max_bytes: read_mbox(path, max_bytes, read_file),
    ENEX_SUFFIX: read_enex,
}
# MIME messages: a saved page (.mhtml) or an email, each part in its own encoding.
_MESSAGE_READERS: dict[str, Callable[[Path, bytes], list[RawArticle | Skipped]]] = {
    **dict.fromkeys(MHTML_SUFFIXES, read_mhtml),
    EMAIL_SUFFIX: lambda path, data: read_email(path, data, read_file),  # attachments too
}
SUPPORTED_SUFFIXES = {
    ".txt",
    ".md",
    ".markdown",
    *_PAGE_SUFFIXES,
    *_BINARY_READERS,
    *_MESSAGE_READERS,
    ".json",
    *LINE_RECORD_READERS,
    *_IN_PLACE_READERS,
    *FEED_SUFFIXES,
}
MAX_FILE_BYTES = 50 * 1024 * 1024
_DECOMPRESS_FIRST = "compressed: decompress it first (this kind is read in place, a part at a time)"
_TOO_DEEP = "nested too deeply to read: parts inside parts past what Python's parsers follow"
SUPPORTED = (
    ".txt, .md, .html, .mhtml, .webarchive, .pdf, .docx, .doc, .odt, .rtf, .eml, .mbox, .enex, "
    ".jsonl, .json, .csv, .tsv, .parquet, .arrow, .warc, .rss, .atom or .xml, any of them also "
    "compressed (.gz, .bz2, .xz) or packed in a .zip or .tar"
)
_HTML_OPENING = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.S
)


def iter_files(
    paths: Iterable[str | os.PathLike[str]], left_out: list[Skipped] | None = None
) -> Iterator[Path]:
    """Files under the given paths, sorted, each once, following no symlink loop; hidden
    files in folders are left out, and so is a browser's folder of a saved page's resources
    (`Story_files/` beside `Story.html`: its images, scripts and frames, not articles), which
    is added to `left_out` unless given itself. read_file says why it skips any file."""
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=True):
                real = Path(root).resolve()
                if real in seen:
                    dirs[:] = []  # a symlink loop, or a folder already walked
                    continue
                seen.add(real)
                resources = {d: page for d in dirs if (page := saved_pages.saved_page_of(d, files))}
                for folder, page in sorted(resources.items()):
                    if left_out is not None:
                        reason = saved_pages.left_out(page, "give this folder itself to read it")
                        left_out.append(Skipped(str(Path(root) / folder), reason))
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in resources)
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name  # unsupported ones are skipped by name
        else:
            yield path


def _missing(path: Path) -> str:
    """Why a path names nothing to read: a link to nothing, a link looping back to itself (a
    run would stop on either if it tried to follow them), or no such file."""
    if not path.is_symlink():
        return "no such file or folder"
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symbolic link that leads back to itself (a loop)"
    return f"a symbolic link to {os.readlink(path)}, which does not exist"


def select_files(
    paths: Iterable[str | os.PathLike[str]],
    exclude: Sequence[str] = (),
    index_dir: str | os.PathLike[str] | None = None,
) -> tuple[list[Path], list[Skipped]]:
    """`iter_files`, less the files whose name or path matches a shell pattern of `exclude`
    ("README*", "*/drafts/*") and those inside `index_dir` (an index kept in the corpus
    folder holds its articles' text: read back, it would be indexed again); those are
    reported as skipped, with the reason."""
    inside = Path(index_dir).resolve() if index_dir is not None else None
    chosen: list[Path] = []
    left_out: list[Skipped] = []
    for path in iter_files(paths, left_out):
        pattern = next(
            (p for p in exclude if fnmatchcase(path.name, p) or fnmatchcase(path.as_posix(), p)),
            None,
        )
        if pattern is not None:
            left_out.append(Skipped(str(path), f"matches --exclude {pattern!r}"))
        elif inside is not None and Path(os.path.realpath(path)).is_relative_to(inside):
            left_out.append(Skipped(str(path), f"part of the index at {index_dir}"))
        else:
            chosen.append(path)
    return chosen, left_out


def read_file(path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> list[RawArticle | Skipped]:
    """The articles of one file, or why it gave none. A file whose parts nest past Python's
    depth (an email of multiparts in multiparts, as a broken or hostile file may be) is
    skipped alone: it ended the whole run."""
    try:
        return _read_file(path, max_bytes)
    except RecursionError:
        return [Skipped(str(path), _TOO_DEEP)]


def _read_file(path: Path, max_bytes: int) -> list[RawArticle | Skipped]:
    source = str(path)
    if not path.exists():
        return [Skipped(source, _missing(path))]
    if is_bundle(path) and path.is_file():  # a folder packed into one file
        return read_bundle(
            path, partial(read_file, max_bytes=max_bytes), max_bytes, read_at_any_size
        )
    opener = None if is_warc(path) else DECOMPRESSORS.get(path.suffix.lower())
    name = path.with_suffix("") if opener else path  # "page.html.gz" is read as "page.html"
    suffix = name.suffix.lower()
    unsupported = Skipped(source, f"unsupported type {suffix or '(none)'}; use {SUPPORTED}")
    limit = f"larger than {size_text(max_bytes)}" + (" once decompressed" if opener else "")

    def over_the_limit() -> list[RawArticle | Skipped]:
        """A .json list is read article by article; any other file is too large."""
        if suffix == ".json":
            return read_large_json(path, opener, max_bytes)
        return [Skipped(source, limit)]

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return [Skipped(source, "not a regular file (a pipe, device or socket)")]
        if is_warc(path):  # read record by record: a crawl may be far larger than one article
            return read_warc(path, max_record_bytes=max_bytes)
        if suffix not in SUPPORTED_SUFFIXES and not _opens_as_html(head(path, opener)):
            return [unsupported]
        if suffix in LINE_RECORD_READERS:  # a dataset may be far larger than one article
            return records_by_line(path, opener, LINE_RECORD_READERS[suffix], max_bytes)
        if suffix in _IN_PLACE_READERS:  # a dataset, a mail folder, an export: any size
            if opener:
                return [Skipped(source, _DECOMPRESS_FIRST)]
            return _IN_PLACE_READERS[suffix](path, max_bytes)
        if suffix == ".json" and holds_json_lines(path, opener, max_bytes):
            return records_by_line(path, opener, read_jsonl, max_bytes)
        if opener is None and info.st_size > max_bytes:
            return over_the_limit()
        with opened(path, opener) as handle:
            data = handle.read(max_bytes + 1)  # the file may have grown since stat
        if len(data) > max_bytes:
            return over_the_limit()
    except (EOFError, lzma.LZMAError, zlib.error) as exc:
        return [Skipped(source, f"not a readable {path.suffix} file: {exc}")]
    except OSError as exc:  # a gzip file that is not one says so here too
        return [Skipped(source, f"unreadable: {exc.strerror or exc}")]
    if suffix not in SUPPORTED_SUFFIXES or (suffix == DOC_SUFFIX and _opens_as_html(data)):
        suffix = ".html"  # a page a crawler saved under its address, or Word saved as ".doc"
    if not data.strip():
        return [Skipped(source, "empty")]
    if suffix in _BINARY_READERS:
        return _BINARY_READERS[suffix](path, data)
    if looks_binary(data):
        return [Skipped(source, "binary content, not text")]
    if suffix in _MESSAGE_READERS:
        return _MESSAGE_READERS[suffix](path, data)
    if suffix == ".xml" and is_news_xml(data[:4096]):  # a wire story: NITF or NewsML
        return read_news_xml(path, data)
    text, encoding = decode_html(data) if suffix in _PAGE_SUFFIXES else decode(data)
    if not text.strip():
        return [Skipped(source, "empty")]
    if suffix == ".json":
        return read_json(path, text, encoding)
    if suffix in FEED_SUFFIXES:
        return read_feed(path, data, encoding)
    if suffix in _PAGE_SUFFIXES:
        if exported := split_page_export(text, source, safe_id(name.stem), encoding):
            return list(exported)  # a news database's download saved as a page
        page = extract_article(text)
        extracted, fields, body_found = page.text, page.fields, page.body_found
    elif suffix in {".md", ".markdown"}:
        start, declared = front_matter(text)
        extracted = with_references_read(visible_markdown(text, start))
        fields, body_found = {**_markdown_title(text[start:]), **declared}, False
    elif exported := split_export(text, source, safe_id(name.stem), encoding):
        return list(exported)  # a news database's download: many articles
    else:
        extracted, fields, body_found = with_references_read(SpanText.identity(text)), {}, False
    if not extracted.text.strip():
        return [Skipped(source, "no readable text")]
    return [RawArticle(source, safe_id(name.stem), text, extracted, fields, encoding, body_found)]


def read_at_any_size(path: Path) -> bool:
    """Whether a file is read record by record, so that no size limit holds for it whole: a
    dataset (.jsonl, .csv, .tsv, a .json list, .parquet, .arrow), a mail folder (.mbox), an
    Evernote export (.enex) or a web archive, compressed or not."""
    plain = path.with_suffix("") if path.suffix.lower() in DECOMPRESSORS else path
    return is_warc(path) or plain.suffix.lower() in {
        *LINE_RECORD_READERS,
        *_IN_PLACE_READERS,
        ".json",
    }


def _opens_as_html(data: bytes) -> bool:
    """Whether a file of another name opens as an HTML page does (a doctype or <html>)."""
    return bool(_HTML_OPENING.match(data[:4096].removeprefix(b"\xef\xbb\xbf").lower()))


def _markdown_title(text: str) -> dict[str, str]:
    match = re.search(r"^#\s+(.+?)\s*#*\s*$", text, re.MULTILINE)
    heading = with_references_read(visible_markdown(match.group(1))).text if match else ""
    title = " ".join(heading.split())
    return {"title": title} if title else {}
