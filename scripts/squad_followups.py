"""Follow-up questions made from SQuAD, to measure follow-ups on more than a handful.

A SQuAD question that names its article's title ("Which NFL team represented the AFC at
Super Bowl 50?") is asked with the title replaced by "it", after another question on the
same article chosen at random: the follow-up must be resolved from the conversation, and
its answer usually lies in another paragraph than the earlier question's. Each question is
scored as `qa eval` scores it through `Searcher.search` (hit@k counts only answers not
abstained on), three ways: as the follow-up, the follow-up without its history, and the
original question with the title (what the follow-up could reach at best).

    python scripts/squad_followups.py [--questions 400] [--seed 7] [--work .qa-eval]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tooling.evaluation import as_user, datasets  # noqa: E402
from tooling.evaluation.datasets import Question  # noqa: E402
from tooling.evaluation.runner import open_index  # noqa: E402

SQUAD = ROOT.parent / "shared" / "bench" / "squad_dev" / "dev-v1.1.json"


def followups(squad: datasets.QuestionSet, count: int, seed: int) -> list[tuple[Question, str]]:
    """(the follow-up with its history, the original question's text), `count` of them."""
    title_of = {doc.doc_id: doc.title for doc in squad.documents or []}
    by_article: dict[str, list[Question]] = {}
    for q in squad.questions:
        by_article.setdefault(next(iter(q.relevant)).split("-")[0], []).append(q)
    rng = random.Random(seed)
    made = []
    for questions in by_article.values():
        title = title_of[next(iter(questions[0].relevant))].replace("_", " ").strip()
        named = re.compile(rf"\b(?:the\s+)?{re.escape(title)}(?:'s)?\b", re.IGNORECASE)
        for q in questions:
            text = named.sub("it", q.text, count=1)
            others = [other for other in questions if other.qid != q.qid]
            if text == q.text or not others:
                continue
            earlier = rng.choice(others).text
            answers = tuple((doc, answer) for doc in q.relevant for answer in q.answers)
            asked = replace(q, text=text, kind="followup", history=(earlier,), contains=answers)
            made.append((asked, q.text))
    rng.shuffle(made)
    return made[:count]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", default=".qa-eval", help="where evaluation indexes are kept")
    args = parser.parse_args()
    squad = datasets.load(SQUAD)
    made = followups(squad, args.questions, args.seed)
    searcher = open_index(squad, Path(args.work))
    readings = {
        "follow-up": [asked for asked, _ in made],
        "follow-up without its history": [replace(asked, history=()) for asked, _ in made],
        "original question": [replace(asked, text=text, history=()) for asked, text in made],
    }
    report = {}
    for reading, questions in readings.items():
        judged = as_user.run(replace(squad, questions=questions), searcher)
        report[reading] = as_user.summarise(judged)["all"]
        print(reading, json.dumps(report[reading]), file=sys.stderr)
    print(json.dumps({"questions": len(made), "seed": args.seed, "readings": report}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
