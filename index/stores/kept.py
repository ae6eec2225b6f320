"""Articles the index is the only copy of: those added through `qa add` or the HTTP API.

Each is kept as one JSON file in `<index>/added/`, written before the version that holds it
goes live, so a rebuild (`qa index CORPUS`), a repair (`qa doctor --repair`) or a move to
another store finds it again. A file's name is its doc_id percent-escaped, which maps back
to exactly that id. Removing an article deletes its file once the removal is live.
"""

from __future__ import annotations

import contextlib
import json
import os
import urllib.parse
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from index.file_names import json_text
from index.records import Document, document_from_record, document_record

ADDED = "added"
_SUFFIX = ".json"


def file_name(doc_id: str) -> str:
    """The kept file's name: the id with every character but letters, digits, '_' and '-'
    percent-escaped (so '.', '/' and '%' never reach the file system as themselves)."""
    return urllib.parse.quote(doc_id, safe="_-") + _SUFFIX


def doc_id_of(name: str) -> str:
    return urllib.parse.unquote(name[: -len(_SUFFIX)])


def keep(index_dir: Path, documents: Iterable[Document]) -> None:
    """Write each document's file (replacing one of the same id), synced to disk."""
    folder = index_dir / ADDED
    folder.mkdir(parents=True, exist_ok=True)
    for doc in documents:
        target = folder / file_name(doc.doc_id)
        tmp = folder / f".{target.name}.tmp"
        record = document_record(doc)
        record["duplicate_of"], record["also_in"] = None, ()  # decided again by each build
        with open(tmp, "w", encoding="utf-8") as out:
            out.write(json_text(record))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)


@contextlib.contextmanager
def kept_until_written(index_dir: Path, documents: Sequence[Document]) -> Iterator[None]:
    """Keep the documents before the version holding them goes live; if the write fails,
    put the kept files back as they were, so a failed add leaves no trace."""
    folder = index_dir / ADDED
    before = {}
    for doc in documents:
        path = folder / file_name(doc.doc_id)
        before[path] = path.read_bytes() if path.exists() else None
    keep(index_dir, documents)
    try:
        yield
    except BaseException:
        for path, data in before.items():
            if data is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(data)
        raise


def forget(index_dir: Path, doc_ids: Iterable[str]) -> int:
    """Delete the kept files of these ids; returns how many there were."""
    removed = 0
    for doc_id in doc_ids:
        try:
            (index_dir / ADDED / file_name(doc_id)).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def kept_documents(index_dir: Path) -> tuple[list[Document], list[str]]:
    """Every kept article, and the names of kept files that could not be read (with why)."""
    folder = index_dir / ADDED
    documents: list[Document] = []
    unreadable: list[str] = []
    if not folder.is_dir():
        return documents, unreadable
    for path in sorted(folder.glob(f"*{_SUFFIX}")):
        try:
            doc = document_from_record(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError, KeyError) as exc:
            unreadable.append(f"{path}: {exc}")
            continue
        if doc.doc_id != doc_id_of(path.name):
            unreadable.append(f"{path}: holds id {doc.doc_id!r}, not the one its name gives")
            continue
        documents.append(doc)
    return documents, unreadable
