"""Score the title, author and date read from pages against hand labels
(tests/data/extraction_metadata_labels.json): what the page shows a reader."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from index.records import Document

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def _words(text: str) -> str:
    return " ".join(text.translate(_QUOTES).casefold().split())


def _names(byline: str | None) -> frozenset[str]:
    """People named in a byline, case and full stops aside: "Sarah E. Needleman" is
    "sarah e needleman"; "A and B", "A, B" and "A; B" name the same two."""
    if not byline:
        return frozenset()
    parts = re.split(r",|;|\band\b", byline.replace(".", " "), flags=re.IGNORECASE)
    return frozenset(" ".join(p.casefold().split()) for p in parts if p.strip())


def agreement(label: Mapping[str, Any], doc: Document | None) -> dict[str, bool]:
    """Whether the document's title, author and date are those the label records."""
    if doc is None:
        return {"title": False, "author": False, "date": False}
    return {
        "title": _words(doc.title) == _words(label["headline"]),
        "author": _names(doc.author) == _names(label["byline"]),
        "date": doc.published == label["date"],
    }


def score(labels: list[Mapping[str, Any]], docs: Mapping[str, Document | None]) -> dict[str, Any]:
    """Share right of each field, over the pages it can be checked on, and the pages it is
    wrong on. A date is checked only where the page prints one: where it prints none, a date
    the page declares cannot be called right or wrong by reading the page."""
    checks = {label["id"]: agreement(label, docs.get(label["id"])) for label in labels}
    dated = {label["id"] for label in labels if label["date"]}
    out = {}
    for field in ("title", "author", "date"):
        pages = [page for page in checks if field != "date" or page in dated]
        out[field] = {
            "right": sum(checks[page][field] for page in pages) / len(pages),
            "pages": len(pages),
            "wrong": [page for page in pages if not checks[page][field]],
        }
    return out


def author_problems(doc: Document) -> str | None:
    """Why the author is not a person's name (a URL, the outlet), or None."""
    author = doc.author or ""
    if re.search(r"https?:|www\.|/", author):
        return f"a URL: {author!r}"
    if doc.outlet and _words(author) == _words(doc.outlet):
        return f"the outlet: {author!r}"
    return None
