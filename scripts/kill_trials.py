"""SIGKILL `qa index` at random moments and check that nothing is ever corrupt or lost.

Each trial switches the corpus between two versions (the seeds, and the seeds plus a batch of
BBC News articles), starts `qa index`, kills it with SIGKILL after a random delay, and checks:
  - the index loads with every checksum verified, and holds exactly the old or the new
    documents: never a mix, never a partial version;
  - FAISS, BM25 and the passage table agree on the number of passages;
  - a rerun completes, and the index then holds every document of the corpus.

Usage:
    python scripts/kill_trials.py --trials 20 --report docs/kill-trials.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import load_index, read_documents  # noqa: E402
from qa import Searcher  # noqa: E402


def qa_index(corpus: Path, index_dir: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "index", str(corpus), "--index", str(index_dir)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def check(index_dir: Path, allowed: dict[str, set[str]]) -> str:
    """Which corpus version the index holds; raises if it is corrupt, partial or mixed."""
    stored = load_index(index_dir)  # verifies every file's size and SHA-256
    ids = {d.doc_id for d in stored.documents}
    matches = [name for name, wanted in allowed.items() if ids == wanted]
    if not matches:
        raise AssertionError(f"index holds {len(ids)} documents, matching no corpus version")
    n = len(stored.chunks)
    if not (
        stored.passages.faiss_index.ntotal
        == n
        == stored.passages.bm25.size()
        == len(stored.chunk_vectors)
    ):
        raise AssertionError("FAISS, BM25 and the passage table disagree")
    if not Searcher(stored, _encoder(), index_dir).search("What happened?", k=3).passages:
        raise AssertionError("a loaded index answered nothing")
    return matches[0]


_ENCODER = None


def _encoder():  # type: ignore[no-untyped-def]
    global _ENCODER
    if _ENCODER is None:
        from index.encoders.loading import get_encoder

        _ENCODER = get_encoder("all-MiniLM-L6-v2")
    return _ENCODER


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--extra", type=int, default=40, help="BBC articles in the larger corpus")
    parser.add_argument("--bbc", default=str(ROOT.parent / "shared/bench/bbc_news/bbc"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--report", help="write the trials as JSON here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="kill-trials-"))
    small, large, index_dir = work / "small", work / "large", work / "index"
    shutil.copytree(ROOT / "seeds", small)
    shutil.copytree(ROOT / "seeds", large)
    bbc = sorted(Path(args.bbc).glob("*/*.txt"))
    for path in rng.sample(bbc, args.extra):
        shutil.copy(path, large / f"bbc-{path.parent.name}-{path.name}")
    versions = {
        "small": {d.doc_id for d in read_documents([small])[0]},
        "large": {d.doc_id for d in read_documents([large])[0]},
    }
    corpora = {"small": small, "large": large}

    started = time.perf_counter()

    def timed_run(corpus: Path) -> float:
        began = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "qa.cli", "index", str(corpus), "--index", str(index_dir)],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - began

    timed_run(small)
    # How long an uninterrupted switch to each version takes: kills are drawn within it.
    duration = {"large": timed_run(large), "small": timed_run(small)}
    timed_run(large)
    print(f"uninterrupted switches take {duration}", file=sys.stderr)
    state = check(index_dir, versions)

    trials = []
    for n in range(1, args.trials + 1):
        target = "small" if state == "large" else "large"
        delay = rng.uniform(0.0, duration[target] * 1.05)
        process = qa_index(corpora[target], index_dir)
        time.sleep(delay)
        finished_first = process.poll() is not None
        if not finished_first:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        trial = {
            "trial": n,
            "to": target,
            "kill_after_s": round(delay, 2),
            "killed": not finished_first,
        }
        try:
            trial["after_kill"] = check(index_dir, versions)
            rerun = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "qa.cli",
                    "index",
                    str(corpora[target]),
                    "--index",
                    str(index_dir),
                ],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            trial["rerun_exit"] = rerun.returncode
            state = check(index_dir, versions)
            trial["after_rerun"] = state
            trial["lost_documents"] = len(
                versions[target] - {d.doc_id for d in load_index(index_dir).documents}
            )
            trial["ok"] = rerun.returncode == 0 and state == target and trial["lost_documents"] == 0
            leftovers = [p.name for p in index_dir.iterdir() if p.name.startswith(".tmp-")]
            trial["leftover_temp_dirs"] = len(leftovers)
        except Exception as exc:  # a failed check is the finding, recorded, not a crash
            trial["ok"] = False
            trial["error"] = str(exc)
        trials.append(trial)
        print(json.dumps(trial), file=sys.stderr)

    summary = {
        "trials": len(trials),
        "killed_mid_run": sum(t["killed"] for t in trials),
        "corrupt_or_partial": sum(1 for t in trials if "error" in t),
        "lost_documents": sum(t.get("lost_documents", 0) for t in trials),
        "failed": sum(1 for t in trials if not t["ok"]),
        "uninterrupted_switch_s": {k: round(v, 1) for k, v in duration.items()},
        "documents": {k: len(v) for k, v in versions.items()},
        "seconds": round(time.perf_counter() - started, 1),
        "details": trials,
    }
    print(json.dumps({k: v for k, v in summary.items() if k != "details"}, indent=2))
    if args.report:
        Path(args.report).write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if summary["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
