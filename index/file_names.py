"""File names as Python holds them: bytes of a name that are not UTF-8 (a Latin-1 "café.txt"
from an old archive or share) become lone surrogates ("caf\udce9.txt"), which no UTF-8 text
can hold. The index writes such a name as its JSON escape, so that it reads back as the same
path; people and API clients are shown it with the odd byte written out ("caf\\xe9.txt")."""

from __future__ import annotations

import json
import re
from typing import Any

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def json_text(value: Any, **options: Any) -> str:
    """`json.dumps(value, ensure_ascii=False, ...)`, with any lone surrogate (a file name's
    byte that is not UTF-8) written as its \\u escape instead of failing to encode."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def shown(name: str) -> str:
    """`name` as it can be printed and sent: a byte that is not UTF-8 written as \\xNN."""
    if not _LONE_SURROGATE.search(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
