"""Benchmark corpora as the same articles for both stacks, plus questions to time.

BBC News: one article per .txt file (headline on line 1). AG News: CSV rows of title and
description. Each article's headline is one timed question, asked of both stacks.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from index.errors import InvalidInputError


@dataclass(frozen=True, slots=True)
class Corpus:
    name: str
    paths: list[str]  # what `qa index` reads
    texts: list[str]  # what the reference stack splits: the same articles, raw
    questions: list[str]


def load(name_or_path: str, shared: Path, work: Path, limit: int | None = None) -> Corpus:
    if name_or_path in ("bbc", "bbc_news"):
        return _bbc(shared / "bench" / "bbc_news" / "bbc", limit)
    if name_or_path in ("ag", "ag_news"):
        return _ag(shared / "bench" / "ag_news" / "test.csv", work, limit)
    path = Path(name_or_path)
    if path.is_dir() and any(path.glob("*/*.txt")):
        return _bbc(path, limit)
    if path.suffix == ".csv" and path.is_file():
        return _ag(path, work, limit)
    raise InvalidInputError(
        f"Unknown corpus {name_or_path!r}: use bbc, ag, a folder of <category>/*.txt or a title,description CSV."
    )


def _bbc(folder: Path, limit: int | None) -> Corpus:
    files = sorted(folder.glob("*/*.txt"))[:limit]
    if not files:
        raise InvalidInputError(f"No <category>/*.txt articles under {folder}.")
    texts = [f.read_bytes().decode("utf-8", errors="replace") for f in files]
    headlines = [t.strip().split("\n", 1)[0] for t in texts]
    return Corpus(f"bbc_news ({len(files)} articles)", [str(f) for f in files], texts, headlines)


def _ag(csv_path: Path, work: Path, limit: int | None) -> Corpus:
    with open(csv_path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))[:limit]
    if not rows or not {"title", "description"} <= set(rows[0]):
        raise InvalidInputError(f"{csv_path} needs title and description columns.")
    records = [
        {"id": f"ag-{n}", "title": r["title"], "text": f"{r['title']}\n\n{r['description']}"}
        for n, r in enumerate(rows)
    ]
    work.mkdir(parents=True, exist_ok=True)
    jsonl = work / "ag_news.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return Corpus(
        f"ag_news ({len(rows)} articles)",
        [str(jsonl)],
        [r["text"] for r in records],
        [r["title"] for r in records],
    )
