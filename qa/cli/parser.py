"""The `qa` command line: its commands and their options."""

from __future__ import annotations

import argparse

from index.config import PRECISIONS
from qa.cli.tool_parser import add_tool_commands

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qa",
        description="Ask questions of a news corpus; get back cited passages, never generated text.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "index",
        help="build the index from files and folders (.txt .md .html .jsonl .json .csv ...)",
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
        help="passage encoding: auto (bfloat16 on CPUs with AMX, or AMD ones with AVX-512 BF16; "
        "else float32), float32 or bfloat16 (default: $QA_PRECISION or auto)",
    )
    p.add_argument("--json", action="store_true", help="print the build report as JSON")
    _add_exclude(p)
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
    _add_exclude(p)

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
    p.add_argument("-k", "--k", type=int, default=5, help="number of passages (1-50, default 5)")
    p.add_argument(
        "--history",
        action="append",
        default=[],
        metavar="QUESTION",
        help="an earlier question of the conversation (repeat, oldest first)",
    )
    p.add_argument(
        "--earlier-answer",
        metavar="TEXT",
        help="the sentence(s) that answered the last --history question, as you saw them "
        "(otherwise that question is answered again to find them)",
    )
    p.add_argument("--outlet", help='only this outlet ("(none)": the articles that name none)')
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
    _add_exclude(p)
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
    add_tool_commands(sub)
    return parser


def _add_exclude(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="PATTERN",
        help="leave out files whose name or path matches this shell pattern, e.g. 'README*' "
        "or '*/drafts/*' (repeatable; each is reported as skipped)",
    )
