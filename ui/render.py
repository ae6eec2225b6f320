"""HTML and Markdown for answers and articles. Article text is always escaped: it renders as text."""

from __future__ import annotations

from html import escape

from index.records import Document
from qa.results import Passage, SearchResult


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


def citation(p: Passage | Document) -> str:
    return " · ".join(escape(x) for x in (p.outlet, p.title, p.published) if x)


def passage_html(n: int, p: Passage) -> str:
    also = ""
    if p.also_in:
        also = f'<div class="qa-also">also in: {escape(", ".join(p.also_in))}</div>'
    return (
        f'<li class="qa-passage" data-doc="{escape(p.doc_id)}">'
        f"<blockquote>{_marked(p.text, p.start, p.highlights)}</blockquote>"
        f'<div class="qa-cite">[{n}] {citation(p)} · score {p.score:.3f}</div>{also}</li>'
    )


def answer_html(result: SearchResult) -> str:
    """One chat answer: the cited passages, or the abstain state with the near misses folded."""
    parts = []
    if result.query != (result.question or result.query):
        parts.append(f'<p class="qa-searched">searched for: {escape(result.query)}</p>')
    items = "".join(passage_html(n, p) for n, p in enumerate(result.passages, start=1))
    if result.abstained:
        parts.append('<p class="qa-abstain">No passage in these articles answers this.</p>')
        if items:
            parts.append(
                '<details class="qa-misses"><summary>Nearest passages (not answers)</summary>'
                f'<ol class="qa-passages">{items}</ol></details>'
            )
    else:
        parts.append(f'<ol class="qa-passages">{items}</ol>')
    return f'<div class="qa-answer">{"".join(parts)}</div>'


def document_html(doc: Document, passage: Passage | None) -> str:
    """The whole cleaned article; the cited passage marked and given an id to scroll to."""
    text = doc.text
    head = (
        f'<h3 class="qa-doc-title">{escape(doc.title)}</h3>'
        f'<div class="qa-cite">{citation(doc)} · {escape(doc.source)}</div>'
    )
    if passage is None:
        body = escape(text).replace("\n\n", "<br><br>")
    else:
        s, e = passage.start, passage.end
        body = (
            escape(text[:s]).replace("\n\n", "<br><br>")
            + f'<span id="qa-cited" class="qa-cited">{_marked(text[s:e], s, passage.highlights)}</span>'
            + escape(text[e:]).replace("\n\n", "<br><br>")
        )
    return f'<div class="qa-doc">{head}<div class="qa-doc-text">{body}</div></div>'


def citations_markdown(result: SearchResult) -> str:
    """The citations as Markdown, for pasting into notes."""
    lines = []
    for n, p in enumerate(result.passages, start=1):
        quote = " ".join(p.text[s - p.start : e - p.start] for s, e in p.highlights)
        meta = ", ".join(x for x in (p.outlet, p.published) if x)
        lines.append(f'{n}. "{quote}" — *{p.title}*' + (f" ({meta})" if meta else ""))
    return "\n".join(lines)
