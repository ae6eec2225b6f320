"""The text a Markdown file reads as: link labels without their addresses, no images, no
emphasis marks, heading hashes, quote marks, HTML tags or link definitions. Every character
kept is the file's own, so offsets still point into it; line breaks are always kept.

Pages saved as Markdown (html2text, markdownify) carry a link's address beside each label
and an image line for each picture; left in, they are searched as words and quoted in
citations. A line that is only a link (a menu item, a related story) is dropped whole: once
its address is gone it would read as a list item or a headline. List markers stay: the
cleaning reads lists by them.
"""

from __future__ import annotations

import re

from index.text.offsets import SpanText

# A label holds no bracket, so the search from each "[" stops at the next one: a line of a
# thousand "[" is read in linear time. (A linked image, "[![alt](img)](url)", is taken apart
# from the inside: the image first, then the link around what is left.)
_LABEL = r"[^\[\]\n]*"  # a link's label or an image's alt text
_PARENS = r"\((?:[^()\n]|\([^()\n]*\))*\)"  # a link's address and title, one nesting deep
# Whole matches dropped: images, autolinks, HTML tags, link definitions, rules and fences.
_DROPPED = re.compile(
    "|".join(
        (
            # A line that is only a link, maybe a list item or heading: a menu or a teaser.
            rf"(?m:^ {{0,3}}(?:(?:[-*+]|\d{{1,3}}[.)])[ \t]+|#{{1,6}}[ \t]+)?\[{_LABEL}\]{_PARENS}[ \t]*$)",
            rf"!\[{_LABEL}\]{_PARENS}",  # ![alt](image.png)
            r"<(?:https?://|mailto:)[^>\s]*>",  # <https://example.com>
            r"</?[A-Za-z][\w-]*(?:\s[^<>\n]*)?/?>",  # <br>, <span class="x">
            rf"(?m:^ {{0,3}}\[{_LABEL}\]:[ \t]*\S.*$)",  # [1]: https://example.com
            r"(?m:^ {0,3}(?:[-*_=][ \t]*){3,}$)",  # ---, ***, ===: a rule or an underline
            r"(?m:^ {0,3}(?:```|~~~).*$)",  # a code fence
            r"(?m:^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*(?:\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*$)",  # |---|
        )
    )
)
# Marks dropped around text that is kept (the groups named in _KEPT_GROUPS).
_AROUND = re.compile(
    "|".join(
        (
            rf"\[(?P<link>{_LABEL})\](?:{_PARENS}|\[{_LABEL}\])",  # [label](url), [label][ref]
            r"(?P<strong>\*\*|__|~~)(?=\S)(?P<strong_text>[^\n]+?)(?<=\S)(?P=strong)",
            r"(?<![\w*\\])\*(?=[^\s*])(?P<em_star>[^*\n]+?)(?<=[^\s*\\])\*(?![\w*])",
            r"(?<![\w\\])_(?=[^\s_])(?P<em_line>[^_\n]+?)(?<=[^\s_\\])_(?!\w)",
            r"`(?P<code>[^`\n]+)`",
        )
    )
)
_QUOTE = re.compile(r"(?m)^ {0,3}(?:>[ \t]?)+")
# A heading's opening hashes, and the closing ones some writers add: "## Title ##".
_HEADING = re.compile(r"(?m)^ {0,3}(?P<open>#{1,6}[ \t]+)[^\n]*?(?P<close>[ \t]+#+)?[ \t]*$")
_ESCAPE = re.compile(r"\\(?=[\\`*_{}\[\]()#+\-.!>|~])")
_KEPT_GROUPS = ("link", "strong_text", "em_star", "em_line", "code")


def visible_markdown(text: str, start: int = 0) -> SpanText:
    """`text` less its Markdown marks, as spans of `text`; from `start` on (past its front
    matter, index/ingest/front_matter.py)."""
    dropped = bytearray(len(text))

    def drop(start: int, end: int) -> None:
        dropped[start:end] = b"\x01" * (end - start)

    drop(0, start)
    for match in _DROPPED.finditer(text):
        drop(*match.span())
    for match in _QUOTE.finditer(text):
        drop(*match.span())
    # Characters a backslash makes literal ("\\*" is a star, not emphasis).
    escaped: set[int] = set()
    for match in _ESCAPE.finditer(text):
        drop(*match.span())
        escaped.add(match.end())
    for match in _HEADING.finditer(text):
        for part in ("open", "close"):
            if match.group(part) is not None:
                drop(*match.span(part))
    # Marks inside a link's label ("[**Live**](url)") are found on the next pass.
    for _ in range(2):
        for match in _AROUND.finditer(_masked(text, dropped, escaped)):
            group = next(g for g in _KEPT_GROUPS if match.group(g) is not None)
            drop(match.start(), match.start(group))
            drop(match.end(group), match.end())
    for match in re.finditer("\n", text):
        dropped[match.start()] = 0  # line breaks stay: the cleaning reads lines
    identity = SpanText.identity(text)
    kept = [identity.slice(*match.span()) for match in re.finditer(rb"\x00+", bytes(dropped))]
    return SpanText.join(kept, "")


def _masked(text: str, dropped: bytearray, escaped: set[int]) -> str:
    """`text` with dropped characters blanked to NUL and escaped ones to SOH, in place
    (so offsets hold), for finding the marks still to drop."""
    chars = list(text)
    for i in escaped:
        chars[i] = "\1"
    for match in re.finditer(rb"\x01+", bytes(dropped)):
        chars[match.start() : match.end()] = "\0" * (match.end() - match.start())
    return "".join(chars)
