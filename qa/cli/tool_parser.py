"""The options of the tooling commands: eval, bench and calibrate."""

from __future__ import annotations

from typing import Any


def add_tool_commands(sub: Any) -> None:
    """Add eval, bench and calibrate to the `qa` subcommands."""
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
        "--as-files",
        action="store_true",
        help="for a BEIR or SQuAD set: write its corpus as text files, index them with qa index "
        "and score what Searcher.search returns for each question",
    )
    p.add_argument(
        "--whole-articles",
        action="store_true",
        help="for a SQuAD set, with --as-files: one file per Wikipedia article (its paragraphs, "
        "a blank line between them) instead of one per paragraph",
    )
    p.add_argument(
        "--modes",
        nargs="+",
        choices=["dense", "bm25", "fused", "full"],
        default=["dense", "bm25", "fused", "full"],
    )
    p.add_argument("--model", help="embedding model (default: $QA_MODEL or all-MiniLM-L6-v2)")
    p.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    p.add_argument(
        "--against",
        metavar="FILE",
        help="list the questions whose outcome changed since the run that wrote FILE with "
        "--json (a .jsonl question set, or a BEIR or SQuAD set with --as-files)",
    )

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
