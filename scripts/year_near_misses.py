"""Questions about a year the corpus does not cover: do they get "not in these articles"?

Every SQuAD v1.1 dev question that names a year or a decade is asked twice through
`Searcher.search`, over the set's paragraphs written as files (as `qa eval --as-files`
builds them):

- **as written**: answerable. An abstention is false, and the count of those whose first
  passage was the question's own paragraph says what a user loses.
- **moved to another year**: each year the question names is replaced by one 3 to 7 years
  away that its whole Wikipedia article never mentions ("Who was the 2012 NFL MVP?" over
  the 2015 season's article), each decade by one 3 to 7 decades away (a century by 3 to 7
  centuries) that none of the article's years falls in. The story is indexed, the year is
  not: a near miss, which should abstain.

Questions naming a decade are counted apart as well, since they are few.

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
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.asked_years import mentioned_years, named_years, unmentioned  # noqa: E402
from qa.searcher import Searcher  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.datasets import Question  # noqa: E402
from tooling.evaluation.ingested import open_ingested  # noqa: E402

SQUAD = ROOT.parent / "shared" / "bench" / "squad_dev" / "dev-v1.1.json"
SHIFTS = (-7, -6, -5, -4, -3, 3, 4, 5, 6, 7)
COUNTED = (
    "asked",
    "right_first",
    "model",
    "search",
    "model_right_first",
    "search_right_first",
    "near",
    "near_model",
    "near_search",
)


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
    """The question with each year or decade it names moved to one its article never meets."""
    for year in named_years(question):
        step = 1 if not year.endswith("s") else 100 if year.endswith("00s") else 10
        shifted = (int(year[:4]) + d * step for d in SHIFTS)
        free = [
            f"{first}{year[4:]}"
            for first in shifted
            if 1500 <= first <= 2099 and unmentioned([f"{first}{year[4:]}"], covered)
        ]
        if not free:
            return None
        after = r"(?=['’]?s\b)" if year.endswith("s") else r"(?!\d)"
        question = re.sub(rf"(?<!\d){year[:4]}{after}", rng.choice(free)[:4], question)
    return question


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / ".qa-eval")
    args = parser.parse_args()
    squad = datasets.load(SQUAD)
    searcher, stems = open_ingested(squad, args.work)
    articles = article_texts()
    # years alone draw as this script always drew; decades from their own sequence
    draws = {"years only": random.Random(args.seed), "naming a decade": random.Random(args.seed)}

    def group(question: str) -> str | None:
        asked = named_years(question)
        if not asked:
            return None
        return "naming a decade" if any(y.endswith("s") for y in asked) else "years only"

    def move(qid: str, question: str, group: str) -> str | None:
        return moved(question, mentioned_years(articles[qid]), draws[group])

    report(tally(searcher, stems, squad.questions, group, move), "the year check")
    return 0


def tally(
    searcher: Searcher,
    stems: dict[str, str],
    questions: Iterable[Question],
    group: Callable[[str], str | None],
    move: Callable[[str, str, str], str | None],
) -> dict[str, dict[str, int]]:
    """Each question `group` puts in a group asked as written and as `move` moves it (None:
    it cannot be moved), counted by group."""
    threshold = searcher.abstention.threshold
    counts: dict[str, dict[str, int]] = {}
    for question in questions:
        name = group(question.text)
        if name is None:
            continue
        tally = counts.setdefault(name, dict.fromkeys(COUNTED, 0))
        result = searcher.search(question.text, k=10)
        first = result.passages[0].doc_id if result.passages else ""
        right_first = stems.get(first, first) in question.relevant
        tally["asked"] += 1
        tally["right_first"] += right_first
        tally["model"] += result.confidence < threshold
        tally["search"] += result.abstained
        tally["model_right_first"] += right_first and result.confidence < threshold
        tally["search_right_first"] += right_first and result.abstained
        other = move(question.qid, question.text, name)
        if other is None:
            continue
        near = searcher.search(other, k=10)
        tally["near"] += 1
        tally["near_model"] += near.confidence < threshold
        tally["near_search"] += near.abstained
    return counts


def report(counts: dict[str, dict[str, int]], check: str) -> None:
    print(json.dumps(counts, indent=1))
    for group, tally in counts.items():
        print(
            f"{group}, as written ({tally['asked']}): the right document first for "
            f"{tally['right_first']}; abstained {tally['model']} by the model alone, "
            f"{tally['search']} with {check}; of those with the right first passage "
            f"{tally['model_right_first']} and {tally['search_right_first']}\n"
            f"{group}, moved ({tally['near']}): abstained {tally['near_model']} by the "
            f"model alone, {tally['near_search']} with {check}"
        )


if __name__ == "__main__":
    sys.exit(main())
