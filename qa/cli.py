"""The `qa` command: index a corpus, search it, serve it, evaluate it."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import textwrap
from collections.abc import Sequence

from index.config import PRECISIONS
from index.errors import QAError

_EPILOG = """\
The index lives in ./.qa-index unless --index or $QA_INDEX_DIR says otherwise.
Examples:
  qa index seeds/
  qa search "Why was the bridge closed?"
  qa search "What did she promise?" --history "Who chairs the harbour board?"
  qa add new-articles/
  qa remove 000_335d19b92d0335c8
  qa serve
  qa eval ../shared/eval/dev_seeds.jsonl
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa",
        description="Ask questions of a news corpus; get back cited passages, never generated text.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "index", help="build the index from files and folders (.txt .md .html .jsonl)"
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--index", metavar="DIR", help="index directory (default: $QA_INDEX_DIR or .qa-index)"
    )
    p.add_argument(
        "--model",
        help="embedding model name or local directory (default: $QA_MODEL or all-MiniLM-L6-v2)",
    )
    p.add_argument(
        "--chunk-size", type=int, default=None, help="passage length in characters (default 500)"
    )
    p.add_argument(
        "--chunk-overlap", type=int, default=None, help="overlap between passages (default 100)"
    )
    p.add_argument(
        "--precision",
        choices=PRECISIONS,
        help="passage encoding: auto (bfloat16 on CPUs with AMX, else float32), float32 or "
        "bfloat16 (default: $QA_PRECISION or auto)",
    )
    p.add_argument("--json", action="store_true", help="print the build report as JSON")
    p.add_argument(
        "--prune",
        action="store_true",
        help="drop the articles added by qa add or the API (kept otherwise: the index is "
        "their only copy)",
    )
    engine = p.add_argument_group(
        "engine", "where cleaning, splitting and embedding run (default: this process)"
    )
    engine.add_argument(
        "--engine",
        choices=("local", "ray"),
        default="local",
        help="ray: Ray Data tasks and an embedding actor pool (pip install 'newsqa[ray]')",
    )
    engine.add_argument(
        "--address",
        help="Ray cluster address, e.g. ray://head:10001 (default: a local cluster on 127.0.0.1)",
    )
    engine.add_argument(
        "--workers", type=int, help="embedding actors (default: one per CPU of the Ray cluster)"
    )
    store = p.add_argument_group(
        "store",
        "where passages are searched (default: $QA_STORE, else what the index used, else faiss); "
        "a Milvus token comes only from $QA_MILVUS_TOKEN",
    )
    store.add_argument(
        "--store",
        choices=("faiss", "milvus"),
        help="faiss: FAISS + BM25 files in the index folder; milvus: a Milvus collection",
    )
    store.add_argument("--milvus-uri", help="e.g. http://milvus:19530 ($QA_MILVUS_URI)")
    store.add_argument(
        "--milvus-collection",
        metavar="PREFIX",
        help="collection name prefix, one per index (default newsqa; $QA_MILVUS_COLLECTION)",
    )
    store.add_argument(
        "--milvus-index-type",
        help="AUTOINDEX (default), FLAT, IVF_FLAT, IVF_SQ8, HNSW or DISKANN ($QA_MILVUS_INDEX)",
    )
    store.add_argument(
        "--milvus-consistency",
        help="Strong (default), Bounded, Session or Eventually ($QA_MILVUS_CONSISTENCY)",
    )

    p = sub.add_parser(
        "add",
        help="add or replace articles in the index without rebuilding it",
        description="Each file's articles are added; one with the id of an indexed article "
        "(the same file name) replaces it. Only the new articles are embedded.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--index", metavar="DIR")

    p = sub.add_parser("remove", help="remove articles from the index by doc_id")
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID")
    p.add_argument("--index", metavar="DIR")

    p = sub.add_parser(
        "doctor",
        help="check every file of the index; --repair mends what can be mended",
        description="Says which files of each index version are damaged. With --repair: "
        "points a damaged CURRENT at the newest whole version, or reads the articles back and "
        "embeds them again. Nothing is deleted: damaged versions are set aside.",
    )
    p.add_argument("--index", metavar="DIR")
    p.add_argument("--repair", action="store_true", help="mend the index (see above)")

    p = sub.add_parser("search", help="answer a question with cited passages")
    p.add_argument("question")
    p.add_argument("--k", type=int, default=5, help="number of passages (1-50, default 5)")
    p.add_argument(
        "--history",
        action="append",
        default=[],
        metavar="QUESTION",
        help="an earlier question of the conversation (repeat, oldest first)",
    )
    p.add_argument("--outlet", help="only this outlet")
    p.add_argument(
        "--from", dest="published_from", metavar="DATE", help="published on or after DATE"
    )
    p.add_argument("--to", dest="published_to", metavar="DATE", help="published on or before DATE")
    p.add_argument(
        "--recent",
        type=float,
        metavar="DAYS",
        help="prefer recent articles: score half-life in days (e.g. 30)",
    )
    p.add_argument("--index", metavar="DIR")
    p.add_argument("--json", action="store_true", help="print the result as JSON")

    p = sub.add_parser("serve", help="serve the browser UI and the HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--index", metavar="DIR")
    p.add_argument(
        "--corpus",
        nargs="*",
        default=["seeds"],
        metavar="PATH",
        help="what to index first when there is no index yet (default: seeds)",
    )
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="a Host name to answer besides the loopback names and --host (repeat); others get 421",
    )
    p.add_argument(
        "--allowed-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="a cross-origin page allowed to read the API, e.g. https://intranet.example (repeat)",
    )
    p = sub.add_parser(
        "eval",
        help="measure retrieval, highlighting and abstention on a labelled question set",
        description="Score dense-only, BM25-only, fused and the full pipeline side by side.",
    )
    p.add_argument(
        "dataset",
        metavar="PATH",
        help="a .jsonl question set, a BEIR folder (corpus.jsonl, queries.jsonl, qrels/) or a SQuAD .json",
    )
    p.add_argument("--format", choices=["questions", "beir", "squad"], help="default: from PATH")
    p.add_argument(
        "--corpus",
        nargs="+",
        default=["seeds"],
        metavar="PATH",
        help="articles a .jsonl question set asks about (default: seeds)",
    )
    p.add_argument("--index", metavar="DIR", help="use this built index for a .jsonl question set")
    p.add_argument(
        "--reference",
        action="store_true",
        help="also score the tutorial stack (LangChain splitter 1000/200 + the same model + "
        "FAISS) on the same .jsonl questions, over the files of --corpus",
    )
    p.add_argument(
        "--work",
        metavar="DIR",
        default=".qa-eval",
        help="where evaluation indexes are built and kept for reuse (default .qa-eval)",
    )
    p.add_argument("--limit", type=int, metavar="N", help="only the first N questions")
    p.add_argument(
        "--modes",
        nargs="+",
        choices=["dense", "bm25", "fused", "full"],
        default=["dense", "bm25", "fused", "full"],
    )
    p.add_argument("--model", help="embedding model (default: $QA_MODEL or all-MiniLM-L6-v2)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")

    p = sub.add_parser(
        "bench",
        help="benchmark against the usual LangChain + FAISS stack (same model, same corpus)",
        description="Indexing throughput, query latency in-process and over HTTP, memory, "
        "index size and start-up for this pipeline and the reference stack, interleaved.",
    )
    p.add_argument(
        "--corpus",
        nargs="*",
        default=["bbc", "ag"],
        help="bbc, ag (from ../shared/bench), a folder of <category>/*.txt or a CSV",
    )
    p.add_argument("--shared", default="../shared", help="where bench/ lives (default ../shared)")
    p.add_argument("--rounds", type=int, default=2, help="indexing rounds per stack (default 2)")
    p.add_argument("--questions", type=int, default=200, help="timed questions (default 200)")
    p.add_argument("--limit", type=int, help="only the first N articles of each corpus")
    p.add_argument(
        "--sizes",
        type=int,
        nargs="*",
        default=[100_000, 1_000_000],
        help="synthetic vector counts for the vector index (default 100000 1000000)",
    )
    p.add_argument(
        "--pipeline-sizes",
        type=int,
        nargs="*",
        default=[100_000],
        help="passages of repeated BBC text (synthetic vectors) to time full searches over",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="a short run: 200 BBC articles, 1 round, 40 questions, 100k synthetic vectors, "
        "full search over 20k passages",
    )
    p.add_argument(
        "--scale-out",
        action="store_true",
        help="instead of the reference stack: the local and Ray build engines, and the FAISS "
        "and Milvus stores, side by side on each corpus",
    )
    p.add_argument(
        "--milvus-uri",
        help="with --scale-out: the Milvus to measure (default: Milvus Lite started on 127.0.0.1)",
    )
    p.add_argument("--out", default="bench-report", help="folder for report.md and report.json")

    p = sub.add_parser(
        "calibrate",
        help="fit the abstention model on a SQuAD file and store it for new indexes",
        description="Questions on a random half of the SQuAD articles are answerable, the rest "
        "not; a logistic model over the first passage's scores is fitted on half the questions "
        "and measured on the other half.",
    )
    p.add_argument("dataset", metavar="SQUAD_JSON")
    p.add_argument("--work", metavar="DIR", default=".qa-eval")
    p.add_argument(
        "--per-side", type=int, default=1500, help="questions of each label (default 1500)"
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help="where to write the model (default: the packaged index/abstention.json)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s"
    )
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        code = {
            "index": _index,
            "add": _add,
            "remove": _remove,
            "search": _search,
            "doctor": _doctor,
            "serve": _serve,
            "eval": _eval,
            "calibrate": _calibrate,
            "bench": _bench,
        }[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, inside the handlers below
        return code
    except QAError as exc:
        print(f"qa: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader of our output went away (`qa search ... | head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"qa: {_os_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug of ours: one line, and the traceback with -v
        if args.verbose:
            raise
        print(
            f"qa: unexpected {type(exc).__name__}: {exc}. Run again with -v for the details.",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130


def _os_error(exc: OSError) -> str:
    """A file-system failure in the user's words, with what to do about it."""
    import errno

    where = f" ({exc.filename})" if exc.filename else ""
    if exc.errno == errno.ENOSPC:
        return f"The disk is full{where}. Free some space and run the command again; the index is unchanged."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"No permission to write{where}. Use a writable --index folder; the index is unchanged."
        )
    return f"{exc.strerror or exc}{where}."


def _doctor(args: argparse.Namespace) -> int:
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


def _index(args: argparse.Namespace) -> int:
    from index import build_index
    from index.config import DEFAULT_CHUNK_OVERLAP, DEFAULT_CHUNK_SIZE
    from index.stores.passage_store import store_settings

    if args.engine != "ray" and (args.address or args.workers):
        raise QAError("--address and --workers go with --engine ray.")
    if args.workers is not None and args.workers < 1:
        raise QAError(f"--workers must be at least 1; got {args.workers}.")
    missing = [p for p in args.paths if not os.path.exists(p)]
    if missing:
        raise QAError(f"No such file or folder: {', '.join(missing)}")
    store = None
    milvus_options = (
        args.milvus_uri,
        args.milvus_collection,
        args.milvus_index_type,
        args.milvus_consistency,
    )
    if args.store == "faiss" and any(milvus_options):
        raise QAError("The --milvus-* options go with --store milvus, not --store faiss.")
    if args.store or any(milvus_options):
        store = store_settings(
            args.store or "milvus",
            uri=args.milvus_uri,
            collection_prefix=args.milvus_collection,
            index_type=args.milvus_index_type,
            consistency_level=args.milvus_consistency,
        )
    options = {
        "model": args.model,
        "chunk_size": DEFAULT_CHUNK_SIZE if args.chunk_size is None else args.chunk_size,
        "chunk_overlap": DEFAULT_CHUNK_OVERLAP
        if args.chunk_overlap is None
        else args.chunk_overlap,
        "precision": args.precision,
        "progress": None,
        "store": store,
    }
    if args.engine == "ray":
        try:
            from index.build.ray_engine import build_index_with_ray
        except ImportError as exc:
            raise QAError(
                f"--engine ray needs Ray ({exc}). Install it with: pip install 'newsqa[ray]'"
            ) from None
        try:
            report = build_index_with_ray(
                args.paths, args.index, address=args.address, workers=args.workers, **options
            )
        except (RuntimeError, ConnectionError) as exc:  # Ray's own failures: start, tasks
            raise QAError(f"The Ray build failed: {exc}. The index is unchanged.") from None
    else:
        report = build_index(args.paths, args.index, prune=args.prune, **options)
    if args.json:
        print(
            json.dumps(
                {
                    "index": str(report.index_dir),
                    "documents": report.documents,
                    "duplicates": report.duplicates,
                    "chunks": report.chunks,
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
        print(f"skipped {skipped.source}: {skipped.reason}", file=sys.stderr)
    if report.kept:
        print(
            f"Kept {report.kept} articles added by qa add or the API (qa index --prune drops them).",
            file=sys.stderr,
        )
    if report.pruned:
        print(
            f"Dropped {report.pruned} articles added by qa add or the API (--prune).",
            file=sys.stderr,
        )
    if report.unchanged:
        print(f"The index at {report.index_dir} is up to date ({report.documents} documents).")
        return 0
    resumed = f" ({report.resumed} by an earlier run)" if report.resumed else ""
    print(
        f"Indexed {report.documents} documents ({report.duplicates} near-duplicates, "
        f"{report.embedded} embedded{resumed}, the rest reused) as {report.chunks} passages into "
        f"{report.index_dir} in {report.seconds:.1f}s."
    )
    return 0


def _add(args: argparse.Namespace) -> int:
    from index import read_documents, update_index

    documents, skipped = read_documents(args.paths)
    for item in skipped:
        print(f"skipped {item.source}: {item.reason}", file=sys.stderr)
    if not documents:
        raise QAError(f"No articles to add in {', '.join(args.paths)}.")
    report = update_index(args.index, add=documents)
    print(
        f"Added {len(documents)} documents ({report.embedded} embedded); the index at "
        f"{report.index_dir} now holds {report.documents} documents as {report.chunks} passages."
    )
    return 0


def _remove(args: argparse.Namespace) -> int:
    from index import update_index

    report = update_index(args.index, remove=args.doc_ids)
    print(
        f"Removed {report.removed} documents; the index at {report.index_dir} now holds "
        f"{report.documents} documents as {report.chunks} passages."
    )
    return 0


def _search(args: argparse.Namespace) -> int:
    from qa.query import validate
    from qa.searcher import Searcher

    validate.question(args.question)  # fail fast, before the model loads
    validate.k(args.k)
    searcher = Searcher.load(args.index)
    result = searcher.search(
        args.question,
        k=args.k,
        history=args.history,
        outlet=args.outlet,
        published_from=args.published_from,
        published_to=args.published_to,
        prefer_recent=args.recent,
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(format_result(result.to_dict()))
    return 0


def format_result(result: dict) -> str:
    """Terminal rendering: each passage with its citation and the answer marked with »...«."""
    lines = []
    if result["query"] != result.get("question", result["query"]):
        lines.append(f"searched for: {result['query']}")
    if result["abstained"]:
        lines.append("No passage in these articles answers this. Nearest passages:")
    for n, p in enumerate(result["passages"], start=1):
        cite = " · ".join(x for x in (p["outlet"], p["published"], p["source"]) if x)
        lines.append(f"[{n}] {p['title']}\n    {cite}  (score {p['score']:.3f})")
        text = p["text"]
        for start, end in reversed(p["highlights"]):
            s, e = start - p["start"], end - p["start"]
            text = f"{text[:s]}»{text[s:e]}«{text[e:]}"
        lines.append(textwrap.indent(textwrap.fill(text, width=96), "    "))
    return "\n".join(lines)


def _eval(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from pathlib import Path

    from qa.searcher import Searcher
    from tooling.evaluation import datasets
    from tooling.evaluation.report import format_table
    from tooling.evaluation.runner import evaluate, open_index

    qset = datasets.load(args.dataset, args.format)
    if args.limit is not None:
        if args.limit < 1:
            raise QAError(f"--limit must be at least 1; got {args.limit}.")
        qset = replace(qset, questions=qset.questions[: args.limit])
    if args.index and qset.documents is None:
        searcher = Searcher.load(args.index)
    else:
        searcher = open_index(qset, Path(args.work), corpus=args.corpus, model=args.model)
    result = evaluate(
        qset, searcher, modes=args.modes, progress=lambda m: print(m, file=sys.stderr)
    )
    if args.reference:
        if qset.format != "questions":
            raise QAError("--reference goes with a .jsonl question set over --corpus.")
        from tooling.evaluation.reference import reference_figures

        print(f"{qset.name}: the reference stack", file=sys.stderr)
        result.details["reference"] = reference_figures(qset, args.corpus, Path(args.work))
    print(format_table(result))
    if args.json:
        Path(args.json).write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    from tooling.benchmark.report import format_report
    from tooling.benchmark.run import run_bench

    corpus, rounds, questions, limit = args.corpus, args.rounds, args.questions, args.limit
    sizes, scale = args.sizes, args.pipeline_sizes
    if args.quick:
        corpus, rounds, questions, limit = ["bbc"], 1, 40, limit or 200
        sizes, scale = [100_000], [20_000]
    if rounds < 1 or questions < 1:
        raise QAError("--rounds and --questions must be at least 1.")
    results = run_bench(
        corpus,
        shared=Path(args.shared),
        rounds=rounds,
        questions=questions,
        limit=limit,
        sizes=sizes,
        pipeline_sizes=scale,
        scale_out=args.scale_out,
        milvus_uri=args.milvus_uri,
        progress=lambda m: print(m, file=sys.stderr, flush=True),
    )
    command = "qa bench " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else "qa bench"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report = format_report(results, command)
    (out / "report.md").write_text(report, encoding="utf-8")
    (out / "report.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(report)
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from index.config import ABSTENTION_FILE
    from tooling.evaluation import datasets
    from tooling.evaluation.calibrate import calibrate
    from tooling.evaluation.runner import open_index

    qset = datasets.load(args.dataset, "squad")
    searcher = open_index(qset, Path(args.work))
    result = calibrate(
        qset, searcher, per_side=args.per_side, progress=lambda m: print(m, file=sys.stderr)
    )
    out = Path(args.out) if args.out else ABSTENTION_FILE
    out.write_text(json.dumps(result.settings, indent=2) + "\n", encoding="utf-8")
    held = result.held_out
    print(
        f"Abstention on held-out questions: precision {held['precision']:.3f}, "
        f"recall {held['recall']:.3f}, false abstention {held['false_abstention']:.3f}. "
        f"Wrote {out}; new indexes use it."
    )
    return 0


def _serve(args: argparse.Namespace) -> int:
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
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
