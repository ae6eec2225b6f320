"""From ranked candidates to the passages shown: neighbours merged, few per article, each
traced back to its article and its original file."""

from __future__ import annotations

from dataclasses import replace

from index.file_names import shown
from index.records import Document
from index.text.offsets import to_source
from index.text.terms import matched_words
from qa.results import Passage, Why
from qa.retrieval.candidates import Candidate

MAX_PER_ARTICLE = 2  # passages one article may take while others also answer
MAX_MERGED_CHARS = 900  # merged neighbours stay a passage, not the whole article
ADJACENT_GAP = 2  # characters between passages the splitter cut apart at a paragraph break


def cite(candidates: list[Candidate], k: int) -> list[Candidate]:
    """The k passages to show: overlapping hits of one article merged, few per article."""
    return _select(_merge_overlapping(candidates), k)


def passage(doc: Document, c: Candidate, query: str) -> Passage:
    """A candidate of `doc` as the cited passage a caller gets (`query`: what was searched)."""
    source_start, source_end = to_source(doc.source_map, c.start, c.end)
    highlighted = " ".join(doc.text[a:b] for a, b in c.highlights)
    return Passage(
        doc_id=doc.doc_id,
        source=shown(doc.source),
        title=doc.title,
        outlet=doc.outlet,
        author=doc.author,
        published=doc.published,
        text=doc.text[c.start : c.end],
        start=c.start,
        end=c.end,
        source_start=source_start,
        source_end=source_end,
        score=round(c.score, 4),
        highlights=c.highlights,
        also_in=[shown(s) for s in doc.also_in],
        url=doc.url,
        why=Why(
            matched_terms=matched_words(query, highlighted),
            dense_rank=c.dense_rank,
            bm25_rank=c.lexical_rank,
            sentence_score=round(c.highlight_score, 4),
        ),
    )


def _merge_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    """Overlapping or adjacent passages of one article become one, keeping the better score,
    and the highlight that gives the sum of money asked for when only one does."""
    merged: list[Candidate] = []
    for cand in candidates:
        for i, kept in enumerate(merged):
            touching = (
                cand.start <= kept.end + ADJACENT_GAP and kept.start <= cand.end + ADJACENT_GAP
            )
            short_enough = max(kept.end, cand.end) - min(kept.start, cand.start) <= MAX_MERGED_CHARS
            if kept.doc_row == cand.doc_row and touching and short_enough:
                start, end = min(kept.start, cand.start), max(kept.end, cand.end)
                best, other = (kept, cand) if kept.score >= cand.score else (cand, kept)
                shown = (
                    other if other.highlight_gives_sum and not best.highlight_gives_sum else best
                )
                merged[i] = replace(
                    best,
                    doc_row=kept.doc_row,
                    start=start,
                    end=end,
                    highlight_score=shown.highlight_score,
                    highlights=shown.highlights,
                    highlight_gives_sum=shown.highlight_gives_sum,
                )
                break
        else:
            merged.append(cand)
    return merged


def _select(candidates: list[Candidate], k: int) -> list[Candidate]:
    """Top k, at most MAX_PER_ARTICLE from one article unless too few articles answer."""
    chosen: list[Candidate] = []
    spare: list[Candidate] = []
    per_doc: dict[int, int] = {}
    for cand in candidates:
        if per_doc.get(cand.doc_row, 0) < MAX_PER_ARTICLE:
            chosen.append(cand)
            per_doc[cand.doc_row] = per_doc.get(cand.doc_row, 0) + 1
        else:
            spare.append(cand)
        if len(chosen) == k:
            return chosen
    return (chosen + spare)[:k] if len(chosen) < k else chosen
