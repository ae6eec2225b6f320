"""The years a question names, which an article that answers it must mention.

"Who won the 1987 mayoral election?" is not answered by a story of the 1983 race, however
close its words and vectors come: the year is a condition the question sets, not one more
word to match. So the first cited article must mention every year the question names, in
its text, its title or its date; one that does not is a near miss, shown as such
(docs/quality.md, "Years the question names").

A season or span written "2004-05", "2004/05" or "2009-2014" mentions each year it covers.
Numbers that only look like years are left alone when they are part of a larger one
("1,999", "12005", "3.2001"); in a question, so is a share's denominator ("1/2000").

A decade ("the 1990s", "the 1880's") is a condition too, met by an article that mentions
any year in it or the decade itself. "The 1800s" sets none: it is mostly a century, which
articles write as "the 19th century" as often, and "the 1900s" or "the 2000s" may be either.
In an article it is a mention of the century, 1800 to 1899, which meets a decade in it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator

_NUMBER = re.compile(r"\d(?:\d|[,.](?=\d))*")  # digits, with the commas and points inside them
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")  # a year from 1500 to 2099
_SPAN_END = re.compile(
    r"\s?[-–/]\s?(\d{2}|\d{4})(?![-/.]?\d|[,.]\d)"
)  # "-05", not a date's "-05-01"
_DECADE_END = re.compile(r"['’]?s\b")  # "1990s", "1990's"
_FRACTION = re.compile(r"\d\s?/\s?$")  # what comes before a number that is a denominator
_LONGEST_SPAN = 12  # "1914-18", "2009-2014"; a wider pair is two years, not a span


def _years(text: str) -> Iterator[tuple[int, str, str | None]]:
    """Where each year or decade stands, the year (a decade as "1990s"), and the end of the
    span a year opens, if it opens one. Numbers are read whole first, so that a year is
    never a piece of a larger one."""
    for number in _NUMBER.finditer(text):
        year = number.group()
        if not _YEAR.fullmatch(year):
            continue
        if year.endswith("0") and _DECADE_END.match(text, number.end()):
            yield number.start(), f"{year}s", None
            continue
        span = _SPAN_END.match(text, number.end())
        yield number.start(), year, span.group(1) if span else None


def named_years(question: str) -> list[str]:
    """The years and decades a question writes out, in order, each once (no "1800s")."""
    found: list[str] = []
    for start, year, end in _years(question):
        if _FRACTION.search(question, 0, start):
            continue  # "1/2000 in the UK": a share, not a year
        if year.endswith("00s"):
            continue  # a century as often as a decade, and often written in words
        found.append(year)
        if end and len(end) == 4:
            found.append(end)
    return list(dict.fromkeys(found))


def mentioned_years(text: str) -> set[str]:
    """Every year and decade a text mentions, the years inside its spans included."""
    years: set[str] = set()
    for _, first, end in _years(text):
        years.add(first)
        if end:
            end = first[: 4 - len(end)] + end
            if first < end and int(end) - int(first) <= _LONGEST_SPAN:
                years.update(str(y) for y in range(int(first), int(end) + 1))
            elif len(end) == 4:
                years.add(end)
    return years


def article_years(parts: Iterable[str | None]) -> frozenset[str]:
    """The years an article mentions in any of its parts (body, title, date)."""
    return frozenset(mentioned_years(" \n".join(part for part in parts if part)))


def unmentioned(asked: Iterable[str], mentioned: Collection[str]) -> list[str]:
    """The years and decades asked about (`named_years` of a question) that an article's
    (`mentioned_years`) do not meet: a year must be mentioned itself, a decade by any year
    or decade that falls in it."""
    return [year for year in asked if not _met(year, mentioned)]


def _met(asked: str, mentioned: Collection[str]) -> bool:
    if asked in mentioned:
        return True
    if not asked.endswith("s"):
        return False
    wanted = _covered(asked)
    return any(
        wanted.start < years.stop and years.start < wanted.stop
        for years in map(_covered, mentioned)
    )


def _covered(year: str) -> range:
    """The years a year, a decade ("1990s") or a century ("1800s") covers."""
    first = int(year[:4])
    if not year.endswith("s"):
        return range(first, first + 1)
    return range(first, first + (100 if year.endswith("00s") else 10))
