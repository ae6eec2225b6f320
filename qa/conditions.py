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


class MentionConditions:
    """The conditions over one index's articles. An article's years are read once, when it is
    first a candidate for a question naming one; its countries once, when it is first cited
    for a question naming one."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self._documents = documents
        self._years = functools.lru_cache(maxsize=1 << 16)(self._years_of)
        self._countries = functools.lru_cache(maxsize=1 << 16)(self._countries_of)

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
        return sorted(
            candidates, key=lambda c: len(asked_years.unmentioned(asked, self._years(c.doc_row)))
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
        years = asked_years.unmentioned(asked.years, self._years(row)) if asked.years else []
        countries = self._countries(row) if asked.countries else frozenset()
        return YearsAndCountries(years, [c for c in asked.countries if c not in countries])

    def _years_of(self, row: int) -> frozenset[str]:
        doc = self._documents[row]
        return asked_years.article_years((doc.text, doc.title, doc.published))

    def _countries_of(self, row: int) -> frozenset[str]:
        doc = self._documents[row]
        return asked_countries.article_countries((doc.text, doc.title))
