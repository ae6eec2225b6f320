"""How much of a page Python's HTML parser is given: all of it, unless its markup stops closing.

Python's own parser (3.11.7 on these machines; fixed in later CPython patch releases,
python/cpython#135462 and #153030) looks for the end of each comment or tag it meets to the
end of the page, and for one never closed it does so again from the next opening: 20,000
unclosed `<!--` took 8 s, and 20,000 start tags left open in a 1 MB page 278 s. A browser
shows nothing of such a tail (a comment never closed hides the rest of the page; a tag open
at the end is dropped), so when many openings follow the last close of their kind, the
parser is given the page up to the first of them. A page cut off in a download, with one or
a few openings left open, is parsed whole, as before.
"""

from __future__ import annotations

import re

_COMMENT_OPENING = "<!--"
_COMMENT_CLOSING = re.compile(r"--\s*>")  # as the parser closes a comment
_TAG_OPENING = re.compile(r"<[A-Za-z!/?]")
MANY = 50  # openings never closed that the parser is left to rescan for; more are cut


def parsed_length(source: str) -> int:
    """How much of `source` to parse: up to the first of more than MANY comments, or more
    than MANY tags, that open after the last comment or tag closes; else all of it."""
    cut = len(source)
    after = 0  # where the last comment closes
    for closing in _COMMENT_CLOSING.finditer(source):
        after = closing.end()
    first = source.find(_COMMENT_OPENING, after)
    if first >= 0 and source.count(_COMMENT_OPENING, first) > MANY:
        cut = first
    openings = _TAG_OPENING.finditer(source, source.rfind(">") + 1)
    first_tag = next(openings, None)
    if first_tag is not None and sum(1 for _ in openings) >= MANY:
        cut = min(cut, first_tag.start())
    return cut
