"""A folder packed into one file (.zip; .tar, also gzip-, bzip2- or xz-compressed), read as the
folder: news datasets ship so (BBC News as `bbc-fulltext.zip`), and so do exports.

Each member is read as the file it is, one at a time, through a temporary copy, and named by
the bundle's path and its own (`news.zip/business/001.txt`). As in a folder, hidden files
and folders are not read (nor the `__MACOSX/` folder a Mac adds), and what cannot be read is
skipped by name with the reason: a member over the size limit, an encrypted one, a bundle
in a bundle in the bundle, a link or device in a tar; a saved page's folder of resources
(`Story_files/` beside `Story.html`) is left out. A member read record by record (a dataset, a
web archive) has no size limit, as in a folder: it is copied while the temporary folder's
disk keeps `DISK_RESERVE` free. A copy the disk refuses skips its member alone. A run killed
mid-bundle leaves its copy behind; the next run removes it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from index.ingest import saved_pages
from index.ingest.raw import RawArticle, Skipped, renamed, size_text

ZIP_SUFFIXES = (".zip",)
TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
BUNDLE_SUFFIXES = ZIP_SUFFIXES + TAR_SUFFIXES
_BLOCK = 1 << 20
DISK_RESERVE = 1 << 30  # left free on the disk of the temporary copies
_PREFIX = "qa-bundle-"
_READ_ERRORS = (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error)

Reader = Callable[[Path], list[RawArticle | Skipped]]
Member = tuple[str, int, Callable[[], IO[bytes]] | None, str]  # name, size, opener, reason


def is_bundle(path: Path) -> bool:
    return path.name.lower().endswith(BUNDLE_SUFFIXES)


def read_bundle(
    path: Path, read_file: Reader, max_bytes: int, any_size: Callable[[Path], bool], depth: int = 1
) -> list[RawArticle | Skipped]:
    """Every article of every member, each source renamed from its temporary copy to
    `<bundle>/<member>`; `read_file` reads one file (files.read_file), and a member for which
    `any_size` holds (or a bundle in the bundle) is read whatever its size, as long as the
    disk has room for its copy. A bundle in a bundle is read as a folder in the folder; one
    a level further down is skipped."""
    source = str(path)
    resources = saved_pages.resource_folders(_names(path))
    out: list[RawArticle | Skipped] = [
        Skipped(f"{source}/{folder}", saved_pages.left_out(page, "unpack the bundle to read it"))
        for folder, page in resources.items()
    ]
    try:
        with _temporary_folder() as tmp:
            for n, (name, size, opener, reason) in enumerate(_members(path)):
                if any(name.startswith(f"{folder}/") for folder in resources):
                    continue
                nested = is_bundle(Path(name))
                if nested and depth >= _MAX_DEPTH:
                    opener, reason = None, reason or _TOO_DEEP
                unbounded = nested or any_size(Path(name))
                limit = _room(tmp) if unbounded else max_bytes
                where = f"{source}/{name}"
                if opener is None or size > limit:
                    out.append(Skipped(where, reason or _too_large(limit, unbounded, tmp)))
                    continue
                copy = Path(tmp) / str(n) / PurePosixPath(name).name
                try:
                    whole = _copy(opener, copy, limit)
                except CopyFailed as exc:  # the bundle is whole: the next member can be read
                    shutil.rmtree(copy.parent, ignore_errors=True)
                    out.append(Skipped(where, _not_copied(exc.error, tmp)))
                    continue
                except _READ_ERRORS as exc:
                    shutil.rmtree(copy.parent, ignore_errors=True)
                    if _kind(path) == ".zip":
                        out.append(Skipped(where, f"unreadable in the .zip file: {exc}"))
                        continue
                    # a tar is one stream: what follows a break in it cannot be reached
                    out.append(Skipped(where, f"unreadable in the .tar file: {exc}; {_REST}"))
                    break
                if not whole:
                    out.append(Skipped(where, _too_large(limit, unbounded, tmp)))
                elif nested:
                    inner = read_bundle(copy, read_file, max_bytes, any_size, depth + 1)
                    out.extend(renamed(item, str(copy), where) for item in inner)
                else:
                    out.extend(renamed(item, str(copy), where) for item in read_file(copy))
                shutil.rmtree(copy.parent)
    except _READ_ERRORS as exc:
        out.append(Skipped(source, f"not a readable {_kind(path)} file: {exc}"))
    return out or [Skipped(source, f"empty: no files in this {_kind(path)} file")]


def _too_large(limit: int, unbounded: bool, tmp: str) -> str:
    if not unbounded:
        return f"larger than {size_text(limit)}"
    return (
        f"too large to copy out of the bundle: {size_text(limit)} can be written to "
        f"{Path(tmp).parent} keeping {size_text(DISK_RESERVE)} free (unpack the bundle and give "
        "its folder, or set TMPDIR to a larger disk)"
    )


def _room(folder: str) -> int:
    """The bytes a copy into `folder` may take, leaving `DISK_RESERVE` free on its disk."""
    return max(shutil.disk_usage(folder).free - DISK_RESERVE, 0)


def _temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """A folder for the copies, named by this process, once the folders of runs that were
    killed before they could remove theirs are removed."""
    if os.name == "posix":  # a process is asked whether it runs by signal 0
        for folder in Path(tempfile.gettempdir()).glob(f"{_PREFIX}*-*"):
            pid = folder.name.removeprefix(_PREFIX).split("-", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                shutil.rmtree(folder, ignore_errors=True)
    return tempfile.TemporaryDirectory(prefix=f"{_PREFIX}{os.getpid()}-")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


class CopyFailed(Exception):
    """The temporary copy of a member could not be written (a full disk, a quota)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _copy(opener: Callable[[], IO[bytes]], copy: Path, max_bytes: int) -> bool:
    """Write the member to `copy`; False when it holds more than `max_bytes` (whatever size its
    header declares), with the copy cut there. A failure to write is CopyFailed; one to read
    the member is the bundle's error."""
    written = 0
    with opener() as member:
        try:
            copy.parent.mkdir()
            handle = copy.open("wb")
        except OSError as exc:
            raise CopyFailed(exc) from exc
        try:
            while block := member.read(min(_BLOCK, max_bytes + 1 - written)):
                try:
                    handle.write(block)
                    handle.flush()  # so that the disk's refusal comes here, not at close
                except OSError as exc:
                    raise CopyFailed(exc) from exc
                written += len(block)
                if written > max_bytes:
                    return False
        finally:
            with contextlib.suppress(OSError):  # all was flushed, or the copy has failed
                handle.close()
    return True


def _not_copied(error: OSError, tmp: str) -> str:
    return (
        f"could not be copied out of the bundle to {Path(tmp).parent}: "
        f"{error.strerror or error} (free space there, set TMPDIR to a larger disk, or unpack "
        "the bundle and give its folder)"
    )


def _names(path: Path) -> list[str]:
    """The paths of the bundle's members; a tar's as far as it reads (the reading names where
    it breaks)."""
    names: list[str] = []
    try:
        if path.name.lower().endswith(ZIP_SUFFIXES):
            with zipfile.ZipFile(path) as bundle:
                return bundle.namelist()
        with tarfile.open(path, "r|*") as stream:
            names.extend(member.name for member in stream)
    except _READ_ERRORS:
        pass  # said by the reading
    return names


def _members(path: Path) -> Iterator[Member]:
    """(name, size, a way to open it, why it is skipped) for each file of the bundle but the
    hidden ones: a zip's in name order, a tar's in its own order (read as a stream, each
    member before the next); the opener is None for a member that is skipped."""
    if path.name.lower().endswith(ZIP_SUFFIXES):
        with zipfile.ZipFile(path) as bundle:
            for info in sorted(bundle.infolist(), key=lambda i: i.filename):
                if info.is_dir() or _hidden(info.filename):
                    continue
                if info.flag_bits & 0x1:
                    yield info.filename, info.file_size, None, "encrypted: it needs a password"
                else:
                    yield info.filename, info.file_size, _opener(bundle, info), ""
        return
    with tarfile.open(path, "r|*") as bundle:  # a stream: each member read in turn
        for member in bundle:
            if member.isdir() or _hidden(member.name):
                continue
            if not member.isfile():
                yield member.name, 0, None, "not a regular file (a link or device in the tar)"
            else:
                yield member.name, member.size, _opener(bundle, member), ""


_MAX_DEPTH = 2
_REST = "the members after it in the tar cannot be read (unpack what can be, or fetch it again)"
_TOO_DEEP = "a bundle in a bundle in a bundle: unpack the outer ones first"


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


def _kind(path: Path) -> str:
    return ".zip" if path.name.lower().endswith(ZIP_SUFFIXES) else ".tar"
