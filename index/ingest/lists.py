"""Lists that end a news story: kept though their items do not read as prose.

Page furniture below an article (menus, share bars, breadcrumbs) is short lines too. A list
that belongs to the story stands right below a body paragraph, or below the line introducing
it ("The winners were:"), and its items are written alike: each marked ("- Best actor -
Nathan Lane", "2. ..."), or each row of one form, as draws, seedings and nominations are
printed ("Arsenal v Stoke", "7 Tim Henman (Britain)", "Little Britain (BBC Three)", an award
and its winner: "Drama - Featherboy"); or a
line is a whole roster, names each with its club or country in brackets, as team sheets and
shortlists are printed ("Julien Laharrague (Brive), Aurelien Rougerie (Clermont), ...").
Menu items are a word or two and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

LIST_MARKER = re.compile(r"^(?:[-*+•]|\d{1,3}[.)])\s+")
_NUMBERED = re.compile(r"^(\d{1,3})\s+(?=\S)")  # "7 Tim Henman (Britain)": no stop after it
_BRACKETED = r"\((?=[^()]*[^\W\d_])[^()]*\)"  # "(Country)", "(BBC Three)"; not "(23)"
_ROSTER_NAMES = 4  # bracketed capitalised words in one line, half of them distinct: a roster
_ROW_FORMS = (  # unmarked rows of one form, checked in this order
    ("numbered", _NUMBERED),
    ("versus", re.compile(r"\S\s(?:v|vs\.?)\s\S")),  # a fixture: "Arsenal v Stoke"
    ("bracketed", re.compile(rf"\S\s{_BRACKETED}$")),  # "Little Britain (BBC Three)"
    ("dashed", re.compile(r"\S\s[-–—]\s\S")),  # an award and its winner: "Drama - Featherboy"
)
_LINKED = re.compile(r"\]\(|https?://|www\.")  # a link, a Markdown link: a teaser, not a row
_ITEM_MIN_WORDS = 3  # each item this long: a menu's items are shorter
_MIN_ITEMS = {"marked": 2, "roster": 1}  # lines that make a list, by form
_MIN_ROWS = 3  # unmarked rows of one form that make a list


def lists_below_body(
    body: dict[int, bool], lines: Sequence[str], is_new: Callable[[str], bool]
) -> list[int]:
    """Indices of the left-out lines that form a list right below a body paragraph, or
    below its lead-in, with that lead-in. `lines` are the lines' texts; `body` tells, per
    line index, whether it was read as body (lines skipped as teasers are absent, so a list
    never runs across them). `is_new(text)`: neither furniture nor a paragraph already kept."""

    def left_out(i: int) -> str:
        return lines[i] if body.get(i) is False else ""

    found: list[int] = []
    for i in [i for i, is_body in body.items() if is_body]:
        while True:
            start = _first_item(i, left_out)
            items = _list_length(left_out, start, len(lines), is_new)
            if not items:
                break
            found += range(i + 1, start + items)
            i = start + items - 1  # another list may follow this one (men's seeds, women's)
    return found


def _first_item(i: int, text_of: Callable[[int], str]) -> int:
    """Where a list below line i would start: past its lead-in, a line ending in a colon or
    one whose sentence the first item goes on with ("The firms had" / "- lied about ...")."""
    lead_in, first = text_of(i + 1), text_of(i + 2)
    continued = bool(LIST_MARKER.match(first)) and LIST_MARKER.sub("", first)[:1].islower()
    if lead_in and not LIST_MARKER.match(lead_in) and (lead_in.endswith(":") or continued):
        return i + 2
    return i + 1


def _list_length(
    text_of: Callable[[int], str], start: int, stop: int, is_new: Callable[[str], bool]
) -> int:
    """How many lines from `start` on are items of one list (0 for no list)."""
    first = text_of(start) if start < stop else ""
    form = _form(first)
    if form is None:
        return 0
    count = 0
    while start + count < stop:
        text = text_of(start + count)
        if _form(text) != form or not is_new(text):
            break
        if form == "numbered" and _number(text) != _number(first) + count:
            break  # numbered rows count up one by one: "1 ...", "2 ...", "3 ..."
        count += 1
    return count if count >= _MIN_ITEMS.get(form, _MIN_ROWS) else 0


def _form(text: str) -> str | None:
    """How an item is written, when it is long enough to be one."""
    form: str | None
    if LIST_MARKER.match(text):
        form, words = "marked", LIST_MARKER.sub("", text).split()
    else:
        shapes = () if _LINKED.search(text) else _ROW_FORMS
        if shapes and _is_roster(text):
            form = "roster"
        else:
            form = next((name for name, shape in shapes if shape.search(text)), None)
        words = _NUMBERED.sub("", text).split()
    return form if form is not None and len(words) >= _ITEM_MIN_WORDS else None


def _is_roster(text: str) -> bool:
    """Names each with a bracketed club or country, most of them different: not a share bar's
    "Twitter (Opens in new window) Facebook (Opens in new window) ..."."""
    bracketed = [b for b in re.findall(_BRACKETED, text) if b[1:2].isupper()]
    return len(bracketed) >= _ROSTER_NAMES and 2 * len(set(bracketed)) >= len(bracketed)


def _number(text: str) -> int:
    match = _NUMBERED.match(text)
    return int(match.group(1)) if match else -1
