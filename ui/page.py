"""The chat page's look and behaviour: CSS for the answer cards and the evidence panel, and
the script that makes citations open their evidence (Gradio hosts; these hook into it)."""

from __future__ import annotations

CSS = """
.gradio-container { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
#qa-corpus { font-size: 0.95em; color: #333; }
#qa-corpus .qa-corpus-list { max-height: 40vh; overflow-y: auto; padding-left: 1.2em; }
#qa-corpus .qa-corpus-list a { cursor: pointer; }
#qa-conversation .qa-scroll { max-height: 60vh; overflow-y: auto; overflow-x: hidden; padding-right: 6px; }
.qa-turn { margin: 0 0 18px 0; }
.qa-asked { font-weight: 600; margin: 8px 0; color: #1a1a1a; }
.qa-searched { font-style: italic; color: #4a4a4a; margin: 0 0 6px 0; font-size: 0.9em; }
.qa-answer { line-height: 1.5; color: #1a1a1a; max-width: 75ch; }
.qa-quote { margin: 0 0 4px 0; padding: 10px 14px; border-left: 4px solid #b8860b; background: #fffbea; font-size: 1.08em; }
.qa-quote mark, .qa-card mark, .qa-doc mark { background: #ffe066; color: inherit; padding: 0 2px; border-radius: 2px; }
.qa-source { font-size: 0.88em; color: #3d3d3d; margin: 2px 0 10px 0; }
.qa-source .qa-date { font-weight: 600; }
.qa-opens { cursor: pointer; }
a.qa-cite { font-weight: 600; text-decoration: none; color: #1d4ed8; cursor: pointer; padding: 0 2px; }
a.qa-cite:hover, a.qa-cite:focus { text-decoration: underline; }
.qa-card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 10px; margin: 6px 0; }
.qa-card .qa-context { color: #4a4a4a; }
.qa-card details summary, .qa-why summary { cursor: pointer; color: #3d3d3d; font-size: 0.88em; }
.qa-why { font-size: 0.85em; color: #3d3d3d; margin-top: 4px; }
.qa-no-answer { font-weight: 600; padding: 8px 12px; border-left: 4px solid #888; background: #f3f3f3; }
.qa-misses { margin-top: 6px; color: #3d3d3d; }
.qa-misses .qa-miss { font-size: 0.92em; margin: 6px 0; }
.qa-filter-note { font-size: 0.9em; color: #3d3d3d; margin: 4px 0; }
#qa-chips .qa-chip { display: inline-block; border: 1px solid #1d4ed8; color: #1d4ed8; border-radius: 12px; padding: 1px 10px; margin: 2px 4px 2px 0; font-size: 0.88em; }
#qa-error .qa-error { color: #9b1c1c; background: #fdecec; border-radius: 6px; padding: 6px 10px; }
#qa-evidence .qa-doc { border: 1px solid #ccc; border-radius: 6px; padding: 10px 12px; background: #fff; }
#qa-evidence .qa-doc-head { display: flex; justify-content: space-between; gap: 8px; align-items: start; }
#qa-evidence .qa-doc-title { margin: 0 0 4px 0; font-size: 1.1em; }
#qa-evidence .qa-doc-text { position: relative; max-height: 58vh; overflow-y: auto; overflow-x: hidden; line-height: 1.55; max-width: 75ch; overflow-wrap: anywhere; }
#qa-evidence .qa-cited { background: rgba(255, 224, 102, 0.3); outline: 1px dashed #b8860b; }
#qa-evidence a.qa-close { cursor: pointer; font-weight: 600; color: #1d4ed8; white-space: nowrap; }
.qa-answer, .qa-doc, #qa-corpus { overflow-wrap: anywhere; }
/* The date fields: the typed date shrinks so that the calendar button stays in the box. */
#qa-from, #qa-to { min-width: min(190px, 100%) !important; }
#qa-from .timebox, #qa-to .timebox { display: flex; min-width: 0; }
#qa-from .timebox input, #qa-to .timebox input { flex: 1 1 auto; min-width: 0; width: 0; }
#qa-from .timebox button, #qa-to .timebox button { flex: 0 0 auto; }
"""

# Citations and article links carry data attributes; a click writes "<kind>:<value>" into a
# hidden textbox whose change event loads the evidence, which is then scrolled into view.
SCRIPT = """
() => {
  const send = (value) => {
    const box = document.querySelector('#qa-open textarea, #qa-open input');
    if (!box) return;
    box.value = value + '|' + Date.now();
    box.dispatchEvent(new Event('input', {bubbles: true}));
  };
  document.addEventListener('click', (event) => {
    const link = event.target.closest('[data-cite], [data-doc-open], [data-close]');
    if (!link) return;
    event.preventDefault();
    if (link.dataset.cite) send('cite:' + link.dataset.cite);
    else if (link.dataset.docOpen) send('doc:' + link.dataset.docOpen);
    else send('close:' + (link.dataset.close || ''));
  });
}
"""

# After an answer: its top (the quote card) into view, inside the conversation and the page.
SHOW_NEW_ANSWER = """
() => { setTimeout(() => {
  const turns = document.querySelectorAll('#qa-conversation .qa-turn');
  const last = turns[turns.length - 1];
  if (last) last.scrollIntoView({block: 'start'});
}, 60); }
"""

# After the evidence panel changes: the marked passage into view (inside the panel's own
# scroll box and the page); after it closes, back to the answer it was opened from.
SHOW_EVIDENCE = """
() => { setTimeout(() => {
  const cited = document.querySelector('#qa-evidence #qa-cited');
  const panel = document.querySelector('#qa-evidence .qa-doc');
  if (cited) {
    const box = document.querySelector('#qa-evidence .qa-doc-text');
    box.scrollTop = Math.max(0, cited.offsetTop - 12);
    panel.scrollIntoView({block: 'start'});
  } else if (panel) {
    panel.scrollIntoView({block: 'start'});
  } else {
    const back = document.querySelector('#qa-conversation .qa-turn:last-child');
    if (back) back.scrollIntoView({block: 'start'});
  }
}, 60); }
"""
