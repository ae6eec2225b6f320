"""Bytes to text: UTF-8, a charset the page or server declares, else the code page the bytes
were written in (legacy_encodings.py: Windows-1252 for Latin script); and the HTML
character references scraped text keeps (`caf&#233;`, `&amp;`) read as characters."""

from __future__ import annotations

import codecs
import re
import unicodedata
from html import unescape

from index.ingest.legacy_encodings import legacy_encoding
from index.text.offsets import SpanText

_DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._-]+)""", re.IGNORECASE
)


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


# Text that opens with a UTF-32 or UTF-16 byte-order mark (Windows Notepad's "Unicode" is
# UTF-16): UTF-32's little-endian mark opens with UTF-16's, so it is looked for first.
_WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def wide_unicode(data: bytes) -> str | None:
    """The codec of text in UTF-16 or UTF-32: by its byte-order mark, or, for UTF-16 without
    one (written by Python's "utf-16-le", some Windows exports), by its bytes; else None."""
    if codec := next((codec for mark, codec in _WIDE_MARKS if data.startswith(mark)), None):
        return codec
    return _unmarked_utf16(data[:8192])


def _unmarked_utf16(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when `head` reads as text in one of them: by its bytes
    (`_one_block_utf16`), or, for text in several blocks (CJK ideographs with their own
    punctuation), by what it decodes to (`_any_script_utf16`)."""
    return _one_block_utf16(head) or _any_script_utf16(head)


def _any_script_utf16(head: bytes) -> str | None:
    """The UTF-16 in which `head` decodes to text with ASCII line breaks: every character
    assigned, none a control character. Only data with NUL bytes is asked (text in UTF-8 or
    a single-byte code has none, and read as UTF-16 it would give ideographs: the "Bush hid
    the facts" mistake). The byte-swapped reading of such text fails, as a line break swapped
    is U+0A00, unassigned; so does binary data, within a few characters."""
    if b"\x00" not in head:
        return None
    for codec in ("utf-16-le", "utf-16-be"):
        try:  # not final: the head may end inside a character
            text = codecs.getincrementaldecoder(codec)(errors="strict").decode(head, final=False)
        except UnicodeDecodeError:
            continue
        if "\n" in text and _all_assigned_text(text):
            return codec
    return None


def _all_assigned_text(text: str) -> bool:
    """No control, unassigned, private-use or surrogate characters; letters the most part."""
    for c in text:
        category = unicodedata.category(c)
        if category in ("Cn", "Co", "Cs") or (category == "Cc" and c not in "\t\n\r\f"):
            return False
    letters = sum(c.isalpha() for c in text)
    return letters >= sum(not c.isspace() for c in text) * 0.5


def _one_block_utf16(head: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when every character's high byte in `head` is one of two
    values, one of them zero (spaces, digits and newlines are ASCII in every script written
    with them, and a text's letters share a block: U+00xx for Latin, U+04xx for Cyrillic),
    the low bytes are rarely zero, and it decodes to words."""
    pairs = len(head) // 2
    if pairs < 16:
        return None
    for codec, low, high in (
        ("utf-16-le", head[0::2], head[1::2]),
        ("utf-16-be", head[1::2], head[0::2]),
    ):
        low, high = low[:pairs], high[:pairs]
        zero_high = high.count(0)
        if zero_high < pairs * 0.05 or low.count(0) > pairs * 0.05:
            continue  # as for every UTF-8 or single-byte text: no NULs, nothing more to count
        common = max((high.count(b) for b in set(high) - {0}), default=0)
        if zero_high + common < pairs * 0.95:
            continue
        try:
            text = head[: pairs * 2].decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_words(text):
            return codec
    return None


def _reads_as_words(text: str) -> bool:
    """No control characters, mostly letters, and words parted by spaces or line breaks (a
    run of one repeated character, `ÿÿÿÿ`, is no text)."""
    if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
        return False
    spaces = sum(c.isspace() for c in text)
    letters = sum(c.isalpha() for c in text)
    return spaces >= len(text) * 0.02 and letters >= (len(text) - spaces) * 0.5


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KB mean this is not text, unless
    it is UTF-16 or UTF-32 (whose NULs are half of each letter)."""
    if wide_unicode(data):
        return False
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return bool(head) and controls / len(head) > 0.1


def universal_newlines(text: str) -> str:
    """\\r\\n and \\r as \\n, as a file read in text mode has them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode(data: bytes, legacy: str | None = None) -> tuple[str, str]:
    """Decode as UTF-8 (BOM allowed), UTF-16 or UTF-32 by their byte-order mark, else in the
    code page `legacy` names, else in the one the bytes were written in (Windows-1252 for
    Latin script); newlines normalised to \\n."""
    if wide := wide_unicode(data):
        return universal_newlines(data.decode(wide, errors="replace")), wide
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        encoding = "utf-8" if _mostly_utf8(data) else legacy or legacy_encoding(data)
        text = data.decode(encoding, errors="replace")
    return universal_newlines(text), encoding


# Bytes that fit no UTF-8 character, as a share of those and the characters that do: over
# 0.7 in every one of 2,469 texts written in an old code page (scripts/legacy_encodings.py),
# low in UTF-8 text holding a stray byte (a file cut, or pasted together from two).
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_STRAY_SHARE = 1 / 3  # at most one stray byte to two characters
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _mostly_utf8(data: bytes) -> bool:
    """Whether text that is not all UTF-8 is UTF-8 but for a few stray bytes: one Windows
    byte in a UTF-8 file made the whole file read as Windows-1252, every accent garbled."""
    characters = _UTF8_CHARACTER.findall(data)
    high = len(data) - len(data.translate(None, _HIGH_BYTES))
    stray = high - sum(map(len, characters))
    return bool(characters) and stray <= _STRAY_SHARE * (stray + len(characters))


def decode_html(data: bytes, content_type: str = "") -> tuple[str, str]:
    """An HTML page's text: UTF-8 when it is that, else the charset the server's Content-Type
    or the page's <meta> declares, else as `decode` reads it."""
    declared = re.search(r"charset=([\w.-]+)", content_type, re.IGNORECASE)
    names = [declared.group(1)] if declared else []
    if match := _DECLARED_CHARSET.search(data[:4096]):
        names.append(match.group(1).decode("ascii"))
    return decode_declared(data, names)


def decode_declared(data: bytes, names: list[str]) -> tuple[str, str]:
    """Text that names its charset (a page, an email part): UTF-8 when it is that, else the
    first of `names` that reads it, each name read as a browser reads it (the WHATWG
    Encoding Standard: "iso-8859-1" is Windows-1252, "gb2312" is GBK, "euc-kr" is
    Windows-949); else the first of them with an odd byte replaced, as a browser shows it;
    else as `decode` reads it."""
    if wide_unicode(data):
        return decode(data)
    try:
        return universal_newlines(data.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = [codec for codec in map(_as_browsers_read, names) if codec]
    for codec in declared:
        try:
            return universal_newlines(data.decode(codec)), codec
        except UnicodeDecodeError:
            continue
    if declared:
        return universal_newlines(data.decode(declared[0], errors="replace")), declared[0]
    return decode(data)


def _as_browsers_read(label: str) -> str | None:
    """The Python codec of a charset label as the WHATWG Encoding Standard maps it; None for
    an unknown label, and for UTF-16, which a page written in bytes that ASCII reads cannot
    be (real UTF-16 is told by its bytes)."""
    import webencodings

    found = webencodings.lookup(label)
    if found is None or found.name.startswith("utf-16"):
        return None
    try:
        return codecs.lookup(found.codec_info.name).name
    except LookupError:
        return None


def with_references_read(text: SpanText) -> SpanText:
    """`text` with each HTML character reference (`&#163;`, `&eacute;`, `&amp;`) as the
    character it names, standing for the whole reference in the source. A text file saved
    from a page often keeps them; searched as written, `caf&#233;` would not match `café`.
    Anything that names no character (`AT&T;`) stays as it is."""
    parts: list[SpanText] = []
    done = 0
    for match in _REFERENCE.finditer(text.text):
        character = unescape(match.group())
        if character == match.group():
            continue
        start, end = match.span()
        parts.append(text.slice(done, start))
        source = (text.starts[start], text.ends[end - 1])
        parts.append(
            SpanText(character, [source[0]] * len(character), [source[1]] * len(character))
        )
        done = end
    if not parts:
        return text
    parts.append(text.slice(done, len(text.text)))
    return SpanText.join(parts, "")
