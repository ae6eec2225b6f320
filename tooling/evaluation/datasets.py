"""Labelled question sets, read into one shape: the questions, their judgments, the corpus.

Three formats:
  - a JSONL question set over an article folder (like ../shared/eval/dev_seeds.jsonl): each
    answer names an article and a string the cited passage must contain;
  - a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv): documents judged relevant;
  - a SQuAD v1.1 JSON file: the paragraphs are the corpus, each question's own paragraph is
    the one to retrieve and its answer strings are what the highlight must contain. With
    `whole_articles`, each Wikipedia article is one document (its paragraphs, a blank line
    between them), the one to retrieve: long stories, where the passage that answers must be
    told from the same story's other passages, as in news.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from index.errors import InvalidInputError
from index.records import Document

ABSTAIN_KINDS = ("unanswerable", "boilerplate")


@dataclass(frozen=True, slots=True)
class Question:
    qid: str
    text: str
    kind: str = "single"
    history: tuple[str, ...] = ()
    relevant: dict[str, int] = field(default_factory=dict)  # doc id -> grade (document-level sets)
    contains: tuple[tuple[str, str], ...] = ()  # (doc id, string) a cited passage must contain
    answers: tuple[str, ...] = ()  # strings an answering highlight contains

    @property
    def answerable(self) -> bool:
        return self.kind not in ABSTAIN_KINDS


@dataclass(frozen=True, slots=True)
class QuestionSet:
    name: str
    format: str  # "questions" | "beir" | "squad"
    questions: list[Question]
    documents: list[Document] | None  # None: the corpus is a folder of articles to index
    fingerprint: str  # changes when the data changes; names the cached index


def detect_format(path: Path) -> str:
    if path.is_dir():
        if (path / "corpus.jsonl").is_file() and (path / "queries.jsonl").is_file():
            return "beir"
        raise InvalidInputError(
            f"{path} is a folder but not a BEIR one (corpus.jsonl, queries.jsonl, qrels/)."
        )
    if path.suffix == ".jsonl":
        return "questions"
    if path.suffix == ".json":
        return "squad"
    raise InvalidInputError(
        f"Cannot tell the format of {path}: give a .jsonl question set, a BEIR folder or a SQuAD .json file."
    )


def load(
    path: str | Path,
    format: str | None = None,
    *,
    split: str = "test",
    whole_articles: bool = False,
) -> QuestionSet:
    path = Path(path)
    if not path.exists():
        raise InvalidInputError(f"No such file or folder: {path}")
    kind = format or detect_format(path)
    loaders = {
        "questions": load_questions,
        "beir": lambda p: load_beir(p, split),
        "squad": lambda p: load_squad(p, whole_articles),
    }
    if kind not in loaders:
        raise InvalidInputError(f"Unknown format {kind!r}; use questions, beir or squad.")
    if whole_articles and kind != "squad":
        raise InvalidInputError(f"Whole articles are read from a SQuAD file; {path} is {kind}.")
    return loaders[kind](path)


def load_questions(path: Path) -> QuestionSet:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            answers = row.get("answers") or []
            questions.append(
                Question(
                    qid=str(row.get("id") or number),
                    text=row["question"],
                    kind=row.get("kind", "single"),
                    history=tuple(row.get("history") or ()),
                    contains=tuple((a["doc"], a["contains"]) for a in answers),
                    answers=tuple(a["contains"] for a in answers),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidInputError(f"{path}:{number}: not a question record ({exc}).") from None
    return QuestionSet(path.stem, "questions", questions, None, _fingerprint(path))


def load_beir(folder: Path, split: str = "test") -> QuestionSet:
    qrels_file = folder / "qrels" / f"{split}.tsv"
    if not qrels_file.is_file():
        raise InvalidInputError(f"{folder} has no qrels/{split}.tsv.")
    relevant: dict[str, dict[str, int]] = {}
    with open(qrels_file, encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            relevant.setdefault(row["query-id"], {})[row["corpus-id"]] = int(row["score"])
    documents = []
    for row in _jsonl(folder / "corpus.jsonl"):
        title, body = (row.get("title") or "").strip(), row.get("text") or ""
        documents.append(
            _document(str(row["_id"]), title, f"{title}\n\n{body}" if title else body, folder)
        )
    questions = []
    for row in _jsonl(folder / "queries.jsonl"):
        if str(row["_id"]) in relevant:
            questions.append(
                Question(qid=str(row["_id"]), text=row["text"], relevant=relevant[str(row["_id"])])
            )
    fingerprint = _fingerprint(folder / "corpus.jsonl", folder / "queries.jsonl", qrels_file)
    return QuestionSet(folder.name, "beir", questions, documents, fingerprint)


def load_squad(path: Path, whole_articles: bool = False) -> QuestionSet:
    """Each paragraph a document ("<article>-<paragraph>"), or each article ("<article>")."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["data"]
    except (ValueError, KeyError) as exc:
        raise InvalidInputError(f"{path} is not a SQuAD file ({exc}).") from None
    documents, questions = [], []
    for a, article in enumerate(data):
        title = article["title"].replace("_", " ")
        contexts = [paragraph["context"] for paragraph in article["paragraphs"]]
        if whole_articles:
            documents.append(_document(str(a), title, "\n\n".join(contexts), path))
        else:
            documents += [_document(f"{a}-{p}", title, c, path) for p, c in enumerate(contexts)]
        for p, paragraph in enumerate(article["paragraphs"]):
            doc_id = str(a) if whole_articles else f"{a}-{p}"
            for qa in paragraph["qas"]:
                questions.append(
                    Question(
                        qid=qa["id"],
                        text=qa["question"],
                        relevant={doc_id: 1},
                        answers=tuple(dict.fromkeys(x["text"] for x in qa["answers"])),
                    )
                )
    name = f"{path.stem}-articles" if whole_articles else path.stem
    return QuestionSet(name, "squad", questions, documents, _fingerprint(path))


def _jsonl(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except ValueError as exc:
        raise InvalidInputError(f"{path} is not JSON lines ({exc}).") from None


def _document(doc_id: str, title: str, text: str, origin: Path) -> Document:
    """An already clean benchmark passage: its text maps one to one onto the source record."""
    return Document(
        doc_id=doc_id,
        source=f"{origin.name}#{doc_id}",
        title=title or text[:120],
        outlet=None,
        author=None,
        published=None,
        text=text,
        source_map=((0, 0, len(text), len(text)),),
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def _fingerprint(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]
