"""What a search returns: cited passages, each traceable to its article and its original file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from qa.rerank.answer_type import REQUIRED_KINDS


@dataclass(frozen=True, slots=True)
class Why:
    """Why a passage is cited: what it shares with the question and how it ranked."""

    matched_terms: list[str]  # the highlight's words whose stems the question holds
    dense_rank: int | None  # its place in FAISS's ranking (1 = first); None: below its top 100
    bm25_rank: int | None  # the same in BM25's
    sentence_score: float  # the highlighted sentence's score (qa/rerank/ranker.py)


@dataclass(frozen=True, slots=True)
class Passage:
    doc_id: str
    source: str
    title: str
    outlet: str | None
    author: str | None
    published: str | None
    text: str
    start: int  # offsets into the document's cleaned text
    end: int
    source_start: int  # the span in the original file's text
    source_end: int
    score: float
    highlights: list[list[int]]  # answering sentence(s), offsets into the cleaned text
    also_in: list[str] = field(default_factory=list)  # sources of near-duplicate copies
    why: Why | None = None
    url: str | None = None  # where the article was published, when its source says

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str  # the query actually searched (a follow-up is expanded from the history)
    abstained: bool  # True when no passage answers; `passages` then holds the nearest misses
    passages: list[Passage]
    question: str = ""  # what was asked, before follow-up resolution
    confidence: float = 0.0  # estimated probability that the top passage answers
    # years and decades ("1990s") the question names that the first passage's article never
    # mentions; it then abstains whatever the confidence (qa/asked_years.py)
    years_not_mentioned: list[str] = field(default_factory=list)
    # the same for the countries it names (qa/asked_countries.py), by countryinfo's names
    countries_not_mentioned: list[str] = field(default_factory=list)
    # "money" or "quantity" when the question asks for a sum or a number and the first
    # passage gives none; it then abstains whatever the confidence (qa/rerank/answer_type.py)
    kind_not_given: str | None = None

    def miss_note(self) -> str:
        """Why the nearest passages are not an answer, when a condition the question sets is
        the reason (a year, a sum, a number); empty otherwise."""
        notes = []
        unmentioned = [
            *(f"the {y}" if y.endswith("s") else y for y in self.years_not_mentioned),
            *map(_as_named, self.countries_not_mentioned),
        ]
        if unmentioned:
            notes.append(f"The nearest article never mentions {' or '.join(unmentioned)}.")
        if self.kind_not_given:
            notes.append(f"The nearest passage gives no {REQUIRED_KINDS[self.kind_not_given]}.")
        return " ".join(notes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "abstained": self.abstained,
            "passages": [p.to_dict() for p in self.passages],
            "question": self.question,
            "confidence": self.confidence,
            "years_not_mentioned": self.years_not_mentioned,
            "countries_not_mentioned": self.countries_not_mentioned,
            "kind_not_given": self.kind_not_given,
        }


def _as_named(country: str) -> str:
    """ "the United Kingdom", "the Netherlands", "Singapore": as a sentence names it."""
    plural_or_union = country.startswith("United ") or country.endswith(
        ("Republic", "Islands", "Netherlands", "Philippines")
    )
    return f"the {country}" if plural_or_union else country
