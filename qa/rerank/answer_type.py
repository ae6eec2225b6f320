"""What kind of answer a question asks for, and whether a sentence holds one.

"When ...?" wants a time, "how many ...?" a quantity, "why ...?" a reason. A sentence that
repeats the question's words but holds no answer of that kind ("the council published the
letter the mayor sent to the minister") should lose to one that does ("... asking for talks
to avoid a strike"). Only these kinds are recognised: their answers have a written form a
pattern can find. Names (who, where, which) are left to the model. A sum of money ("how much
prize money ...?", "what was the budget ...?") is a quantity written with a currency: "three
authors" holds a number but no prize money, "£60,000" does.

An answer is held only in words the question does not say: the lede that restates "how much
did the film take over its third weekend?" as "top for the third week in a row" holds a
number, but not an answer.

A sum or a number is also a condition on the answer: a passage that gives none at all does
not say how much or how many, however close its words come ("How much did the firm pay for
the start-up?" against "the firm said it would buy the start-up"). `missing_kind` finds
such a passage, and search then says "not in these articles" (docs/quality.md, "sums and
numbers the cited passage does not give"). A vague amount ("several", "twice") counts as
given there, so that a question whose answer is one is not refused.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|dozens|twenty|"
    "thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|"
    "billions|trillion|half|third|quarter|percent|per cent"
)

_MONEY_CONTEXT = (
    "cost|costs|costing|pay|paid|pays|paying|worth|price|prize|money|salary|fee|fees|fund|"
    "funding|budget|spend|spent|spending|charge|charges|charged|earn|earned|earns|compensation|"
    "bounty|fine|fined|raise|raised|sell|sold|invest|invested|investment|damages|donated|"
    "donation|cash|revenue|profit|profits|loss|losses|sales|deal|takings|gross|grossed"
)
# "how much did the price rise?" asks for a change, often a percentage, not a sum
_CHANGE = (
    "increase|increased|rise|rose|risen|grow|grew|grown|fall|fell|fallen|drop|dropped|"
    "decline|declined|change|changed"
)
_CURRENCY = (
    "pounds|dollars|euros|yen|francs|rupees|yuan|pence|cents|roubles|rubles|lira|lire|pesos|"
    "rand|krona|kronor|kroner|shekels|dinars|dirhams|riyals|baht|ringgit|reais|zloty|guineas|"
    "shillings|sterling"
)

_ASKS = {
    "reason": re.compile(r"\bwhy\b|\bwhat (?:was|is|were|are) the (?:reason|purpose|cause)", re.I),
    "time": re.compile(
        r"\bwhen\b|\bwhat (?:year|date|day|month|century|decade|time)\b|\bhow long ago\b", re.I
    ),
    "money": re.compile(
        rf"\bhow much\b(?![^?]*\b(?:{_CHANGE})\b)(?=[^?]*\b(?:{_MONEY_CONTEXT})\b)|"
        r"\bwhat (?:was|is|were|are|will be) the (?:\w+ )?(?:cost|price|budget|salary|fee|fine|bounty)\b",
        re.I,
    ),
    "quantity": re.compile(
        r"\bhow (?:many|much|old|long|far|large|big|tall|high|often)\b|"
        r"\bwhat (?:percentage|percent|proportion|share|fraction|number|amount)\b",
        re.I,
    ),
}
_HOLDS = {
    # Purpose or cause: a connective, or "to" before a verb (a lower-case word that is not
    # an article or pronoun, as in "offering talks to prevent a war").
    "reason": re.compile(
        r"(?i:\b(?:because|since|due to|owing to|as a result|in order to|so that|so as to|"
        r"aimed at|in an effort to|in a bid to|in response to|thanks to)\b)|"
        r"\bto (?!(?:the|a|an|his|her|their|its|our|your|my|this|that|these|those|him|them|"
        r"us|me|it|be)\b)[a-z]+\b"
    ),
    "time": re.compile(
        rf"\b(?:{_MONTHS}|{_DAYS})\b|\b(?:1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b\d{{1,2}}/\d{{1,2}}\b|"
        r"\b(?:yesterday|today|tonight|tomorrow|ago|century|decade)\b|"
        r"\b(?:last|next|this|earlier this|later this) (?:week|month|year)\b",
        re.I,
    ),
    "quantity": re.compile(rf"\d+|%|\b(?:{_NUMBER_WORDS})\b", re.I),
    "money": re.compile(
        rf"[£$€¥]\s?\d[\d.,]*(?:\s?(?:m|bn|k|million|billion|trillion)\b)?|"
        rf"\b\d[\d.,]*\s?(?:m|bn|k|million|billion|trillion)?\s?(?:{_CURRENCY})\b",
        re.I,
    ),
}


# kinds a cited passage must give, with the words that name them to a user
REQUIRED_KINDS = {"money": "sum of money", "quantity": "number"}
_VAGUE_AMOUNT = re.compile(
    r"\b(?:several|many|few|numerous|countless|multiple|single|once|twice|thrice)\b", re.I
)


def asked_kind(question: str) -> str | None:
    """ "reason", "time", "money" or "quantity" when the question asks for one, else None; the
    first asking phrase decides ("how many died when ...?" asks for a quantity), money before
    quantity where both read the same words."""
    found = [
        (m.start(), order, kind)
        for order, (kind, p) in enumerate(_ASKS.items())
        if (m := p.search(question))
    ]
    return min(found)[2] if found else None


def holds_kind(kind: str | None, sentences: Sequence[str], question: str = "") -> np.ndarray:
    """For each sentence, whether it holds an answer of that kind (all False for no kind)
    in words the question does not already say."""
    if kind is None:
        return np.zeros(len(sentences), dtype=bool)
    pattern = _HOLDS[kind]
    said = set(_WORD.findall(question.lower()))
    return np.fromiter(
        (any(_news(m, s, said) for m in pattern.finditer(s)) for s in sentences),
        bool,
        len(sentences),
    )


_WORD = re.compile(r"\w+")


def _news(match: re.Match[str], sentence: str, said: set[str]) -> bool:
    """The match, widened to its whole words, holds a word the question lacks."""
    start, end = match.span()
    while start > 0 and sentence[start - 1].isalnum():
        start -= 1
    while end < len(sentence) and sentence[end].isalnum():
        end += 1
    words = _WORD.findall(sentence[start:end].lower())
    return not words or any(w not in said for w in words)


def missing_kind(question: str, passage: str) -> str | None:
    """The kind of answer the question asks for ("money" or "quantity", `REQUIRED_KINDS`)
    when the passage gives none of it beyond the question's own words, else None."""
    kind = asked_kind(question)
    if kind not in REQUIRED_KINDS or holds_kind(kind, [passage], question)[0]:
        return None
    if kind == "quantity" and _VAGUE_AMOUNT.search(passage):
        return None
    return kind
