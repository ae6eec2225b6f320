"""The Gradio chat: questions in, cited passages out, a source viewer beside them.

It holds no retrieval logic: every answer is `Searcher.search(...)`, rendered.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from index.errors import QAError
from qa.options import SearchOptions
from qa.results import SearchResult
from ui.live import LiveSearcher
from ui.render import answer_html, citations_markdown, document_html

EXAMPLE_COUNT = 3
EXAMPLE_CHARS = 90
ALL_OUTLETS = "All outlets"

CSS = """
.qa-answer mark, .qa-doc mark { background: #ffe066; color: inherit; padding: 0 2px; border-radius: 2px; }
.qa-answer blockquote { margin: 0 0 4px 0; padding-left: 10px; border-left: 3px solid #aaa; }
.qa-cite { font-size: 0.85em; opacity: 0.8; margin-bottom: 10px; }
.qa-searched { font-style: italic; opacity: 0.8; }
.qa-abstain { font-weight: 600; }
.qa-cited { background: rgba(255, 224, 102, 0.25); outline: 1px dashed #c9a400; }
#qa-source { max-height: 70vh; overflow-y: auto; }
"""
SCROLL_TO_CITED = "() => { setTimeout(() => document.getElementById('qa-cited')?.scrollIntoView({block: 'center'}), 150); }"


def corpus_examples(documents: list[Any]) -> list[str]:
    """Headlines of the newest articles of the served corpus, each cut at a word boundary:
    examples that fit whatever corpus is loaded, not fixed strings."""
    newest = sorted(documents, key=lambda d: d.published or "", reverse=True)
    examples: list[str] = []
    for doc in newest:
        title = " ".join(doc.title.split())
        if doc.duplicate_of or not title:
            continue
        if len(title) > EXAMPLE_CHARS:
            title = title[:EXAMPLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–") + " …"
        if title not in examples:
            examples.append(title)
        if len(examples) == EXAMPLE_COUNT:
            break
    return examples


def build_app(live: LiveSearcher) -> gr.Blocks:
    try:
        outlets = [ALL_OUTLETS, *live.get().outlets()]
        examples = corpus_examples(live.get().stored.documents)
    except QAError:
        outlets, examples = [ALL_OUTLETS], []

    def ask(
        question: str,
        chat: list[dict[str, Any]],
        asked: list[str],
        k: float,
        outlet: str,
        date_from: str,
        date_to: str,
        recent: float | None,
    ) -> tuple[Any, ...]:
        try:
            options = SearchOptions.of(
                k=int(k),
                history=tuple(asked),
                outlet=None if outlet in ("", ALL_OUTLETS) else outlet,
                published_from=date_from or None,
                published_to=date_to or None,
                prefer_recent=recent or None,
            )
            result = live.get().answer(question, options)
        except QAError as exc:
            raise gr.Error(str(exc)) from None
        chat = [
            *chat,
            {"role": "user", "content": result.question},
            {"role": "assistant", "content": answer_html(result)},
        ]
        choices = [
            (f"[{n}] {p.outlet or p.source} — {p.title}", n - 1)
            for n, p in enumerate(result.passages, start=1)
        ]
        return (
            "",
            chat,
            [*asked, result.question],
            result,
            gr.update(choices=choices, value=None),
            citations_markdown(result),
        )

    def show_source(index: int | None, result: SearchResult | None) -> str:
        if index is None or not result or index >= len(result.passages):
            return ""
        passage = result.passages[index]
        try:
            return document_html(live.get().article(passage.doc_id), passage)
        except QAError as exc:
            raise gr.Error(str(exc)) from None

    def clear() -> tuple[Any, ...]:
        return [], [], None, gr.update(choices=[], value=None), "", ""

    with gr.Blocks(title="News QA — cited passages") as app:
        gr.Markdown(
            "## Ask the news\nAnswers are passages quoted from the articles, with the answering sentence highlighted."
        )
        asked = gr.State([])
        last = gr.State(None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=320):
                chat = gr.Chatbot(
                    elem_id="qa-chat",
                    height=520,
                    sanitize_html=True,
                    render_markdown=False,
                    label="Conversation",
                )
                question = gr.Textbox(
                    elem_id="qa-question",
                    placeholder="Ask a question about the articles…",
                    show_label=False,
                    max_length=2000,
                )
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="qa-ask")
                    reset = gr.Button("New conversation", elem_id="qa-clear")
                if examples:  # the served articles' own headlines, newest first
                    gr.Examples(examples, inputs=question, label="Ask about")
                with gr.Accordion("Options", open=False):
                    k = gr.Slider(1, 10, value=5, step=1, label="Passages")
                    outlet = gr.Dropdown(outlets, value=ALL_OUTLETS, label="Outlet")
                    with gr.Row():
                        date_from = gr.Textbox(label="Published from", placeholder="YYYY-MM-DD")
                        date_to = gr.Textbox(label="Published to", placeholder="YYYY-MM-DD")
                        recent = gr.Number(
                            label="Prefer recent (half-life in days, 0 = off)",
                            value=0,
                            minimum=0,
                            elem_id="qa-recent",
                        )
            with gr.Column(scale=2, min_width=300):
                cited = gr.Radio(
                    [],
                    label="Citations — pick one to read it in its article",
                    elem_id="qa-citations",
                    type="value",
                )
                source = gr.HTML(elem_id="qa-source")
                markdown = gr.Textbox(
                    label="Citations as Markdown",
                    lines=4,
                    buttons=["copy"],
                    elem_id="qa-markdown",
                    interactive=False,
                )
        inputs = [question, chat, asked, k, outlet, date_from, date_to, recent]
        outputs = [question, chat, asked, last, cited, markdown]
        question.submit(ask, inputs, outputs, api_name="ask")
        send.click(ask, inputs, outputs, api_visibility="private")
        cited.change(show_source, [cited, last], source, api_visibility="private").then(
            None, js=SCROLL_TO_CITED
        )
        reset.click(
            clear, None, [chat, asked, last, cited, markdown, source], api_visibility="private"
        )
    return app
