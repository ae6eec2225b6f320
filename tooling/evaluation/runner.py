"""Run every retrieval mode over a question set and score it.

Rows of the result: dense-only, BM25-only, fused (RRF) and the full pipeline (fusion reranked
by the best sentence, with highlights and abstention). Ranking measures come from ir-measures.
"""

from __future__ import annotations

import logging
import re
import string
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from index import config
from index.build.builder import build_index, index_documents
from index.build.settings import BuildOptions, is_current, settle
from index.errors import QAError
from index.stores.versions import load_index
from qa.citations import cite
from qa.retrieval.candidates import Candidate
from qa.searcher import Searcher
from tooling.evaluation import as_user
from tooling.evaluation.as_user import document_names, joined_spans
from tooling.evaluation.datasets import QuestionSet
from tooling.evaluation.metrics import measure
from tooling.evaluation.modes import MODES, rank

log = logging.getLogger(__name__)

DEPTH = 100  # passages ranked per question, enough for recall@100 at document level
DOCUMENT_MEASURES = ("nDCG@10", "R@100", "RR", "Success@1", "Success@5")
CITED_DEPTH = 10  # passages a question set's full-pipeline ranking keeps, as `search(k=10)` would
PASSAGE_MEASURES = ("Success@1", "Success@3", "RR")
LABELS = {"Success@1": "hit@1", "Success@3": "hit@3", "Success@5": "hit@5", "RR": "MRR"}


@dataclass
class Evaluation:
    name: str
    format: str
    questions: int
    rows: dict[str, dict[str, float | None]] = field(default_factory=dict)  # mode -> measure
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    judged: list[as_user.Judged] = field(default_factory=list)  # per question, through search()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "format": self.format,
            "questions": self.questions,
            "rows": self.rows,
            "details": self.details,
            "seconds": round(self.seconds, 1),
            "judged": [asdict(j) for j in self.judged],  # per question, to compare runs
        }


def index_tag(qset: QuestionSet, model_name: str) -> str:
    """The folder name of a set's evaluation index: its data and the model."""
    return re.sub(r"[^\w.-]", "_", f"{qset.name}-{qset.fingerprint}-{model_name}")


def open_index(
    qset: QuestionSet,
    work_dir: Path,
    *,
    corpus: Sequence[str] = ("seeds",),
    model: str | None = None,
) -> Searcher:
    """The index for a question set, built once into `work_dir` and reused while the data is unchanged.

    An index a build would not take as it is (`is_current`: an abstention model refitted
    since, sentence vectors made another way, terms an earlier tokenizer made) is built again.
    """
    model_name = config.model_name(model)
    target = work_dir / index_tag(qset, model_name)
    options = BuildOptions(model=model_name)
    try:
        stored = load_index(target)
        if is_current(stored, settle(options, stored)):
            return Searcher.load(target)
    except QAError:
        pass
    # Builds reuse every vector already in `target`; a changed abstention model costs no embedding.
    log.info("building the %s index in %s", qset.name, target)
    if qset.documents is None:
        build_index(list(corpus), target, options)
    else:
        index_documents(qset.documents, target, options)
    return Searcher.load(target)


def evaluate(
    qset: QuestionSet,
    searcher: Searcher,
    *,
    modes: Sequence[str] = MODES,
    progress: Callable[[str], None] = lambda _: None,
) -> Evaluation:
    started = time.perf_counter()
    result = Evaluation(qset.name, qset.format, len(qset.questions))
    queries = [searcher.resolve(q.text, q.history) for q in qset.questions]  # as search() does
    vectors = searcher.encoder.encode(queries)
    for mode in modes:
        progress(f"{qset.name}: {mode} ({len(queries)} questions)")
        ranked = rank(searcher, queries, mode, depth=DEPTH, vectors=vectors)
        if mode == "full":
            result.details["abstention"] = _abstention(qset, searcher, ranked)
        if qset.format == "questions":
            if mode == "full":  # judged as cited: overlapping hits merged, two per article
                ranked = [cite(cands, CITED_DEPTH) for cands in ranked]
            result.rows[mode] = _score_passages(qset, searcher, ranked, mode)
        else:
            result.rows[mode] = _score_documents(qset, searcher, ranked, mode)
    if qset.format == "questions":  # what a user of Searcher.search gets, per kind of question
        progress(f"{qset.name}: through search() ({len(queries)} questions)")
        result.judged = as_user.run(qset, searcher)
        result.details["as_user"] = as_user.summarise(result.judged)
    if "full" in modes:
        result.rows["full"].update(
            {
                "abstention": result.details["abstention"]["abstention_rate"],
                "false_abstention": result.details["abstention"]["false_abstention_rate"],
            }
        )
    result.seconds = time.perf_counter() - started
    return result


def _score_documents(
    qset: QuestionSet, searcher: Searcher, ranked: list[list[Candidate]], mode: str
) -> dict[str, float | None]:
    copies = _copies(searcher)
    rankings = {
        q.qid: [doc_id for c in cands for doc_id in copies[c.doc_row]]
        for q, cands in zip(qset.questions, ranked, strict=True)
    }
    qrels = {q.qid: q.relevant for q in qset.questions}
    row: dict[str, float | None] = dict(measure(rankings, qrels, DOCUMENT_MEASURES))
    row["highlight"] = None
    if mode == "full" and qset.format == "squad":
        row["highlight"] = _highlight_accuracy_top1(qset, searcher, ranked)
    return row


def _score_passages(
    qset: QuestionSet, searcher: Searcher, ranked: list[list[Candidate]], mode: str
) -> dict[str, float | None]:
    """Passage-level judging: a passage is relevant when it is from a named article and holds its string."""
    answerable = [
        (q, cands) for q, cands in zip(qset.questions, ranked, strict=True) if q.answerable
    ]
    rankings: dict[str, list[str]] = {}
    qrels: dict[str, dict[str, int]] = {}
    hits_in_top3: list[tuple[Candidate, str]] = []  # each question's first hit in its top 3
    for q, cands in answerable:
        ids: list[str] = []
        rels = {f"gold:{q.qid}": 1}  # an unreachable gold id: no hit scores 0, not "unjudged"
        first_hit: tuple[Candidate, str] | None = None
        for c in cands:
            doc = searcher.stored.documents[c.doc_row]
            pid = f"{doc.doc_id}:{c.start}-{c.end}"
            ids.append(pid)
            text = doc.text[c.start : c.end]
            names = document_names(doc.doc_id, doc.source, doc.also_in)
            found = [s for d, s in q.contains if d in names and s in text]
            if found:
                rels[pid] = 1
                if first_hit is None and len(ids) <= 3:
                    first_hit = (c, found[0])
        rankings[q.qid], qrels[q.qid] = ids, rels
        if first_hit is not None:
            hits_in_top3.append(first_hit)
    row: dict[str, float | None] = dict(measure(rankings, qrels, PASSAGE_MEASURES))
    row["highlight"] = None
    if mode == "full" and hits_in_top3:
        inside = 0
        for c, expected in hits_in_top3:
            text = searcher.stored.documents[c.doc_row].text
            inside += any(expected in text[s:e] for s, e in joined_spans(c.highlights))
        row["highlight"] = inside / len(hits_in_top3)
    return row


def _highlight_accuracy_top1(
    qset: QuestionSet, searcher: Searcher, ranked: list[list[Candidate]]
) -> float | None:
    """Share of top-1 hits whose highlighted sentence(s) contain a gold answer (SQuAD-normalised)."""
    hits = inside = 0
    for q, cands in zip(qset.questions, ranked, strict=True):
        if not cands or searcher.stored.documents[cands[0].doc_row].doc_id not in q.relevant:
            continue
        hits += 1
        text = searcher.stored.documents[cands[0].doc_row].text
        marked = [_normalise(text[s:e]) for s, e in joined_spans(cands[0].highlights)]
        inside += any(_normalise(a) in m for a in q.answers for m in marked)
    return inside / hits if hits else None


def _abstention(
    qset: QuestionSet, searcher: Searcher, ranked: list[list[Candidate]]
) -> dict[str, Any]:
    """Abstention on questions that should abstain, false abstention on the others."""
    abstained = [
        searcher.abstains(q.text, cite(cands, 1))
        for q, cands in zip(qset.questions, ranked, strict=True)
    ]
    should = [a for q, a in zip(qset.questions, abstained, strict=True) if not q.answerable]
    should_not = [a for q, a in zip(qset.questions, abstained, strict=True) if q.answerable]
    return {
        "abstain_questions": len(should),
        "abstention_rate": sum(should) / len(should) if should else None,
        "answerable_questions": len(should_not),
        "false_abstention_rate": sum(should_not) / len(should_not) if should_not else None,
    }


def _copies(searcher: Searcher) -> dict[int, list[str]]:
    """Document row -> its id and the ids of its near-duplicates, which are cited through it."""
    docs = searcher.stored.documents
    row_of = {d.doc_id: r for r, d in enumerate(docs)}
    copies = {r: [d.doc_id] for r, d in enumerate(docs)}
    for d in docs:
        if d.duplicate_of and d.duplicate_of in row_of:
            copies[row_of[d.duplicate_of]].append(d.doc_id)
    return copies


def _normalise(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return " ".join(text.split())
