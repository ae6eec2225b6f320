"""What a build says it did."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index.ingest.raw import Skipped


@dataclass(frozen=True, slots=True)
class BuildReport:
    index_dir: Path
    documents: int
    duplicates: int
    passages: int
    sentences: int
    skipped: tuple[Skipped, ...]
    seconds: float
    embedded: int = 0  # documents whose vectors were computed; the others were reused
    resumed: int = 0  # of those, computed by an earlier, interrupted run (engine "ray")
    removed: int = 0
    replaced: int = 0  # added documents that took the place of one of the same id
    kept: int = 0  # articles added by `qa add` or the API, kept through this rebuild
    pruned: int = 0  # such articles dropped because the build was asked to prune them
    unchanged: bool = False  # nothing to do: the index already held exactly these documents


def counted(number: int, noun: str) -> str:
    """ "1 document", "5 documents": a count as a build's messages say it."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
