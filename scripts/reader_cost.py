"""What a reader of question and sentence together would cost a search, measured here.

No cross-encoder or extractive-reader weights ship in any registry package, and the ones
trained here did not choose better (docs/quality.md). This measures the other half of the
question: the time. A reader the size of all-MiniLM-L6-v2 (six layers) costs what the
encoder costs on the same tokens, so each question's text joined to each candidate
sentence is run through the index's own query encoder, and timed against the search:

- the search itself (`Searcher.search`, p50 over the questions);
- the question's vector alone (what the search pays for its one pass of the encoder);
- a reader over the sentences of the first cited passage only (enough to choose its
  highlight);
- a reader over the sentences of the first five (enough to reorder them).

    python scripts/reader_cost.py --index /tmp/bbc [--questions ../shared/eval/dev_bbc.jsonl]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.text.sentences import split_sentences  # noqa: E402
from qa.searcher import Searcher  # noqa: E402


def first_sentences(searcher: Searcher, question: str, passages: int) -> list[str]:
    """The sentences of the first `passages` cited for the question."""
    out: list[str] = []
    for cited in searcher.search(question, k=passages).passages[:passages]:
        text = searcher.article(cited.doc_id).text
        out += [text[a:b] for a, b in split_sentences(text, cited.start, cited.end)]
    return out


def p50_ms(run: Callable[[str], object], questions: list[str]) -> float:
    times = []
    for question in questions:
        start = time.perf_counter()
        run(question)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True)
    parser.add_argument("--questions", default=str(ROOT.parent / "shared/eval/dev_bbc.jsonl"))
    parser.add_argument("--limit", type=int, default=40)
    args = parser.parse_args()
    searcher = Searcher.load(args.index)
    lines = Path(args.questions).read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()][: args.limit]
    encode = searcher.encoder.encode
    for question in questions[:5]:  # warm up
        searcher.search(question)
    print(f"{len(questions)} questions of {args.questions}, index {args.index}")
    print(f"search p50: {p50_ms(searcher.search, questions):.1f} ms")
    print(
        f"the question's vector p50: {p50_ms(lambda q: encode([q], progress=False), questions):.1f} ms"
    )
    for passages in (1, 5):
        pairs = {q: [f"{q} {s}" for s in first_sentences(searcher, q, passages)] for q in questions}
        sentences = statistics.mean(len(p) for p in pairs.values())
        cost = p50_ms(lambda q, pairs=pairs: encode(pairs[q], progress=False), questions)
        print(
            f"a six-layer reader over the first {passages} passage(s), "
            f"{sentences:.1f} sentences a question: p50 {cost:.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
