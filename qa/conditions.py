"""What a question requires the cited article to mention: the years and the countries it names.

"Who ran the mill in 1995?" or "How many customers did the firm lose in Germany?" set a
condition, not one more word to match: an article that never mentions 1995, or Germany, is a
near miss however close its words come. Passages from articles that mention the years asked
about are cited first (`years_first`); when the first cited article misses a year or a
country, search abstains and says which (qa/asked_years.py, qa/asked_countries.py).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from index.records import Document
from qa import asked_countries, asked_years
from qa.retrieval.candidates import Candidate


@dataclass(frozen=True, slots=True)
class YearsAndCountries:
    """The years and countries a question names, or those of them an article never mentions."""

    years: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.years or self.countries)


@dataclass(frozen=True, slots=True)
class _Mentions:
    years: frozenset[str]
    countries: frozenset[str]


class MentionConditions:
    """The conditions over one index's articles; each article is read once, when first cited."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self._documents = documents
        self._mentions = functools.lru_cache(maxsize=1 << 16)(self._read)

    def years_first(self, question: str, candidates: list[Candidate]) -> list[Candidate]:
        """Passages whose articles mention the years the question names before those whose
        articles miss some, fewest missed first, each group in its order.

        Countries do not reorder. A news story names many countries in passing, and the
        first that names the one asked about is seldom the answer: over SQuAD's whole
        articles, near misses moved to another country abstained 1,013 times of 1,053 with
        such articles first and 1,032 without, and the questions as written were answered
        alike (docs/quality.md, "Countries the question names")."""
        asked = asked_years.named_years(question)
        if not asked:
            return candidates
        mentions = self._mentions
        return sorted(
            candidates,
            key=lambda c: len(asked_years.unmentioned(asked, mentions(c.doc_row).years)),
        )

    def unmentioned(self, question: str, cited: Sequence[Candidate]) -> YearsAndCountries:
        """The years and countries the question names that the first cited article never
        mentions."""
        asked = self._asked(question)
        return self._unmet(asked, cited[0].doc_row) if cited and asked else YearsAndCountries()

    @staticmethod
    def _asked(question: str) -> YearsAndCountries:
        return YearsAndCountries(
            asked_years.named_years(question), asked_countries.named_countries(question)
        )

    def _unmet(self, asked: YearsAndCountries, row: int) -> YearsAndCountries:
        mentions = self._mentions(row)
        return YearsAndCountries(
            asked_years.unmentioned(asked.years, mentions.years),
            [country for country in asked.countries if country not in mentions.countries],
        )

    def _read(self, row: int) -> _Mentions:
        doc = self._documents[row]
        return _Mentions(
            asked_years.article_years((doc.text, doc.title, doc.published)),
            asked_countries.article_countries((doc.text, doc.title)),
        )
