"""Document sets (BEIR, SQuAD) measured as a user meets them: the corpus written out as text
files (the title on the first line, a blank line, the text), indexed by `build_index` like any
folder a user gives, and every question sent through `Searcher.search`.

Articles are ranked by the first passage `search` cites from each. Two readings:
- "ranking": the cited order, whatever the abstain flag says;
- "as user": an abstained answer retrieves nothing (the user is told nothing answers).
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any

from index import config
from index.build.builder import build_index
from index.build.settings import BuildOptions
from index.errors import QAError
from index.ingest.raw import safe_id
from qa.results import Passage, SearchResult
from qa.searcher import Searcher
from tooling.evaluation.as_user import Judged, first_answer
from tooling.evaluation.datasets import Question, QuestionSet
from tooling.evaluation.metrics import measure
from tooling.evaluation.runner import index_tag

SEARCH_K = 50  # passages asked of search(); articles beyond the tenth do not count for nDCG@10
MEASURES = ("nDCG@10", "RR", "Success@1", "Success@10")


def write_corpus(qset: QuestionSet, folder: Path) -> dict[str, str]:
    """Each document as `<folder>/<id>.txt`; returns file stem -> the set's document id."""
    if qset.documents is None:
        raise QAError(f"{qset.name} is a question set over a folder; it is already ingested.")
    folder.mkdir(parents=True, exist_ok=True)
    stems: dict[str, str] = {}
    for doc in qset.documents:
        stem = safe_id(doc.doc_id)
        body = doc.text
        if doc.title and not body.startswith(doc.title):
            body = f"{doc.title}\n\n{body}"
        (folder / f"{stem}.txt").write_text(body + "\n", encoding="utf-8")
        stems[stem] = doc.doc_id
    return stems


def open_ingested(
    qset: QuestionSet, work_dir: Path, model: str | None = None
) -> tuple[Searcher, dict[str, str]]:
    """The set's corpus as files and its index, built once per data and model."""
    model_name = config.model_name(model)
    folder = work_dir / f"{index_tag(qset, model_name)}-files"
    stems = write_corpus(qset, folder / "files")
    build_index([folder / "files"], folder / "index", BuildOptions(model=model_name))
    return Searcher.load(folder / "index"), stems


def evaluate_ingested(
    qset: QuestionSet, searcher: Searcher, stems: dict[str, str]
) -> dict[str, Any]:
    """nDCG@10, MRR, hit@1 and hit@10 of the cited articles, in both readings; for SQuAD also
    how often the first passage is from the question's document and holds an answer (whatever
    the abstain flag says), and how often it answers with a highlight that holds one. Under
    "judged", each question's outcome (`judged`), to compare runs question by question."""
    ranking: dict[str, list[str]] = {}
    as_user: dict[str, list[str]] = {}
    judged: list[Judged] = []
    abstained = highlighted = answered_first = 0
    for question in qset.questions:
        result = searcher.search(question.text, k=SEARCH_K)
        docs = [stems.get(p.doc_id, p.doc_id) for p in result.passages]
        ranking[question.qid] = list(dict.fromkeys(docs))
        as_user[question.qid] = [] if result.abstained else ranking[question.qid]
        abstained += result.abstained
        outcome = judge(searcher, stems, qset.format, question, result)
        judged.append(outcome)
        if question.answers:
            answered_first += outcome.rank == 1
            highlighted += _answered_in_highlight(outcome)
    qrels = {q.qid: q.relevant for q in qset.questions}
    figures: dict[str, Any] = {
        "questions": len(qset.questions),
        "ranking": measure(ranking, qrels, MEASURES),
        "as_user": measure(as_user, qrels, MEASURES),
        "abstained": abstained / max(1, len(qset.questions)),
    }
    if any(q.answers for q in qset.questions):
        figures["answer in first passage"] = answered_first / len(qset.questions)
        figures["highlight@1"] = highlighted / len(qset.questions)
    figures["judged"] = [asdict(j) for j in judged]
    return figures


def judge(
    searcher: Searcher,
    stems: dict[str, str],
    kind: str,
    question: Question,
    result: SearchResult,
) -> Judged:
    """One question's outcome, as `as_user.judge` gives a news question's: the rank of the
    first cited passage from a relevant document (for SQuAD, one that also holds an answer)
    and, within the first three, whether its highlight holds an answer (SQuAD only)."""

    def answers_in(passage: Passage) -> list[str] | None:
        if stems.get(passage.doc_id, passage.doc_id) not in question.relevant:
            return None
        found = [a for a in question.answers if a in passage.text]
        return found if found or not question.answers else None

    rank, highlighted = first_answer(result, answers_in, lambda d: searcher.article(d).text)
    return Judged(
        question.qid,
        kind,
        True,
        result.abstained,
        rank,
        highlighted,
        result.query,
        result.confidence,
    )


def first_passage_answers(
    searcher: Searcher, stems: dict[str, str], question: Question, result: SearchResult
) -> tuple[bool, bool]:
    """Whether the first passage is from the question's document and holds one of its
    answers, whatever the abstain flag says; and whether search answers with a highlight
    that holds one."""
    outcome = judge(searcher, stems, "squad", question, result)
    return outcome.rank == 1, _answered_in_highlight(outcome)


def _answered_in_highlight(outcome: Judged) -> bool:
    """The first passage holds an answer, its highlight too, and search did not abstain."""
    return outcome.rank == 1 and bool(outcome.highlighted) and not outcome.abstained


def format_ingested(name: str, figures: dict[str, Any]) -> str:
    lines = [
        f"{name}: its corpus as text files through qa index, each question through "
        f"Searcher.search(k={SEARCH_K}) ({figures['questions']} questions; "
        f"abstained on {figures['abstained']:.3f})",
        "| reading | " + " | ".join(MEASURES) + " |",
        "|---|" + "---:|" * len(MEASURES),
    ]
    for reading in ("ranking", "as_user"):
        cells = [f"{figures[reading][m]:.3f}" for m in MEASURES]
        lines.append(f"| {reading.replace('_', ' ')} | " + " | ".join(cells) + " |")
    if "highlight@1" in figures:
        lines.append(
            "first passage from the right document holds an answer (ranking): "
            f"{figures['answer in first passage']:.4f}"
        )
        lines.append(f"first passage's highlight holds an answer: {figures['highlight@1']:.4f}")
    return "\n".join(lines)
