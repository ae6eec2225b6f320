"""HTML for the conversation and the evidence panel, and plain text or Markdown to copy.

Built from the typed results (qa/results.py). Article text is always escaped: it renders
as text. An answer opens with its top passage's answering sentence(s) as a quote card; the
other passages follow as compact cards; a "no answer" shows no citations at all.
"""

from __future__ import annotations

from html import escape

from index.records import Document
from qa.results import Passage, SearchResult

CONTEXT_CHARS = 160  # the line of context a compact card shows after its sentence


def _marked(text: str, offset: int, highlights: list[list[int]]) -> str:
    """Escaped `text` (which starts at `offset`) with each highlight span in <mark>."""
    out, pos = [], 0
    for start, end in sorted(highlights):
        s, e = max(start - offset, pos), min(end - offset, len(text))
        if s >= e:
            continue
        out += [escape(text[pos:s]), "<mark>", escape(text[s:e]), "</mark>"]
        pos = e
    out.append(escape(text[pos:]))
    return "".join(out).replace("\n\n", "<br><br>")


def quote(p: Passage) -> str:
    """The passage's answering sentence(s), as they stand in the article."""
    return " … ".join(p.text[s - p.start : e - p.start].strip() for s, e in p.highlights)


def source_line(p: Passage | Document, title: bool = True) -> str:
    """outlet · date · title, the date set apart (escaped)."""
    parts = [escape(p.outlet) if p.outlet else ""]
    parts.append(f'<span class="qa-date">{escape(p.published)}</span>' if p.published else "")
    parts.append(escape(p.title) if title else "")
    return " · ".join(x for x in parts if x)


def _cite(turn: int, n: int) -> str:
    return f'<a class="qa-cite" href="#qa-evidence" data-cite="{turn}:{n}">[{n}]</a>'


def _why(p: Passage) -> str:
    if p.why is None:
        return ""
    w = p.why
    terms = ", ".join(w.matched_terms) or "none (found by meaning)"
    rank = lambda r: f"#{r}" if r else "not in its top 100"  # noqa: E731
    return (
        '<details class="qa-why"><summary>Why this passage</summary>'
        f"Words shared with the question: {escape(terms)}. Dense rank {rank(w.dense_rank)}, "
        f"BM25 rank {rank(w.bm25_rank)}, sentence score {w.sentence_score:.2f}.</details>"
    )


def _card(turn: int, n: int, p: Passage) -> str:
    """A compact card: the sentence, a line of context, the passage behind a fold."""
    last = max((e for _, e in p.highlights), default=p.start) - p.start
    context = p.text[last : last + CONTEXT_CHARS].strip()
    more = "…" if len(p.text) - last > CONTEXT_CHARS else ""
    return (
        f'<div class="qa-card" data-doc="{escape(p.doc_id)}">'
        f'<div class="qa-opens" data-cite="{turn}:{n}" title="Read it in its article">'
        f"<mark>{escape(quote(p))}</mark> "
        f'<span class="qa-context">{escape(context)}{more}</span> {_cite(turn, n)}</div>'
        f'<div class="qa-source">{source_line(p)}</div>'
        f"<details><summary>The whole passage</summary>"
        f"<blockquote>{_marked(p.text, p.start, p.highlights)}</blockquote></details>"
        f"{_why(p)}</div>"
    )


def ordered(result: SearchResult, by_date: bool) -> list[tuple[int, Passage]]:
    """(citation number, passage), in rank order or, with `by_date`, oldest article first
    (undated last); numbers stay those of the rank order."""
    numbered = list(enumerate(result.passages, start=1))
    if by_date:
        numbered.sort(key=lambda x: (x[1].published is None, x[1].published or ""))
    return numbered


def answer_html(result: SearchResult, turn: int = 0, by_date: bool = False) -> str:
    """One answer: the quote card and compact cards, or the honest "no answer"."""
    parts = []
    if result.query != (result.question or result.query):
        parts.append(f'<p class="qa-searched">searched for: {escape(result.query)}</p>')
    if result.abstained or not result.passages:
        note = escape(f" {result.miss_note()}".rstrip())
        parts.append(
            f'<p class="qa-no-answer">Not in these articles: no passage answers this.{note}</p>'
        )
        if result.passages:
            misses = "".join(
                f'<div class="qa-miss">{escape(quote(p))}<div class="qa-source">'
                f"{source_line(p)}</div></div>"
                for p in result.passages
            )
            parts.append(
                '<details class="qa-misses"><summary>Nearest passages (not answers)</summary>'
                f"{misses}</details>"
            )
        return f'<div class="qa-answer qa-abstained">{"".join(parts)}</div>'
    numbered = ordered(result, by_date)
    n, top = numbered[0]
    parts.append(
        f'<blockquote class="qa-quote qa-opens" data-cite="{turn}:{n}" '
        f'title="Read it in its article">{escape(quote(top))} {_cite(turn, n)}</blockquote>'
        f'<div class="qa-source">{source_line(top)}</div>{_why(top)}'
    )
    parts += [_card(turn, n, p) for n, p in numbered[1:]]
    return f'<div class="qa-answer">{"".join(parts)}</div>'


def conversation_html(turns: list[SearchResult], by_date: bool = False) -> str:
    """Every question asked and its answer, oldest first, in their own scroll box."""
    if not turns:
        return ""
    inner = "".join(
        f'<div class="qa-turn" id="qa-turn-{t}"><p class="qa-asked">{escape(r.question)}</p>'
        f"{answer_html(r, t, by_date)}</div>"
        for t, r in enumerate(turns)
    )
    return f'<div class="qa-scroll">{inner}</div>'


def document_html(doc: Document, passage: Passage | None) -> str:
    """The evidence panel: the article, the cited passage marked (id qa-cited), a close link
    and the original address when the article has one. A headline that opens the text is
    shown once, as the panel's heading, unless it is the highlighted answer."""
    text = doc.text
    shown = len(doc.title) + 2 if doc.title and text.startswith(f"{doc.title}\n\n") else 0
    if passage is not None and any(start < shown for start, _ in passage.highlights):
        shown = 0  # the answer is the headline: the text keeps it, marked
    address = doc.url or doc.source
    link = (
        f' · <a href="{escape(address)}" target="_blank" rel="noopener">original</a>'
        if address.startswith(("http://", "https://"))
        else ""
    )
    head = (
        f'<div class="qa-doc-head"><h3 class="qa-doc-title">{escape(doc.title)}</h3>'
        '<a class="qa-close" href="#qa-conversation" data-close="1">Close ✕</a></div>'
        f'<div class="qa-source">{source_line(doc, title=False) or "no outlet or date"}{link}</div>'
    )
    if passage is None:
        body = escape(text[shown:]).replace("\n\n", "<br><br>")
    else:
        s, e = max(passage.start, shown), passage.end
        cited = _marked(text[s:e], s, passage.highlights)
        body = (
            escape(text[shown:s]).replace("\n\n", "<br><br>")
            + f'<span id="qa-cited" class="qa-cited">{cited}</span>'
            + escape(text[e:]).replace("\n\n", "<br><br>")
        )
    return f'<div class="qa-doc">{head}<div class="qa-doc-text">{body}</div></div>'


def citations_text(result: SearchResult, markdown: bool) -> str:
    """The answer's citations to copy: plain text or Markdown; empty for a "no answer"."""
    if result.abstained:
        return ""
    lines = []
    for n, p in enumerate(result.passages, start=1):
        meta = ", ".join(x for x in (p.outlet, p.published) if x)
        where = f" ({meta})" if meta else ""
        if markdown:
            lines.append(f'{n}. "{quote(p)}" — *{p.title}*{where}')
        else:
            lines.append(f'[{n}] "{quote(p)}" — {p.title}{where}')
    return "\n".join(lines)
