"""Score a question set exactly as a user of `Searcher.search` meets it.

Each question goes through `search(question, k, history=...)`, the call the CLI, the HTTP API
and the chat make, and is judged on what comes back: the cited passages in their order, the
highlighted sentences and the abstain flag. Nothing is read from the searcher's internals.

An answer names an article either by its doc_id or by its path under the corpus folder
without the extension (`business/007` for `.../bbc/business/007.txt`); a cited passage is a
hit when it comes from that article (or a near-duplicate cited through it) and holds the
answer string.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from qa.results import Passage, SearchResult
from qa.searcher import Searcher
from tooling.evaluation.datasets import Question, QuestionSet

SEARCH_K = 10


@dataclass(frozen=True, slots=True)
class Judged:
    """One question's outcome."""

    qid: str
    kind: str
    answerable: bool
    abstained: bool
    rank: int | None  # 1-based rank of the first answering passage among the cited ones
    highlighted: bool | None  # the answer inside that passage's highlight (when rank <= 3)
    query: str
    confidence: float


def document_names(doc_id: str, source: str, also_in: Sequence[str]) -> set[str]:
    """Every name an answer may use for an article and the copies cited through it: its id,
    and each trailing part of each source path without its extension."""
    names = {doc_id}
    for where in (source, *also_in):
        path = PurePath(where.split("#", 1)[0])
        stem = path.with_suffix("").as_posix()
        parts = stem.split("/")
        names.update("/".join(parts[i:]) for i in range(len(parts)))  # every trailing sub-path
    return names


def judge(question: Question, result: SearchResult, text_of: Any) -> Judged:
    """`text_of(doc_id)` gives an article's cleaned text, for reading highlights."""

    def answers_in(passage: Passage) -> list[str] | None:
        names = document_names(passage.doc_id, passage.source, passage.also_in)
        found = [s for doc, s in question.contains if doc in names and s in passage.text]
        return found or None

    rank, highlighted = first_answer(result, answers_in, text_of)
    return Judged(
        question.qid,
        question.kind,
        question.answerable,
        result.abstained,
        rank,
        highlighted,
        result.query,
        result.confidence,
    )


def first_answer(
    result: SearchResult,
    answers_in: Callable[[Passage], list[str] | None],
    text_of: Callable[[str], str],
) -> tuple[int | None, bool | None]:
    """The 1-based rank of the first cited passage that answers, and, when it is among the
    first three, whether its highlight holds an answer. `answers_in(passage)`: None when the
    passage does not answer, else the answer strings it holds ([] where the set gives none,
    which leaves the highlight unjudged)."""
    for position, passage in enumerate(result.passages, start=1):
        found = answers_in(passage)
        if found is None:
            continue
        if not found or position > 3:
            return position, None
        text = text_of(passage.doc_id)
        marked = [text[s:e] for s, e in joined_spans(passage.highlights)]
        return position, any(answer in span for answer in found for span in marked)
    return None, None


def run(qset: QuestionSet, searcher: Searcher, *, k: int = SEARCH_K) -> list[Judged]:
    text_of = lambda doc_id: searcher.document(doc_id)["text"]  # noqa: E731
    return [
        judge(q, searcher.search(q.text, k=k, history=list(q.history)), text_of)
        for q in qset.questions
    ]


def summarise(judged: list[Judged]) -> dict[str, Any]:
    """Overall and per-kind figures: hit@1, hit@3, highlight, abstention, false abstention.

    hit@k counts a question answered only when it was not abstained on: an answer behind
    "not in these articles" is no answer to the user.
    """
    by_kind: dict[str, list[Judged]] = defaultdict(list)
    for j in judged:
        by_kind[j.kind].append(j)
    figures = {"all": _figures(judged)}
    figures.update({kind: _figures(rows) for kind, rows in sorted(by_kind.items())})
    return figures


def _figures(rows: list[Judged]) -> dict[str, float | int | None]:
    answerable = [j for j in rows if j.answerable]
    unanswerable = [j for j in rows if not j.answerable]
    shown = [j for j in answerable if not j.abstained]
    top3 = [j for j in answerable if _ranked_within(j, 3)]
    return {
        "questions": len(rows),
        "hit@1": _share([_hit(j, 1) for j in answerable]),
        "hit@3": _share([_hit(j, 3) for j in answerable]),
        "rank hit@1": _share([_ranked_within(j, 1) for j in answerable]),
        "rank hit@3": _share([_ranked_within(j, 3) for j in answerable]),
        "highlight": _share([bool(j.highlighted) for j in top3 if j.highlighted is not None]),
        "false_abstention": _share([j.abstained for j in answerable]),
        "abstention": _share([j.abstained for j in unanswerable]),
        "answered": len(shown),
    }


def paired(ours: list[Judged], theirs: list[Judged]) -> dict[str, dict[str, float | int]]:
    """hit@1 and hit@3 of two systems on the same answerable questions, question by question:
    how many each alone answers, and the exact two-sided McNemar p-value of that split (the
    chance of one at least this lopsided if neither system were better)."""
    theirs_by_id = {j.qid: j for j in theirs}
    pairs = [(j, theirs_by_id[j.qid]) for j in ours if j.answerable and j.qid in theirs_by_id]
    out = {}
    for name, depth in (("hit@1", 1), ("hit@3", 3)):
        hits = [(_hit(a, depth), _hit(b, depth)) for a, b in pairs]
        only_ours = sum(a and not b for a, b in hits)
        only_theirs = sum(b and not a for a, b in hits)
        out[name] = {
            "questions": len(pairs),
            "only_ours": only_ours,
            "only_theirs": only_theirs,
            "p_value": round(mcnemar_exact(only_ours, only_theirs), 4),
        }
    return out


def outcome(j: Judged) -> str:
    """What the user met, in words: for an answerable question where the answer was cited
    and whether it was highlighted, and whether the answer said "not in these articles"."""
    if not j.answerable:
        return "abstained" if j.abstained else "answered"
    if j.rank is None:
        place = "answer not cited"
    else:
        place = f"answer cited at {j.rank}"
        if j.highlighted is not None:
            place += ", highlighted" if j.highlighted else ", not highlighted"
    return f"abstained ({place})" if j.abstained else place


def changed(earlier: list[dict[str, Any]], now: list[Judged]) -> list[tuple[str, str, str, str]]:
    """The questions whose `outcome` differs between an earlier run (its per-question rows,
    as `qa eval --json` writes them under "judged") and this one: id, kind, before, now."""
    before = {row["qid"]: Judged(**row) for row in earlier}
    return [
        (j.qid, j.kind, outcome(before[j.qid]), outcome(j))
        for j in now
        if j.qid in before and outcome(before[j.qid]) != outcome(j)
    ]


def mcnemar_exact(b: int, c: int) -> float:
    """Two-sided exact McNemar test: the binomial(b + c, 1/2) tail at min(b, c), doubled."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, i) for i in range(min(b, c) + 1)) / 2**n
    return min(1.0, 2 * tail)


def _ranked_within(j: Judged, depth: int) -> bool:
    """An answering passage among the first `depth` cited, whatever the abstain flag says."""
    return j.rank is not None and j.rank <= depth


def _hit(j: Judged, depth: int) -> bool:
    """As the user meets it: answered within `depth`, and not behind "nothing answers"."""
    return _ranked_within(j, depth) and not j.abstained


def _share(flags: list[bool]) -> float | None:
    return round(sum(flags) / len(flags), 3) if flags else None


def joined_spans(highlights: list[list[int]]) -> list[tuple[int, int]]:
    """Adjacent highlighted sentences read as one span."""
    spans: list[tuple[int, int]] = []
    for s, e in sorted((int(s), int(e)) for s, e in highlights):
        if spans and s - spans[-1][1] <= 2:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans
