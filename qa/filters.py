"""Which articles may answer (outlet, dates), and how much a recency preference weighs."""

from __future__ import annotations

import datetime
from dataclasses import replace

import numpy as np

from index.records import Document
from qa.options import Filters
from qa.retrieval.candidates import Candidate

RECENCY_WEIGHT = 0.2  # with a recency preference, an old or undated article loses up to 20%
NO_OUTLET = "(none)"  # as an outlet filter: the articles that name no outlet


def allowed_documents(documents: list[Document], filters: Filters) -> np.ndarray | None:
    """A mask of the documents the filters let through; None when no filter is on. A date
    filter lets no undated article through."""
    if not filters.active():
        return None
    wanted = (filters.outlet or "").casefold()
    dated = bool(filters.published_from or filters.published_to)
    return np.array(
        [
            (not wanted or (doc.outlet or NO_OUTLET).casefold() == wanted)
            and (not filters.published_from or (doc.published or "") >= filters.published_from)
            and (not filters.published_to or (doc.published or "9999") <= filters.published_to)
            and (not dated or doc.published is not None)
            for doc in documents
        ],
        dtype=bool,
    )


class Recency:
    """Rescores candidates by their article's age against the newest article's."""

    def __init__(self, documents: list[Document]) -> None:
        self._days = np.array([day_number(d.published) for d in documents], dtype=np.float64)

    def prefer(self, candidates: list[Candidate], half_life: float) -> list[Candidate]:
        days = self._days
        newest = days.max() if len(days) else -1
        rescored = []
        for c in candidates:
            age = newest - days[c.doc_row]
            freshness = 0.5 ** (age / half_life) if days[c.doc_row] >= 0 else 0.0
            rescored.append(replace(c, score=c.score * (1 - RECENCY_WEIGHT * (1 - freshness))))
        return sorted(rescored, key=lambda c: -c.score)


def day_number(published: str | None) -> int:
    """Days since year 1 of an ISO date, -1 when unknown."""
    try:
        return datetime.date.fromisoformat(published or "").toordinal()
    except ValueError:
        return -1
