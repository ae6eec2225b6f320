"""The lines of text files that cleaning leaves out: to audit what an index would not hold.

Reads the folders as `qa index` does (`read_documents`: decoding, cleaning, metadata; no
embedding) and prints, for each .txt or .md file, the non-blank lines that are not in its
cleaned text, then a count. Near-duplicate files are each checked on their own text.

    python scripts/dropped_lines.py FOLDER [FOLDER ...] [--summary]
"""

from __future__ import annotations

import argparse
import sys
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index import read_documents  # noqa: E402
from index.ingest.decoding import decode  # noqa: E402

TEXT_SUFFIXES = (".txt", ".md")


def dropped_lines(folders: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """How many text files were read, and (source, line) for each line left out."""
    documents, _ = read_documents(folders)
    files, dropped = 0, []
    for document in documents:
        path = Path(document.source)
        if path.suffix.lower() not in TEXT_SUFFIXES or not path.is_file():
            continue
        files += 1
        original = decode(path.read_bytes())[0]
        for line in original.splitlines():
            if line.strip() and unescape(line.strip()) not in document.text:  # "&#163;" is "£"
                dropped.append((document.source, line.strip()))
    return files, dropped


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folders", nargs="+")
    parser.add_argument("--summary", action="store_true", help="print the count only")
    args = parser.parse_args()
    files, dropped = dropped_lines(args.folders)
    if not args.summary:
        for source, line in dropped:
            print(f"{source} | {line}")
    touched = len({source for source, _ in dropped})
    print(f"text files read: {files}; lines left out: {len(dropped)}, in {touched} of them")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
