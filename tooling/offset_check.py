"""Check that a cleaned article is made of its file: every character either copies the
character its span points at, stands for an HTML character reference or a JSON string's
escape there (a page's structured data), or is whitespace standing for whitespace (or for
nothing: the breaks put between paragraphs)."""

from __future__ import annotations

import json
import re
from html import unescape

from index.records import Document


def offset_errors(original: str, doc: Document, limit: int = 5) -> list[str]:
    """Up to `limit` descriptions of characters of `doc.text` that do not map into `original`."""
    errors: list[str] = []
    covered = 0
    for derived_start, source_start, derived_len, source_len in doc.source_map:
        if derived_start != covered:
            errors.append(f"characters {covered}..{derived_start} have no source span")
        covered = derived_start + derived_len
        derived = doc.text[derived_start : derived_start + derived_len]
        source = original[source_start : source_start + source_len]
        if derived_len == source_len:
            pairs = zip(derived, source, strict=True)
            if all(d == s or (d.isspace() and s.isspace()) for d, s in pairs):
                continue
        elif derived.isspace() and not source.strip() or derived in _readings(source):
            continue
        errors.append(f"text {derived!r} at {derived_start} maps to {source!r} at {source_start}")
        if len(errors) >= limit:
            break
    if covered != len(doc.text) and len(errors) < limit:
        errors.append(f"characters {covered}..{len(doc.text)} have no source span")
    return errors


_JSON_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}(?:\\u[0-9a-fA-F]{4})?)')


def _readings(source: str) -> set[str]:
    """What a piece of the file may stand for: an HTML character reference's character, a
    JSON escape's (`\\u00e9`, `\\n`, read as a line break also when written `\\r`)."""
    readings = {unescape(source)}
    if _JSON_ESCAPE.fullmatch(source):
        character = json.loads(f'"{source}"')
        readings |= {character, character.replace("\r", "\n")}
    return readings
