"""Check what callers pass before any work is done; messages say what is allowed."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from index.errors import InvalidInputError
from index.ingest.dates import parse_date

MAX_QUESTION_CHARS = 2000
MAX_K = 50
MAX_HISTORY = 20


def question(value: Any, *, name: str = "question") -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"The {name} must be text, not {type(value).__name__}.")
    cleaned = _printable(value)
    if not cleaned:
        raise InvalidInputError(
            f"The {name} is empty. Ask something about the articles, e.g. who said what, "
            "when, or why."
        )
    if len(cleaned) > MAX_QUESTION_CHARS:
        raise InvalidInputError(
            f"The {name} is {len(cleaned)} characters long; the limit is {MAX_QUESTION_CHARS}."
        )
    return cleaned


def _printable(value: str) -> str:
    """The text with control and other unprintable characters blanked, trimmed."""
    cleaned = "".join(ch if ch.isprintable() or ch in "\t\n" else " " for ch in value)
    return cleaned.encode("utf-8", "replace").decode("utf-8").strip()


def k(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"k must be a whole number from 1 to {MAX_K}, not {value!r}.")
    if not 1 <= value <= MAX_K:
        raise InvalidInputError(f"k must be from 1 to {MAX_K}; got {value}.")
    return value


def history(value: Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise InvalidInputError("history must be a list of earlier questions, oldest first.")
    items = [item for item in value if not (isinstance(item, str) and not _printable(item))]
    # Only the latest turns matter for a follow-up; older and blank ones are dropped, not refused.
    return [question(item, name="history item") for item in items[-MAX_HISTORY:]]


def date(value: str | None, *, name: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        pass  # not ISO: try the formats articles use ("Sep 22, 2025", ...)
    parsed = parse_date(str(value))
    if not parsed:
        raise InvalidInputError(f"{name} must be a date like 2025-09-23; got {value!r}.")
    return parsed


MAX_HALF_LIFE_DAYS = 36500


def half_life(value: Any) -> float | None:
    """A recency half-life in days, or None for no recency preference."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise InvalidInputError(
            f"prefer_recent must be a half-life in days above 0, e.g. 30; got {value!r}."
        )
    return min(float(value), MAX_HALF_LIFE_DAYS)


MAX_ANSWER_CHARS = 4000


def earlier_answer(value: Any) -> str | None:
    """The earlier answer's sentences, trimmed; None when absent or blank."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError("earlier_answer must be text: the sentences of the last answer.")
    text = _printable(value).strip()[:MAX_ANSWER_CHARS]
    return text or None
