"""A page a browser saved "complete": `Story.html` beside `Story_files/`, the folder of its
images, scripts and frames (as Chrome, Edge and Firefox save "Webpage, Complete"). That
folder holds no articles: its frames are adverts and embeds, so a folder or a bundle that
holds both leaves it out, and says so."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

_SAVED_PAGE_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}


def saved_page_of(folder: str, files: Iterable[str]) -> str | None:
    """The page whose resources `folder` holds, among the `files` beside it: "Story.html" for
    "Story_files"."""
    if not folder.endswith("_files"):
        return None
    stem = folder.removesuffix("_files")
    pages = (f for f in sorted(files) if Path(f).stem == stem)
    return next((f for f in pages if Path(f).suffix.lower() in _SAVED_PAGE_SUFFIXES), None)


def left_out(page: str, fix: str) -> str:
    """Why a page's resource folder is not read, and how to read it all the same."""
    return f"the images, scripts and frames a browser saved with {page}, not articles ({fix})"


def resource_folders(names: Iterable[str]) -> dict[str, str]:
    """{resource folder: its page} among a bundle's member paths ("news/Story_files":
    "Story.html" when "news/Story.html" is a member too)."""
    files: dict[PurePosixPath, list[str]] = {}
    folders: set[PurePosixPath] = set()
    for name in names:
        path = PurePosixPath(name)
        files.setdefault(path.parent, []).append(path.name)
        folders.update(path.parents)
    found: dict[str, str] = {}
    for folder in sorted(folders):
        page = saved_page_of(folder.name, files.get(folder.parent, ()))
        if page and not any(str(folder).startswith(f"{above}/") for above in found):
            found[str(folder)] = page
    return found
