"""The years a question names, which an article that answers it must mention.

"Who won the 2005 Tour de France?" is not answered by a story of the 2004 Tour, however
close its words and vectors come: the year is a condition the question sets, not one more
word to match. So the first cited article must mention every year the question names, in
its text, its title or its date; one that does not is a near miss, shown as such
(docs/quality.md, "Years the question names").

A season or span written "2004-05", "2004/05" or "2009-2014" mentions each year it covers.
Numbers that only look like years are left alone when they are part of a larger one
("1,999", "12005", "3.2001"); in a question, so is a share's denominator ("1/2000").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_YEAR = re.compile(
    r"(?<!\d)(?<!\d[,.])(1[5-9]\d\d|20\d\d)"  # a year from 1500 to 2099, not inside a number
    r"(?:\s?[-–/]\s?(\d{2}|\d{4})(?![-/.]?\d))?"  # a span's end ("-05", "/2005"), not a date's month
    r"(?!\d|[,.]\d)"
)
_FRACTION = re.compile(r"\d\s?/\s?$")  # what comes before a number that is a denominator
_LONGEST_SPAN = 12  # "1914-18", "2009-2014"; a wider pair is two years, not a span


def named_years(question: str) -> list[str]:
    """The years a question writes out, in order, each once."""
    found: list[str] = []
    for match in _YEAR.finditer(question):
        if _FRACTION.search(question, 0, match.start()):
            continue  # "1/2000 in the UK": a share, not a year
        found.append(match.group(1))
        if match.group(2) and len(match.group(2)) == 4:
            found.append(match.group(2))
    return list(dict.fromkeys(found))


def mentioned_years(text: str) -> set[str]:
    """Every year a text mentions, the years inside its spans included."""
    years: set[str] = set()
    for match in _YEAR.finditer(text):
        first = match.group(1)
        years.add(first)
        end = match.group(2)
        if end:
            end = first[: 4 - len(end)] + end
            if first < end and int(end) - int(first) <= _LONGEST_SPAN:
                years.update(str(y) for y in range(int(first), int(end) + 1))
            elif len(end) == 4:
                years.add(end)
    return years


def unmentioned(question: str, article: Iterable[str | None]) -> list[str]:
    """The years the question names that none of the article's texts (body, title, date)
    mentions; empty when the question names none."""
    asked = named_years(question)
    if not asked:
        return []
    seen = mentioned_years(" \n".join(part for part in article if part))
    return [year for year in asked if year not in seen]
