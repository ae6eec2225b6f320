"""An article body that the page splits into sibling containers of one kind.

Some sites (WIRED, The New Yorker) cut an article into several sibling blocks of the same
tag and class, with an advertising rail between them. trafilatura keeps the first block and
drops the rest (its issues #85 and #304). Here the page is searched for such a group: one
member holds the extracted body, another holds paragraphs written the same way (same tag,
class and parent) that the body lacks. The group's members are then joined into the first,
so that a second extraction reads the whole article. Teasers and comments under a repeated
class are written differently from the body's paragraphs, so they are not joined.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

import lxml.html
from lxml.html import HtmlElement
from trafilatura import load_html

_PARAGRAPH_WORDS = 8  # shorter paragraphs (captions, bylines) say nothing about a block
_MIN_PARAGRAPHS = 3  # a block the body lacks must hold at least this many paragraphs


def joined_body_page(source: str, body: str) -> str | None:
    """The page with the sibling blocks of a split article joined into one, when the body
    extracted from it (`body`) holds one block's paragraphs and misses another's; else None."""
    tree = load_html(source)  # trafilatura's own parse: XHTML's <?xml ...?> and all
    if tree is None:
        return None
    held = " ".join(body.split())
    joined = False
    for members in list(_sibling_groups(tree)):
        kinds = [_paragraph_kind(m) for m in members]
        covered = [_share_held(m, held) >= 0.5 for m in members]
        styles = {kind for kind, hit in zip(kinds, covered, strict=True) if hit and kind}
        missed = [
            m
            for m, kind, hit in zip(members, kinds, covered, strict=True)
            if not hit and kind in styles
        ]
        if styles and missed:
            _join(members)
            joined = True
    return lxml.html.tostring(tree, encoding="unicode") if joined else None


def _sibling_groups(tree: HtmlElement) -> Iterator[list[HtmlElement]]:
    """Children of one parent sharing tag and class, two or more of them holding paragraphs."""
    for parent in tree.iter():
        alike: dict[tuple[str, str], list[HtmlElement]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str) and child.get("class"):
                alike[(child.tag, child.get("class", ""))].append(child)
        for members in alike.values():
            if sum(len(_paragraphs(m)) >= _MIN_PARAGRAPHS for m in members) >= 2:
                yield members


def _paragraphs(block: HtmlElement) -> list[HtmlElement]:
    return [p for p in block.iter("p") if len(p.text_content().split()) >= _PARAGRAPH_WORDS]


def _paragraph_kind(block: HtmlElement) -> tuple[str, str] | None:
    """How most of a block's paragraphs are written: their class and their parent's tag;
    None when it holds too few paragraphs or no one way holds half of them."""
    paragraphs = _paragraphs(block)
    if len(paragraphs) < _MIN_PARAGRAPHS:
        return None
    kinds = Counter((p.get("class") or "", _parent_tag(p)) for p in paragraphs)
    kind, count = kinds.most_common(1)[0]
    return kind if 2 * count >= len(paragraphs) else None


def _parent_tag(element: HtmlElement) -> str:
    parent = element.getparent()
    return str(parent.tag) if parent is not None else ""


def _share_held(block: HtmlElement, held: str) -> float:
    paragraphs = _paragraphs(block)
    found = sum(" ".join(p.text_content().split()) in held for p in paragraphs)
    return found / len(paragraphs) if paragraphs else 0.0


def _join(members: list[HtmlElement]) -> None:
    """Every member's children moved, in page order, into the first member."""
    first = members[0]
    for other in members[1:]:
        if other.text and other.text.strip():
            _append_text(first, other.text)
        for child in list(other):
            first.append(child)
        other.drop_tree()  # lxml keeps the text that followed it in place


def _append_text(element: HtmlElement, text: str) -> None:
    last = element[-1] if len(element) else None
    if last is None:
        element.text = (element.text or "") + text
    else:
        last.tail = (last.tail or "") + text
