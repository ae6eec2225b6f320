"""The manifest of an index version: what it holds, how it was built, and its files' digests.

Read once, checked field by field, and handed around as a frozen record: no reader guesses at
a key. The JSON on disk keeps the shape of format version 3 (`to_json` writes it back).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

FORMAT_VERSION = 3


@dataclass(frozen=True, slots=True)
class Splitting:
    """How articles were cut into passages (the splitter's chunk size and overlap)."""

    splitter: str
    size: int
    overlap: int


@dataclass(frozen=True, slots=True)
class Counts:
    documents: int = 0
    duplicates: int = 0
    passages: int = 0
    sentences: int = 0


@dataclass(frozen=True, slots=True)
class FileEntry:
    bytes: int
    sha256: str


@dataclass(frozen=True, slots=True)
class SkippedFile:
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Manifest:
    model: str
    dimension: int
    splitting: Splitting
    precision: str | None = None
    sentence_vectors: str | None = None  # how sentence vectors were made (index/build)
    skipped: tuple[SkippedFile, ...] = ()
    sources: dict[str, Any] | None = None  # fingerprints of the files read (index/ingest/sources)
    abstention: dict[str, Any] | None = None  # the abstention model's settings (qa/abstain)
    # Filled in when the version is written:
    format_version: int = FORMAT_VERSION
    created: str = ""
    counts: Counts = field(default_factory=Counts)
    store: dict[str, Any] = field(default_factory=dict)  # the passage store's own description
    source_files: tuple[str, ...] = ()  # absolute paths: what `qa doctor` reads again
    files: dict[str, FileEntry] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "format_version": self.format_version,
            "created": self.created,
            "model": self.model,
            "dimension": self.dimension,
            "chunking": {
                "splitter": self.splitting.splitter,
                "size": self.splitting.size,
                "overlap": self.splitting.overlap,
            },
            "precision": self.precision,
            "sentence_vectors": self.sentence_vectors,
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            **({"sources": self.sources} if self.sources else {}),
            "abstention": self.abstention,
            "counts": {
                "documents": self.counts.documents,
                "duplicates": self.counts.duplicates,
                "chunks": self.counts.passages,
                "sentences": self.counts.sentences,
            },
            "store": self.store,
            "source_files": list(self.source_files),
            "files": {
                name: {"bytes": f.bytes, "sha256": f.sha256} for name, f in self.files.items()
            },
        }
        return out

    @classmethod
    def from_json(cls, raw: Any) -> Manifest:
        """The manifest read from JSON; ValueError saying which field is malformed."""
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        files = raw.get("files")
        if not isinstance(files, dict) or not all(
            isinstance(v, dict)
            and isinstance(v.get("bytes"), int)
            and isinstance(v.get("sha256"), str)
            for v in files.values()
        ):
            raise ValueError("its file list is malformed")
        if not isinstance(raw.get("dimension"), int) or not isinstance(raw.get("model"), str):
            raise ValueError("its model or dimension is malformed")
        chunking, counts = raw.get("chunking", {}), raw.get("counts", {})
        for name, value in (("chunking", chunking), ("counts", counts)):
            if not isinstance(value, dict):
                raise ValueError(f"its {name} entry is malformed")
        skipped = raw.get("skipped") or []
        if not isinstance(skipped, list) or not all(
            isinstance(s, dict) and isinstance(s.get("source"), str) for s in skipped
        ):
            raise ValueError("its skipped list is malformed")
        source_files = raw.get("source_files") or []
        if not isinstance(source_files, list):
            raise ValueError("its source file list is malformed")
        return cls(
            model=raw["model"],
            dimension=raw["dimension"],
            splitting=Splitting(
                str(chunking.get("splitter", "")),
                _int(chunking.get("size")),
                _int(chunking.get("overlap")),
            ),
            precision=_text(raw.get("precision")),
            sentence_vectors=_text(raw.get("sentence_vectors")),
            skipped=tuple(SkippedFile(s["source"], str(s.get("reason", ""))) for s in skipped),
            sources=raw["sources"] if isinstance(raw.get("sources"), dict) else None,
            abstention=raw["abstention"] if isinstance(raw.get("abstention"), dict) else None,
            format_version=raw.get("format_version"),  # type: ignore[arg-type]  # checked by readers
            created=str(raw.get("created", "")),
            counts=Counts(
                **{
                    f.name: _int(counts.get("chunks" if f.name == "passages" else f.name))
                    for f in fields(Counts)
                }
            ),
            store=raw["store"] if isinstance(raw.get("store"), dict) else {},
            source_files=tuple(p for p in source_files if isinstance(p, str)),
            files={name: FileEntry(v["bytes"], v["sha256"]) for name, v in files.items()},
        )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
