"""SQuAD questions rewritten the way users ask: follow-ups and typos, hundreds of each.

The dev sets hold 9 follow-ups and 5 typo questions, too few to tell one mechanism from
another. This makes more from SQuAD v1.1 dev and scores them through `Searcher.search`, as
`qa eval` scores a question set (hit@k counts only answers not abstained on):

- **followup**: a question that names its article's title ("Which NFL team represented the
  AFC at Super Bowl 50?") asked with the title replaced by "it", after another question on
  the same article chosen at random. Its answer usually lies in another paragraph than the
  earlier question's. Read as the follow-up, as the follow-up without its history, and as
  the original question (what the follow-up could reach at best).
- **typo**: one typing slip (two letters swapped, one dropped, one doubled or one replaced by
  a key next to it) in the question's longest word of five letters or more. Read with the
  slip and as the original question.

    python scripts/squad_rewritten.py followup|typo [--questions 400] [--seed 7] [--work .qa-eval]
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
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def followups(squad: datasets.QuestionSet, rng: random.Random) -> list[tuple[Question, str]]:
    """(the follow-up with its history, the original question's text)."""
    title_of = {doc.doc_id: doc.title for doc in squad.documents or []}
    made = []
    for questions in _by_article(squad).values():
        title = title_of[next(iter(questions[0].relevant))].replace("_", " ").strip()
        named = re.compile(rf"\b(?:the\s+)?{re.escape(title)}(?:'s)?\b", re.IGNORECASE)
        for q in questions:
            text = named.sub("it", q.text, count=1)
            others = [other for other in questions if other.qid != q.qid]
            if text == q.text or not others:
                continue
            earlier = rng.choice(others).text
            made.append(
                (replace(_judged(q), text=text, kind="followup", history=(earlier,)), q.text)
            )
    return made


def typos(squad: datasets.QuestionSet, rng: random.Random) -> list[tuple[Question, str]]:
    """(the question with one slip in its longest word, the original question's text)."""
    made = []
    for q in squad.questions:
        words = [m for m in re.finditer(r"[A-Za-z]{5,}", q.text)]
        if not words:
            continue
        word = max(words, key=lambda m: len(m.group(0)))
        slipped = _slip(word.group(0), rng)
        text = q.text[: word.start()] + slipped + q.text[word.end() :]
        made.append((replace(_judged(q), text=text, kind="typo"), q.text))
    return made


def _slip(word: str, rng: random.Random) -> str:
    """One typing slip inside the word (its first letter kept, as people rarely miss it)."""
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "double", "neighbour"))
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == "drop":
        return word[:at] + word[at + 1 :]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    row = next((r for r in KEYBOARD_ROWS if word[at].lower() in r), None)
    if row is None:
        return word[:at] + word[at + 1 :]
    i = row.index(word[at].lower())
    near = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]
    return word[:at] + rng.choice(near) + word[at + 1 :]


def _by_article(squad: datasets.QuestionSet) -> dict[str, list[Question]]:
    articles: dict[str, list[Question]] = {}
    for q in squad.questions:
        articles.setdefault(next(iter(q.relevant)).split("-")[0], []).append(q)
    return articles


def _judged(q: Question) -> Question:
    """The question judged as a .jsonl set's is: a cited passage of its paragraph holding an
    answer."""
    return replace(q, contains=tuple((doc, answer) for doc in q.relevant for answer in q.answers))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("followup", "typo"))
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", default=".qa-eval", help="where evaluation indexes are kept")
    args = parser.parse_args()
    squad = datasets.load(SQUAD)
    rng = random.Random(args.seed)
    made = (followups if args.kind == "followup" else typos)(squad, rng)
    rng.shuffle(made)
    made = made[: args.questions]
    readings = {f"as a {args.kind}": [asked for asked, _ in made]}
    if args.kind == "followup":
        readings["without its history"] = [replace(asked, history=()) for asked, _ in made]
    readings["the original question"] = [
        replace(asked, text=text, history=()) for asked, text in made
    ]
    searcher = open_index(squad, Path(args.work))
    report = {}
    for reading, questions in readings.items():
        judged = as_user.run(replace(squad, questions=questions), searcher)
        report[reading] = as_user.summarise(judged)["all"]
        print(reading, json.dumps(report[reading]), file=sys.stderr)
    summary = {"kind": args.kind, "questions": len(made), "seed": args.seed, "readings": report}
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
