"""The Gradio chat: questions in, cited passages out, the evidence beside them.

It holds no retrieval logic: every answer is `Searcher.answer(question, SearchOptions)`,
rendered (ui/render.py). Citations open their article in the evidence panel through a
hidden textbox that the page's script fills (ui/page.py).
"""

from __future__ import annotations

from dataclasses import replace
from html import escape
from typing import Any

import gradio as gr

from index.errors import QAError
from qa.filters import NO_OUTLET
from qa.options import SearchOptions
from qa.results import SearchResult
from ui.corpus_view import corpus_examples, corpus_summary, filter_chips, filter_note
from ui.live import LiveSearcher
from ui.page import SCRIPT, SHOW_EVIDENCE, SHOW_NEW_ANSWER
from ui.render import citations_text, conversation_html, document_html, quote

ALL_OUTLETS = "All outlets"
RECENCY = {  # a half-life in days
    "Any time": None,
    "Prefer the last week": 7.0,
    "Prefer the last month": 30.0,
    "Prefer the last year": 365.0,
}
FIELD_NAMES = {
    "published_from": "The From date",
    "published_to": "The To date",
    "question": "The question",
    "history item": "An earlier question",
}


def in_words(exc: QAError) -> str:
    """An error as the page says it: the fields by their labels, no command-line syntax."""
    text = str(exc).split(" e.g.:", 1)[0].split(", e.g.", 1)[0]
    for name, label in FIELD_NAMES.items():
        if text.startswith(name):
            text = label + text[len(name) :]
    return text


def _error(text: str) -> str:
    return f'<div class="qa-error" role="alert">{escape(text)}</div>' if text else ""


def build_app(live: LiveSearcher) -> gr.Blocks:
    try:
        documents = live.get().stored.documents
        outlets: list[Any] = [ALL_OUTLETS, *live.get().outlets()]
        if any(not d.outlet for d in documents):
            outlets.append(("No outlet named", NO_OUTLET))
    except QAError:
        documents, outlets = [], [ALL_OUTLETS]

    def options_of(outlet: str, date_from: Any, date_to: Any, recency: str) -> SearchOptions:
        return SearchOptions.of(
            outlet=None if outlet in ("", ALL_OUTLETS) else outlet,
            published_from=str(date_from)[:10] if date_from else None,
            published_to=str(date_to)[:10] if date_to else None,
            prefer_recent=RECENCY.get(recency),
        )

    def show_filters(outlet: str, date_from: Any, date_to: Any, recency: str) -> tuple[str, str]:
        try:
            options = options_of(outlet, date_from, date_to, recency)
        except QAError as exc:
            return "", _error(in_words(exc))
        note, _ = filter_note(documents, options.filters)
        label = recency if RECENCY.get(recency) else None
        chips = filter_chips(options.filters, label)
        return chips + (f'<div class="qa-filter-note">{note}</div>' if note else ""), ""

    def ask(
        question: str,
        turns: list[SearchResult],
        asked: list[str],
        outlet: str,
        date_from: Any,
        date_to: Any,
        recency: str,
        by_date: bool,
    ) -> tuple[Any, ...]:
        keep = (gr.update(), turns, asked, gr.update(), gr.update(), gr.update())
        if not (question or "").strip():
            return (*keep, _error("Type a question first."))
        try:
            options = options_of(outlet, date_from, date_to, recency)
            note, any_left = filter_note(documents, options.filters)
            if not any_left:
                return (*keep, _error(note))
            result = live.get().answer(question, _with_history(options, asked, turns))
        except QAError as exc:
            return (*keep, _error(in_words(exc)))
        turns = [*turns, result]
        return (
            "",
            turns,
            [*asked, result.question],
            conversation_html(turns, by_date),
            _copy(citations_text(result, markdown=False)),
            _copy(citations_text(result, markdown=True)),
            "",
        )

    def open_evidence(value: str, turns: list[SearchResult]) -> str:
        kind, _, rest = (value or "").rpartition("|")[0].partition(":")
        try:
            if kind == "cite":
                turn, n = (int(x) for x in rest.split(":"))
                passage = turns[turn].passages[n - 1]
                return document_html(live.get().article(passage.doc_id), passage)
            if kind == "doc":
                return document_html(live.get().article(rest), None)
        except (QAError, ValueError, IndexError):
            return _error("That article is no longer in the index.")
        return ""

    def reorder(turns: list[SearchResult], by_date: bool) -> str:
        return conversation_html(turns, by_date)

    def reset() -> tuple[Any, ...]:
        return [], [], "", "", _copy(""), _copy(""), ""

    with gr.Blocks(title="News QA — cited passages") as app:
        gr.Markdown("## Ask the news\nEvery answer is quoted from the articles, with its source.")
        gr.HTML(corpus_summary(documents) if documents else "", elem_id="qa-corpus")
        turns = gr.State([])
        asked = gr.State([])
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                conversation = gr.HTML("", elem_id="qa-conversation")
                question = gr.Textbox(
                    elem_id="qa-question",
                    placeholder="Ask a question about these articles…",
                    show_label=False,
                    max_length=2000,
                    lines=1,
                )
                error = gr.HTML("", elem_id="qa-error")
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="qa-ask")
                    clear = gr.Button("New conversation", elem_id="qa-clear")
                examples = corpus_examples(documents)
                if examples:
                    gr.Examples(examples, inputs=question, label="Ask about")
                with gr.Row():
                    outlet = gr.Dropdown(
                        outlets, value=ALL_OUTLETS, label="Outlet", elem_id="qa-outlet"
                    )
                    date_from = gr.DateTime(
                        include_time=False, type="string", label="From", elem_id="qa-from"
                    )
                    date_to = gr.DateTime(
                        include_time=False, type="string", label="To", elem_id="qa-to"
                    )
                    recency = gr.Dropdown(
                        list(RECENCY), value="Any time", label="Recency", elem_id="qa-recency"
                    )
                chips = gr.HTML("", elem_id="qa-chips")
                by_date = gr.Checkbox(
                    label="Order passages by date (oldest first)", elem_id="qa-by-date"
                )
                with gr.Row():
                    as_text = _copy_box("Citations as text", "qa-copy-text")
                    as_markdown = _copy_box("Citations as Markdown", "qa-copy-markdown")
            with gr.Column(scale=2, min_width=300):
                evidence = gr.HTML("", elem_id="qa-evidence")
                opener = gr.Textbox(visible="hidden", elem_id="qa-open")
        filters = [outlet, date_from, date_to, recency]
        inputs = [question, turns, asked, *filters, by_date]
        outputs = [question, turns, asked, conversation, as_text, as_markdown, error]
        question.submit(ask, inputs, outputs, api_name="ask").then(None, js=SHOW_NEW_ANSWER)
        send.click(ask, inputs, outputs, api_visibility="private").then(None, js=SHOW_NEW_ANSWER)
        gr.on(
            [outlet.change, date_from.change, date_to.change, recency.change],
            show_filters,
            filters,
            [chips, error],
            api_visibility="private",
        )
        opener.change(open_evidence, [opener, turns], evidence, api_visibility="private").then(
            None, js=SHOW_EVIDENCE
        )
        by_date.change(reorder, [turns, by_date], conversation, api_visibility="private")
        clear.click(
            reset,
            None,
            [turns, asked, conversation, evidence, as_text, as_markdown, error],
            api_visibility="private",
        )
        app.load(None, js=SCRIPT)
    return app


def _with_history(
    options: SearchOptions, asked: list[str], turns: list[SearchResult]
) -> SearchOptions:
    """The options with the conversation: the questions asked and the last answer as shown
    (empty when it was a "no answer"), so a follow-up need not answer it again."""
    last = turns[-1] if turns else None
    shown = "" if last is None or last.abstained or not last.passages else quote(last.passages[0])
    return replace(options, history=tuple(asked), earlier_answer=shown if last else None)


def _copy(text: str) -> Any:
    return gr.update(value=text, visible=bool(text))


def _copy_box(label: str, elem_id: str) -> gr.Textbox:
    return gr.Textbox(
        label=label, lines=3, buttons=["copy"], interactive=False, visible=False, elem_id=elem_id
    )
