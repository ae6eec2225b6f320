"""Which code page wrote a text that is not UTF-8 and names no charset.

Before UTF-8, a Russian paper saved its pages in Windows-1251 or KOI8-R, a Japanese one in
Shift-JIS or EUC-JP, a Chinese one in GBK or Big5, a Greek one in Windows-1253. Read as
Windows-1252, such a text becomes "Ñîâåò ãàâàíè" (or nothing readable at all) and is indexed
so, found by no question. charset-normalizer tries the code pages news was written in and
keeps the reading that looks least like noise. Its pick is taken when it reads a text in a
script other than Latin. For Western text it often picks a neighbouring Latin code page
(Spanish as Central European, "ñ" as "ń"), so Latin-script text is read as Windows-1252, as
before: Polish, Czech, Hungarian, Turkish or Vietnamese in its own code page is still misread.

Measured by `scripts/legacy_encodings.py`: 1,236 texts in 24 languages written in their old
code pages (docs/ingest.md, "Any language and script").
"""

from __future__ import annotations

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
_SAMPLE = 64 * 1024  # bytes read to choose: enough for any script, cut at a line's end
_OTHER_SCRIPT = 0.5  # of the reading's letters, at least: more than half are not Latin


def legacy_encoding(data: bytes) -> str:
    """The code page to read `data` in: the one charset-normalizer finds when it reads as a
    text mostly in a script other than Latin, else Windows-1252."""
    import charset_normalizer

    sample = data[:_SAMPLE]
    if len(data) > _SAMPLE and (end := sample.rfind(b"\n")) > 0:
        sample = sample[: end + 1]  # not inside a character of two bytes
    best = charset_normalizer.from_bytes(sample, cp_isolation=list(CODE_PAGES)).best()
    if best is None or _latin_share(str(best)) > 1 - _OTHER_SCRIPT:
        return WESTERN
    return best.encoding


def _latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 1.0
    latin = sum(1 for c in letters if c.isascii() or "LATIN" in unicodedata.name(c, ""))
    return latin / len(letters)
