"""The countries a question names, which an article that answers it must mention.

"How many customers did the firm lose in Germany?" is not answered by the story of its
losses in Japan, however close its words and vectors come: the country is a condition the
question sets, as a year is (qa/asked_years.py). So the first cited article must mention
every country the question names; one that does not is a near miss, shown as such. Unlike a
year, a country does not put the articles that mention it first: a story names many in
passing (docs/quality.md, "Countries the question names").

A country is named by its name, its other names and its people's adjective, as countryinfo
lists them ("Singapore", "Republic of Singapore", "Singaporean"), plus the short forms news
writes that countryinfo lacks ("Britain", "the US", "America"). An article also mentions a
country by its capital ("Moscow said ..."), by any of countryinfo's other names ("Holland",
which a question naming it would not set as a condition), by its own or a translated name
("Deutschland", "Alemania"), and the United Kingdom by England.
Two-letter and three-letter codes ("SG", "SGP") name nothing: they are words in too many
other senses. An adjective several countries share ("French", "Chinese") belongs to the most
populous of them. Longer names are read first, so "North Korea" is not also "Korea", and
matching is case-sensitive, so "turkey" and "china" name nothing.

The same forms tell the reranker that a sentence writing "France" holds the "French" of a
question (`naming`; qa/rerank/term_weights.py, `HeldTerms.shares`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

import numpy as np
from countryinfo import all_countries

from qa.query.spelling import english_counts

# One word English writes this often is no country's other name ("the Island off the German
# shore" is not Iceland's, "Reunion" not Réunion's), unless the country's name holds it.
COMMON_WORD = 8_000_000
# short forms news uses that countryinfo does not list, on either side
_MORE_NAMES = {
    "United Kingdom": ("Britain", "UK", "U.K.", "Briton", "Britons"),
    "United States": ("America", "US", "USA", "U.S.", "U.S.A."),
    "South Korea": ("Korea",),
}
# an article may mention a country by these too (a question naming them sets no condition)
_ALSO_IN_ARTICLES = {
    "United Kingdom": ("England", "English", "Northern Ireland"),
    "United States": ("Washington",),
}


@functools.cache
def _forms() -> tuple[dict[str, str], dict[str, str]]:
    """How questions name each country, and how articles mention it: form -> country."""
    asked: dict[str, str] = {}
    mentioned: dict[str, str] = {}
    by_population = sorted(
        (country.info() for country in all_countries()),
        key=lambda info: -(info.get("population") or 0),
    )
    for info in by_population:
        name = info["name"]
        alts = [
            alt
            for alt in info.get("altSpellings") or []
            if "," not in alt and not (alt.isupper() and len(alt) <= 3)
        ]
        # a question names a country only by a plain English form; an article by any
        other = [
            alt
            for alt in alts
            if alt.isascii()
            if " " in alt or alt in name or english_counts().get(alt.lower(), 0) < COMMON_WORD
        ]
        people = (info.get("demonym") or "").strip()
        plural = [people + "s"] if people and people[-1] not in "hs" else []
        names = [name, *other, *_MORE_NAMES.get(name, ()), *([people] if people else []), *plural]
        for form in names:
            if form:
                asked.setdefault(form, name)
        for form in (*names, *alts, *_written_elsewhere(info), *_ALSO_IN_ARTICLES.get(name, ())):
            if form:
                mentioned.setdefault(form, name)
    return asked, mentioned


def _written_elsewhere(info: Mapping[str, object]) -> list[str]:
    """Its capital, its own names and its names in countryinfo's translations: how an
    article, in English or not, may mention a country without naming it in English."""
    capital = info.get("capital")
    native = info.get("nativeName")
    translated = info.get("translations")
    forms = [
        *(capital if isinstance(capital, list) else [capital]),
        *(native.split(" / ") if isinstance(native, str) else []),
        *(translated.values() if isinstance(translated, dict) else []),
    ]
    return [form.strip() for form in forms if isinstance(form, str) and form.strip()]


_WORD = re.compile(r"(?<![\w.])[^\W\d_]\w*")  # a word, in any script, starting with a letter


@functools.cache
def _by_first_word(side: str) -> dict[str, list[tuple[str, str]]]:
    """(form, country) pairs by their form's first capitalised word, longest form first."""
    forms = _forms()[0 if side == "asked" else 1]
    found: dict[str, list[tuple[str, str]]] = {}
    for form in sorted(forms, key=len, reverse=True):
        first = _WORD.match(form)
        if first and first.group()[0].isupper():  # never a form opening "weSwatini"
            found.setdefault(first.group(), []).append((form, forms[form]))
    return found


def country_spans(text: str, side: str = "asked") -> Iterator[tuple[int, int, str]]:
    """Where each country is named in a text, and which: (start, end, country), in order. A
    longer name is read before a shorter one inside it. `side` "asked" reads a question's
    forms, "mentioned" an article's. A lookup per capitalised word: a pattern of every name
    is ten times slower."""
    forms = _by_first_word(side)
    end = 0
    for word in _WORD.finditer(text):
        if word.start() < end or not word.group()[0].isupper():
            continue
        for form, country in forms.get(word.group(), ()):
            after = word.start() + len(form)
            if text.startswith(form, word.start()) and not _goes_on(text, after):
                end = after
                yield word.start(), after, country
                break


def _goes_on(text: str, at: int) -> bool:
    return at < len(text) and (text[at].isalnum() or text[at] == "_")


def named_countries(question: str) -> list[str]:
    """The countries a question names, in order, each once, by countryinfo's name."""
    return list(dict.fromkeys(country for _, country in named_forms(question)))


def named_forms(question: str) -> list[tuple[str, str]]:
    """The countries a question names, each as (the words it names it by, the country)."""
    return [(question[start:end], country) for start, end, country in country_spans(question)]


@functools.cache
def _question_forms(country: str) -> tuple[str, ...]:
    """The forms a question may name the country by."""
    return tuple(form for form, named in _forms()[0].items() if named == country)


def naming(texts: Sequence[str], country: str) -> np.ndarray:
    """For each text, whether it names the country as a question would (`country_spans`):
    "Kenya", "Kenyan", "Republic of Kenya", but not the "Korea" of "North Korea" for South
    Korea. Only the texts holding one of its forms are read that way, found by searching the
    texts joined, a form at a time."""
    joined = "\n".join(texts)
    ends = np.cumsum([len(text) + 1 for text in texts])
    holding: set[int] = set()
    for form in _question_forms(country):
        at = joined.find(form)
        while at >= 0:
            holding.add(int(np.searchsorted(ends, at, side="right")))
            at = joined.find(form, at + 1)
    out = np.zeros(len(texts), dtype=bool)
    for row in holding:
        out[row] = any(named == country for _, _, named in country_spans(texts[row]))
    return out


def mentioned_countries(text: str) -> set[str]:
    """Every country a text mentions, by any of its names, its adjective or its capital."""
    return {country for _, _, country in country_spans(text, "mentioned")}


def article_countries(parts: Iterable[str | None]) -> frozenset[str]:
    """The countries an article mentions in any of its parts (body, title)."""
    return frozenset(mentioned_countries(" \n".join(part for part in parts if part)))
