"""Concurrent questions against a running `qa serve` on 127.0.0.1: throughput and latency.

Starts its own server on a free loopback port (over --index, built from seeds/ if missing)
unless --url is given, runs --clients concurrent clients for --seconds, then stops everything.
Each client asks questions in a loop and waits for each answer before the next. With
--writers N, N more clients add and then delete an article of their own in a loop through
the write API (the server is started with a token for it), alongside the questions.

Usage:
    python scripts/load_test.py --clients 50 --seconds 60 --report docs/load-test.json
    python scripts/load_test.py --clients 32 --writers 2 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tooling import launch  # noqa: E402

QUESTIONS = [
    "Why did Maduro write to Trump?",
    "Which countries has Tren de Aragua spread to?",
    "Who said the letter was full of lies?",
    "What did the defense minister accuse the United States of?",
    "How many people were killed in the strikes on boats?",
    "What is the Cartel de los Soles?",
    "When did Grenell travel to Caracas?",
    "What is the tallest mountain in Africa?",
]


async def client(
    url: str, until: float, seed: int, latencies: list[float], failures: list[str]
) -> None:
    rng = random.Random(seed)
    async with httpx.AsyncClient(timeout=60) as http:
        while time.monotonic() < until:
            body = {"question": rng.choice(QUESTIONS), "k": 3}
            started = time.monotonic()
            try:
                response = await http.post(f"{url}/api/search", json=body)
                if response.status_code != 200 or "passages" not in response.json():
                    failures.append(f"{response.status_code}: {response.text[:200]}")
                    continue
            except httpx.HTTPError as exc:
                failures.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append(time.monotonic() - started)


WRITE_TOKEN = "load-test-writer"


async def writer(
    url: str, until: float, number: int, writes: list[int], failures: list[str]
) -> None:
    """Add, then delete, an article of this writer's own, until the time is up."""
    auth = {"Authorization": f"Bearer {WRITE_TOKEN}"}
    doc_id = f"load-writer-{number}"
    body = {
        "doc_id": doc_id,
        "text": f"Writer {number} reports that the ferry timetable changes on Monday.",
    }
    async with httpx.AsyncClient(timeout=300) as http:
        while time.monotonic() < until:
            for call in (
                http.post(f"{url}/api/documents", json=body, headers=auth),
                http.delete(f"{url}/api/documents/{doc_id}", headers=auth),
            ):
                try:
                    response = await call
                except httpx.HTTPError as exc:
                    failures.append(f"write {type(exc).__name__}: {exc}")
                    continue
                if response.status_code not in (200, 201):
                    failures.append(f"write {response.status_code}: {response.text[:200]}")
                else:
                    writes.append(response.status_code)


async def run(url: str, clients: int, seconds: float, writers: int = 0) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    writes: list[int] = []
    started = time.monotonic()
    until = started + seconds
    await asyncio.gather(
        *(client(url, until, n, latencies, failures) for n in range(clients)),
        *(writer(url, until, n, writes, failures) for n in range(writers)),
    )
    elapsed = time.monotonic() - started
    ms = np.array(latencies) * 1000 if latencies else np.zeros(1)
    return {
        "clients": clients,
        "writers": writers,
        "writes": len(writes),
        "seconds": round(elapsed, 1),
        "requests": len(latencies) + len(failures),
        "failed": len(failures),
        "throughput_per_s": round(len(latencies) / elapsed, 1),
        "latency_ms": {
            "p50": round(float(np.percentile(ms, 50)), 1),
            "p95": round(float(np.percentile(ms, 95)), 1),
            "p99": round(float(np.percentile(ms, 99)), 1),
            "max": round(float(ms.max()), 1),
        },
        "failures": failures[:20],
    }


def _rss_mb(pid: int) -> float | None:
    """Resident memory of the server process tree's largest member, from /proc."""
    try:
        children = subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
        values = []
        for p in [str(pid), *children]:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    values.append(int(line.split()[1]) / 1024)
        return round(max(values), 1) if values else None
    except OSError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--writers", type=int, default=0, help="clients that add and delete")
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument("--index", default=str(ROOT / ".qa-index"))
    parser.add_argument("--report", help="write the result as JSON here")
    args = parser.parse_args()
    if args.url:
        result = asyncio.run(run(args.url, args.clients, args.seconds, args.writers))
    else:
        scratch = Path(tempfile.mkdtemp()) / "index"  # writes change the index: use a copy
        if Path(args.index).is_dir():
            shutil.copytree(args.index, scratch)
        args.index = str(scratch)
        with launch.running_server(
            args.index,
            corpus=[str(ROOT / "seeds")],
            deadline_s=int(args.seconds) + 600,
            within_s=300,
            cwd=ROOT,
            env={"QA_API_TOKEN": WRITE_TOKEN},
        ) as (url, child):
            result = asyncio.run(run(url, args.clients, args.seconds, args.writers))
            result["server_peak_rss_mb"] = _rss_mb(child.process.pid)
    result["command"] = (
        f"python scripts/load_test.py --clients {args.clients} --writers {args.writers} "
        f"--seconds {args.seconds:g}"
    )
    print(json.dumps(result, indent=2))
    if args.report:
        Path(args.report).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0 if result["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
