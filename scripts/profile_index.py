"""Where the whole-process time of `qa index` goes: a cProfile of one run, summed by phase.

    python scripts/profile_index.py CORPUS [--out docs/bench/profile-200.json]

Runs `qa index CORPUS --index <fresh folder>` in this process under cProfile, after timing
the imports the command needs, and prints one row a phase: seconds of the run and its share.
Phases are named functions of the pipeline (their cumulative time); "other" is the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

STARTED = time.perf_counter()
from qa.cli import main  # noqa: E402  (timed: the command's own imports)

IMPORTED = time.perf_counter()

# (phase, file suffix, function name): cumulative time of that function in the profile.
PHASES = [
    ("read, decode, clean, metadata", "index/ingest/prepare.py", "read_documents"),
    ("fingerprint the files", "index/ingest/sources.py", "describe_sources"),
    ("MinHash and near-duplicates", "index/build/reuse.py", "signatures"),
    ("split into passages and sentences", "index/build/embedding.py", "split_document"),
    ("load the encoder (ONNX session, tokenizer)", "index/encoders/loading.py", "onnx_encoder"),
    ("tokenise passages", "index/encoders/onnx_model.py", "tokens"),
    (
        "model forward over passages (ONNX Runtime)",
        "onnxruntime/capi/onnxruntime_inference_collection.py",
        "run",
    ),
    ("pool sentence vectors from passage tokens", "index/encoders/pooling.py", "add"),
    ("write the version (BM25, FAISS, terms, files)", "index/stores/writer.py", "_write_files"),
    ("checksums, verify, swap", "index/stores/writer.py", "_verify_written"),
]


def main_profile() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--out", help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        profile = cProfile.Profile()
        began = time.perf_counter()
        profile.enable()
        code = main(["index", args.corpus, "--index", str(Path(work) / "index")])
        profile.disable()
        run = time.perf_counter() - began
    if code != 0:
        return code
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = [("imports of the qa command", IMPORTED - STARTED)]
    for phase, suffix, name in PHASES:
        seconds = sum(
            cumulative
            for (path, _, function), (_, _, _, cumulative, _) in stats.items()
            if function == name and path.replace("\\", "/").endswith(suffix)
        )
        rows.append((phase, seconds))
    named = sum(s for _, s in rows[1:])  # no named phase runs inside another
    total = run + (IMPORTED - STARTED)
    rows.append(("other (reuse lookups, progress, logging, ...)", max(0.0, run - named)))
    print(f"{'phase':<52} {'seconds':>8} {'share':>6}")
    for phase, seconds in rows:
        print(f"{phase:<52} {seconds:8.2f} {seconds / total:6.1%}")
    print(f"{'total (imports + run)':<52} {total:8.2f}")
    if args.out:
        Path(args.out).write_text(
            json.dumps({"corpus": args.corpus, "total_s": total, "phases": dict(rows)}, indent=2)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main_profile())
