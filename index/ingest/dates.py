"""Find and normalise publication dates in the many formats scraped news uses."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# Month names of the other languages news comes in most (German, French, Spanish, Italian,
# Dutch, Portuguese), written day first: "3. März 2018", "12 januari 2020", "3 de marzo de 2018".
_MONTHS.update(
    (name, i)
    for i, names in enumerate(
        [
            "januar janvier enero gennaio januari janeiro",
            "februar février fevrier febrero febbraio februari fevereiro",
            "märz maerz mars marzo maart março marco",
            "avril abril aprile",
            "mai mayo maggio mei maio",
            "juni juin junio giugno junho",
            "juli juillet julio luglio julho",
            "août aout agosto augustus",
            "septembre septiembre settembre setembro",
            "oktober octobre octubre ottobre outubro",
            "novembre noviembre novembro",
            "dezember décembre decembre diciembre dicembre dezembro",
        ],
        start=1,
    )
    for name in names.split()
)
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?"
# A year may be glued to the time after it ("Nov 20 20194:29 AM": two inline elements).
_YEAR = r"(?P<year>(?:19|20)\d\d)(?=\d{1,2}:\d\d|\b|T)"

# Order matters: the first pattern that matches at a position wins.
DATE_PATTERNS = [
    re.compile(rf"\b{_YEAR}-(?P<mnum>[01]?\d)-(?P<day>[0-3]?\d)(?=\b|T)"),  # 2025-09-23, ISO
    re.compile(rf"\b{_YEAR}/(?P<mnum>[01]?\d)/(?P<day>[0-3]?\d)\b"),  # 2025/09/23
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}", re.IGNORECASE),  # Sep 22, 2025
    # 22 September 2025; 22. September 2025; 22 de septiembre de 2025
    re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b(?P<day>[0-3]?\d)\.(?P<mnum>[01]?\d)\.{_YEAR}"),  # 22.09.2025
]


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in `text` as (ISO date, start, end), or None."""
    best: tuple[str, int, int] | None = None
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(match)
            if iso and (best is None or match.start() < best[1]):
                best = (iso, match.start(), match.end())
                break
    return best


def parse_date(text: str) -> str | None:
    """Normalise a date string ("Sep 22, 2025", "2025-09-23T10:00Z", ...) to YYYY-MM-DD."""
    found = find_date(text)
    return found[0] if found else None


def _to_iso(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
    try:
        return date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:  # 2025-02-30 and the like are not dates
        return None


_DAY_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs "
    "fri sat sun am pm gmt bst utc est edt cet".split()
)


def names_a_day(text: str) -> bool:
    """A line that only says when, with or without a year ("Friday, 25 February", "2000 GMT",
    "Sat 3 March"): weekdays, months, numbers and time zones make three in five of its words."""
    words = [w.strip(".,;:()").lower() for w in text.split()]
    dated = sum(w in _DAY_WORDS or w in _MONTHS or w.isdigit() for w in words)
    return bool(words) and dated >= 0.6 * len(words)
