"""The commands that build, change, search and serve an index."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from typing import TYPE_CHECKING

from index.build.report import counted
from index.errors import QAError
from qa.results import SearchResult

if TYPE_CHECKING:
    from index.stores.passage_store import StoreSettings


def doctor(args: argparse.Namespace) -> int:
    from index import config
    from index.build.doctor import diagnose, repair

    target = config.index_dir(args.index)
    diagnosis = diagnose(target)
    print("\n".join(diagnosis.lines()))
    if not args.repair:
        if not diagnosis.healthy:
            print(f"Repair with: qa doctor --index {target} --repair")
        return 0 if diagnosis.healthy else 1
    for line in repair(target):
        print(f"repaired: {line}")
    return 0


def index(args: argparse.Namespace) -> int:
    from index import BuildOptions, build_index
    from index.config import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE

    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise QAError(f"No such file or folder: {', '.join(missing)}")
    options = BuildOptions(
        model=args.model,
        chunk_size=DEFAULT_CHUNK_SIZE if args.chunk_size is None else args.chunk_size,
        chunk_overlap=DEFAULT_CHUNK_OVERLAP if args.chunk_overlap is None else args.chunk_overlap,
        precision=args.precision,
        store=_store(args),
    )
    report = build_index(
        args.paths,
        args.index,
        options,
        engine=args.engine,
        address=args.address,
        workers=args.workers,
        prune=args.prune,
        exclude=args.exclude,
    )
    if args.json:
        print(
            json.dumps(
                {
                    "index": str(report.index_dir),
                    "documents": report.documents,
                    "duplicates": report.duplicates,
                    "passages": report.passages,
                    "chunks": report.passages,  # the earlier name, kept for scripts
                    "sentences": report.sentences,
                    "skipped": [{"source": s.source, "reason": s.reason} for s in report.skipped],
                    "seconds": round(report.seconds, 2),
                    "embedded": report.embedded,
                    "resumed": report.resumed,
                    "unchanged": report.unchanged,
                    "kept": report.kept,
                    "pruned": report.pruned,
                },
                indent=2,
            )
        )
        return 0
    for skipped in report.skipped:
        print(skipped.line(), file=sys.stderr)
    if report.kept:
        print(
            f"Kept {counted(report.kept, 'article')} added by qa add or the API (qa index --prune drops them).",
            file=sys.stderr,
        )
    if report.pruned:
        print(
            f"Dropped {counted(report.pruned, 'article')} added by qa add or the API (--prune).",
            file=sys.stderr,
        )
    if report.unchanged:
        print(
            f"The index at {report.index_dir} is up to date ({counted(report.documents, 'document')})."
        )
        return 0
    resumed = f" ({report.resumed} by an earlier run)" if report.resumed else ""
    print(
        f"Indexed {counted(report.documents, 'document')} ({counted(report.duplicates, 'near-duplicate')}, "
        f"{report.embedded} embedded{resumed}, the rest reused) as {counted(report.passages, 'passage')} into "
        f"{report.index_dir} in {report.seconds:.1f}s."
    )
    return 0


def add(args: argparse.Namespace) -> int:
    from index import config, read_documents, update_index

    documents, skipped = read_documents(args.paths, args.exclude, config.index_dir(args.index))
    for item in skipped:
        print(item.line(), file=sys.stderr)
    if not documents:
        raise QAError(f"No articles to add in {', '.join(args.paths)}.")
    report = update_index(args.index, add=documents)
    replacing = f"{report.replaced} replacing one of the same id, " if report.replaced else ""
    print(
        f"Added {counted(len(documents), 'document')} ({replacing}{report.embedded} embedded); "
        f"the index at {report.index_dir} now holds {counted(report.documents, 'document')} as "
        f"{counted(report.passages, 'passage')}."
    )
    return 0


def remove(args: argparse.Namespace) -> int:
    from index import update_index

    report = update_index(args.index, remove=args.doc_ids)
    print(
        f"Removed {counted(report.removed, 'document')}; the index at {report.index_dir} now holds "
        f"{counted(report.documents, 'document')} as {counted(report.passages, 'passage')}."
    )
    return 0


def search(args: argparse.Namespace) -> int:
    from qa.options import SearchOptions
    from qa.query import validate
    from qa.searcher import Searcher

    validate.question(args.question)  # fail fast, before the index and model load
    options = SearchOptions.of(
        k=args.k,
        history=tuple(args.history),
        earlier_answer=args.earlier_answer,
        outlet=args.outlet,
        published_from=args.published_from,
        published_to=args.published_to,
        prefer_recent=args.recent,
    )
    result = Searcher.load(args.index).answer(args.question, options)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(format_result(result))
    return 0


def format_result(result: SearchResult) -> str:
    """Terminal rendering: each passage with its citation and the answer marked with »...«."""
    lines = []
    if result.query != (result.question or result.query):
        lines.append(f"searched for: {result.query}")
    if result.abstained:
        note = f" {result.miss_note()}".rstrip()
        lines.append(f"No passage in these articles answers this.{note} Nearest passages:")
    for n, p in enumerate(result.passages, start=1):
        cite = " · ".join(x for x in (p.outlet, p.published, p.url or p.source) if x)
        lines.append(f"[{n}] {p.title}\n    {cite}  (score {p.score:.3f})")
        text = p.text
        for start, end in reversed(p.highlights):
            s, e = start - p.start, end - p.start
            text = f"{text[:s]}»{text[s:e]}«{text[e:]}"
        lines.append(textwrap.indent(textwrap.fill(text, width=96), "    "))
    return "\n".join(lines)


def serve(args: argparse.Namespace) -> int:
    from ui.server import serve

    if not 0 <= args.port <= 65535:
        raise QAError(f"--port must be from 0 to 65535; got {args.port}.")
    serve(
        host=args.host,
        port=args.port,
        index_dir=args.index,
        corpus=args.corpus,
        allowed_hosts=args.allowed_host,
        allowed_origins=args.allowed_origin,
        exclude=args.exclude,
    )
    return 0


def _store(args: argparse.Namespace) -> StoreSettings | None:
    """The passage store the flags ask for; None leaves it to $QA_STORE or the live index."""
    from index.stores.passage_store import store_settings

    milvus_options = (
        args.milvus_uri,
        args.milvus_collection,
        args.milvus_index_type,
        args.milvus_consistency,
    )
    if args.store == "faiss" and any(milvus_options):
        raise QAError("The --milvus-* options go with --store milvus, not --store faiss.")
    if not (args.store or any(milvus_options)):
        return None
    return store_settings(
        args.store or "milvus",
        uri=args.milvus_uri,
        collection_prefix=args.milvus_collection,
        index_type=args.milvus_index_type,
        consistency_level=args.milvus_consistency,
    )
