"""A folder packed into one file (.zip; .tar, also gzip-, bzip2- or xz-compressed), read as the
folder: news datasets ship so (BBC News as `bbc-fulltext.zip`), and so do exports.

Each member is read as the file it is, one at a time, through a temporary copy, and named by
the bundle's path and its own (`news.zip/business/001.txt`). As in a folder, hidden files
and folders are not read (nor the `__MACOSX/` folder a Mac adds), and what cannot be read is
skipped by name with the reason: a member over the size limit, an encrypted one, a bundle
inside the bundle, a link or device in a tar.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import IO

from index.ingest.raw import RawArticle, Skipped, size_text

ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
BUNDLE_SUFFIXES = ZIP_SUFFIXES + TAR_SUFFIXES
_BLOCK = 1 << 20

Reader = Callable[[Path], list[RawArticle | Skipped]]
Member = tuple[str, int, Callable[[], IO[bytes]] | None, str]  # name, size, opener, reason


def is_bundle(path: Path) -> bool:
    return path.name.lower().endswith(BUNDLE_SUFFIXES)


def read_bundle(path: Path, read_file: Reader, max_bytes: int) -> list[RawArticle | Skipped]:
    """Every article of every member, each source renamed from its temporary copy to
    `<bundle>/<member>`; `read_file` reads one file (files.read_file)."""
    source = str(path)
    too_large = f"larger than {size_text(max_bytes)}"
    out: list[RawArticle | Skipped] = []
    try:
        with tempfile.TemporaryDirectory(prefix="qa-bundle-") as tmp:
            for n, (name, size, opener, reason) in enumerate(_members(path)):
                where = f"{source}/{name}"
                if opener is None or size > max_bytes:
                    out.append(Skipped(where, reason or too_large))
                    continue
                copy = Path(tmp) / str(n) / PurePosixPath(name).name
                copy.parent.mkdir()
                try:
                    whole = _copy(opener, copy, max_bytes)
                except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error) as exc:
                    out.append(Skipped(where, f"unreadable in the {_kind(path)} file: {exc}"))
                    if _kind(path) == ".tar":
                        break  # a tar is one stream: what follows a break in it is lost too
                    continue
                if not whole:
                    out.append(Skipped(where, too_large))
                else:
                    out.extend(_renamed(item, str(copy), where) for item in read_file(copy))
                shutil.rmtree(copy.parent)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        out.append(Skipped(source, f"not a readable {_kind(path)} file: {exc}"))
    return out or [Skipped(source, f"empty: no files in this {_kind(path)} file")]


def _copy(opener: Callable[[], IO[bytes]], copy: Path, max_bytes: int) -> bool:
    """Write the member to `copy`; False, and nothing kept, when it holds more than
    `max_bytes` (whatever size its header declares)."""
    written = 0
    with opener() as member, copy.open("wb") as handle:
        while block := member.read(min(_BLOCK, max_bytes + 1 - written)):
            handle.write(block)
            written += len(block)
            if written > max_bytes:
                break
    if written > max_bytes:
        copy.unlink()
        return False
    return True


def _members(path: Path) -> Iterator[Member]:
    """(name, size, a way to open it, why it is skipped) for each file of the bundle: a zip's
    in name order, a tar's in its own order (read as a stream, each member before the next);
    the opener is None for a member that is skipped."""
    if path.name.lower().endswith(ZIP_SUFFIXES):
        with zipfile.ZipFile(path) as bundle:
            for info in sorted(bundle.infolist(), key=lambda i: i.filename):
                if info.is_dir() or _hidden(info.filename):
                    continue
                if info.flag_bits & 0x1:
                    yield info.filename, info.file_size, None, "encrypted: it needs a password"
                elif is_bundle(Path(info.filename)):
                    yield info.filename, info.file_size, None, _NESTED
                else:
                    yield info.filename, info.file_size, _opener(bundle, info), ""
        return
    with tarfile.open(path, "r|*") as bundle:  # a stream: each member read in turn
        for member in bundle:
            if member.isdir() or _hidden(member.name):
                continue
            if not member.isfile():
                yield member.name, 0, None, "not a regular file (a link or device in the tar)"
            elif is_bundle(Path(member.name)):
                yield member.name, member.size, None, _NESTED
            else:
                yield member.name, member.size, _opener(bundle, member), ""


_NESTED = "a bundle inside a bundle: unpack the outer one first"


def _opener(bundle: zipfile.ZipFile | tarfile.TarFile, member: object) -> Callable[[], IO[bytes]]:
    if isinstance(bundle, zipfile.ZipFile):
        return lambda: bundle.open(member)  # type: ignore[arg-type]

    def open_tar_member() -> IO[bytes]:
        handle = bundle.extractfile(member)  # type: ignore[arg-type]
        if handle is None:
            raise OSError("no data in the tar for this member")
        return handle

    return open_tar_member


def _hidden(name: str) -> bool:
    """A hidden file or one in a hidden folder, or in the `__MACOSX` folder of resource forks
    a Mac adds to a zip."""
    return any(part.startswith(".") or part == "__MACOSX" for part in PurePosixPath(name).parts)


def _renamed(item: RawArticle | Skipped, copy: str, where: str) -> RawArticle | Skipped:
    """The item read from the temporary copy, named by the member instead."""
    if not item.source.startswith(copy):
        return item
    return replace(item, source=where + item.source[len(copy) :])


def _kind(path: Path) -> str:
    return ".zip" if path.name.lower().endswith(ZIP_SUFFIXES) else ".tar"
