"""Title, outlet, author and published date, from what the format declares or the page shows."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.ingest import boilerplate as bp
from index.ingest.dates import find_date, names_a_day, parse_date
from index.ingest.lists import LIST_MARKER
from index.ingest.prose import (
    byline_or_date,
    content_word_counts,
    content_words,
    is_furniture,
    is_prose,
    opens_like_a_title,
)
from index.ingest.text_lines import split_lines
from index.text.sentences import split_sentences
from index.text.stopwords import STOPWORDS

_TITLE_MAX = 120
_LEDE_WORDS = 8  # the first paragraph this long opens the story proper
_HEADLINE_ABOVE = 6  # lines above the lede a headline (and its date) may stand
_DATED_LINE_WORDS = 12  # a dateline's outlet or author, date and time
_DATE_LINE_WITHIN = 10  # a bare date line near the top dates the article
_BARE_DATE_MAX_WORDS = 6
_BARE_DATE_SHARE = 0.6
_TIME_AFTER = re.compile(
    r"[\s,|·•–—-]*(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,5})?\s*$",
    re.IGNORECASE,
)
_BY_NAME = re.compile(rf"(?:^|\s)(?i:by)\s+(?P<name>{bp.NAME})\b")
_NAME_THEN = re.compile(rf"(?P<name>{bp.NAME})\s*(?:[-–—|/•·,]|(?=@))(?P<rest>.*)$")
# Further names after a byline's first: ", Kathryn Watson", " and Grace Segers", " , Mike Wall".
_MORE_NAMES = re.compile(rf"^(?:\s*(?:,|&|\band\b)\s*{bp.NAME}(?=$|[^\w'’.-]))+")
_NAME_IN = re.compile(bp.NAME)
_AFTER_A_NAME = frozenset(
    "staff writer reporter editor correspondent contributor columnist updated published "
    "posted".split()
)
_GLUED_WORD = re.compile(r"^(?:Share|Follow|Subscribe)(?=[A-Z])")


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    outlet: str | None
    author: str | None
    published: str | None


def extract_metadata(extracted_text: str, body: str, fields: dict[str, str]) -> Metadata:
    """Declared fields (HTML meta, JSONL keys) win; otherwise read the page's own lines."""
    lines = [line.text for line in split_lines(extracted_text)]
    found = _from_lines(lines)
    declared = parse_date(fields["published"]) if fields.get("published") else None
    title = fields.get("title") or _title(lines)
    author = fields.get("author") or found.get("author")
    published = declared or found.get("published")
    if not (title and author and published):  # what is missing may stand above the lede
        above, story = _above_the_lede(lines, body)
        headless = is_prose(body.lstrip().split("\n\n", 1)[0])  # no headline opens the body
        title = title or (_headline_among(above, story) if headless else None)
        author = author or _author_among(above)
        published = published or _date_among(above)
    return Metadata(
        title=title or _first_sentence(body),
        outlet=fields.get("outlet") or found.get("outlet"),
        author=author,
        published=published,
    )


def _from_lines(lines: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}

    def offer(key: str, value: str | None) -> None:
        value = (value or "").strip(" ,|•·")
        if key == "author":  # each of several names: "Ana Lima, Theresa May"
            value = ", ".join(filter(None, map(_without_role_or_date, value.split(","))))
        if value and key not in found:
            found[key] = value

    for i, line in enumerate(lines):
        if m := bp.DATELINE_PREFIX.match(line):
            offer("published", m["date"])
            offer("author", m["author"])
            offer("outlet", m["outlet"])
        if (m := bp.BYLINE_LINE.match(line)) and (date := parse_date(m["date"])):
            offer("published", date)
            if re.fullmatch(bp.NAME, m["author"].strip()):
                offer("author", m["author"])
        elif (m := bp.AUTHOR_DATE_LINE.match(line)) and (date := parse_date(m["date"])):
            offer("published", date)
            offer("author", m["author"])
        if (m := bp.PUBLISHED_LINE.match(line)) and (date := parse_date(m["date"])):
            offer("published", date)
        if i < _DATE_LINE_WITHIN and (date := _bare_date(line)):
            offer("published", date)
        if m := bp.BYLINE_PREFIX.match(line):
            offer("author", ", ".join([m["author"], *_more_names(line[m.end() :])]))
            offer("published", parse_date(line[m.end() :]))  # "By Ana Lima, March 3, 2025"
        if re.fullmatch(bp.NAME, line) and any(
            later.startswith(f"{line} is ") for later in lines[i + 1 : i + 4]
        ):
            offer("author", line)  # an author box: the name, then "Name is ... editor"
        for pattern in (
            bp.PREFERRED_SOURCE,
            bp.TRUST_PROJECT,
            bp.ORIGINALLY_APPEARED,
            bp.REPORTED_BY,
        ):
            if m := pattern.search(line):
                offer("outlet", _GLUED_WORD.sub("", m["outlet"]))
    if "outlet" not in found and (masthead := _masthead(lines)):
        found["outlet"] = masthead
    return found


def _bare_date(line: str) -> str | None:
    """The date of a line that is little but a date ("2022/06/13", "Monday, 13 June 2022"),
    a time of day after it aside ("October 9, 2018 at 4:02 pm", "22 Sep 2025, 12:40 IST")."""
    line = _TIME_AFTER.sub("", line)
    found = find_date(line)
    if found is None or len(line.split()) > _BARE_DATE_MAX_WORDS:
        return None
    iso, start, end = found
    return iso if end - start >= _BARE_DATE_SHARE * len(line) else None


def _masthead(lines: list[str]) -> str | None:
    """A short first line that the page repeats (in menus, "Prefer X on Google") names it."""
    if not lines:
        return None
    first = lines[0]
    if len(first.split()) > 3 or re.search(r"[.,:;!?|]", first) or is_prose(first):
        return None
    later = " ".join(lines[1:])
    return first if re.search(rf"\b{re.escape(first)}\b", later) else None


def _title(lines: list[str]) -> str | None:
    """The headline-like line printed just above the byline, dateline or a bare date."""
    for above, line in zip(lines, lines[1:], strict=False):
        dated = bp.BYLINE_LINE.match(line) or bp.AUTHOR_DATE_LINE.match(line)
        headline = 3 <= len(above.split()) <= 30 and (not is_prose(above) or above.endswith("?"))
        if headline and ((dated and parse_date(dated["date"])) or _bare_date(line)):
            return above
    return None


def _above_the_lede(lines: list[str], body: str) -> tuple[list[str], str]:
    """The `_HEADLINE_ABOVE` lines above where the story proper starts (the first prose
    paragraph of `_LEDE_WORDS` words or more), and the text of its first three paragraphs;
    no lines when there is no such paragraph."""
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    at = next(
        (i for i, p in enumerate(paragraphs) if is_prose(p) and len(p.split()) >= _LEDE_WORDS),
        None,
    )
    if at is None:
        return [], ""
    opening = paragraphs[at].split("\n", 1)[0]
    start = next((i for i, line in enumerate(lines) if line.strip() == opening), None)
    if start is None:
        return [], ""
    return lines[max(0, start - _HEADLINE_ABOVE) : start], " ".join(paragraphs[at : at + 3])


def _headline_among(above: list[str], story: str) -> str | None:
    """The headline printed a few lines above the lede, over the standfirst, byline, date and
    caption lines a saved page puts between them: of the title-like lines there, the one
    whose words the lede and the two paragraphs after it repeat most often (the nearest of
    equals), so that "France v Wales" heads a preview rather than its venue line, "Stade de
    France, Paris". Menus stand above the headline; a line sharing no word with the story
    is none."""
    counts = content_word_counts(story)
    found = [
        (sum(counts[w] for w in content_words(line)), i, line.strip())
        for i, line in enumerate(above)
        if _may_be_a_headline(line.strip())
    ]
    best = max(found, default=None)
    return best[2] if best is not None and best[0] else None


def _date_among(above: list[str]) -> str | None:
    """The date of a short line among those just above the lede (a dateline, "Associated
    Press November 19, 2019, 9:02 AM"), the nearest to it."""
    for line in reversed(above):
        if len(line.split()) <= _DATED_LINE_WORDS and (found := find_date(line)):
            return found[0]
    return None


def _author_among(above: list[str]) -> str | None:
    """The author a saved page prints between headline and lede, the nearest: "by Jeff
    Foust", "Monday November 18, 2019 7:45 am PST by Joe Rossignol", or a name then its date
    or handle ("Chris Davies - Nov 19, 2019", "Catherine Shu @catherineshu / 2 days")."""
    for line in reversed(above):
        text = LIST_MARKER.sub("", line).strip()
        if len(text.split()) > _DATED_LINE_WORDS:
            continue
        if (m := _BY_NAME.search(text)) and _only_when(text[: m.start()]):
            return _without_role_or_date(m["name"]) or None
        if (
            (m := _NAME_THEN.match(text))
            and not names_a_day(m["name"])  # "Monday, November 18, 2019" names no one
            and ("@" in m["rest"] or find_date(m["rest"]) or names_a_day(m["rest"]))
        ):
            return _without_role_or_date(m["name"]) or None
    return None


def _more_names(rest: str) -> list[str]:
    """The further authors a byline names after its first ("and Malcolm Owen", ", Kathryn
    Watson, Grace Segers"): full names only, so that an outlet ("Cleveland.com") or a date
    ("March 3") after the comma is none."""
    more = _MORE_NAMES.match(rest)
    names = _NAME_IN.findall(more.group()) if more else []
    return [n for n in names if len(n.split()) >= 2 and not names_a_day(n)]


def _only_when(text: str) -> bool:
    """Nothing, or only a date and time, before a "by": a byline, not a headline's "by"
    ("Women abused by Larry Nassar speak out")."""
    return not text.strip() or bool(find_date(text)) or names_a_day(text)


def _without_role_or_date(name: str) -> str:
    """A byline's name without the words a page prints after it ("Meg James Staff Writer",
    "Umair Irfan Updated Nov"). A month or day after two words may be a surname ("Theresa
    May"), so it goes only from a longer name."""
    words = name.strip().split()
    while len(words) > 1 and (
        words[-1].lower().strip(".,") in _AFTER_A_NAME
        or (len(words) > 2 and names_a_day(words[-1]))
    ):
        words.pop()
    return " ".join(words)


def _may_be_a_headline(text: str) -> bool:
    return (
        3 <= len(text.split()) <= 30
        and opens_like_a_title(text)
        and (not is_prose(text) or text.endswith("?"))
        and not LIST_MARKER.match(text)
        and not (byline_or_date(text) or names_a_day(text))
        and not text.endswith(":")  # a label: "Set your location:", "Tested by:"
        and not (is_furniture(text) or bp.GLUED_PREFIX.match(text) or bp.BYLINE_PREFIX.match(text))
    )


def _first_sentence(body: str) -> str:
    """The first sentence as a title; a long one is cut at a word and never ends on a
    function word ("… Donald Trump…", not "… Donald Trump to…")."""
    spans = split_sentences(body)
    sentence = body[spans[0][0] : spans[0][1]] if spans else body.strip()
    if len(sentence) <= _TITLE_MAX:
        return sentence
    words = sentence[:_TITLE_MAX].split()[:-1]  # the last may be cut in the middle
    while len(words) > 1 and words[-1].lower().strip(",;:—–-") in STOPWORDS:
        words.pop()
    return " ".join(words).rstrip(",;:—–-") + "…"
