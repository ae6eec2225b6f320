"""How texts saved in their language's old code page are read: as Windows-1252 alone (the
reading before 2026-11-30), as charset-normalizer alone, and as `qa index` reads them now
(index/ingest/decoding.py, `decode`).

The texts are real sentences in 24 languages: the translated messages of the programs
installed on this machine (/usr/share/locale/*/LC_MESSAGES/*.mo), joined into texts of about
300 and 1,500 characters, each written in the code pages its language used before UTF-8
(Russian in Windows-1251 and KOI8-R, Japanese in Shift-JIS and EUC-JP, ...). Messages of a
non-Latin language that are mostly Latin letters (left untranslated) are left out. A text
counts as read when the decoded text equals it exactly; texts all in ASCII are left out, as
every reading gives them. The same texts written in UTF-8 with one stray byte make a last row.

    python scripts/legacy_encodings.py             # a row per language and length, and totals
    python scripts/legacy_encodings.py --seed 11   # other messages drawn: a second sample
"""

from __future__ import annotations

import argparse
import gettext
import glob
import random
from collections import defaultdict
from collections.abc import Callable

import charset_normalizer

from index.ingest.decoding import decode, universal_newlines

CODE_PAGES = {
    "fr": ["cp1252", "latin_1"],
    "de": ["cp1252", "latin_1"],
    "es": ["cp1252", "latin_1"],
    "it": ["cp1252"],
    "pt": ["cp1252"],
    "nl": ["cp1252"],
    "sv": ["cp1252"],
    "da": ["cp1252"],
    "ru": ["cp1251", "koi8_r"],
    "uk": ["cp1251"],
    "bg": ["cp1251"],
    "el": ["cp1253", "iso8859_7"],
    "tr": ["cp1254"],
    "he": ["cp1255"],
    "ar": ["cp1256"],
    "pl": ["cp1250", "iso8859_2"],
    "cs": ["cp1250"],
    "hu": ["cp1250"],
    "ja": ["shift_jis", "euc_jp"],
    "zh_CN": ["gb18030", "gbk"],
    "zh_TW": ["big5"],
    "ko": ["euc_kr"],
    "th": ["cp874"],
    "vi": ["cp1258"],
}
WESTERN = {"fr", "de", "es", "it", "pt", "nl", "sv", "da"}
LATIN_SCRIPT = {"fr", "de", "es", "it", "pt", "nl", "sv", "da", "tr", "pl", "cs", "hu", "vi"}
LENGTHS = (300, 1500)
TEXTS_PER_LENGTH = 20


def messages(language: str) -> list[str]:
    """The language's translated messages of more than 30 characters, mostly letters."""
    found = set()
    for path in sorted(glob.glob(f"/usr/share/locale/{language}/LC_MESSAGES/*.mo")):
        try:
            with open(path, "rb") as handle:
                catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
        except (OSError, ValueError):
            continue
        for value in catalog.values():
            if not isinstance(value, str) or len(value) <= 30 or any(c in value for c in "%{\\"):
                continue
            text = " ".join(value.split())
            letters = [c for c in text if c.isalpha()]
            translated = language in LATIN_SCRIPT or sum(c.isascii() for c in letters) < 0.3 * len(
                letters
            )
            if len(letters) > 0.7 * len(text.replace(" ", "")) and translated:
                found.add(text)
    return sorted(found)


def texts(seed: int = 7) -> list[tuple[str, str, int, str]]:
    """(language, code page, length, text) for each text; what a code page cannot write is
    left out of its copy."""
    draw = random.Random(seed)
    out = []
    for language, code_pages in CODE_PAGES.items():
        pool = messages(language)
        draw.shuffle(pool)
        for length in LENGTHS:
            for n in range(TEXTS_PER_LENGTH):
                text, i = "", n * 40
                while len(text) < length and i < len(pool):
                    text += pool[i] + ("\n\n" if draw.random() < 0.3 else " ")
                    i += 1
                for code_page in code_pages:
                    written = text.encode(code_page, errors="ignore").decode(code_page)
                    if len(written) > length // 2:
                        out.append((language, code_page, length, written))
    return out


def _normalizer_alone(data: bytes) -> tuple[str, str]:
    best = charset_normalizer.from_bytes(data).best()
    return (universal_newlines(str(best)), best.encoding) if best else decode(data)


READINGS: dict[str, Callable[[bytes], tuple[str, str]]] = {
    "windows-1252": lambda data: (universal_newlines(data.decode("cp1252", "replace")), "cp1252"),
    "charset-normalizer": _normalizer_alone,
    "qa index": decode,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7, help="which messages are drawn (7)")
    args = parser.parse_args()
    read: dict[str, dict[tuple[str, int], list[int]]] = {
        name: defaultdict(lambda: [0, 0]) for name in READINGS
    }
    for language, code_page, length, text in texts(args.seed):
        data = text.encode(code_page)
        if data.isascii():
            continue
        for name, reading in READINGS.items():
            tally = read[name][(language, length)]
            tally[0] += reading(data)[0] == universal_newlines(text)
            tally[1] += 1
    print("| language | length | " + " | ".join(READINGS) + " |")
    print("|---|---:|" + "---:|" * len(READINGS))
    totals = {name: [0, 0] for name in READINGS}
    for language, length in sorted(read["qa index"]):
        cells = []
        for name in READINGS:
            right, of = read[name][(language, length)]
            totals[name][0] += right
            totals[name][1] += of
            cells.append(f"{right}/{of}")
        print(f"| {language} | {length} | " + " | ".join(cells) + " |")
    groups = {
        "Western (Windows-1252, Latin-1)": WESTERN,
        "other Latin script (pl, cs, hu, tr, vi)": LATIN_SCRIPT - WESTERN,
        "other scripts": set(CODE_PAGES) - LATIN_SCRIPT,
    }
    for group, languages in groups.items():
        cells = []
        for name in READINGS:
            pairs = [v for (language, _), v in read[name].items() if language in languages]
            cells.append(f"{sum(r for r, _ in pairs)}/{sum(n for _, n in pairs)}")
        print(f"| {group} | all | " + " | ".join(cells) + " |")
    print("| all | all | " + " | ".join(f"{r}/{n}" for r, n in totals.values()) + " |")
    print()
    print(_stray_bytes(args.seed))


def _stray_bytes(seed: int) -> str:
    """How the same texts read written in UTF-8 with one stray Windows byte (0x93, a curly
    quote) in the middle, as a file pasted together from two is: read right when the text
    comes back with one replacement character there."""
    right = {name: 0 for name in READINGS}
    count = 0
    for _, _, _, text in texts(seed):
        if text.isascii():  # an ASCII text's stray 0x93 is a Windows curly quote, rightly read
            continue
        middle = len(text) // 2
        data = text[:middle].encode() + b"\x93" + text[middle:].encode()
        if data.decode("utf-8", "replace").count("\ufffd") != 1:
            continue
        count += 1
        expected = universal_newlines(f"{text[:middle]}\ufffd{text[middle:]}")
        for name, reading in READINGS.items():
            right[name] += reading(data)[0] == expected
    cells = " | ".join(f"{right[name]}/{count}" for name in READINGS)
    return f"| UTF-8 with one stray byte | | {cells} |"


if __name__ == "__main__":
    main()
