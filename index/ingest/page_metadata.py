"""Tidy what a web page declares about itself: a headline without the site's name around it,
and an author that is a person (or a news agency), never a URL, the site or its owner."""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.ingest.dates import parse_date

# Between a headline and the site's name: "Headline | Site", "Site: Headline".
_SUFFIX_SEPARATORS = re.compile(r"\s+(?:[|\-–—·»/]|::|//)\s+")
_PREFIX_SEPARATORS = re.compile(r"\s+(?:[|\-–—·»/]|::|//)\s+|:\s+")
_MIN_SITE_CHARS = 3
_SITE_TAGLINE_CHARS = 10  # what may stand beside a site's name and still only name the site
# Words that name an organisation, a job or a role rather than a person.
_NOT_A_PERSON = re.compile(
    r"\b(?:inc|llc|ltd|corp(?:oration)?|nast|publishing|media group|com|admin|administrator"
    r"|webmaster|staff|editors?|writer|reporter|correspondent|columnist|contributor"
    r"|desk|team|bureau|newsroom)\b\.?$|^the\b|https?:|www\.|@|/",
    re.IGNORECASE,
)
# News agencies: a byline may name one instead of a person.
AGENCIES = (
    "Associated Press",
    "AP",
    "Reuters",
    "AFP",
    "Agence France-Presse",
    "PTI",
    "IANS",
    "ANI",
    "Xinhua",
    "dpa",
    "EFE",
    "Bloomberg",
    "UPI",
    "Kyodo",
    "Yonhap",
    "ANSA",
    "TASS",
)
_AGENCY = re.compile(r"\b(?:" + "|".join(map(re.escape, AGENCIES)) + r")$", re.IGNORECASE)
# "By Jane Roe", "Posted by Jane Roe", "Von Jane Roe" (de), "Por" (es, pt), "Par" (fr), "Door" (nl).
_BYLINE = re.compile(
    r"^(?:(?:posted|written|words|reporting|text|story)\s+by|by|von|por|par|door|di|av|af"
    r"|text|texto|текст|автор)\s*:?\s+(?P<names>.+)$",
    re.IGNORECASE,
)
# What follows the names on a byline line: " - 2019-04-10", " | Nov 18", " on Monday", " @handle".
_AFTER_NAMES = re.compile(
    r"\s+(?:[-–—]|on|am|le|el|em|publi\w*|updated)\s+.*$|\s*[@|•·/／].*$", re.IGNORECASE
)
_DATE_LINE_MAX_WORDS = 15
_BYLINE_MAX_WORDS = 8
# Months end a name printed before a date ("Carrie Arnold November 15"); not "May", a name.
_MONTH_WORDS = {
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
# Lower-case words a name may hold: "Ludwig van Beethoven", "Ali bin Said".
_NAME_PARTICLES = {
    "van",
    "von",
    "der",
    "den",
    "de",
    "da",
    "di",
    "du",
    "del",
    "la",
    "le",
    "bin",
    "al",
    "y",
}


def _squeeze(text: str) -> str:
    return re.sub(r"\W+", "", text).lower()


def _site_keys(site_names: Sequence[str]) -> list[str]:
    """Comparable forms of the site's names; a host name counts by its main label
    ("www.ign.com" -> "ign")."""
    keys = []
    for name in site_names:
        if re.fullmatch(r"[\w.-]+\.[a-z]{2,}", name.lower()):
            labels = name.lower().removeprefix("www.").split(".")
            name = labels[-2] if len(labels) >= 2 else labels[0]
        key = _squeeze(name)
        if len(key) >= _MIN_SITE_CHARS:
            keys.append(key)
    return keys


def names_site(text: str, site_names: Sequence[str]) -> bool:
    """Whether `text` is (or holds) the site's name."""
    return _names_site(text, _site_keys(site_names))


def _names_site(text: str, keys: Sequence[str]) -> bool:
    squeezed = _squeeze(text)
    return bool(squeezed) and any(
        squeezed == key
        or (len(squeezed) >= _MIN_SITE_CHARS and squeezed in key)  # a part of the name
        or (key in squeezed and len(squeezed) <= len(key) + _SITE_TAGLINE_CHARS)  # "CNN Business"
        for key in keys
    )


def title_without_site(title: str, site_names: Sequence[str]) -> str:
    """The headline: a leading or trailing part that names the site is cut off
    ("Alibaba raises $12.9bn | CityAM" -> "Alibaba raises $12.9bn")."""
    title = " ".join(title.split())
    keys = _site_keys(site_names)
    if not keys:
        return title
    for match in _SUFFIX_SEPARATORS.finditer(title):  # longest suffix first
        head, tail = title[: match.start()], title[match.end() :]
        if head.strip() and _names_site(tail, keys):
            title = head
            break
    for match in reversed(list(_PREFIX_SEPARATORS.finditer(title))):  # longest prefix first
        head, tail = title[: match.start()], title[match.end() :]
        if tail.strip() and _names_site(head, keys):
            return tail
    return title


def is_byline_or_date(line: str) -> bool:
    """A short line that only says who wrote the article or when: "By Ana Lima", "March 3, 2025"."""
    line = " ".join(line.split())
    if len(line.split()) > _BYLINE_MAX_WORDS:
        return False
    return bool(_BYLINE.match(line)) or parse_date(line) is not None


def byline_and_date(
    lines: Sequence[str], site_names: Sequence[str]
) -> tuple[str | None, str | None]:
    """The author and date printed between a headline and its article: a "By ..." line or a
    line naming a news agency, and the first date."""
    author: str | None = None
    published: str | None = None
    for line in lines:
        line = " ".join(line.split())
        if author is None and (match := _BYLINE.match(line)):
            author = people_only(_AFTER_NAMES.sub("", match["names"]), site_names)
        elif author is None and _AGENCY.fullmatch(line.strip(" ,.")):
            author = line.strip(" ,.")
        if published is None and len(line.split()) <= _DATE_LINE_MAX_WORDS:
            published = parse_date(line)  # not a date inside a sentence (a photo caption)
    return author, published


def people_only(author: str, site_names: Sequence[str]) -> str | None:
    """The names among an author field ("Condé Nast; Molly Wood" -> "Molly Wood"), or None."""
    keys = _site_keys(site_names)
    people: list[str] = []
    if match := _BYLINE.match(" ".join(author.split())):  # "By Jane Roe", "Текст: Jane Roe"
        author = _AFTER_NAMES.sub("", match["names"])
    for part in re.split(r"\s*(?:[;,&]|\band\b|\bund\b|\by\b|\be\b|\bet\b)\s*", author):
        name = _without_agency(_without_trailing_site(_before_date(part), keys))
        if name and _is_person(name, keys) and name not in people:
            people.append(name)
    return ", ".join(people) or None


def _before_date(part: str) -> str:
    """ "Carrie Arnold November 15, 2019" -> "Carrie Arnold"; a name printed twice, once."""
    words = part.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        words = words[:half]
    for i, word in enumerate(words):
        if word.strip(",.").lower() in _MONTH_WORDS or any(ch.isdigit() for ch in word):
            return " ".join(words[:i])
    return " ".join(words)


def _without_agency(name: str) -> str:
    """ "Jill Lawless Associated Press" -> "Jill Lawless"; an agency alone stays."""
    cut = _AGENCY.sub("", name).strip(" ,")
    return cut if cut else name


def _without_trailing_site(name: str, keys: Sequence[str]) -> str:
    """ "Finian Cunningham Sputnik International" on the site SputnikInt -> "Finian Cunningham"."""
    words = name.split()
    for n in range(1, min(3, len(words) - 1) + 1):  # the fewest words that name the site
        if _names_site(" ".join(words[-n:]), keys):
            return " ".join(words[:-n])
    return name


def _is_person(name: str, keys: Sequence[str]) -> bool:
    """A person's name (two to five words), or a news agency."""
    words = name.split()
    if _AGENCY.fullmatch(name):
        return True
    if not 2 <= len(words) <= 5 or _NOT_A_PERSON.search(name) or _names_site(name, keys):
        return False
    if re.search(r"\.[a-z]{2,4}\b", name):  # a domain: "cleveland.com"
        return False
    cased = [w for w in words if w[0].isalpha() and w[0].lower() != w[0].upper()]
    return all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in cased)
