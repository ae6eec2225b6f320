"""Fit the sentence ranker's weights (qa/rerank/ranker.json) across labelled sets, leave-one-set-out.

Sets: SQuAD v1.1 dev split in two by article (halves A and B), dev_seeds over seeds/, and
dev_bbc over all of BBC News; SciFact with --scifact. For each question the searcher's own
candidates are taken (the fused top 30 passages, every sentence and attribution part in them,
with the features of qa/rerank/ranker.py). A candidate is right when it lies in an article the
answer names and holds the answer (SQuAD: an answer string; dev sets: it overlaps the answer
string in the article; SciFact: any sentence of a relevant abstract).

The model is a conditional logit over a question's candidates: each candidate scores
theta . [features, fusion score of its passage], trained to put the probability on the right
ones, every set weighing the same. The figure reported is sentence hit@1: the top-scoring
candidate is a right one (so the first passage holds the answer and it is highlighted).
For each set, weights fitted on the other sets are scored on it (leave-one-set-out), beside
the weights in use. With --write, weights fitted on every set are written to qa/rerank/ranker.json.

With --sweep FEATURE, nothing is fitted: only that feature's weight in the hand-set formula
moves, over --values, and the figure is the one the reranker shows: its first passage's
highlighted sentence is a right one (for pair_share, which orders passages only, this is
not the sentence hit@1 above). For each set, the value with the best mean of it over the
other sets is scored on it (leave-one-set-out); with --write, the value best over every set
is written into qa/rerank/ranker.json, the other weights kept.

--new-bbc adds the 38 BBC questions written after the dev sets (docs/eval), over the same
index as dev_bbc; --whole-articles reads SQuAD's halves as whole Wikipedia articles, where
the answering passage must be told from the same article's others, as in news.

Usage:
    python scripts/train_ranker.py --work .qa-eval [--scifact] [--write] [--report FILE]
    python scripts/train_ranker.py --sweep pair_share --values 0,0.1,0.2,0.3 --whole-articles \
        --new-bbc --scifact [--write]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.rerank.ranker import FEATURES, Ranker, packaged_ranker  # noqa: E402
from qa.searcher import Searcher  # noqa: E402
from tooling.evaluation import datasets  # noqa: E402
from tooling.evaluation.as_user import document_names  # noqa: E402
from tooling.evaluation.runner import open_index  # noqa: E402

SHARED = ROOT.parent / "shared"
L2 = 1e-3


@dataclass
class Question:
    features: np.ndarray  # (candidates, len(FEATURES) + 1): the last column is the fusion score
    right: np.ndarray  # bool per candidate
    query: str = ""  # what the candidates were scored against
    texts: tuple[str, ...] = ()  # each candidate's text
    passage: np.ndarray | None = None  # the number of each candidate's passage


def candidates(searcher: Searcher, text: str, history: tuple[str, ...], is_right) -> Question:  # type: ignore[no-untyped-def]
    query = searcher.resolve(text, history)
    vector = searcher.encoder.encode([query], progress=False)[0]
    top, fusion = searcher.reranker.head(searcher.retriever.fused(query, vector, None))
    passages, spans, features, owner, _ = searcher.reranker.sentence_candidates(top, vector, query)
    fused = np.asarray(fusion)[owner] if len(owner) else np.zeros(0)
    right = np.array(
        [is_right(passages[o][0], int(a), int(b)) for o, (a, b) in zip(owner, spans, strict=True)],
        dtype=bool,
    )
    documents = searcher.stored.documents
    return Question(
        np.column_stack([features, fused]) if len(owner) else np.zeros((0, len(FEATURES) + 1)),
        right,
        query,
        tuple(
            documents[passages[o][0]].text[int(a) : int(b)]
            for o, (a, b) in zip(owner, spans, strict=True)
        ),
        np.asarray(owner),
    )


def answer_spans(doc_text: str, strings: list[str]) -> list[tuple[int, int]]:
    spans = []
    for s in strings:
        start = doc_text.find(s)
        while start >= 0:
            spans.append((start, start + len(s)))
            start = doc_text.find(s, start + 1)
    return spans


def question_set(
    searcher: Searcher, qset: datasets.QuestionSet, limit: int | None
) -> list[Question]:
    docs = searcher.stored.documents
    out = []
    for q in qset.questions[:limit] if limit else qset.questions:
        if not q.answerable:
            continue
        if qset.format == "squad":

            def is_right(row: int, a: int, b: int, q=q) -> bool:  # type: ignore[no-untyped-def]
                doc = docs[row]
                return doc.doc_id in q.relevant and any(ans in doc.text[a:b] for ans in q.answers)
        elif qset.format == "beir":

            def is_right(row: int, a: int, b: int, q=q) -> bool:  # type: ignore[no-untyped-def]
                return docs[row].doc_id in q.relevant
        else:

            def is_right(row: int, a: int, b: int, q=q) -> bool:  # type: ignore[no-untyped-def]
                doc = docs[row]
                names = document_names(doc.doc_id, doc.source, doc.also_in)
                wanted = [s for d, s in q.contains if d in names]
                return any(s < b and a < e for s, e in answer_spans(doc.text, wanted))

        out.append(candidates(searcher, q.text, q.history, is_right))
    return out


def squad_half(questions: list[datasets.Question], half: int) -> list[datasets.Question]:
    """SQuAD's questions on half of its articles: 0 (A) the even-numbered, 1 (B) the odd. Every
    script that trains on one half and measures on the other splits here."""
    return [q for q in questions if int(next(iter(q.relevant)).split("-")[0]) % 2 == half]


def to_theta(ranker: Ranker) -> np.ndarray:
    return np.append((1 - ranker.fusion_weight) * ranker.weights, ranker.fusion_weight)


def to_ranker(theta: np.ndarray, fitted_on: dict) -> Ranker:
    scale = theta[0] + theta[1]  # cosine + term share weigh 1 in a sentence, as before
    weights = theta[:-1] / scale
    return Ranker(weights, float(theta[-1] / (theta[-1] + scale)), fitted_on)


def hit_at_1(theta: np.ndarray, questions: list[Question]) -> float:
    hits = [
        bool(q.right[int(np.argmax(q.features @ theta))]) if len(q.right) else False
        for q in questions
    ]
    return float(np.mean(hits)) if hits else 0.0


def fit(sets: dict[str, list[Question]], start: np.ndarray) -> np.ndarray:
    usable = {name: [q for q in qs if q.right.any()] for name, qs in sets.items()}

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.0, np.zeros_like(theta)
        for questions in usable.values():
            if not questions:
                continue
            weight = 1.0 / len(questions)
            for q in questions:
                z = q.features @ theta
                z -= z.max()
                p = np.exp(z)
                p /= p.sum()
                gold = p[q.right].sum()
                total -= weight * np.log(gold + 1e-12)
                # d/dtheta: E_p[x] - E_{p|gold}[x]
                grad += weight * (
                    p @ q.features - (p[q.right] @ q.features[q.right]) / (gold + 1e-12)
                )
        total += L2 * float(theta @ theta)
        grad += 2 * L2 * theta
        return total, grad

    return minimize(loss, start, jac=True, method="L-BFGS-B").x


def answered_first(theta: np.ndarray, question: Question) -> bool:
    """Whether the sentence the reranker highlights first is a right one, as it picks it
    (qa/rerank/reranker.py): the passage with the best sentence scored with the word pairs,
    then that passage's best sentence scored without them."""
    if not len(question.right) or question.passage is None:
        return False
    pairs = FEATURES.index("pair_share")
    scores = question.features @ theta
    first = question.passage[int(np.argmax(scores))]
    within = np.where(
        question.passage == first, scores - theta[pairs] * question.features[:, pairs], -np.inf
    )
    return bool(question.right[int(np.argmax(within))])


def answered_share(theta: np.ndarray, questions: list[Question]) -> float:
    """The share of `questions` whose first highlight is a right one (`answered_first`)."""
    return float(np.mean([answered_first(theta, q) for q in questions])) if questions else 0.0


def sweep(
    sets: dict[str, list[Question]], feature: str, values: list[float]
) -> tuple[dict[str, dict], float]:
    """Per held-out set, the value chosen on the others and its figures; the value chosen on
    every set."""
    current = packaged_ranker()
    column = FEATURES.index(feature)

    def theta(value: float) -> np.ndarray:
        weights = current.weights.copy()
        weights[column] = value
        return to_theta(replace(current, weights=weights))

    table = {name: [answered_share(theta(v), qs) for v in values] for name, qs in sets.items()}

    def best(names: list[str]) -> int:  # sets weigh alike; ties go to the smaller value
        return int(np.argmax(np.mean([table[n] for n in names], axis=0)))

    rows = {}
    for held_out in sets:
        chosen = best([n for n in sets if n != held_out])
        rows[held_out] = {
            "questions": len(sets[held_out]),
            "in_use": round(answered_share(to_theta(current), sets[held_out]), 3),
            "leave_one_set_out": round(table[held_out][chosen], 3),
            "value_chosen": values[chosen],
            "by_value": {str(v): round(h, 3) for v, h in zip(values, table[held_out], strict=True)},
        }
        print(held_out, rows[held_out], file=sys.stderr)
    return rows, values[best(list(sets))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", default=".qa-eval", help="where evaluation indexes are kept")
    parser.add_argument("--bbc-index", help="an index of all of BBC News, if already built")
    parser.add_argument("--squad-per-half", type=int, default=1500)
    parser.add_argument("--scifact", action="store_true", help="add SciFact as a set")
    parser.add_argument("--write", action="store_true", help="write qa/rerank/ranker.json")
    parser.add_argument("--report", type=Path)
    parser.add_argument("--sweep", choices=FEATURES, help="move only this hand-set weight")
    parser.add_argument("--values", default="0,0.05,0.1,0.15,0.2,0.3,0.4")
    parser.add_argument("--new-bbc", action="store_true", help="add the 38 later BBC questions")
    parser.add_argument("--whole-articles", action="store_true", help="SQuAD as whole articles")
    args = parser.parse_args()
    started = time.time()
    work = Path(args.work)
    sets: dict[str, list[Question]] = {}

    squad = datasets.load(
        SHARED / "bench/squad_dev/dev-v1.1.json", whole_articles=args.whole_articles
    )
    searcher = open_index(squad, work)
    for half in (0, 1):
        questions = squad_half(squad.questions, half)
        part = replace(squad, questions=questions[:: max(1, len(questions) // args.squad_per_half)])
        name = f"squad{'-articles' if args.whole_articles else ''}-{'AB'[half]}"
        sets[name] = question_set(searcher, part, None)
        print(f"{name}: {len(sets[name])} questions", file=sys.stderr)
    seeds = datasets.load(SHARED / "eval/dev_seeds.jsonl")
    sets["dev_seeds"] = question_set(
        open_index(seeds, work, corpus=[str(ROOT / "seeds")]), seeds, None
    )
    bbc = datasets.load(SHARED / "eval/dev_bbc.jsonl")
    bbc_searcher = (
        Searcher.load(args.bbc_index)
        if args.bbc_index
        else open_index(bbc, work, corpus=[str(SHARED / "bench/bbc_news/bbc")])
    )
    sets["dev_bbc"] = question_set(bbc_searcher, bbc, None)
    if args.new_bbc:
        later = datasets.load(ROOT / "docs/eval/bbc_written_2026-11-30.jsonl")
        sets["bbc_written"] = question_set(bbc_searcher, later, None)
    if args.scifact:
        scifact = datasets.load(SHARED / "bench/scifact")
        sets["scifact"] = question_set(open_index(scifact, work), scifact, None)

    if args.sweep:
        return write_sweep(sets, args)
    current = to_theta(packaged_ranker())
    rows = {}
    for held_out in sets:
        others = {name: qs for name, qs in sets.items() if name != held_out}
        theta = fit(others, current)
        rows[held_out] = {
            "questions": len(sets[held_out]),
            "reachable": sum(bool(q.right.any()) for q in sets[held_out]),
            "in_use": round(hit_at_1(current, sets[held_out]), 3),
            "leave_one_set_out": round(hit_at_1(theta, sets[held_out]), 3),
            "weights": to_ranker(theta, {}).to_settings(),
        }
        print(
            held_out, {k: v for k, v in rows[held_out].items() if k != "weights"}, file=sys.stderr
        )
    theta = fit(sets, current)
    fitted = to_ranker(
        theta,
        {
            "data": "scripts/train_ranker.py: "
            + ", ".join(f"{n} ({len(q)} questions)" for n, q in sets.items()),
            "objective": "conditional logit over each question's candidate sentences, sets weighed alike",
            "leave_one_set_out_sentence_hit@1": {
                n: r["leave_one_set_out"] for n, r in rows.items()
            },
            "hand_set_sentence_hit@1": {n: r["in_use"] for n, r in rows.items()},
            "fitted": time.strftime("%Y-%m-%d"),
        },
    )
    report = {
        "sets": rows,
        "fitted_on_all": fitted.to_settings(),
        "seconds": round(time.time() - started),
    }
    print(json.dumps(report, indent=2))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    if args.write:
        (ROOT / "qa" / "rerank" / "ranker.json").write_text(
            json.dumps(fitted.to_settings(), indent=2) + "\n"
        )
    return 0


def write_sweep(sets: dict[str, list[Question]], args: argparse.Namespace) -> int:
    values = [float(v) for v in args.values.split(",")]
    rows, chosen = sweep(sets, args.sweep, values)
    report = {"feature": args.sweep, "sets": rows, "chosen_on_all": chosen}
    print(json.dumps(report, indent=2))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    if args.write:
        ranker = packaged_ranker()
        weights = ranker.weights.copy()
        weights[FEATURES.index(args.sweep)] = chosen
        fitted_on = dict(ranker.fitted_on)
        fitted_on[args.sweep] = (
            f"scripts/train_ranker.py --sweep {args.sweep} --values {args.values}: best mean "
            "share of questions whose first highlight is right, over "
            + ", ".join(f"{n} ({len(q)} questions)" for n, q in sets.items())
            + f"; leave-one-set-out it chose {sorted({r['value_chosen'] for r in rows.values()})}"
        )
        (ROOT / "qa" / "rerank" / "ranker.json").write_text(
            json.dumps(
                replace(ranker, weights=weights, fitted_on=fitted_on).to_settings(), indent=2
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
