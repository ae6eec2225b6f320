"""Questions asking for a sum or a number, asked where the passage that gives it is gone:
do they get "not in these articles"?

Every SQuAD v1.1 dev question asking "how much" money or "how many / how much / how long"
(`asked_kind` in qa/rerank/answer_type.py) is asked twice, over the set's paragraphs written
as files (as `qa eval --as-files` builds them):

- **as written**: answerable. An abstention of one whose first passage is its own paragraph
  is what a user loses.
- **its paragraph withheld**: the same question over every other paragraph, the rest of its
  Wikipedia article included. The story is indexed, the answer is not: a near miss, which
  should abstain. Those whose first passage still holds one of the answers are left out.

Each is read three ways: by the abstention model alone (its confidence against its
threshold); with the year and country checks too (its article never mentions a year or
country the question names), as `search` decided before the sums and numbers; and as `search` decides, which also
abstains when the first passage gives no sum or number (`missing_kind`).

    python scripts/kind_near_misses.py [--work .qa-eval]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.citations import cite  # noqa: E402
from qa.rerank.answer_type import REQUIRED_KINDS, asked_kind  # noqa: E402
from qa.retrieval.candidates import Candidate  # noqa: E402
from qa.searcher import Searcher  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.ingested import open_ingested  # noqa: E402

SQUAD = ROOT.parent / "shared" / "bench" / "squad_dev" / "dev-v1.1.json"
READINGS = ("by the model", "with the year and country checks", "by search")


def first_passage(
    searcher: Searcher, question: str, allowed: np.ndarray | None
) -> tuple[Candidate | None, tuple[bool, bool, bool]]:
    """What `search` cites first for a question over the allowed documents, and whether it
    abstains by the model alone, with the year and country checks, and with every check."""
    query = searcher.resolve(question)
    vector = searcher.encoder.encode([query], progress=False)[0]
    cited = cite(searcher.years_first(question, searcher.reranked(query, vector, allowed)), 1)
    by_model = searcher.confidence(cited) < searcher.abstention.threshold
    by_mentions = by_model or bool(searcher.unmentioned(question, cited))
    return (cited[0] if cited else None), (
        by_model,
        by_mentions,
        searcher.abstains(question, cited),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / ".qa-eval")
    args = parser.parse_args()
    squad = datasets.load(SQUAD)
    searcher, stems = open_ingested(squad, args.work)
    documents = searcher.stored.documents
    stem_of_row = [stems.get(doc.doc_id, doc.doc_id) for doc in documents]
    counts: Counter[str] = Counter()
    for question in squad.questions:
        kind = asked_kind(question.text)
        if kind not in REQUIRED_KINDS:
            continue
        first, abstained = first_passage(searcher, question.text, None)
        right_first = first is not None and stem_of_row[first.doc_row] in question.relevant
        counts[f"{kind} asked"] += 1
        counts[f"{kind} right first"] += right_first
        for reading, said in zip(READINGS, abstained, strict=True):
            counts[f"{kind} right first, abstained {reading}"] += right_first and said
        withheld = np.array([stem not in question.relevant for stem in stem_of_row])
        first, abstained = first_passage(searcher, question.text, withheld)
        if first is None:
            continue
        text = documents[first.doc_row].text[first.start : first.end]
        if any(answer in text for answer in question.answers):
            continue  # another paragraph gives the answer: not a near miss
        counts[f"{kind} near misses"] += 1
        for reading, said in zip(READINGS, abstained, strict=True):
            counts[f"{kind} near misses, abstained {reading}"] += said
    print(json.dumps(dict(sorted(counts.items())), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
