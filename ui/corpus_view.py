"""What the served corpus holds, at a glance: counts, outlets, dates, a browsable list, example
questions from its own headlines; and what the active filters leave of it."""

from __future__ import annotations

from html import escape

from index.records import Document
from qa.filters import NO_OUTLET, allowed_documents
from qa.options import Filters

EXAMPLE_COUNT = 3
EXAMPLE_CHARS = 90
LISTED = 300  # articles listed in the browser, newest first
OUTLETS_NAMED = 6


def _originals(documents: list[Document]) -> list[Document]:
    """Articles without their near-duplicate copies, newest first (undated last)."""
    kept = [d for d in documents if not d.duplicate_of]
    return sorted(kept, key=lambda d: d.published or "", reverse=True)  # undated last


def corpus_summary(documents: list[Document]) -> str:
    """One line of counts and dates, and the article list behind a fold."""
    originals = _originals(documents)
    outlets = sorted({d.outlet for d in documents if d.outlet})
    dates = sorted(d.published for d in documents if d.published)
    undated = sum(1 for d in documents if not d.published)
    named = ", ".join(escape(o) for o in outlets[:OUTLETS_NAMED])
    if len(outlets) > OUTLETS_NAMED:
        named += f" and {len(outlets) - OUTLETS_NAMED} more"
    line = [f"<b>{len(documents):,} articles</b>"]
    if outlets:
        line.append(f"from {len(outlets)} outlet{'s' if len(outlets) != 1 else ''} ({named})")
    if dates:
        line.append(f"published {escape(dates[0])} to {escape(dates[-1])}")
    if undated:
        line.append(f"{undated:,} undated")
    items = "".join(
        f'<li><a href="#qa-evidence" data-doc-open="{escape(d.doc_id)}">{escape(d.title)}</a>'
        f" — {escape(' · '.join(x for x in (d.outlet, d.published) if x) or 'no outlet or date')}"
        "</li>"
        for d in originals[:LISTED]
    )
    shown = f" (the newest {LISTED:,})" if len(originals) > LISTED else ""
    return (
        f'<div class="qa-corpus-line">{" · ".join(line)}</div>'
        f"<details><summary>Browse the articles{shown}</summary>"
        f'<ol class="qa-corpus-list">{items}</ol></details>'
    )


def corpus_examples(documents: list[Document]) -> list[str]:
    """Headlines of the newest articles, each cut at a word boundary: example questions that
    fit whatever corpus is served."""
    examples: list[str] = []
    for doc in _originals(documents):
        title = " ".join(doc.title.split())
        if not title:
            continue
        if len(title) > EXAMPLE_CHARS:
            title = title[:EXAMPLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–") + " …"
        if title not in examples:
            examples.append(title)
        if len(examples) == EXAMPLE_COUNT:
            break
    return examples


def filter_chips(filters: Filters, recent_label: str | None) -> str:
    """The active filters as chips; empty when none is on."""
    chips = []
    if filters.outlet:
        chips.append(f"Outlet: {'none named' if filters.outlet == NO_OUTLET else filters.outlet}")
    if filters.published_from:
        chips.append(f"From {filters.published_from}")
    if filters.published_to:
        chips.append(f"To {filters.published_to}")
    if recent_label:
        chips.append(recent_label)
    return "".join(f'<span class="qa-chip">{escape(c)}</span>' for c in chips)


def filter_note(documents: list[Document], filters: Filters) -> tuple[str, bool]:
    """What the filters leave, in words, and whether any article is left at all."""
    allowed = allowed_documents(documents, filters)
    if allowed is None:
        return "", True
    left = int(allowed.sum())
    notes = []
    if filters.published_from or filters.published_to:
        undated = sum(1 for d in documents if not d.published)
        if undated:
            notes.append(f"{undated:,} undated article{'s' if undated != 1 else ''} excluded")
    if not left:
        return "No articles match these filters. " + "; ".join(notes), False
    notes.insert(0, f"Searching {left:,} of {len(documents):,} articles")
    return "; ".join(notes) + ".", True
