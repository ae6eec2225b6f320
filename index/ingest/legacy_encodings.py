"""Which code page wrote a text that is not UTF-8 and names no charset.

Before UTF-8, a Russian paper saved its pages in Windows-1251 or KOI8-R, a Japanese one in
Shift-JIS or EUC-JP, a Chinese one in GBK or Big5, a Greek one in Windows-1253. Read as
Windows-1252, such a text becomes "Ñîâåò ãàâàíè" (or nothing readable at all) and is indexed
so, found by no question. charset-normalizer tries the code pages news was written in and
keeps the reading that looks least like noise. Its pick is taken when it reads a text in a
script other than Latin. For Western text it often picks a neighbouring Latin code page
(Spanish as Central European, "ñ" as "ń"), so a Latin code page other than Windows-1252 is
taken only for a text long enough to tell by (1,000 bytes) that it reads as a language the
page was made for (Polish in Windows-1250); else the text is read as Windows-1252.

Measured by `scripts/legacy_encodings.py`: 1,236 texts in 24 languages written in their old
code pages (docs/ingest.md, "Any language and script").
"""

from __future__ import annotations

import re
import unicodedata

WESTERN = "cp1252"
# The code pages news was written in before UTF-8: the Windows, ISO and national ones of each
# script (Windows-1251 and KOI8-R for Cyrillic, ...). Left to try every code page it knows,
# charset-normalizer read a short Greek text as ISO 8859-5 Cyrillic, and Russian as Mac
# Cyrillic; DOS and Mac pages are rare in news.
CODE_PAGES = (
    *("cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257"),
    *("cp1258", "cp874", "iso8859_2", "iso8859_7", "iso8859_15", "koi8_r", "koi8_u"),
    *("shift_jis", "cp932", "euc_jp", "gb18030", "gbk", "big5", "euc_kr", "cp949"),
)
_SAMPLE = 64 * 1024  # bytes of text read to choose: enough for any script, cut at a line's end
_OTHER_SCRIPT = 0.5  # of the reading's letters, at least: more than half are not Latin
# Latin code pages other than Windows-1252, taken only for a text of 1,000 bytes or more that
# charset-normalizer reads as a language the page was made for.
_CENTRAL = frozenset({"Polish", "Czech", "Slovak", "Hungarian", "Croatian", "Slovene"})
_LATIN_PAGES = {
    "cp1250": _CENTRAL,
    "iso8859_2": _CENTRAL,
    "cp1254": frozenset({"Turkish"}),
    "cp1258": frozenset({"Vietnamese"}),
}
_LATIN_EVIDENCE = 1000
# A page's tags, scripts and styles: ASCII that would outnumber a short story's letters and
# make every single-byte code page read the page as well as its own.
_TAG = re.compile(rb"<[^<>]{0,4000}>")
_SCRIPT = re.compile(rb"<(script|style)\b", re.IGNORECASE)


def legacy_encoding(data: bytes) -> str:
    """The code page to read `data` in: the one charset-normalizer finds when it reads as a
    text mostly in a script other than Latin, or as a long text in a language of Central
    Europe, Turkish or Vietnamese in that language's page; else Windows-1252."""
    import charset_normalizer

    text = _without_markup(data)
    sample = text[:_SAMPLE]
    if len(text) > _SAMPLE and (end := sample.rfind(b"\n")) > 0:
        sample = sample[: end + 1]  # not inside a character of two bytes
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(CODE_PAGES)).best()
    if best is None:
        return WESTERN
    if _latin_share(str(best)) <= 1 - _OTHER_SCRIPT:
        return best.encoding
    made_for = _LATIN_PAGES.get(best.encoding, frozenset())
    return (
        best.encoding if len(sample) >= _LATIN_EVIDENCE and best.language in made_for else WESTERN
    )


def _without_markup(data: bytes) -> bytes:
    """The bytes less their scripts, styles and tags, in one pass: a script's end is looked
    for once, so a file of many openings and no end is not scanned again from each."""
    kept: list[bytes] = []
    lower, at, unclosed = data.lower(), 0, set()
    for opening in _SCRIPT.finditer(data):
        name = opening.group(1).lower()
        if opening.start() < at or name in unclosed:
            continue
        closing = lower.find(b"</" + name, opening.end())
        if closing < 0:
            unclosed.add(name)
            continue
        end = data.find(b">", closing)
        kept += [data[at : opening.start()], b" "]
        at = len(data) if end < 0 else end + 1
    kept.append(data[at:])
    return _TAG.sub(b" ", b"".join(kept))


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)
