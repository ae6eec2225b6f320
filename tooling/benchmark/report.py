"""The benchmark as Markdown: one table per corpus with ours, the reference and their ratio."""

from __future__ import annotations

from typing import Any

ROWS = [
    (
        "indexing, whole process (start to exit, as a user times it), s",
        ("index_process_seconds",),
        "lower",
    ),
    ("indexing, in-process (the build call alone), s", ("index_seconds",), "lower"),
    ("indexing throughput in-process, documents/s", ("documents_per_s",), "higher"),
    ("indexing throughput in-process, passages/s", ("chunks_per_s",), "higher"),
    ("passages indexed", ("chunks",), ""),
    ("query latency in-process p50, ms", ("query_ms", "p50"), "lower"),
    ("query latency in-process p95, ms", ("query_ms", "p95"), "lower"),
    ("query latency in-process p99, ms", ("query_ms", "p99"), "lower"),
    ("query latency over HTTP p50, ms", ("http_ms", "p50"), "lower"),
    ("query latency over HTTP p95, ms", ("http_ms", "p95"), "lower"),
    ("query latency over HTTP p99, ms", ("http_ms", "p99"), "lower"),
    ("peak memory indexing, MB", ("peak_rss_mb_indexing",), "lower"),
    ("peak memory querying, MB", ("peak_rss_mb_querying",), "lower"),
    ("index size on disk, MB", ("index_disk_mb",), "lower"),
    ("start to first answer (CLI, built index), s", ("start_to_first_answer_s",), "lower"),
    ("server start to first HTTP answer, s", ("serve_to_first_answer_s",), "lower"),
]


def _get(stack: dict[str, Any], path: tuple[str, ...]) -> float:
    value: Any = stack
    for key in path:
        value = value[key]
    return float(value)


def format_report(results: dict[str, Any], command: str) -> str:
    lines = [
        "# qa bench",
        "",
        f"Command: `{command}`  ",
        f"Machine: {results['machine']['cpus']} CPUs, Python {results['machine']['python']}, "
        f"{results['machine']['platform']}",
    ]
    if results["corpora"]:
        lines += [
            "",
            "Ours: hybrid dense + BM25, sentence reranking, highlights and citations. Reference: "
            "LangChain RecursiveCharacterTextSplitter(1000, 200) + HuggingFaceEmbeddings + "
            "langchain_community FAISS (IndexFlatIP), same model. Ratio = ours / reference.",
            "",
            f"Passage encoding: ours {results['machine'].get('passage_encoding', 'float32')} "
            "(`qa index --precision`), the reference float32 on PyTorch (its default).",
        ]
    for corpus in results["corpora"]:
        ours, ref = corpus["stacks"]["ours"], corpus["stacks"]["reference"]
        lines += [
            "",
            f"## {corpus['corpus']}: {corpus['questions']} questions, {corpus['rounds']} rounds",
            "",
            "| measure | ours | reference | ours / reference | better |",
            "|---|---:|---:|---:|---|",
        ]
        for label, path, better in ROWS:
            a, b = _get(ours, path), _get(ref, path)
            ratio = f"{a / b:.2f}" if b else "-"
            lines.append(f"| {label} | {a:,.1f} | {b:,.1f} | {ratio} | {better} |")
    if results.get("synthetic"):
        lines += [
            "",
            "## Synthetic 384-d vectors (vector search only)",
            "",
            "| passages | index | nprobe | build s | index MB | recall@10 | p50 ms | p95 ms | p99 ms |",
            "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for s in results["synthetic"]:
            ms = s["latency_ms"]
            lines.append(
                f"| {s['passages']:,} | {s['index']} | {s['nprobe'] or '-'} | {s['build_s']} | "
                f"{s['index_memory_mb']} | {s['recall_at_10']} | {ms['p50']} | {ms['p95']} | {ms['p99']} |"
            )
    if results.get("pipeline_at_scale"):
        lines += [
            "",
            "## Full search at scale (real BBC text, synthetic vectors)",
            "",
            "| passages | sentences | index | questions | p50 ms | p95 ms | p99 ms |",
            "|---:|---:|---|---:|---:|---:|---:|",
        ]
        for s in results["pipeline_at_scale"]:
            ms = s["search_ms"]
            lines.append(
                f"| {s['passages']:,} | {s['sentences']:,} | {s['index']} | {s['questions']} | "
                f"{ms['p50']} | {ms['p95']} | {ms['p99']} |"
            )
    for run in results.get("scale_out") or []:
        lines += _scale_out(run)
    return "\n".join(lines) + "\n"


def _scale_out(run: dict[str, Any]) -> list[str]:
    local, ray = run["engines"]["local"], run["engines"]["ray"]
    faiss, milvus = run["stores"]["faiss"], run["stores"]["milvus"]
    lines = [
        "",
        f"## Scale-out options on {run['corpus']}: {run['questions']} questions, "
        f"{run['rounds']} rounds",
        "",
        "| build engine | seconds | documents/s | passages | peak memory of the driver, MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, engine in (("single process", local), ("Ray Data, local cluster", ray)):
        lines.append(
            f"| {name} | {engine['index_seconds']:,.1f} | {engine['documents_per_s']:,.2f} | "
            f"{engine['chunks']:,} | {engine['peak_rss_mb']:,.0f} |"
        )
    lines += [
        "",
        f"Milvus: {run['milvus']}.",
        "",
        "| passage store | FAISS + BM25 files | Milvus | Milvus / FAISS |",
        "|---|---:|---:|---:|",
    ]
    for label, path in (
        ("writing the passages, s", ("write_seconds",)),
        ("writing, passages/s", ("passages_per_s",)),
        ("index folder on disk, MB (Milvus keeps its data in the server)", ("folder_mb",)),
        ("query latency in-process p50, ms", ("query_ms", "p50")),
        ("query latency in-process p95, ms", ("query_ms", "p95")),
        ("query latency in-process p99, ms", ("query_ms", "p99")),
        ("query latency over HTTP p50, ms", ("http_ms", "p50")),
        ("query latency over HTTP p95, ms", ("http_ms", "p95")),
        ("query latency over HTTP p99, ms", ("http_ms", "p99")),
    ):
        a, b = _get(faiss, path), _get(milvus, path)
        lines.append(f"| {label} | {a:,.2f} | {b:,.2f} | {b / a if a else 0:.2f} |")
    return lines
