"""Steps both benchmarks share: one worker step in its own process, HTTP latency of a
server started for it, and the summaries of what they measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from tooling import launch


def summarise_builds(builds: list[dict[str, Any]]) -> dict[str, Any]:
    """Median time and throughput over rounds of the same build: in-process (the build call
    alone) and whole-process (from starting the process to its exit, as a user times it)."""
    return {
        "index_seconds": float(np.median([b["seconds"] for b in builds])),
        "index_process_seconds": float(np.median([b["process_seconds"] for b in builds])),
        "documents": builds[-1]["documents"],
        "chunks": builds[-1]["chunks"],
        "documents_per_s": float(np.median([b["documents"] / b["seconds"] for b in builds])),
        "chunks_per_s": float(np.median([b["chunks"] / b["seconds"] for b in builds])),
    }


def worker_command(name: str, spec: dict[str, Any], work: Path) -> list[str]:
    """The command that runs `tooling.benchmark.worker` step `name` on `spec` (written to a
    file in `work`)."""
    spec_file = work / f"{name}.json"
    spec_file.write_text(json.dumps(spec), encoding="utf-8")
    return [sys.executable, "-m", "tooling.benchmark.worker", name, str(spec_file)]


def step(name: str, spec: dict[str, Any], work: Path) -> dict[str, Any]:
    """Run one `tooling.benchmark.worker` step in a fresh process; its JSON result, with the
    process's own wall time (`process_seconds`) and peak memory (`process_peak_rss_mb`)."""
    command = worker_command(name, spec, work)
    out, seconds, peak_mb = timed_process(command, work, name)
    return {
        **json.loads(out.strip().splitlines()[-1]),
        "process_seconds": seconds,
        "process_peak_rss_mb": peak_mb,
    }


def index_with_cli(paths: list[str], index_dir: str, work: Path) -> dict[str, Any]:
    """`qa index PATHS --index DIR` in a fresh process, as a user runs it: the build's own
    seconds (in-process, from its report) and the process's wall time and peak memory."""
    command = [sys.executable, "-m", "qa.cli", "index", *paths, "--index", index_dir, "--json"]
    out, seconds, peak_mb = timed_process(command, work, "qa-index")
    report = json.loads(out)
    return {
        "seconds": report["seconds"],
        "process_seconds": seconds,
        "documents": report["documents"],
        "chunks": report["passages"],
        "disk_bytes": sum(p.stat().st_size for p in Path(index_dir).rglob("*") if p.is_file()),
        "peak_rss_mb": peak_mb,
    }


def timed_process(command: list[str], work: Path, name: str) -> tuple[str, float, float]:
    """Run `command`; its stdout, its wall time from start to exit, and its own peak RSS in MB
    (from wait4, so no other child counts). A failure raises with the end of its stderr."""
    out_file, err_file = work / f"{name}.out", work / f"{name}.err"
    with open(out_file, "w") as out, open(err_file, "w") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            env={**os.environ, "TOKENIZERS_PARALLELISM": "false"},
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        tail = err_file.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise RuntimeError(f"benchmark step {name} failed:\n{tail}")
    return out_file.read_text(encoding="utf-8"), seconds, round(usage.ru_maxrss / 1024, 1)


def http_latency(stack: str, index_dir: str, questions: list[str], work: Path) -> dict[str, Any]:
    port = launch.free_port()
    if stack == "ours":
        command, path = launch.serve_command(index_dir, port, corpus=[]), "/api/search"
    else:
        spec = {"index_dir": index_dir, "port": port}
        command = worker_command("serve-reference", spec, work)
        path = "/search"
    url = f"http://127.0.0.1:{port}{path}"
    started = time.perf_counter()
    child = launch.start(command, deadline_s=1800)
    try:
        with httpx.Client(timeout=60) as client:
            first_answer = _wait_for_answer(client, url, questions[0], child, started)
            for q in questions[:3]:
                client.post(url, json={"question": q, "k": 5})
            latencies = []
            for q in questions:
                t = time.perf_counter()
                response = client.post(url, json={"question": q, "k": 5})
                response.raise_for_status()
                latencies.append((time.perf_counter() - t) * 1000)
    finally:
        child.stop()
    return {"first_answer_s": first_answer, "latency": percentiles(latencies)}


def _wait_for_answer(
    client: httpx.Client, url: str, question: str, child: launch.Child, started: float
) -> float:
    """Seconds from `started` until the server at `url` answers its first question."""
    while time.perf_counter() - started < 300:
        if child.process.poll() is not None:
            raise RuntimeError(f"the server for {url} exited: {child.stderr_tail()}")
        try:
            response = client.post(url, json={"question": question, "k": 5})
        except httpx.HTTPError:
            time.sleep(0.05)
            continue
        if response.status_code == 200:
            return time.perf_counter() - started
        if 400 <= response.status_code < 500:
            raise RuntimeError(f"{url} refused the question: {response.text[:300]}")
        time.sleep(0.05)
    raise RuntimeError(f"no answer from {url} within 300 s")


def percentiles(values: list[float]) -> dict[str, float]:
    array = np.asarray(values) if values else np.zeros(1)
    return {p: float(np.percentile(array, int(p[1:]))) for p in ("p50", "p95", "p99")}
