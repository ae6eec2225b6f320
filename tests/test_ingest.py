from __future__ import annotations

import json
from pathlib import Path

import pytest

from index.ingest.files import read_file
from index.ingest.markdown_text import visible_markdown
from index.ingest.prepare import read_documents
from index.ingest.raw import Skipped
from tooling.offset_check import offset_errors


def _write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def test_bad_files_are_skipped_by_name(tmp_path: Path) -> None:
    _write(tmp_path / "good.txt", "A real sentence about the news.")
    _write(tmp_path / "binary.txt", b"\x00\x01\x02PNG\x00" * 50)
    _write(tmp_path / "empty.txt", "   \n")
    _write(tmp_path / "image.png", b"\x89PNG")  # unsupported: named too, never read
    articles, skipped = read_documents([tmp_path])
    assert [a.doc_id for a in articles] == ["good"]
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons == {
        "binary.txt": "binary content, not text",
        "empty.txt": "empty",
        "image.png": "unsupported type .png; use .txt, .md, .html, .jsonl, .warc(.gz), .rss, .atom or .xml",
    }


def test_missing_and_unsupported_paths_are_reported(tmp_path: Path) -> None:
    png = _write(tmp_path / "x.png", b"\x89PNG")
    _, skipped = read_documents([tmp_path / "nope.txt", png])
    assert skipped[0].reason == "no such file or folder"
    assert skipped[1].reason.startswith("unsupported type .png")


def test_non_utf8_falls_back_to_cp1252(tmp_path: Path) -> None:
    _write(
        tmp_path / "latin.txt",
        "Caf\u00e9 owners said the \u201cstrike\u201d ended.".encode("cp1252"),
    )
    articles, _ = read_documents([tmp_path])
    assert articles[0].encoding == "cp1252"
    assert articles[0].text == "Caf\u00e9 owners said the \u201cstrike\u201d ended."


def test_crlf_is_normalised(tmp_path: Path) -> None:
    _write(tmp_path / "win.txt", b"Line one is here.\r\nLine two is here.\r\n")
    articles, _ = read_documents([tmp_path])
    assert "\r" not in articles[0].text
    assert [line for line in articles[0].text.splitlines() if line] == [
        "Line one is here.",
        "Line two is here.",
    ]


def test_jsonl_records_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a1",
                "title": "T1",
                "text": "First story text.",
                "outlet": "Wire",
                "date": "Sep 22, 2025",
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"text": "Second story text."}),
    ]
    _write(tmp_path / "feed.jsonl", "\n".join(lines))
    articles, skipped = read_documents([tmp_path])
    assert [a.doc_id for a in articles][0] == "a1"
    first = articles[0]
    assert (first.title, first.outlet, first.published) == ("T1", "Wire", "2025-09-22")
    assert articles[1].doc_id.startswith("feed-")
    assert [s.source.rsplit("#", 1)[1] for s in skipped] == ["2", "3", "4"]


def test_a_record_title_opens_its_text_as_a_text_file_headline_does(tmp_path: Path) -> None:
    terminal = "The board voted on Tuesday to build it at the north quay. Work starts in May."
    budget = "The council approved the budget after a long debate on Monday night."
    lines = [
        {"_id": "4983", "title": "Harbour board approves ferry terminal", "text": terminal},
        {
            "id": "b2",
            "title": "Council budget approved",
            "text": f"Council budget approved\n\n{budget}",
        },
    ]
    _write(tmp_path / "corpus.jsonl", "\n".join(json.dumps(line) for line in lines))
    articles, skipped = read_documents([tmp_path])
    assert skipped == []
    assert [a.doc_id for a in articles] == ["4983", "b2"]  # BEIR's "_id" names the article
    assert articles[0].text == f"Harbour board approves ferry terminal\n\n{terminal}"
    assert articles[1].text == f"Council budget approved\n\n{budget}"  # not twice


def test_a_markdown_file_reads_as_its_text_and_every_character_maps_back(tmp_path: Path) -> None:
    """A page saved as Markdown: link labels stay and their addresses go, images and emphasis
    marks go, and so do lines that are only a link (a rail of related stories); each
    character of the text is the file's own."""
    page = (
        "# Harbour board **approves** ferry terminal\n\n"
        "![The quay at dawn](https://img.example.com/quay.jpg)\n\n"
        "The [harbour board](https://example.com/board_(port)) voted on *Tuesday* to build the "
        "terminal at the north quay, using the `ferry_2` plan. Work starts in May.\n\n"
        "> The quay will be ready by __summer__, the chairman said.\n\n"
        "* [Council budget approved](https://example.com/budget)\n"
        "* [Bus lanes for the city](https://example.com/bus)\n"
    )
    assert _read_as_file(tmp_path / "terminal.md", page) == (
        "Harbour board approves ferry terminal",
        "Harbour board approves ferry terminal\n\n"
        "The harbour board voted on Tuesday to build the terminal at the north quay, using the "
        "ferry_2 plan. Work starts in May.\n\n"
        "The quay will be ready by summer, the chairman said.",
    )


def test_character_references_in_a_text_file_read_as_the_characters_they_name(
    tmp_path: Path,
) -> None:
    """Text saved from a page keeps `&#163;` and `&eacute;`; they are read as "£" and "é" (so
    "café" finds the article), each standing for its whole reference in the file. What names
    no character stays."""
    page = (
        "&#163;1.8m fine for caf&eacute; chain\n\n"
        "The caf&#233; chain was fined &#163;1.8m by the regulator, AT&T; &amp; others said.\n"
    )
    assert _read_as_file(tmp_path / "fine.txt", page) == (
        "£1.8m fine for café chain",
        "£1.8m fine for café chain\n\n"
        "The café chain was fined £1.8m by the regulator, AT&T; & others said.",
    )


def _read_as_file(path: Path, content: str) -> tuple[str | None, str]:
    """`content` written to `path` and read as `qa index` reads it: the article's title and
    text, once it is checked that every character of the text maps back into the file."""
    [article], skipped = read_documents([_write(path, content)])
    assert skipped == []
    assert offset_errors(content, article) == []
    return article.title, article.text


@pytest.mark.parametrize(
    ("markdown", "reads"),
    [
        ("a snake_case_name and 2*3*4 stay", "a snake_case_name and 2*3*4 stay"),
        (
            "an \\*escaped\\* star and a [wiki](https://w.org/A_(b)) link",
            "an *escaped* star and a wiki link",
        ),
        (
            "## Title ##\n---\nText with ~~old~~ <b>bold</b> and <https://x.org>.",
            "Title\n\nText with old bold and .",
        ),
        ("See [the report][1].\n[1]: https://example.com/report", "See the report.\n"),
        ("* [A related story](https://example.com/s)\n- a list item", "\n- a list item"),
        ("1. [Most read](https://example.com/1)\n2) [Next](/2)\nText.", "\n\nText."),
        ("A [![logo](/logo.png)](https://example.com) and [a [b] c](/x).", "A  and [a [b] c](/x)."),
    ],
)
def test_markdown_marks_are_left_out_and_the_words_they_mark_are_not(
    markdown: str, reads: str
) -> None:
    assert visible_markdown(markdown).text == reads


def test_same_name_in_two_folders_gets_two_ids(tmp_path: Path) -> None:
    _write(tmp_path / "a" / "story.txt", "One text here.")
    _write(tmp_path / "b" / "story.txt", "Other text here.")
    articles, _ = read_documents([tmp_path])
    assert len({a.doc_id for a in articles}) == 2


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    _write(tmp_path / "d" / "story.txt", "A story here.")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d")
    articles, _ = read_documents([tmp_path])
    assert [a.doc_id for a in articles] == ["story"]


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _write(tmp_path / "secret.txt", "Hidden text here.")
    _write(tmp_path / "open.txt", "Open text here.")
    real_open = Path.open

    def opener(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", opener)
    articles, skipped = read_documents([tmp_path])
    assert [a.doc_id for a in articles] == ["open"]
    assert skipped[0].reason == "unreadable: Permission denied"


def test_oversized_file_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "big.txt", "word " * 1000)
    (only,) = read_file(tmp_path / "big.txt", max_bytes=100)
    assert isinstance(only, Skipped) and only.reason.startswith("larger than")
