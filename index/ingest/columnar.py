"""Datasets kept in columns: Parquet (.parquet), the form Hugging Face and most data tools
publish news corpora in, and Arrow files (.arrow, .feather), the form the `datasets` library
caches and saves them in. Each row is an article record, its fields matched as a JSON
record's are (article_records.py: `text` or `content`, `title`, `date`, `authors`, ...).

pyarrow reads a batch of rows at a time, so a file of any size is read: the size limit is one
row's, and only a row over it is skipped. A file that breaks part-way keeps the rows before
the break.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.ingest.article_records import article_from_record
from index.ingest.raw import RawArticle, Skipped, size_text

PARQUET_SUFFIX = ".parquet"
ARROW_SUFFIXES = (".arrow", ".feather")
COLUMNAR_SUFFIXES = (PARQUET_SUFFIX, *ARROW_SUFFIXES)
_BATCH_ROWS = 256
# A Parquet row group unpacked, at the most: pyarrow reads a group's column chunks whole (a
# 300 MB group took 420 MB), so a few megabytes that unpack to far more would take the
# machine's memory. pandas writes up to a million rows in one group: 2 GB is 400,000 articles.
MAX_ROW_GROUP = 2 * 1024**3


class _GroupTooLarge(Exception):
    pass


def read_columnar(path: Path, max_bytes: int) -> list[RawArticle | Skipped]:
    """Each row of a Parquet or Arrow file as an article, in the file's order."""
    import pyarrow as pa

    source = str(path)
    kind = "Parquet" if path.suffix.lower() == PARQUET_SUFFIX else "Arrow"
    out: list[RawArticle | Skipped] = []
    try:
        for number, row in enumerate(_rows(path), start=1):
            where = f"{source}#{number}"
            if _size(row) > max_bytes:
                out.append(Skipped(where, f"a row larger than {size_text(max_bytes)}"))
            else:
                out.append(article_from_record(row, where, path.stem))
    except _GroupTooLarge:
        reason = f"a row group larger than {size_text(MAX_ROW_GROUP)} once unpacked"
        return [Skipped(source, f"{reason} (write it again in smaller row groups)")]
    except (pa.ArrowException, OSError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if not out:
            return [Skipped(source, f"not a readable {kind} file: {reason}")]
        out.append(
            Skipped(source, f"unreadable after row {len(out)} (those before it are kept): {reason}")
        )
    return out or [Skipped(source, f"empty: no rows in this {kind} file")]


def _rows(path: Path) -> Iterator[dict[str, Any]]:
    for batch in _batches(path):
        yield from batch.to_pylist()


def _batches(path: Path) -> Iterator[Any]:
    """The file's record batches: a Parquet file's, or an Arrow file's in either of Arrow's
    layouts (the random-access file Feather writes, or the stream `datasets` caches)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.suffix.lower() == PARQUET_SUFFIX:
        with pq.ParquetFile(path) as parquet:
            groups = range(parquet.metadata.num_row_groups)
            if any(parquet.metadata.row_group(i).total_byte_size > MAX_ROW_GROUP for i in groups):
                raise _GroupTooLarge
            yield from parquet.iter_batches(batch_size=_BATCH_ROWS)
        return
    with pa.memory_map(str(path)) as source:
        try:
            reader: Any = pa.ipc.open_file(source)
        except pa.ArrowInvalid:
            source.seek(0)
            reader = pa.ipc.open_stream(source)
        if isinstance(reader, pa.ipc.RecordBatchFileReader):
            yield from (reader.get_batch(i) for i in range(reader.num_record_batches))
        else:
            yield from reader


def _size(row: dict[str, Any]) -> int:
    """About how many bytes a row's text takes: its strings' lengths."""
    return sum(len(value) for value in row.values() if isinstance(value, str | bytes))
