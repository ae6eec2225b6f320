"""One index version on disk: a folder of named files described by its manifest, written
whole, verified, then made live by swapping CURRENT (index/stores/disk.py).

    <index>/v-<time>-<id>/   manifest.json (+ .sha256), documents.jsonl, chunks.npy,
                             sentences.npy, chunk_vectors.npy, sentence_vectors.npy,
                             sentence_terms/, and the passage store: chunks.faiss + bm25/, or
                             store.json naming a Milvus collection (passage_store.py)

The file names keep format version 3's "chunk" for what the code calls a passage. A reader
sees the old index or the new one, never half of one; a killed build leaves the old one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.errors import (
    IndexCorruptError,
    IndexIncompatibleError,
    IndexMissingError,
    QAError,
)
from index.records import Document, document_from_record
from index.stores.disk import (
    CURRENT,
    current_name,
    sha256_bytes,
    sha256_file,
)
from index.stores.manifest import FORMAT_VERSION, Manifest
from index.stores.passage_store import (
    PassageStore,
    open_passages,
    required_files,
)
from index.text.terms import TermTable

SENTENCE_TERMS = "sentence_terms"  # a term table (index/text/terms.py), one row per sentence
MANIFEST = "manifest.json"
MANIFEST_DIGEST = "manifest.json.sha256"  # covers the manifest, which covers every other file
PASSAGES, PASSAGE_VECTORS = "chunks.npy", "chunk_vectors.npy"
# Near-duplicate signatures of each article's body (index/text/dedup.py). An index written
# before holds whole-text ones as "minhash.npy": not read, so a build hashes its bodies anew.
MINHASH = "minhash_of_bodies.npy"
_DATA_FILES = (
    "documents.jsonl",
    PASSAGES,
    "sentences.npy",
    PASSAGE_VECTORS,
    "sentence_vectors.npy",
)


@dataclass(frozen=True, slots=True)
class IndexData:
    """Everything a build computed, ready to be written."""

    documents: list[Document]
    passages: np.ndarray  # int64 (n, 3): document row, start, end
    sentences: np.ndarray  # int64 (m, 3): document row, start, end
    passage_vectors: np.ndarray  # float32 (n, dimension), unit length
    sentence_vectors: np.ndarray  # float32 (m, dimension), unit length
    manifest: Manifest  # how it was built; counts, store and files are filled in on writing
    minhash: np.ndarray | None = None  # uint64 (documents, 128): near-duplicate signatures


@dataclass(frozen=True, slots=True)
class StoredIndex:
    """A loaded index version, ready to be searched."""

    path: Path
    manifest: Manifest
    documents: list[Document]
    passages: np.ndarray  # int64 (n, 3): document row, start, end
    sentences: np.ndarray  # int64 (m, 3): document row, start, end
    passage_store: PassageStore  # ranks passages: FAISS + BM25 files, or a Milvus collection
    passage_vectors: np.ndarray  # memory-mapped; what the FAISS index was built from
    sentence_vectors: np.ndarray  # memory-mapped
    sentence_terms: TermTable  # each sentence's stemmed terms, for highlighting
    minhash: np.ndarray | None = None  # per document, when the index has them


def rebuild_hint(index_dir: Path) -> str:
    return (
        f"See what is damaged and repair it with: qa doctor --index {index_dir} --repair "
        f"(or rebuild it with: qa index PATH... --index {index_dir})"
    )


def current_version(index_dir: Path) -> Path:
    """The live version folder, or IndexMissingError naming the command that builds one."""
    if not (index_dir / CURRENT).is_file():
        raise IndexMissingError(
            f"No index at {index_dir}. Build one with: qa index seeds/ --index {index_dir}"
        )
    name = current_name(index_dir) or ""
    version = index_dir / name
    if not name.startswith("v-") or "/" in name or not version.is_dir():
        raise IndexCorruptError(
            f"The index at {index_dir} has a damaged CURRENT file: it names no version folder. "
            f"{rebuild_hint(index_dir)}"
        )
    return version


def read_manifest(index_dir: Path, version: Path | None = None) -> tuple[Path, Manifest]:
    """The manifest of the live version (or of `version`), checked against its digest."""
    version = version or current_version(index_dir)
    try:
        raw = (version / MANIFEST).read_bytes()
        digest = version / MANIFEST_DIGEST
        if digest.exists() and digest.read_text(encoding="ascii").strip() != sha256_bytes(raw):
            raise ValueError("it does not match its checksum")
        manifest = Manifest.from_json(json.loads(raw.decode("utf-8")))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(
            f"The index at {index_dir} has an unreadable manifest ({exc}). {rebuild_hint(index_dir)}"
        ) from None
    if manifest.format_version != FORMAT_VERSION:
        raise IndexIncompatibleError(
            f"The index at {index_dir} has format version {manifest.format_version!r}; this qa "
            f"reads version {FORMAT_VERSION}. Rebuild it with: qa index PATH... --index {index_dir}"
        )
    return version, manifest


def load_index(index_dir: Path, *, verify: bool = True, version: Path | None = None) -> StoredIndex:
    """Load the live version (or `version`); damaged or missing files raise IndexCorruptError,
    never a wrong answer."""
    version, manifest = read_manifest(index_dir, version)
    problems = file_problems(version, manifest, verify=verify)
    missing = [
        n for n in (*_DATA_FILES, *required_files(manifest.store)) if n not in manifest.files
    ]
    if problems or missing:
        what = problems[0] if problems else f"it lacks {', '.join(missing)}"
        raise IndexCorruptError(
            f"The index at {index_dir} is damaged: {what}. {rebuild_hint(index_dir)}"
        )
    try:
        documents = [
            document_from_record(json.loads(line))
            for line in (version / "documents.jsonl").open(encoding="utf-8")
        ]
        passages = np.load(version / PASSAGES)
        sentences = np.load(version / "sentences.npy")
        sentence_vectors = np.load(version / "sentence_vectors.npy", mmap_mode="r")
        passage_vectors = np.load(version / PASSAGE_VECTORS, mmap_mode="r")
        minhash = np.load(version / MINHASH) if MINHASH in manifest.files else None
        if f"{SENTENCE_TERMS}/vocab.json" in manifest.files:
            sentence_terms = TermTable.load(version / SENTENCE_TERMS)
        else:  # written before sentence terms were stored: tokenised once, here
            sentence_terms = TermTable.of_texts(span_texts(documents, sentences))
        store = open_passages(
            version,
            manifest.store,
            passages[:, 0] if len(passages) else np.zeros(0, dtype=np.int64),
        )
    except QAError:
        raise
    except Exception as exc:  # any parse failure of a file that passed its size check
        raise IndexCorruptError(
            f"The index at {index_dir} could not be read ({exc}). {rebuild_hint(index_dir)}"
        ) from None
    dimension = manifest.dimension
    if (
        store.size() != len(passages)
        or passage_vectors.shape != (len(passages), dimension)
        or len(sentence_vectors) != len(sentences)
        or (len(sentence_vectors) and sentence_vectors.shape[1] != dimension)
        or len(sentence_terms) != len(sentences)
    ):
        raise IndexCorruptError(
            f"The index at {index_dir} is inconsistent (vectors vs passages). {rebuild_hint(index_dir)}"
        )
    return StoredIndex(
        path=version,
        manifest=manifest,
        documents=documents,
        passages=passages,
        sentences=sentences,
        passage_store=store,
        passage_vectors=passage_vectors,
        sentence_vectors=sentence_vectors,
        sentence_terms=sentence_terms,
        minhash=minhash if minhash is not None and len(minhash) == len(documents) else None,
    )


def file_problems(version: Path, manifest: Manifest, *, verify: bool = True) -> list[str]:
    """What is wrong with the version's files against its manifest, one line a file."""
    problems = []
    for name, expected in manifest.files.items():
        path = version / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif path.stat().st_size != expected.bytes:
            problems.append(
                f"{name} is truncated or extended ({path.stat().st_size} bytes, not {expected.bytes})"
            )
        elif verify and sha256_file(path) != expected.sha256:
            problems.append(f"{name} does not match its checksum")
    return problems


def tokenized_alike(stored: StoredIndex) -> bool:
    """Whether the index's terms were made by today's tokenizer (index/text/terms.py). An
    index whose sentence terms were not saved, or were made otherwise, is not: a build over
    it tokenises its texts again and keeps its vectors."""
    if f"{SENTENCE_TERMS}/vocab.json" not in stored.manifest.files:
        return False
    first = span_texts(stored.documents, stored.sentences[:1])
    return stored.sentence_terms.made_by_this_tokenizer(first[0] if first else "")


def out_of_date_terms(index_dir: Path) -> str:
    """What to tell a user whose index an earlier tokenizer made (`tokenized_alike`)."""
    return (
        f"The index at {index_dir} was made by an earlier version: some words (those with "
        "accents) may not be found until it is brought up to date, in seconds and without "
        f"embedding anything, with: qa index PATH... --index {index_dir}"
    )


def span_texts(documents: list[Document], table: np.ndarray) -> list[str]:
    """The text of each (document row, start, end) row of a passage or sentence table."""
    return [documents[d].text[start:end] for d, start, end in np.asarray(table).tolist()]
