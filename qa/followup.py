"""Turn a follow-up question into a standalone query using the conversation so far.

No text is generated: the query is the question plus key terms copied from earlier questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.stopwords import QUESTION_WORDS, STOPWORDS

_ANAPHORA = frozenset(
    "he she they him her his hers their theirs them it its this that these those there then "
    "such latter former".split()
)
_OPENERS = re.compile(r"^(?:and|but|so|also|what about|how about|and what about|what else)\b", re.I)
_TOKEN = re.compile(r"[\w'’.-]*\w")
_MIN_CONTENT_WORDS = 3


def _content_words(text: str) -> list[str]:
    words = [w for w in _TOKEN.findall(text)]
    return [w for w in words if w.lower() not in STOPWORDS | QUESTION_WORDS | _ANAPHORA]


def needs_context(question: str) -> bool:
    """Short, pronoun-led or "and ...?" questions lean on what was asked before."""
    words = [w.lower() for w in _TOKEN.findall(question)]
    return (
        bool(_OPENERS.match(question.strip()))
        or any(w in _ANAPHORA for w in words)
        or len(_content_words(question)) < _MIN_CONTENT_WORDS
    )


def resolve_followup(question: str, history: Sequence[str]) -> str:
    """The question, extended with earlier questions' key terms when it depends on them.

    Example:
        resolve_followup("What did he say?", ["Who is the defense minister?"])
        -> "What did he say? defense minister"
    """
    question = question.strip()
    if not history or not needs_context(question):
        return question
    asked = {w.lower() for w in _TOKEN.findall(question)}
    terms: list[str] = []
    # The latest earlier question that names something is the one being referred to.
    for earlier in reversed(history):
        found = [w for w in _content_words(earlier) if w.lower() not in asked]
        if found:
            terms = found
            break
    unique = list(dict.fromkeys(terms))
    return f"{question} {' '.join(unique)}" if unique else question
