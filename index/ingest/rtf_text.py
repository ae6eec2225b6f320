"""An article kept as Rich Text (.rtf): WordPad's and TextEdit's format, and the one Nexis Uni
and Factiva offer first for downloads.

striprtf reads the text (escapes such as `\\'e9` and `\\u8220?` decoded in the document's code
page, `\\ansicpg1252` unless it says otherwise); each line of it is a paragraph. A download of
many articles is split as a text one is (press_exports.py); otherwise the text is cleaned as
a text file is. Offsets point into this text, the file being markup.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from index.ingest.paragraph_article import document_articles
from index.ingest.raw import RawArticle, Skipped, safe_id

RTF_SUFFIX = ".rtf"
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


def read_rtf(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    from striprtf.striprtf import rtf_to_text

    source = str(path)
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return [Skipped(source, "not a Rich Text document: it does not open with {\\rtf")]
    page = _CODE_PAGE.search(data[:4096])
    encoding = f"cp{page[1].decode()}" if page else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    try:
        text = rtf_to_text(
            data.decode(encoding, errors="replace"), encoding=encoding, errors="replace"
        )
    except Exception as exc:  # noqa: BLE001 - a damaged group or escape fails in many ways
        return [Skipped(source, f"not a readable Rich Text document: {exc or type(exc).__name__}")]
    paragraphs = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    if not paragraphs:
        return [Skipped(source, "no text in this Rich Text document")]
    return list(document_articles(source, safe_id(path.stem), paragraphs, None, "", "rtf"))
