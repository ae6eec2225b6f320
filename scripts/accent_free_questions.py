"""Questions typed without their accents: do they find what the question as written finds?

Every SQuAD v1.1 dev question that writes an accented Latin letter ("Beyoncé", "Pokémon") is
asked twice through `Searcher.search`, as written and with its accents taken off (as typed
on a plain keyboard), over the set's corpus written as files the way `qa eval --as-files`
writes it: one file per paragraph, and one per article (`--whole-articles`). Counted for
each: the first passage is from the question's document and holds an answer; it answers and
its highlight holds one; search abstains.

    python scripts/accent_free_questions.py [--work .qa-eval]
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.searcher import Searcher  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.ingested import first_passage_answers, open_ingested  # noqa: E402

SQUAD = ROOT.parent / "shared" / "bench" / "squad_dev" / "dev-v1.1.json"


def typed_plain(text: str) -> str:
    """The text with every accent taken off, as a plain keyboard types it."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def accented(question: str) -> bool:
    """It writes a Latin letter with an accent that a plain keyboard types otherwise."""
    latin = any("LATIN" in unicodedata.name(c, "") and not c.isascii() for c in question)
    return latin and typed_plain(question) != question


def count(searcher: Searcher, stems: dict[str, str], questions: list[datasets.Question]) -> Counter:
    counts: Counter = Counter()
    for question in questions:
        for form, text in (
            ("as written", question.text),
            ("typed plain", typed_plain(question.text)),
        ):
            result = searcher.search(text, k=5)
            holds, marked = first_passage_answers(searcher, stems, question, result)
            counts[f"{form}: first passage holds an answer"] += holds
            counts[f"{form}: highlight holds an answer"] += marked
            counts[f"{form}: abstained"] += result.abstained
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=".qa-eval", help="where evaluation indexes are kept")
    args = parser.parse_args()
    report = {}
    for whole in (False, True):
        squad = datasets.load(SQUAD, whole_articles=whole)
        questions = [q for q in squad.questions if accented(q.text)]
        searcher, stems = open_ingested(squad, Path(args.work))
        counts = count(searcher, stems, questions)
        report["whole articles" if whole else "paragraphs"] = {
            "questions": len(questions),
            **dict(sorted(counts.items())),
        }
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
