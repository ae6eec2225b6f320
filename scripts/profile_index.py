"""Where the whole-process time of `qa index` goes: a cProfile of one run, summed by phase.

    python scripts/profile_index.py CORPUS [--out docs/bench/profile-200.json]

Runs `qa index CORPUS --index <fresh folder>` in this process under cProfile, after timing
the imports the command needs, and prints one row a phase: seconds of the run and its share.
A phase is the cumulative time of a named function of the pipeline; none of them runs inside
another, so "other" is what the run spent outside all of them.
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

# (phase, [(file suffix, function name), ...]): the functions' cumulative time, summed.
LOAD = [("index/encoders/loading.py", "onnx_encoder"), ("index/encoders/model.py", "torch_encoder")]
PHASES = [
    ("read, decode, clean, metadata", [("index/ingest/prepare.py", "read_documents")]),
    ("fingerprint the files", [("index/ingest/sources.py", "describe_sources")]),
    ("MinHash and near-duplicates", [("index/build/reuse.py", "signatures")]),
    ("split into passages and sentences", [("index/build/embedding.py", "split_document")]),
    ("load the encoder (PyTorch and the model, or an ONNX session)", LOAD),
    ("encode passages and sentences", [("index/build/embedding.py", "embed_split")]),
    ("write the version (BM25, FAISS, terms, files)", [("index/stores/writer.py", "_write_files")]),
    ("checksums, verify, swap", [("index/stores/writer.py", "_verify_written")]),
]
FORWARD = [  # inside "encode": the model itself, under either runtime
    ("onnxruntime_inference_collection.py", "run"),
    ("sentence_transformers/base/modules/transformer.py", "forward"),  # sentence-transformers 5
]


def profile_index() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
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
    imports = IMPORTED - STARTED
    rows = [("imports of the qa command", imports)]
    rows += [(phase, _cumulative(stats, where)) for phase, where in PHASES]
    load = _cumulative(stats, LOAD)  # the encoder is loaded inside embed_split: not twice
    rows = [(p, s - load if p.startswith("encode") else s) for p, s in rows]
    rows.append(("other", max(0.0, run - sum(s for _, s in rows[1:]))))
    forward = _cumulative(stats, FORWARD)
    total = run + imports
    print(f"{'phase':<52} {'seconds':>8} {'share':>6}")
    for phase, seconds in rows:
        print(f"{phase:<52} {seconds:8.2f} {seconds / total:6.1%}")
        if phase.startswith("encode"):
            label = "  of which the model's forward pass"
            print(f"{label:<52} {forward:8.2f} {forward / total:6.1%}")
    print(f"{'total (imports + run)':<52} {total:8.2f}")
    if args.out:
        figures = {"corpus": args.corpus, "total_s": total, "forward_s": forward}
        Path(args.out).write_text(json.dumps({**figures, "phases": dict(rows)}, indent=2) + "\n")
    return 0


def _cumulative(stats: dict, where: list[tuple[str, str]]) -> float:
    """Cumulative seconds of the functions named (file suffix, function name)."""
    return sum(
        cumulative
        for (path, _, function), (_, _, _, cumulative, _) in stats.items()
        if any(function == name and path.replace("\\", "/").endswith(s) for s, name in where)
    )


if __name__ == "__main__":
    sys.exit(profile_index())
