"""How far a PDF's compressed streams unpack, counted before pdfminer reads them.

pdfminer inflates each stream whole, in memory, as it needs it: a 300 KB page whose one
content stream unpacks to 300 MB took 680 MB to read, and a 50 MB one would take the whole
machine. So the streams are first inflated here a piece at a time, counting and keeping
nothing, through each zlib layer a stream holds within it (a filter may be listed twice), and
a file whose streams unpack past a bound is not handed to pdfminer. Images are not counted:
pdfminer reads their size, never their pixels; nor are streams stored unpacked, which take no
more memory than the file.
"""

from __future__ import annotations

import itertools
import re
import zlib
from collections.abc import Iterable, Iterator

_STREAM = re.compile(rb"(?<!end)stream\r?\n")  # a stream's data starts after this keyword
_END = b"endstream"
_OBJECT = b"obj"  # the stream's dictionary stands between this keyword and the stream
_DICTIONARY_REACH = 4096  # bytes back from the data within which the dictionary is looked for
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_PIECE = 1 << 16
_MAX_LAYERS = 16


def unpacks_past(data: bytes, bound: int) -> bool:
    """Whether the file's compressed streams, other than images, unpack to more than `bound`
    bytes in all."""
    total, unended = 0, False
    for match in _STREAM.finditer(data):
        start = match.end()
        reach = max(0, start - _DICTIONARY_REACH)
        opened = data.rfind(_OBJECT, reach, start)
        dictionary = data[opened if opened >= 0 else reach : start]
        if _IMAGE.search(dictionary):
            continue
        end = -1 if unended else data.find(_END, start)
        unended = end < 0  # none after this one either: not looked for again
        stream = memoryview(data)[start : end if end >= 0 else len(data)]
        if not _opens_zlib(stream[:2]):
            continue  # stored as it is: it takes no more memory than the file does
        pieces = (stream[at : at + _PIECE] for at in range(0, len(stream), _PIECE))
        for piece in _unpacked(pieces, _MAX_LAYERS):
            total += len(piece)
            if total > bound:
                return True
    return False


def _unpacked(pieces: Iterable[bytes | memoryview], layers: int) -> Iterator[bytes]:
    """The stream's bytes once every zlib layer in it is inflated, a piece at a time; the
    bytes as they are where a layer is no zlib data, and up to where a damaged one breaks."""
    pieces = iter(pieces)
    first = next(pieces, b"")
    if layers == 0 or not _opens_zlib(first):
        yield from itertools.chain([first], pieces)
        return
    inflated = _inflated(itertools.chain([first], pieces))
    try:
        opening = next(inflated, b"")
    except zlib.error:  # a header by chance, not zlib data
        yield from itertools.chain([first], pieces)
        return
    try:
        yield from _unpacked(itertools.chain([opening], inflated), layers - 1)
    except zlib.error:  # damaged further on: pdfminer reads no further either
        return


def _inflated(pieces: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    inflater = zlib.decompressobj()
    for piece in pieces:
        left: bytes | memoryview = piece
        while True:
            out = inflater.decompress(left, _PIECE)
            if out:
                yield out
            left = inflater.unconsumed_tail
            if inflater.eof:
                return
            if not left and len(out) < _PIECE:
                break


def _opens_zlib(data: bytes | memoryview) -> bool:
    """Whether the bytes open with a zlib header: deflate, and a check the two bytes pass."""
    return len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
