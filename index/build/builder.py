"""Build an index: read, clean, describe, de-duplicate, split, embed, store.

Builds are incremental: a document whose cleaned text is already in the live index keeps its
passages and vectors, so re-running on an unchanged corpus embeds nothing and adding one
article embeds only that article. BM25 and FAISS are rewritten from the full set every time,
so both always cover exactly the same passages. The work runs in this process, or with
`engine="ray"` on a Ray cluster (index/build/ray_engine.py); the index is the same.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from index import config
from index.build.embedding import Embedder, LocalEmbedder
from index.build.report import BuildReport
from index.build.reuse import undup
from index.build.settings import BuildOptions, is_current, options_of, settle
from index.build.write import Contents, live_index, unchanged_report, write_version
from index.errors import IndexCorruptError, IndexMissingError, InvalidInputError, QAError
from index.ingest.files import SUPPORTED, select_files
from index.ingest.prepare import read_documents
from index.ingest.raw import Skipped
from index.ingest.sources import describe_sources
from index.records import Document
from index.stores.disk import remove_stale, write_lock
from index.stores.kept import forget, kept_documents, kept_until_written
from index.stores.versions import CURRENT

ENGINES = ("local", "ray")

_REASONS_SHOWN = 5  # skipped files named when none gave an article


def build_index(
    paths: Iterable[str | os.PathLike[str]],
    index_dir: str | os.PathLike[str] | None = None,
    options: BuildOptions | None = None,
    *,
    engine: str = "local",
    address: str | None = None,
    workers: int | None = None,
    progress: bool | None = None,
    prune: bool = False,
    embedder: Embedder | None = None,
    exclude: Sequence[str] = (),
) -> BuildReport:
    """Index every supported file under `paths` into `index_dir`: the index then holds exactly
    them, plus the articles added by `qa add` or the API unless `prune` drops those. Files
    whose name or path matches a shell pattern of `exclude` are left out, reported as skipped.

    `engine` "ray" cleans, splits and embeds on a Ray cluster (`address`, default a local one;
    `workers` embedding actors, default one per CPU). `embedder` replaces this process's
    splitting and embedding (engine "local").

    Example:
        build_index(["seeds/"], ".qa-index")
    """
    started = time.perf_counter()
    options = options or BuildOptions()
    paths = list(paths)
    if not paths:
        raise InvalidInputError("Give at least one file or folder to index, e.g.: qa index seeds/")
    if engine not in ENGINES:
        raise InvalidInputError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}.")
    if engine != "ray" and (address or workers):
        raise InvalidInputError("--address and --workers go with --engine ray.")
    if workers is not None and workers < 1:
        raise InvalidInputError(f"--workers must be at least 1; got {workers}.")
    target = config.index_dir(index_dir)
    files, excluded = select_files(paths, exclude, target)
    if excluded and not files:
        given = ", ".join(str(p) for p in paths)
        why = "matches --exclude"
        if any(item.reason.startswith("part of the index") for item in excluded):
            why = f"matches --exclude or is part of the index at {target}"
        raise InvalidInputError(f"Every file in {given} {why}: nothing to index.")
    if not files:
        _check_found([], paths, excluded)
    if engine == "ray":
        report = _build_on_ray(files, excluded, target, options, address, workers, progress, prune)
        return replace(report, seconds=time.perf_counter() - started)
    sources = describe_sources(files)
    current = None if prune else _unchanged_sources(target, sources, options)
    if current is not None:
        return replace(current, seconds=time.perf_counter() - started)
    documents, skipped = read_documents(files)
    _check_found(documents, paths, skipped)
    report = index_documents(
        documents,
        index_dir,
        options,
        skipped=[*excluded, *skipped],
        sources=sources,
        prune=prune,
        progress=progress,
        embedder=embedder,
    )
    return replace(report, seconds=time.perf_counter() - started)


def index_documents(
    documents: list[Document],
    index_dir: str | os.PathLike[str] | None = None,
    options: BuildOptions | None = None,
    *,
    skipped: Iterable[Skipped] = (),
    embedder: Embedder | None = None,
    signatures: dict[str, np.ndarray] | None = None,
    sources: dict[str, Any] | None = None,
    prune: bool = False,
    progress: bool | None = None,
) -> BuildReport:
    """Make the index hold exactly `documents` (already clean), reusing what it already
    embedded, plus the articles added by `qa add` or the API (index/stores/kept.py) unless
    `prune` drops them.

    `embedder` splits and embeds the documents that need it (default: in this process);
    `signatures` are MinHash signatures already computed, by cleaned-text hash; `sources`
    describes the files the documents were read from (index/ingest/sources.py).
    """
    target = config.index_dir(index_dir)
    with write_lock(target):
        previous = live_index(target, rebuilding=True)
        documents, kept, pruned = _with_kept(target, documents, prune)
        report = write_version(
            Contents(documents, tuple(skipped), signatures or {}, sources),
            target,
            settle(options or BuildOptions(), previous),
            previous,
            embedder or LocalEmbedder(),
            progress,
        )
        forget(target, pruned)  # only once the version without them is live
        return replace(report, kept=kept, pruned=len(pruned))


def update_index(
    index_dir: str | os.PathLike[str] | None = None,
    *,
    add: Sequence[Document] = (),
    remove: Collection[str] = (),
    progress: bool | None = None,
    embedder: Embedder | None = None,
) -> BuildReport:
    """Add or replace (same doc_id) documents and remove others, in one atomic step.

    Unknown ids in `remove` raise InvalidInputError and change nothing. `embedder` as for
    `index_documents`.
    """
    embedder = embedder or LocalEmbedder()
    target = config.index_dir(index_dir)
    with write_lock(target):
        previous = live_index(target, rebuilding=False)
        if previous is None:
            if remove or not add:
                raise IndexMissingError(
                    f"No index at {target}. Build one with: qa index seeds/ --index {target}"
                )
            with kept_until_written(target, add):
                settings = settle(BuildOptions(), None)
                return write_version(
                    Contents(list(add)), target, settings, None, embedder, progress
                )
        known = {d.doc_id for d in previous.documents}
        unknown = sorted(set(remove) - known)
        if unknown:
            raise InvalidInputError(f"No document with id {unknown[0]!r} in the index at {target}.")
        replaced = {d.doc_id for d in add}
        staying = [
            undup(d)
            for d in previous.documents
            if d.doc_id not in replaced and d.doc_id not in remove
        ]
        skipped = tuple(Skipped(s.source, s.reason) for s in previous.manifest.skipped)
        with kept_until_written(target, add):
            report = write_version(
                Contents(staying + list(add), skipped),
                target,
                settle(options_of(previous), previous),
                previous,
                embedder,
                progress,
            )
        forget(target, remove)  # once the version without them is live
        return replace(report, removed=len(set(remove)), replaced=len(replaced & known))


def _check_found(
    documents: list[Document], paths: Sequence[Any], skipped: Sequence[Skipped] = ()
) -> None:
    """Nothing to index is an error that says why each file (the first few) gave nothing."""
    if documents:
        return
    given = ", ".join(str(p) for p in paths)
    if not skipped:
        raise InvalidInputError(
            f"No articles to index in {given}: no files in it. It reads {SUPPORTED}."
        )
    shown = [item.line() for item in skipped[:_REASONS_SHOWN]]
    more = len(skipped) - len(shown)
    if more:
        shown.append(f"and {more} more skipped")
    raise InvalidInputError(f"No articles to index in {given}:\n" + "\n".join(shown))


def _unchanged_sources(
    target: Path, sources: dict[str, Any], options: BuildOptions
) -> BuildReport | None:
    """The report of a build with nothing to do, when the live index was built from exactly
    these files (same bytes, same code) with these options; else None."""
    if not (target / CURRENT).is_file():
        return None
    with write_lock(target):
        previous = live_index(target, rebuilding=True)
        if previous is None or previous.manifest.sources != sources:
            return None
        if not is_current(previous, settle(options, previous)):
            return None
        remove_stale(target, keep=previous.path.name)  # leftovers of a run killed after its swap
        skipped = tuple(Skipped(s.source, s.reason) for s in previous.manifest.skipped)
        kept, _ = kept_documents(target)
        return replace(unchanged_report(previous, target, skipped, 0.0), kept=len(kept))


def _with_kept(
    target: Path, documents: list[Document], prune: bool
) -> tuple[list[Document], int, list[str]]:
    """The documents plus the kept ones (a kept article replaces a file's of the same id);
    with `prune`, the documents alone and the ids whose kept files are to be deleted."""
    kept, unreadable = kept_documents(target)
    if unreadable and not prune:
        raise IndexCorruptError(
            f"Some articles added to the index at {target} cannot be read, so a rebuild would "
            f"lose them: {unreadable[0]}. Mend or delete the file, or rebuild with --prune."
        )
    if prune:
        return documents, 0, [d.doc_id for d in kept]
    replaced = {d.doc_id for d in kept}
    return [d for d in documents if d.doc_id not in replaced] + kept, len(kept), []


def _build_on_ray(
    files: list[Path],
    excluded: list[Skipped],
    target: Path,
    options: BuildOptions,
    address: str | None,
    workers: int | None,
    progress: bool | None,
    prune: bool,
) -> BuildReport:
    """Read, clean and MinHash in Ray tasks and embed on Ray actors; write as any build."""
    try:
        from index.build import ray_engine
    except ImportError as exc:
        raise QAError(
            f"--engine ray needs Ray ({exc}). Install it with: pip install 'newsqa[ray]'"
        ) from None
    try:
        with ray_engine.ray_cluster(address, progress) as cluster_cpus:
            documents, skipped, signatures = ray_engine.read_in_tasks([str(f) for f in files])
            _check_found(documents, files[:3], skipped)
            embedder = ray_engine.RayEmbedder(target / ray_engine.STAGING, workers or cluster_cpus)
            report = index_documents(
                documents,
                target,
                options,
                skipped=[*excluded, *skipped],
                embedder=embedder,
                signatures=signatures,
                prune=prune,
                progress=progress,
            )
    except (RuntimeError, ConnectionError) as exc:  # Ray's own failures: start, tasks
        raise QAError(f"The Ray build failed: {exc}. The index is unchanged.") from None
    shutil.rmtree(target / ray_engine.STAGING, ignore_errors=True)
    return replace(report, resumed=embedder.resumed)
