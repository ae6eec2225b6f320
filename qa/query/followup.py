"""Turn a follow-up question into a standalone query using the conversation so far.

No text is generated: the query is the question plus words copied from the conversation:
the names in the previous answer's highlighted sentence (who "he" or "that club" most likely
is), then the key terms of the latest earlier question that has any.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from index.text.stopwords import QUESTION_WORDS, STOPWORDS

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


_CALENDAR = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december mr mrs ms dr".split()
)
_NAME = re.compile(r"[A-Z][\w'’-]*\w(?:\s+(?:of|de|la|van|von)?\s*[A-Z][\w'’-]*\w)*")


def named_in(sentence: str) -> list[str]:
    """Capitalised words of a sentence that name something: not its first word unless that
    starts a run of names, and no stop words, days, months or titles ("The", "Monday", "Mr")."""
    names = []
    for match in _NAME.finditer(sentence):
        words = [
            w for w in match.group(0).split() if w.lower() not in STOPWORDS | _ANAPHORA | _CALENDAR
        ]
        if match.start() == 0 and len(words) == 1:
            continue  # "Engineers closed ...": capitalised only because it starts the sentence
        names.extend(words)
    return names


@dataclass(frozen=True, slots=True)
class Query:
    """What a question is searched with. `text` (the question and the words carried from the
    conversation) finds the passages; `own` (the question's own words) scores their
    sentences, so the carried words, which name the story, do not pull the sentence that
    answered the earlier question back to the top (docs/quality.md)."""

    text: str
    own: str

    @property
    def leans_on_conversation(self) -> bool:
        """Words of the conversation were added: the question's own words lack what they
        refer to ("Is it increasing its fees?")."""
        return self.text != self.own


def resolve_query(question: str, history: Sequence[str], previous_answer: str = "") -> Query:
    """`resolve_followup`'s query beside the question's own words."""
    return Query(resolve_followup(question, history, previous_answer), question.strip())


def resolve_followup(question: str, history: Sequence[str], previous_answer: str = "") -> str:
    """The question, extended with words of the conversation when it depends on them.

    `previous_answer` is the highlighted sentence that answered the latest earlier question.

    Example:
        resolve_followup("What did he say?", ["Who chairs the harbour board?"],
                         "The harbour board, chaired by Tomas Varga, met on Monday.")
        -> "What did he say? Tomas Varga chairs harbour board"
    """
    question = question.strip()
    if not history or not needs_context(question):
        return question
    asked = {w.lower() for w in _TOKEN.findall(question)}
    terms = [w for w in named_in(previous_answer) if w.lower() not in asked]
    # The latest earlier question that names something is the one being referred to.
    for earlier in reversed(history):
        found = [w for w in _content_words(earlier) if w.lower() not in asked]
        if found:
            terms += found
            break
    unique = list(dict.fromkeys(terms))
    return f"{question} {' '.join(unique)}" if unique else question
