"""What a build takes over from the live index: passages and vectors of unchanged articles,
MinHash signatures; and the near-duplicate marks it recomputes over the whole set."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from index.build.embedding import EmbeddedDocument
from index.build.settings import BuildSettings, built_alike
from index.errors import InvalidInputError
from index.records import Document
from index.stores.versions import StoredIndex
from index.text.dedup import PERMUTATIONS, article_signature, find_duplicates


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def reusable(previous: StoredIndex | None, settings: BuildSettings) -> dict[str, EmbeddedDocument]:
    """Cleaned-text hash -> stored passages and vectors, when the live index was built alike."""
    if previous is None or not built_alike(previous, settings):
        return {}
    by_doc_passages = _rows_by_document(previous.passages)
    by_doc_sentences = _rows_by_document(previous.sentences)
    out: dict[str, EmbeddedDocument] = {}
    for row, doc in enumerate(previous.documents):
        if row not in by_doc_passages:
            continue
        p, s = by_doc_passages[row], by_doc_sentences.get(row, np.zeros(0, dtype=np.int64))
        out[text_key(doc.text)] = EmbeddedDocument(
            previous.passages[p, 1:],
            previous.sentences[s, 1:],
            np.asarray(previous.passage_vectors[p]),
            np.asarray(previous.sentence_vectors[s]),
        )
    return out


def _rows_by_document(table: np.ndarray) -> dict[int, np.ndarray]:
    if not len(table):
        return {}
    docs, first, counts = np.unique(table[:, 0], return_index=True, return_counts=True)
    return {int(d): np.arange(f, f + n) for d, f, n in zip(docs, first, counts, strict=True)}


def signatures(
    documents: list[Document],
    keys: list[str],
    previous: StoredIndex | None,
    given: dict[str, np.ndarray],
) -> np.ndarray:
    """MinHash signatures of every document (`keys`: their text keys), reusing given ones
    and the live index's."""
    known: dict[str, np.ndarray] = dict(given)
    if previous is not None and previous.minhash is not None:
        known.update(
            (text_key(d.text), previous.minhash[row]) for row, d in enumerate(previous.documents)
        )
    rows = [known.get(key) for key in keys]
    return np.array(
        [
            row if row is not None else article_signature(d.title, d.text)
            for row, d in zip(rows, documents, strict=True)
        ],
        dtype=np.uint64,
    ).reshape(-1, PERMUTATIONS)


def mark_duplicates(documents: list[Document], minhash: np.ndarray) -> list[Document]:
    """Near-duplicates point at their first copy, which lists where else it appears."""
    duplicate_of = find_duplicates([d.text for d in documents], signatures=minhash)
    also_in: dict[int, list[str]] = {}
    for copy, original in duplicate_of.items():
        also_in.setdefault(original, []).append(documents[copy].source)
    marked = []
    for i, doc in enumerate(documents):
        first = documents[duplicate_of[i]].doc_id if i in duplicate_of else None
        copies = tuple(also_in.get(i, ()))
        unchanged = doc.duplicate_of == first and doc.also_in == copies
        marked.append(doc if unchanged else replace(doc, duplicate_of=first, also_in=copies))
    return marked


def undup(doc: Document) -> Document:
    """The document without what near-duplicate detection added (it is redone per build)."""
    if doc.duplicate_of is None and not doc.also_in:
        return doc
    return replace(doc, duplicate_of=None, also_in=())


def same_documents(old: list[Document], new: list[Document]) -> bool:
    return len(old) == len(new) and [undup(d) for d in old] == [undup(d) for d in new]


def count_duplicates(documents: list[Document]) -> int:
    return sum(1 for d in documents if d.duplicate_of)


def check_unique_ids(documents: list[Document]) -> None:
    seen: set[str] = set()
    for doc in documents:
        if doc.doc_id in seen:
            raise InvalidInputError(
                f"Two documents have the id {doc.doc_id!r}; ids must be unique."
            )
        seen.add(doc.doc_id)
