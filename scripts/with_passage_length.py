"""Run a `qa` command with another default passage length, to compare lengths on every set.

`qa index` takes --chunk-size and --chunk-overlap, but `qa eval` and `qa calibrate` build
their indexes with the defaults; this sets the defaults for one run. With --abstention, new
indexes copy that abstention model (one `qa calibrate --out` wrote for the same length)
instead of the packaged one. docs/quality.md has the loop that compared 500, 750 and 1,000.

    python scripts/with_passage_length.py SIZE OVERLAP [--abstention FILE] QA_ARGS...
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import config  # noqa: E402  (before anything that reads the defaults)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int)
    parser.add_argument("overlap", type=int)
    parser.add_argument("--abstention", type=Path, help="the abstention model new indexes copy")
    args, qa_args = parser.parse_known_args()
    config.DEFAULT_CHUNK_SIZE, config.DEFAULT_CHUNK_OVERLAP = args.size, args.overlap
    if args.abstention:
        config.ABSTENTION_FILE = args.abstention
    from index.build.settings import BuildOptions
    from qa.cli import main as qa

    if BuildOptions().chunk_size != args.size:
        raise SystemExit("the passage length was read before it was set")
    return qa(qa_args)


if __name__ == "__main__":
    sys.exit(main())
