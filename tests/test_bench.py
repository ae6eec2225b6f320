"""`qa bench` end to end on a tiny corpus: both stacks run and the report holds every measure.

Only correctness is checked here; the timings themselves live in docs/benchmarks.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tooling.benchmark.report import ROWS

from .conftest import SHARED, needs_shared


def test_bench_runs_both_stacks_and_reports_every_measure(tmp_path: Path) -> None:
    needs_shared(SHARED / "bench" / "bbc_news")
    out = tmp_path / "report"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "qa.cli",
            "bench",
            "--corpus",
            "bbc",
            "--shared",
            str(SHARED),
            "--limit",
            "12",
            "--rounds",
            "1",
            "--questions",
            "6",
            "--sizes",
            "3000",
            "--pipeline-sizes",
            "300",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((out / "report.json").read_text())
    (corpus,) = results["corpora"]
    assert corpus["corpus"] == "bbc_news (12 articles)" and corpus["questions"] == 6
    for stack in ("ours", "reference"):
        measured = corpus["stacks"][stack]
        assert measured["documents"] == 12 and measured["chunks"] > 12
        assert measured["documents_per_s"] > 0 and measured["index_disk_mb"] > 0
        # the whole process holds the build call and its own start-up besides
        assert measured["index_process_seconds"] > measured["index_seconds"] > 0
        assert 0 < measured["query_ms"]["p50"] <= measured["query_ms"]["p99"]
        assert measured["http_ms"]["p50"] > 0 and measured["start_to_first_answer_s"] > 0
    (vectors,) = results["synthetic"]
    assert vectors["passages"] == 3000 and vectors["recall_at_10"] == 1.0  # exact at this size
    (scale,) = results["pipeline_at_scale"]
    assert scale["passages"] >= 300 and scale["search_ms"]["p50"] > 0
    report = (out / "report.md").read_text()
    for label, _, _ in ROWS:
        assert label in report


def test_bench_scale_out_compares_engines_and_stores(tmp_path: Path) -> None:
    needs_shared(SHARED / "bench" / "bbc_news")
    out = tmp_path / "report"
    done = subprocess.run(
        [
            *(sys.executable, "-m", "qa.cli", "bench", "--corpus", "bbc", "--scale-out"),
            *("--shared", str(SHARED), "--limit", "8", "--rounds", "1"),
            *("--questions", "4", "--sizes", "--pipeline-sizes", "--out", str(out)),
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads((out / "report.json").read_text())
    assert results["corpora"] == [] and results["synthetic"] == []
    (run,) = results["scale_out"]
    local, ray = run["engines"]["local"], run["engines"]["ray"]
    assert local["documents"] == ray["documents"] == 8 and local["chunks"] == ray["chunks"] > 8
    for store in ("faiss", "milvus"):
        measured = run["stores"][store]
        assert measured["passages"] == local["chunks"] and measured["write_seconds"] > 0
        assert 0 < measured["query_ms"]["p50"] <= measured["query_ms"]["p99"]
        assert measured["http_ms"]["p50"] > 0
    report = (out / "report.md").read_text()
    assert "| Ray Data, local cluster |" in report and "| passage store |" in report
