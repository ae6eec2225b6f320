"""How far a PDF's compressed streams unpack, counted before pdfminer reads them.

pdfminer inflates each stream whole, in memory, as it needs it: a 300 KB page whose one
content stream unpacks to 300 MB took 680 MB to read, and a 50 MB one would take the whole
machine. So the streams are first inflated here a piece at a time, counting and keeping
nothing, through each zlib layer a stream holds within it (a filter may be listed twice), and
a file whose streams unpack past a bound is not handed to pdfminer. Images are not counted:
pdfminer reads their size, never their pixels; nor are streams stored unpacked, which take no
more memory than the file.

Streams packed with LZW or run-length codes (old PDFs; a filter listed by name) are counted
too, by the lengths they decode to without writing them out: a 65 KB LZW stream that repeats
its longest code unpacks to 150 MB, and pdfminer keeps both that and its code table, which
grows as much (22 s and 371 MB for that one stream); both count. ASCII85 or hex text around
them is decoded first; a filter listed after LZW or run-length is not counted.
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
_LZW = re.compile(rb"/(?:LZWDecode|LZW)\b")
_RUN_LENGTH = re.compile(rb"/(?:RunLengthDecode|RL)\b")
_ASCII85 = re.compile(rb"/(?:ASCII85Decode|A85)\b")
_ASCII_HEX = re.compile(rb"/(?:ASCIIHexDecode|AHx)\b")
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
        stream: bytes | memoryview = memoryview(data)[start : end if end >= 0 else len(data)]
        stream = _ascii_decoded(stream, dictionary)
        lzw, run_length = _LZW.search(dictionary), _RUN_LENGTH.search(dictionary)
        if not lzw and not run_length and not _opens_zlib(stream[:2]):
            continue  # stored as it is: it takes no more memory than the file does
        pieces = (stream[at : at + _PIECE] for at in range(0, len(stream), _PIECE))
        unpacked = _unpacked(pieces, _MAX_LAYERS)
        count = _lzw_length if lzw else _run_length if run_length else _length
        total += count(unpacked, bound - total)
        if total > bound:
            return True
    return False


def _length(pieces: Iterable[bytes | memoryview], bound: int) -> int:
    """How many bytes the pieces hold, counted up to just past `bound`."""
    total = 0
    for piece in pieces:
        total += len(piece)
        if total > bound:
            break
    return total


def _ascii_decoded(stream: bytes | memoryview, dictionary: bytes) -> bytes | memoryview:
    """The stream with its ASCII85 or hex text decoded, as pdfminer decodes it (these only
    shrink); as it is when it names neither or the text is damaged."""
    from pdfminer.ascii85 import ascii85decode, asciihexdecode

    try:
        if _ASCII85.search(dictionary):
            return ascii85decode(bytes(stream))
        if _ASCII_HEX.search(dictionary):
            return asciihexdecode(bytes(stream))
    except ValueError:
        pass
    return stream


def _lzw_length(pieces: Iterable[bytes | memoryview], bound: int) -> int:
    """How many bytes LZW codes decode to, and the bytes of the code table pdfminer builds
    beside them (it never stops adding entries), as pdfminer.lzw reads them: 9 to 12 bits a
    code, 256 clears the table, 257 is passed over, an unknown code ends it. Counted up to
    just past `bound`, keeping each table entry's length, not its bytes."""
    lengths: list[int] = []  # the table: how long each code's bytes are
    previous = 0  # the length of the last code's bytes; 0 right after a clear
    total, bits, held, width = 0, 0, 0, 9
    for piece in pieces:
        for byte in bytes(piece):
            bits, held = bits << 8 | byte, held + 8
            while held >= width:
                held -= width
                code = bits >> held
                bits &= (1 << held) - 1
                if code == 256:
                    lengths, previous, width = [1] * 256 + [0, 0], 0, 9
                    continue
                if code == 257:
                    continue
                if not previous:
                    if code >= len(lengths) or not lengths[code]:
                        return total  # pdfminer fails here: nothing more is read
                    out = lengths[code]
                elif code < len(lengths):
                    out = lengths[code]
                    lengths.append(previous + 1)
                    total += previous + 1  # pdfminer keeps each entry's bytes as well
                elif code == len(lengths):
                    out = previous + 1
                    lengths.append(out)
                    total += out
                else:
                    return total  # a code not yet made: pdfminer stops
                width = {511: 10, 1023: 11, 2047: 12}.get(len(lengths), width)
                previous = out
                total += out
                if total > bound:
                    return total
    return total


def _run_length(pieces: Iterable[bytes | memoryview], bound: int) -> int:
    """How many bytes run-length codes decode to (a length byte: up to 127 copies that many
    bytes plus one, 129 and up repeats the next byte 257 less it, 128 ends), up to `bound`."""
    total, left = 0, b""
    for piece in pieces:
        data = left + bytes(piece)
        at = 0
        while at < len(data):
            length = data[at]
            if length == 128:
                return total
            step = length + 2 if length < 128 else 2
            if at + step > len(data):
                break  # the run goes on in the next piece
            total += length + 1 if length < 128 else 257 - length
            if total > bound:
                return total
            at += step
        left = data[at:]
    return total


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
