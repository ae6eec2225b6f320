"""What a caller may ask of a search besides the question: one record for the Python API,
the CLI, the HTTP API and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa.query import validate


@dataclass(frozen=True, slots=True)
class Filters:
    """Which articles may answer: one outlet ("(none)": the articles that name none), a
    publication date range (ISO, inclusive)."""

    outlet: str | None = None
    published_from: str | None = None
    published_to: str | None = None

    def active(self) -> bool:
        return bool(self.outlet or self.published_from or self.published_to)


@dataclass(frozen=True, slots=True)
class SearchOptions:
    """How many passages, the conversation so far, filters and a recency preference.

    `prefer_recent` is a half-life in days: passages from articles that much older than the
    newest one in the index lose a tenth of their score, older ones up to a fifth.

    Example:
        searcher.answer("Who won?", SearchOptions(k=3, outlet="BBC"))
    """

    k: int = 5
    history: tuple[str, ...] = ()  # earlier questions, oldest first
    # The sentence(s) that answered the latest earlier question, as the caller showed them;
    # a follow-up takes its names from here instead of answering that question again.
    earlier_answer: str | None = None
    outlet: str | None = None
    published_from: str | None = None  # any common date format; checked and made ISO
    published_to: str | None = None
    prefer_recent: float | None = None

    @classmethod
    def of(cls, **fields: Any) -> SearchOptions:
        """Options from loose values (None for a default), checked: InvalidInputError says
        what is allowed."""
        given = {name: value for name, value in fields.items() if value is not None}
        return cls(**given).checked()

    def checked(self) -> SearchOptions:
        """The options validated and normalised (dates ISO, outlet trimmed)."""
        return SearchOptions(
            k=validate.k(self.k),
            history=tuple(validate.history(self.history or None)),
            earlier_answer=validate.earlier_answer(self.earlier_answer),
            outlet=(self.outlet or "").strip() or None,
            published_from=validate.date(self.published_from, name="published_from"),
            published_to=validate.date(self.published_to, name="published_to"),
            prefer_recent=validate.half_life(self.prefer_recent),
        )

    @property
    def filters(self) -> Filters:
        return Filters(self.outlet, self.published_from, self.published_to)
