"""Questions about a country the corpus does not cover: do they get "not in these articles"?

Every SQuAD v1.1 dev question that names a country (qa/asked_countries.py) is asked twice
through `Searcher.search`, over the set's paragraphs written as files (as `qa eval
--as-files` builds them; with `--whole-articles`, each article one file, as news stories
are), as scripts/year_near_misses.py asks the questions naming a year:

- **as written**: answerable. An abstention is false, and the count of those whose first
  passage was the question's own paragraph says what a user loses.
- **moved to another country**: each country the question names is replaced by a country
  its whole Wikipedia article never mentions, drawn from those of over ten million people,
  named the way the question named it ("the French army" becomes "the Kenyan army",
  "France's" becomes "Kenya's"). The story is indexed, the country is not: a near miss,
  which should abstain.

Both are read by the abstention model alone and as `search` decides, with the year and
country checks (qa/conditions.py).

    python scripts/country_near_misses.py [--whole-articles] [--seed 3] [--work .qa-eval]
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
from pathlib import Path

from countryinfo import all_countries

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from year_near_misses import SQUAD, article_texts, report, tally  # noqa: E402

from qa.asked_countries import country_spans, mentioned_countries  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.ingested import open_ingested  # noqa: E402

POPULOUS = 10_000_000


@functools.cache
def replacements() -> dict[str, tuple[str, str]]:
    """Countries a question may be moved to: name -> (name, people's adjective)."""
    return {
        info["name"]: (info["name"], info["demonym"])
        for info in map(_info, all_countries())
        if (info.get("population") or 0) >= POPULOUS
        and info.get("demonym")
        and " " not in info["name"]
    }


def moved(question: str, article: str, rng: random.Random) -> str | None:
    """The question with each country it names replaced by one its article never mentions."""
    spans = list(country_spans(question))
    free = sorted(set(replacements()) - mentioned_countries(article))
    if not spans or not free:
        return None
    for start, end, _ in reversed(spans):
        name, people = replacements()[rng.choice(free)]
        written = question[start:end]
        if written in adjectives():
            new = people + ("s" if written.endswith("s") and not people.endswith("s") else "")
        else:
            new = name
        question = question[:start] + new + question[end:]
    return question


@functools.cache
def adjectives() -> frozenset[str]:
    """Every country's people's adjective, and its plural ("French", "Kenyans")."""
    found = {(info.get("demonym") or "").strip() for info in map(_info, all_countries())}
    return frozenset(found | {f + "s" for f in found}) - {"", "s"}


def _info(country: object) -> dict:
    return country.info()  # type: ignore[attr-defined,no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / ".qa-eval")
    parser.add_argument(
        "--whole-articles", action="store_true", help="each Wikipedia article one file"
    )
    args = parser.parse_args()
    squad = datasets.load(SQUAD, whole_articles=args.whole_articles)
    searcher, stems = open_ingested(squad, args.work)
    articles = article_texts()
    rng = random.Random(args.seed)

    def group(question: str) -> str | None:
        return "naming a country" if next(country_spans(question), None) else None

    def move(qid: str, question: str, _group: str) -> str | None:
        return moved(question, articles[qid], rng)

    report(tally(searcher, stems, squad.questions, group, move), "the year and country checks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
