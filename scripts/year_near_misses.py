"""Questions about a year the corpus does not cover: do they get "not in these articles"?

Every SQuAD v1.1 dev question that names a year is asked twice through `Searcher.search`,
over the set's paragraphs written as files (as `qa eval --as-files` builds them):

- **as written**: answerable. An abstention is false, and the count of those whose first
  passage was the question's own paragraph says what a user loses.
- **moved to another year**: each year the question names is replaced by one 3 to 7 years
  away that its whole Wikipedia article never mentions ("Who was the 2012 NFL MVP?" over
  the 2015 season's article). The story is indexed, the year is not: a near miss, which
  should abstain.

Both are read twice: by the abstention model alone (its confidence against its threshold)
and as `search` decides, with the year check of qa/asked_years.py. The ranking is the one
`search` gives, articles that mention the years asked about first.

    python scripts/year_near_misses.py [--seed 3] [--work .qa-eval]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.asked_years import mentioned_years, named_years  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.ingested import open_ingested  # noqa: E402

SQUAD = ROOT.parent / "shared" / "bench" / "squad_dev" / "dev-v1.1.json"
SHIFTS = (-7, -6, -5, -4, -3, 3, 4, 5, 6, 7)


def article_texts() -> dict[str, str]:
    """Each question id -> the whole Wikipedia article its paragraph comes from."""
    data = json.loads(SQUAD.read_text(encoding="utf-8"))["data"]
    texts = {}
    for article in data:
        whole = " ".join(p["context"] for p in article["paragraphs"])
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                texts[qa["id"]] = whole
    return texts


def moved(question: str, covered: set[str], rng: random.Random) -> str | None:
    """The question with each year it names moved to one its article never mentions."""
    for year in named_years(question):
        free = [str(int(year) + d) for d in SHIFTS if str(int(year) + d) not in covered]
        if not free:
            return None
        question = re.sub(rf"(?<!\d){year}(?!\d)", rng.choice(free), question)
    return question


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / ".qa-eval")
    args = parser.parse_args()
    squad = datasets.load(SQUAD)
    searcher, stems = open_ingested(squad, args.work)
    threshold = searcher.abstention.threshold
    articles = article_texts()
    rng = random.Random(args.seed)
    counts = dict.fromkeys(
        (
            "asked",
            "right_first",
            "model",
            "search",
            "model_right_first",
            "search_right_first",
            "near",
            "near_model",
            "near_search",
        ),
        0,
    )
    for question in squad.questions:
        if not named_years(question.text):
            continue
        result = searcher.search(question.text, k=10)
        first = result.passages[0].doc_id if result.passages else ""
        right_first = stems.get(first, first) in question.relevant
        counts["asked"] += 1
        counts["right_first"] += right_first
        counts["model"] += result.confidence < threshold
        counts["search"] += result.abstained
        counts["model_right_first"] += right_first and result.confidence < threshold
        counts["search_right_first"] += right_first and result.abstained
        other = moved(question.text, mentioned_years(articles[question.qid]), rng)
        if other is None:
            continue
        near = searcher.search(other, k=10)
        counts["near"] += 1
        counts["near_model"] += near.confidence < threshold
        counts["near_search"] += near.abstained
    print(json.dumps(counts, indent=1))
    print(
        f"as written ({counts['asked']}): the right paragraph first for {counts['right_first']}; "
        f"abstained {counts['model']} by the model alone, "
        f"{counts['search']} with the year check; of those with the right first passage "
        f"{counts['model_right_first']} and {counts['search_right_first']}\n"
        f"moved to another year ({counts['near']}): abstained {counts['near_model']} by the "
        f"model alone, {counts['near_search']} with the year check"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
