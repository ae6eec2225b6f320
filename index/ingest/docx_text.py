"""An article written or kept as a Word document (.docx): a press release, a reporter's copy.

python-docx reads the body's paragraphs and tables in order; each paragraph stands apart, a
table row is one line of its cells. The text is cleaned as a text file is; a paragraph in the
Title or Heading 1 style is its headline and opens it (else the document's declared title,
when it is set, is the title). Offsets point into this text, the file being zipped XML.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from index.ingest.paragraph_article import document_articles
from index.ingest.raw import MAX_UNPACKED, RawArticle, Skipped, safe_id, size_text

DOCX_SUFFIX = ".docx"
_HEADLINE_STYLES = {"Title", "Heading 1"}


def read_docx(path: Path, data: bytes) -> list[RawArticle | Skipped]:
    import docx

    source = str(path)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as bundle:  # python-docx reads every part whole
            unpacked = sum(member.file_size for member in bundle.infolist())
        if unpacked > MAX_UNPACKED:
            return [Skipped(source, f"larger than {size_text(MAX_UNPACKED)} once unpacked")]
        document = docx.Document(io.BytesIO(data))
        blocks = [(text, style) for text, style in _blocks(document) if text]
        document_title = document.core_properties.title or ""
    except Exception as exc:  # noqa: BLE001 - a damaged zip or XML fails in many ways
        return [Skipped(source, f"not a readable Word document: {exc or type(exc).__name__}")]
    if not blocks:
        return [Skipped(source, "no text in this Word document")]
    headline = next((text for text, style in blocks if style in _HEADLINE_STYLES), None)
    title = headline or " ".join(document_title.split())
    paragraphs = [text for text, _ in blocks]
    return list(document_articles(source, safe_id(path.stem), paragraphs, headline, title, "docx"))


def _blocks(document: Any) -> list[tuple[str, str]]:
    """The body's paragraphs and table rows in document order, each with its style's name."""
    from docx.table import Table

    out: list[tuple[str, str]] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells = dict.fromkeys(" ".join(c.text.split()) for c in row.cells)  # merged once
                out.append((" | ".join(c for c in cells if c), "Table"))
        else:
            style = block.style.name if block.style is not None else ""
            out.append((" ".join(block.text.split()), style))
    return out
