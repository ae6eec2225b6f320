"""Check that a cleaned article is made of its file: every character either copies the
character its span points at, stands for an HTML character reference there, or is whitespace
standing for whitespace (or for nothing: the breaks put between paragraphs)."""

from __future__ import annotations

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
        elif derived.isspace() and not source.strip() or derived == unescape(source):
            continue
        errors.append(f"text {derived!r} at {derived_start} maps to {source!r} at {source_start}")
        if len(errors) >= limit:
            break
    if covered != len(doc.text) and len(errors) < limit:
        errors.append(f"characters {covered}..{len(doc.text)} have no source span")
    return errors
