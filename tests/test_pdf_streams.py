"""PDF streams packed with LZW or run-length codes are counted before pdfminer unpacks them
(index/ingest/pdf_streams.py), as zlib streams are (tests/test_web_sources.py)."""

from __future__ import annotations

import base64
import io
import random
from pathlib import Path

import pytest
from pdfminer.lzw import LZWDecoder
from pdfminer.runlength import rldecode

from index.ingest import pdf_streams
from index.ingest.files import read_file
from index.ingest.raw import RawArticle, Skipped
from tests.test_web_sources import _pdf

BBC = Path(__file__).resolve().parents[2] / "shared" / "bench" / "bbc_news" / "bbc"
TEXT = b"BT /F1 11 Tf 72 720 Td (Ferry terminal approved by the harbour board) Tj ET\n"


class _Bits:
    """Codes written most significant bit first, as PDF's LZW reads them."""

    def __init__(self) -> None:
        self.out, self.held, self.count = bytearray(), 0, 0

    def put(self, code: int, width: int) -> None:
        self.held, self.count = self.held << width | code, self.count + width
        while self.count >= 8:
            self.count -= 8
            self.out.append(self.held >> self.count & 0xFF)
        self.held &= (1 << self.count) - 1

    def done(self) -> bytes:
        return bytes(self.out) + (
            bytes([self.held << 8 - self.count & 0xFF]) if self.count else b""
        )


def lzw(data: bytes) -> bytes:
    """PDF's LZW (early change): the table cleared before it fills."""
    bits, width = _Bits(), 9
    bits.put(256, width)
    table, word = {bytes([i]): i for i in range(256)}, b""
    for byte in data:
        longer = word + bytes([byte])
        if longer in table:
            word = longer
            continue
        bits.put(table[word], width)
        table[longer] = len(table) + 2
        width = {512: 10, 1024: 11, 2048: 12}.get(len(table) + 2, width)
        if len(table) + 2 >= 4000:
            bits.put(256, width)
            table, width = {bytes([i]): i for i in range(256)}, 9
        word = bytes([byte])
    if word:
        bits.put(table[word], width)
    return bits.done()


def lzw_bomb(repeats: int) -> bytes:
    """One byte, coded so each code names the entry being made until the table is full, then
    the longest entry (3,838 bytes) again and again, 12 bits each."""
    bits = _Bits()
    bits.put(256, 9)
    bits.put(32, 9)
    for size in range(258, 4096):
        bits.put(size, 9 if size < 511 else 10 if size < 1023 else 11 if size < 2047 else 12)
    for _ in range(repeats):
        bits.put(4095, 12)
    return bits.done()


def run_length(data: bytes) -> bytes:
    """Runs of one byte as repeats, the rest copied, 128 at most each."""
    out, at = bytearray(), 0
    while at < len(data):
        same = 1
        while at + same < len(data) and data[at + same] == data[at] and same < 128:
            same += 1
        if same > 1:
            out += bytes([257 - same, data[at]])
        else:
            out += bytes([0, data[at]])
        at += same
    return bytes(out) + b"\x80"


def pdminer_lzw(data: bytes) -> tuple[int, int]:
    """What pdfminer's own decoder gives: its output's length and its table's bytes."""
    added = 0

    class Counting(LZWDecoder):
        def feed(self, code: int) -> bytes:
            nonlocal added
            before = len(self.table)
            out = super().feed(code)
            if code != 256 and len(self.table) > before:
                added += len(self.table[-1] or b"")
            return out

    return sum(len(x) for x in Counting(io.BytesIO(data)).run()), added


def _texts() -> list[bytes]:
    rng = random.Random(0)
    article = (BBC / "business" / "001.txt").read_bytes() if BBC.is_dir() else TEXT * 30
    return [
        TEXT * 300,
        bytes(rng.randrange(256) for _ in range(30_000)),
        article * 20,
        b"a" * 50_000,
    ]


@pytest.mark.parametrize("data", _texts())
def test_lzw_and_run_length_are_counted_as_pdfminer_decodes_them(data: bytes) -> None:
    packed = lzw(data)
    output, table = pdminer_lzw(packed)
    assert output == len(data)  # the coder above is PDF's LZW
    pieces = [packed[at : at + 777] for at in range(0, len(packed), 777)]  # codes across pieces
    assert pdf_streams._lzw_length(pieces, 10**12) == output + table

    runs = run_length(data)
    assert rldecode(runs) == data
    pieces = [runs[at : at + 501] for at in range(0, len(runs), 501)]  # runs across pieces
    assert pdf_streams._run_length(pieces, 10**12) == len(data)


def test_a_damaged_lzw_stream_is_counted_as_far_as_pdfminer_reads_it() -> None:
    for seed in range(5):
        junk = b"\x80\x00" + random.Random(seed).randbytes(3000)  # a clear code, then noise
        assert pdf_streams._lzw_length([junk], 10**12) == sum(pdminer_lzw(junk))


def _page(content: bytes, filters: bytes) -> bytes:
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream"
            % (len(content), filters, content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


@pytest.mark.parametrize(
    ("packed", "filters"),
    [
        (lzw_bomb(60_000), b"/LZWDecode"),  # 90 KB: 230 MB out, as much again in its table
        (base64.a85encode(lzw_bomb(60_000), adobe=True), b"[/ASCII85Decode /LZWDecode]"),
        (b"\x81 " * 1_700_000 + b"\x80", b"/RunLengthDecode"),  # 3.4 MB: 218 MB of spaces
    ],
    ids=["lzw", "ascii85-lzw", "run-length"],
)
def test_a_pdf_whose_old_codes_unpack_past_the_bound_is_skipped_unread(
    tmp_path: Path, packed: bytes, filters: bytes
) -> None:
    """pdfminer read the 65 KB LZW bomb in 22 s and 371 MB, its output and its code table;
    each of these files is refused before it starts, and the same kinds of stream holding an
    article read as they did."""
    (tmp_path / "bomb.pdf").write_bytes(_page(packed, filters))
    (skipped,) = read_file(tmp_path / "bomb.pdf")
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "larger than 200 MB once unpacked"

    coded = {b"/LZWDecode": lzw, b"/RunLengthDecode": run_length}
    plain = coded.get(filters, lambda d: base64.a85encode(lzw(d), adobe=True))(TEXT)
    (tmp_path / "article.pdf").write_bytes(_page(plain, filters))
    (article,) = read_file(tmp_path / "article.pdf")
    assert isinstance(article, RawArticle)
    assert "Ferry terminal approved by the harbour board" in article.original
