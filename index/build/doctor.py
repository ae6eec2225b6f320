"""`qa doctor`: say which files of an index are damaged, and rebuild what can be rebuilt.

Every version folder is checked against its manifest (sizes and SHA-256 of each file) and
the manifest against its own digest. A repair, in order of preference:

1. the live version reads: nothing to mend (kept articles missing from it are added back);
2. CURRENT is damaged but a version folder verifies whole: CURRENT points at the newest one;
3. otherwise the articles are read back from the newest documents.jsonl that can be read
   (line by line if its checksum fails), joined by the kept articles (index/stores/kept.py), and
   embedded again into a new version. Damaged versions are set aside, never deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from index.build.builder import index_documents, update_index
from index.build.settings import BuildOptions
from index.errors import IndexMissingError, QAError
from index.ingest.prepare import collect_documents, prepare_file
from index.records import Document, document_from_record
from index.stores.disk import DAMAGED, current_name, point_current, set_aside, write_lock
from index.stores.kept import kept_documents
from index.stores.manifest import Manifest
from index.stores.versions import MANIFEST, file_problems, load_index, read_manifest


@dataclass
class VersionCheck:
    name: str
    live: bool
    problems: list[str] = field(default_factory=list)  # empty: every file verifies
    documents: int | None = None


@dataclass
class Diagnosis:
    index_dir: Path
    live_error: str | None  # why the live index does not load, or None when it does
    versions: list[VersionCheck]
    kept: int
    kept_unreadable: list[str]

    @property
    def healthy(self) -> bool:
        return self.live_error is None and not self.kept_unreadable

    def lines(self) -> list[str]:
        out = [
            f"index {self.index_dir}: "
            + ("loads and verifies" if self.live_error is None else f"DAMAGED: {self.live_error}")
        ]
        for v in self.versions:
            state = "ok" if not v.problems else "; ".join(v.problems)
            count = f", {v.documents} articles" if v.documents is not None else ""
            out.append(f"  {v.name}{' (live)' if v.live else ''}{count}: {state}")
        out.append(f"  articles kept as files (added by qa add or the API): {self.kept}")
        out.extend(f"  unreadable kept article: {u}" for u in self.kept_unreadable)
        return out


def diagnose(index_dir: Path) -> Diagnosis:
    if not index_dir.is_dir():
        raise IndexMissingError(f"No index at {index_dir}.")
    try:
        load_index(index_dir)
        live_error = None
    except QAError as exc:
        live_error = _without_hint(exc)
    live_name = current_name(index_dir)
    versions = []
    for folder in _version_folders(index_dir):
        check = VersionCheck(folder.name, folder.name == live_name)
        try:
            _, manifest = read_manifest(index_dir, folder)
            check.problems = file_problems(folder, manifest)
            check.documents = manifest.counts.documents
        except QAError as exc:
            check.problems = [_without_hint(exc)]
        versions.append(check)
    kept, unreadable = kept_documents(index_dir)
    return Diagnosis(index_dir, live_error, versions, len(kept), unreadable)


def repair(index_dir: Path) -> list[str]:
    """Mend the index as the module says; returns what was done, one line each."""
    diagnosis = diagnose(index_dir)
    if diagnosis.live_error is None:
        return _add_back_kept(index_dir) or ["nothing to repair: the live index loads and verifies"]
    whole = [v for v in diagnosis.versions if not v.problems and v.name.startswith("v-")]
    if whole:
        newest = index_dir / whole[0].name
        with write_lock(index_dir):
            point_current(index_dir, newest)
        return [f"CURRENT now points at {newest.name}, which verifies whole"] + _add_back_kept(
            index_dir
        )
    documents, source, notes = _recover_documents(index_dir, diagnosis)
    with write_lock(index_dir):
        moved = set_aside(index_dir)
    done = [f"set aside {', '.join(moved)} (not deleted)"] if moved else []
    done += notes
    kept = diagnosis.kept
    if not documents and not kept:
        raise QAError(
            f"No article could be recovered from {index_dir}. Rebuild it from your corpus "
            f"with: qa index PATH... --index {index_dir}"
        )
    report = index_documents(documents, index_dir, _options_of(index_dir, source))
    done.append(
        f"rebuilt the index: {len(documents)} articles from {source or 'no version'}"
        f" and {kept} kept articles, {report.documents} in all, {report.passages} passages"
    )
    return done


def _add_back_kept(index_dir: Path) -> list[str]:
    """Kept articles the (readable) live index lacks, added back; what was done."""
    have = {d.doc_id for d in load_index(index_dir).documents}
    missing = [d for d in kept_documents(index_dir)[0] if d.doc_id not in have]
    if not missing:
        return []
    update_index(index_dir, add=missing)
    return [f"added back {len(missing)} kept articles the live index lacked"]


def _without_hint(exc: QAError) -> str:
    """An index error's message without the repair hint, which doctor itself is."""
    return str(exc).split(" See what is damaged")[0]


def _recover_documents(
    index_dir: Path, diagnosis: Diagnosis
) -> tuple[list[Document], str | None, list[str]]:
    """Articles of the newest version whose documents.jsonl can be read at all; when it failed
    its checksum, the articles whose original files still exist are read from those again."""
    for check in diagnosis.versions:
        version = index_dir / check.name
        path = version / "documents.jsonl"
        if not path.is_file():
            continue
        damaged = bool(check.problems)
        documents, lost = [], 0
        with open(path, "rb") as handle:
            for line in handle:
                try:
                    documents.append(document_from_record(json.loads(line.decode("utf-8"))))
                except (ValueError, TypeError, KeyError):
                    lost += 1
        notes = []
        if damaged:
            again = _from_source_files(version)
            by_id = {d.doc_id: d for d in documents} | {d.doc_id: d for d in again}
            notes.append(
                f"{check.name} is damaged: read {len(documents)} articles from its "
                f"documents.jsonl ({lost} lines unreadable) and {len(again)} again from their "
                "original files, which take precedence"
            )
            documents = list(by_id.values())
        if documents:
            return documents, check.name, notes
    return [], None, []


def _from_source_files(version: Path) -> list[Document]:
    """The articles of the files a version's manifest lists, read and cleaned again."""
    try:
        listed = json.loads((version / MANIFEST).read_bytes().decode("utf-8"))["source_files"]
        files = [Path(p) for p in listed if isinstance(p, str) and Path(p).is_file()]
    except (OSError, ValueError, KeyError, TypeError):
        return []
    documents, _ = collect_documents(prepare_file(f) for f in files)
    return documents


def _options_of(index_dir: Path, version: str | None) -> BuildOptions | None:
    """Model and splitting of the version the articles came from, when its manifest reads
    (its checksum may have failed: any readable manifest describes how it was built)."""
    if version is None:
        return None
    try:
        raw = json.loads((index_dir / version / MANIFEST).read_text(encoding="utf-8"))
        manifest = Manifest.from_json(raw)
        split = manifest.splitting
        if split.size and split.overlap >= 0:
            return BuildOptions(
                model=manifest.model, chunk_size=split.size, chunk_overlap=split.overlap
            )
        return BuildOptions(model=manifest.model)
    except (OSError, ValueError, QAError):
        return None


def _version_folders(index_dir: Path) -> list[Path]:
    """Version folders, live ones first, newest first (names start with their write time)."""
    folders = [p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith(("v-", DAMAGED))]
    return sorted(
        folders, key=lambda p: (p.name.startswith("v-"), p.name.removeprefix(DAMAGED)), reverse=True
    )
