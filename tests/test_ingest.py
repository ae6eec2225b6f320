from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import mailbox
import os
import random
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import pytest

from index.ingest import bundles
from index.ingest.files import read_file
from index.ingest.markdown_text import visible_markdown
from index.ingest.prepare import prepare_document, read_documents
from index.ingest.raw import RawArticle, Skipped, size_text
from index.records import Document
from tests.conftest import SHARED, needs_shared
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
        "image.png": "unsupported type .png; use .txt, .md, .html, .mhtml, .webarchive, .pdf, "
        ".docx, .doc, .odt, .rtf, .eml, .mbox, .enex, .jsonl, .json, .csv, .tsv, .parquet, "
        ".arrow, .warc, .rss, .atom or .xml, any of them also compressed (.gz, .bz2, .xz) or "
        "packed in a .zip or .tar",
    }


def test_pages_a_crawler_saved_under_their_address_are_read_as_pages(tmp_path: Path) -> None:
    """wget keeps a page's address as its file name ("story.php?id=3", "news.html?page=2",
    no suffix at all); a file that opens as an HTML page does is read as one, and any other
    file of an unknown type is still skipped by name."""
    page = (
        "<!DOCTYPE html>\n<html><head><title>Ferry terminal approved</title></head><body>"
        f"<article><h1>Ferry terminal approved</h1><p>{FERRY}</p></article></body></html>"
    )
    for name in ("story.php?id=3", "news.html?page=2", "latest"):
        _write(tmp_path / name, page.replace("Ferry", f"Ferry {name}"))
    _write(tmp_path / "xhtml.aspx", '<?xml version="1.0"?>\n<!-- saved --><html>' + page[16:])
    _write(tmp_path / "app.js", "document.write('<html>')")
    articles, skipped = read_documents([tmp_path])
    assert sorted(Path(a.source).name for a in articles) == [
        "latest",
        "news.html?page=2",
        "story.php?id=3",
        "xhtml.aspx",
    ]
    assert all(FERRY in a.text for a in articles)
    assert [(Path(s.source).name, s.reason.split(";")[0]) for s in skipped] == [
        ("app.js", "unsupported type .js")
    ]


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


FERRY = "The harbour authority approved a new ferry terminal on Tuesday after a long review."
LIBRARY = "The city library will stay open until midnight during exam weeks, its director said."


@pytest.mark.parametrize(
    "field", ["document", "articleBody", "full_text", "fulltext", "body_text", "story"]
)
def test_news_datasets_name_their_text_in_their_own_words(tmp_path: Path, field: str) -> None:
    """XSum, Multi-News and Gigaword call an article's text "document", schema.org exports
    "articleBody", archives "full_text": such a dataset was skipped line by line as having
    no text field. Its text is read, and preferred to the summary beside it."""
    record = {"id": "x1", field: FERRY, "summary": "A terminal is approved."}
    (article,) = read_file(_write(tmp_path / "news.jsonl", json.dumps(record) + "\n"))
    assert isinstance(article, RawArticle) and article.original == FERRY


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_rows_are_articles_named_by_the_line_they_start_on(
    tmp_path: Path, delimiter: str
) -> None:
    """A table of articles, as news datasets ship them (Kaggle's "All the News": `publication`,
    `content`): a header row, then one article per row, a quoted text may span lines and
    hold the delimiter, and a text longer than csv's 128 KB field limit is read whole. A row
    with no text is skipped by its line."""
    long_text = " ".join([LIBRARY] * 2000)  # about 170,000 characters
    rows = [
        ["id", "title", "publication", "author", "date", "content"],
        ["a1", "Ferry terminal approved", "The Gazette", "Ana Lima", "2025-03-03", FERRY],
        ["a2", "Library opens late", "The Gazette", "", "2025-03-04", f"{LIBRARY}\n\n{LIBRARY}"],
        ["a3", "Only a title", "The Gazette", "", "", ""],
        ["a4", "Library hours, again", "The Gazette", "", "", long_text],
    ]
    quoted = [delimiter.join('"' + cell.replace('"', '""') + '"' for cell in row) for row in rows]
    suffix = ".tsv" if delimiter == "\t" else ".csv"
    _write(tmp_path / f"news{suffix}", "\ufeff" + "\r\n".join(quoted) + "\r\n")  # with a BOM
    articles, skipped = read_documents([tmp_path])
    assert [a.doc_id for a in articles] == ["a1", "a2", "a4"]
    first = articles[0]
    assert (first.title, first.outlet, first.author, first.published) == (
        "Ferry terminal approved",
        "The Gazette",
        "Ana Lima",
        "2025-03-03",
    )
    assert first.text == f"Ferry terminal approved\n\n{FERRY}"
    assert articles[1].source.endswith("#3") and articles[2].source.endswith("#7")
    assert long_text in articles[2].text
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        (
            f"news{suffix}#6",
            "no text field (one of text, content, body, article, maintext, document, articlebody, full_text, fulltext, body_text, story, "
            "description, summary, short_description, abstract, or the same in German, "
            "French, Spanish, Italian, Dutch or Portuguese)",
        )
    ]


def test_a_csv_whose_header_is_wider_than_a_field_may_be_is_read_not_fatal(
    tmp_path: Path,
) -> None:
    """A header of 200,000 short columns is, read with a tab or a semicolon, one field past
    csv's limit: that ended the whole build ("unexpected Error: field larger than field
    limit"). It is a header like any other now."""
    names = ["title", "content", *(f"c{n}" for n in range(200_000))]
    row = ["Ferry terminal approved", FERRY, *([""] * 200_000)]
    _write(tmp_path / "wide.csv", ",".join(names) + "\n" + ",".join(f'"{c}"' for c in row) + "\n")
    _write(tmp_path / "narrow.csv", ";".join(f"c{n}" for n in range(200_000)) + "\n1;2\n")
    articles, skipped = read_documents([tmp_path])
    assert [a.title for a in articles] == ["Ferry terminal approved"]
    (narrow,) = skipped  # read with a comma: one column, shown shortened
    assert narrow.reason.endswith("; columns: c0;c1;c2;c3;c4;c5;c6;c7;c8;c9;c10;c11...")
    _write(tmp_path / "narrow.csv", ",".join(f"c{n}" for n in range(200_000)) + "\n1,2\n")
    (narrow,) = read_documents([tmp_path])[1]
    assert narrow.reason.endswith(
        "; columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, ... (200,000 in all)"
    )


def test_a_fault_in_reading_one_file_or_cleaning_one_article_skips_only_that(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever fault of the tool's own meets one file or one article, the build goes on
    with the rest and names what it skipped and why; a full disk still stops it."""
    from index.errors import QAError
    from index.ingest import prepare

    _write(tmp_path / "a.txt", f"Ferry terminal approved\n\n{FERRY}\n")
    _write(tmp_path / "b.txt", f"Library opens late\n\n{LIBRARY}\n")
    _write(tmp_path / "c.jsonl", json.dumps({"text": FERRY}) + "\n" + json.dumps({"text": LIBRARY}))
    reading, cleaning = prepare.read_file, prepare.prepare_document

    def read_but_b(path: Path) -> list:
        if path.name == "b.txt":
            raise ValueError("a reader tripped")
        return reading(path)

    def clean_but_the_library(raw: RawArticle) -> object:
        if raw.original == LIBRARY:
            raise IndexError("a cleaner tripped")
        return cleaning(raw)

    monkeypatch.setattr(prepare, "read_file", read_but_b)
    monkeypatch.setattr(prepare, "prepare_document", clean_but_the_library)
    articles, skipped = read_documents([tmp_path])
    assert [Path(a.source).name for a in articles] == ["a.txt", "c.jsonl#1"]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        (
            "b.txt",
            "could not be read (ValueError: a reader tripped); a fault in this tool, please report it",
        ),
        (
            "c.jsonl#2",
            "could not be read (IndexError: a cleaner tripped); a fault in this tool, please report it",
        ),
    ]

    def disk_full(path: Path) -> list:
        raise QAError("The disk is full")

    monkeypatch.setattr(prepare, "read_file", disk_full)
    with pytest.raises(QAError, match="disk is full"):
        read_documents([tmp_path])


def test_record_field_names_are_matched_whatever_their_case(tmp_path: Path) -> None:
    _write(
        tmp_path / "Upper.csv",
        f'ID,Title,Publication,TEXT\nu1,Ferry terminal approved,Wire,"{FERRY}"\n',
    )
    _write(
        tmp_path / "mixed.jsonl", json.dumps({"Text": LIBRARY, "Headline": "Library opens late"})
    )
    articles, skipped = read_documents([tmp_path])
    assert skipped == []
    assert [(a.title, a.outlet) for a in articles] == [
        ("Ferry terminal approved", "Wire"),
        ("Library opens late", None),
    ]
    assert articles[0].doc_id == "u1" and articles[0].text.endswith(FERRY)


@pytest.mark.parametrize(
    ("header", "row"),
    [
        ("Titel;Text;Datum;Autor;Quelle", "Fähre genehmigt;{text};02.03.2024;Ana Lima;Wire"),
        ("titre;texte;date;auteur;source", "Ferry approuvé;{text};2024-03-02;Ana Lima;Wire"),
        ("título;texto;fecha;autor;fuente", "Ferry aprobado;{text};2024-03-02;Ana Lima;Wire"),
        ("titolo;testo;data_publish;autore;fonte", "Ferry approvato;{text};;Ana Lima;Wire"),
    ],
)
def test_a_spreadsheet_headed_in_another_language_is_read(
    tmp_path: Path, header: str, row: str
) -> None:
    """A newsroom's export headed "Titel;Text;Datum;Autor" was skipped as having no text
    column, or read without its headline; the field names of the languages whose dates are
    read are known too."""
    _write(tmp_path / "export.csv", f"{header}\n{row.format(text=FERRY)}\n")
    (article,), skipped = read_documents([tmp_path])
    assert skipped == []
    assert (article.author, article.outlet) == ("Ana Lima", "Wire")
    assert article.title == row.split(";")[0]
    assert article.text.endswith(FERRY)
    if "Datum" in header or "date" in header or "fecha" in header:
        assert article.published == "2024-03-02"


def test_a_table_without_a_text_column_is_skipped_with_its_columns_named(tmp_path: Path) -> None:
    _write(tmp_path / "scores.csv", "query-id,corpus-id,score\n1,2,1\n")
    # An unclosed quote would swallow every row after it into one text: the rows before it are
    # read, and the rest is reported from the line it starts on.
    unclosed = (
        'id,text\nb0,The first story is whole.\nb1,"A quote never closed\nb2,The third story.\n'
    )
    _write(tmp_path / "broken.csv", unclosed)
    articles, skipped = read_documents([tmp_path])
    assert [a.doc_id for a in articles] == ["b0"]
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons["scores.csv"] == (
        "no text column (one of text, content, body, article, maintext, document, articlebody, full_text, fulltext, body_text, story, "
        "description, summary, short_description, abstract"
        ", or the same in German, French, Spanish, Italian, Dutch or Portuguese); "
        "columns: query-id, corpus-id, score"
    )
    assert reasons["broken.csv#3"] == (
        "invalid CSV: unexpected end of data; the rows from here on are not read"
    )


def test_json_files_hold_one_article_a_list_or_an_object_holding_the_list(
    tmp_path: Path,
) -> None:
    """A news API's answer (`{"status": "ok", "articles": [...]}`), a plain list and a single
    article object are each read; anything else is skipped once, with what was expected."""
    library = {"title": "Library opens late", "text": LIBRARY, "source": "The Gazette"}
    ferry = {"id": "f1", "headline": "Ferry terminal approved", "maintext": FERRY}
    answer = {"status": "ok", "articles": [library | {"doc_id": "l1"}, ferry, 7]}
    _write(tmp_path / "api.json", json.dumps(answer))
    _write(tmp_path / "list.json", json.dumps([ferry | {"id": "f2"}]))
    _write(tmp_path / "one.json", json.dumps(library | {"id": "l2"}))
    _write(tmp_path / "numbers.json", "[1, 2, 3]")
    _write(tmp_path / "package.json", json.dumps({"name": "site", "version": "1.0"}))
    _write(tmp_path / "cut.json", '{"text": "A story')
    # Nested past Python's parser: it ended the whole run with a RecursionError.
    _write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    deep_lines = json.dumps(ferry | {"id": "f3"}) + "\n" + "[" * 100_000 + "]" * 100_000
    _write(tmp_path / "deep.jsonl", deep_lines)
    articles, skipped = read_documents([tmp_path])
    names = {a.doc_id: (Path(a.source).name, a.title, a.outlet) for a in articles}
    assert names == {
        "l1": ("api.json#1", "Library opens late", "The Gazette"),
        "f1": ("api.json#2", "Ferry terminal approved", None),
        "f2": ("list.json#1", "Ferry terminal approved", None),
        "l2": ("one.json", "Library opens late", "The Gazette"),
        "f3": ("deep.jsonl#1", "Ferry terminal approved", None),
    }
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons == {
        "api.json#3": "an article must be a JSON object",
        "numbers.json": "no articles: expected an object with a text field (text, content, "
        "body, article, maintext, document, articlebody, full_text, fulltext, body_text, story, description, summary, short_description, abstract"
        ", or the same in German, French, Spanish, Italian, Dutch or Portuguese), or a "
        "list of such objects",
        "package.json": "no text field (one of text, content, body, article, maintext, document, articlebody, full_text, fulltext, body_text, story, "
        "description, summary, short_description, abstract"
        ", or the same in German, French, Spanish, Italian, Dutch or Portuguese)",
        "cut.json": "invalid JSON: Unterminated string starting at (line 1)",
        "deep.json": "invalid JSON: lists or objects nested too deeply to read",
        "deep.jsonl#2": "invalid JSON: lists or objects nested too deeply to read",
    }


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
    "matter",
    [
        '---\ntitle: "Harbour board approves ferry terminal"\ndate: 2025-03-03T10:00:00Z\n'
        "author: Ana Lima\ntags: [harbour, ferry]\n---\n",
        '+++\ntitle = "Harbour board approves ferry terminal"\ndate = 2025-03-03\n'
        'authors = ["Ana Lima"]\n+++\n',
    ],
)
def test_a_markdown_posts_front_matter_gives_its_title_date_and_author(
    tmp_path: Path, matter: str
) -> None:
    """A static site's post (Jekyll, Hugo, Obsidian) declares its title, date and author in
    YAML or TOML above the text: the title shown was the first sentence and the author none.
    The block is not searched; offsets still point into the file. YAML that repeats a value
    by aliases ("billion laughs") is not read: it would never finish."""
    post = tmp_path / "ferry.md"
    _write(post, f"{matter}\n{FERRY}\n")
    (doc,), _ = read_documents([post])
    assert (doc.title, doc.published, doc.author) == (
        "Harbour board approves ferry terminal",
        "2025-03-03",
        "Ana Lima",
    )
    assert doc.text == FERRY
    assert offset_errors(post.read_text(encoding="utf-8"), doc) == []
    laughs = "---\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
        for p, n in zip("abcdefgh", "bcdefghi", strict=True)
    )
    hostile = tmp_path / "laughs.md"  # aliases of aliases: a value no reader can finish
    _write(hostile, f"{laughs}author: *i\n---\n\n{FERRY}\n")
    (doc,), _ = read_documents([hostile])
    assert doc.author is None and doc.text.endswith(FERRY)
    for fence, key in (("---", "a: "), ("+++", "a = ")):  # nested past the parser: not read
        _write(hostile, f"{fence}\n{key}{'[' * 5000}{']' * 5000}\n{fence}\n\n{FERRY}\n")
        (doc,), _ = read_documents([hostile])
        assert doc.text.endswith(FERRY)
    ruled = tmp_path / "ruled.md"  # a rule, a line, a rule: no table of fields, so text
    _write(
        ruled,
        f"---\nThe harbour board met on Tuesday to vote on the terminal plan.\n---\n\n{FERRY}\n",
    )
    (doc,), _ = read_documents([ruled])
    assert doc.text.startswith("The harbour board met on Tuesday")


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


def test_compressed_files_are_read_as_the_file_inside(tmp_path: Path) -> None:
    """Corpora ship compressed ("news.jsonl.gz", a benchmark's "page.html.gz"): each is read as
    the file inside it. One that does not decompress, or decompresses past the size limit
    (a small file may hold a huge one), is skipped with the reason."""
    page = f"<html><body><article><h1>Ferry terminal approved</h1><p>{FERRY}</p></article></body></html>"
    _write(tmp_path / "ferry.html.gz", gzip.compress(page.encode()))
    _write(
        tmp_path / "news.jsonl.bz2",
        bz2.compress(json.dumps({"id": "l1", "text": LIBRARY}).encode()),
    )
    _write(tmp_path / "note.txt.xz", lzma.compress(f"{FERRY}\n\n{LIBRARY}\n".encode()))
    _write(tmp_path / "photo.png.gz", gzip.compress(b"\x89PNG\r\n" * 10))
    _write(tmp_path / "fake.txt.gz", b"plain text, not gzip at all")
    articles, skipped = read_documents([tmp_path])
    assert [(a.doc_id, Path(a.source).name) for a in articles] == [
        ("ferry", "ferry.html.gz"),
        ("l1", "news.jsonl.bz2#1"),
        ("note", "note.txt.xz"),
    ]
    assert articles[0].text == f"Ferry terminal approved\n\n{FERRY}"  # read as a page
    assert articles[2].text == f"{FERRY}\n\n{LIBRARY}"
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons["photo.png.gz"].startswith("unsupported type .png;")
    assert reasons["fake.txt.gz"].startswith("unreadable: Not a gzipped file")
    bomb = _write(tmp_path / "bomb" / "zeros.txt.gz", gzip.compress(b"word " * 200_000))
    (only,) = read_file(bomb, max_bytes=2 * 1024 * 1024 // 4)  # 0.5 MB, from 2 KB on disk
    assert isinstance(only, Skipped) and only.reason == "larger than 512 KB once decompressed"


def test_a_dataset_larger_than_the_file_limit_is_read_record_by_record(tmp_path: Path) -> None:
    """The size limit is for one article, not for a dataset: a .jsonl, .csv or .tsv file of
    any size is read line by line, and only a line over the limit is skipped."""
    records = [{"id": f"r{i}", "text": f"{FERRY} Story number {i}."} for i in range(300)]
    lines = [json.dumps(r) for r in records]
    lines[150] = json.dumps({"id": "huge", "text": "word " * 5000})  # one record over 16 KB
    big = _write(tmp_path / "big.jsonl", "\n".join(lines) + "\n")
    items = read_file(big, max_bytes=16 * 1024)  # the file is about 40 KB
    read = [item.doc_id for item in items if not isinstance(item, Skipped)]
    assert read == [f"r{i}" for i in range(300) if i != 150]
    assert [(s.source, s.reason) for s in items if isinstance(s, Skipped)] == [
        (f"{big}#151", "a line larger than 16 KB")
    ]
    table = "id,text\n" + "".join(f'c{i},"{FERRY} Row {i}."\n' for i in range(300))
    rows = read_file(_write(tmp_path / "big.csv", table), max_bytes=16 * 1024)
    assert [r.doc_id for r in rows if not isinstance(r, Skipped)] == [f"c{i}" for i in range(300)]


def test_each_line_of_a_record_file_is_decoded_on_its_own(tmp_path: Path) -> None:
    """One Windows-1252 line in a UTF-8 file (a record pasted from elsewhere) is read as
    Windows-1252, and the UTF-8 lines around it stay UTF-8, not mojibake."""
    utf8 = json.dumps({"id": "u", "text": "Caf\u00e9 owners met the mayor."}, ensure_ascii=False)
    latin = json.dumps({"id": "w", "text": "Cr\u00e8me prices rose."}, ensure_ascii=False)
    data = (
        utf8.encode() + b"\n" + latin.encode("cp1252") + b"\n" + utf8.replace('"u"', '"v"').encode()
    )
    articles, skipped = read_documents([_write(tmp_path / "mixed.jsonl", data)])
    assert skipped == []
    assert [(a.doc_id, a.text, a.encoding) for a in articles] == [
        ("u", "Caf\u00e9 owners met the mayor.", "utf-8"),
        ("w", "Cr\u00e8me prices rose.", "cp1252"),
        ("v", "Caf\u00e9 owners met the mayor.", "utf-8"),
    ]


def test_a_dataset_cut_short_keeps_the_records_read_before_the_cut(tmp_path: Path) -> None:
    lines = "".join(
        json.dumps({"id": f"g{i}", "text": f"{FERRY} Number {i}."}) + "\n" for i in range(200)
    )
    whole = gzip.compress(lines.encode())
    cut = _write(tmp_path / "cut.jsonl.gz", whole[: len(whole) // 2])
    items = read_file(cut)
    read = [item for item in items if not isinstance(item, Skipped)]
    assert 0 < len(read) < 200 and [r.doc_id for r in read] == [f"g{i}" for i in range(len(read))]
    (why,) = [item for item in items if isinstance(item, Skipped)]
    assert why.reason.startswith(f"unreadable after {len(read)} records: ")


def test_a_json_file_written_as_json_lines_is_read_as_json_lines(tmp_path: Path) -> None:
    """Many news datasets are JSON lines named .json (one object per line): read whole, the
    file is not one JSON value; each line is an article, and the file may be of any size."""
    lines = [
        json.dumps({"headline": f"Story {i}", "short_description": "x", "text": FERRY})
        for i in range(40)
    ]
    dataset = _write(tmp_path / "News_Category_Dataset.json", "\n".join(lines) + "\n")
    items = read_file(dataset, max_bytes=4 * 1024)  # the file is about 5 KB
    assert [(Path(i.source).name, getattr(i, "fields", {}).get("title")) for i in items] == [
        (f"News_Category_Dataset.json#{n}", f"Story {n - 1}") for n in range(1, 41)
    ]
    pretty = _write(tmp_path / "pretty.json", json.dumps({"text": FERRY, "id": "p"}, indent=2))
    one_line = _write(tmp_path / "one.json", json.dumps({"text": FERRY, "id": "o"}))
    assert [i.source for i in read_file(pretty) + read_file(one_line)] == [
        str(pretty),
        str(one_line),
    ]


def test_a_json_list_larger_than_the_file_limit_is_read_article_by_article(
    tmp_path: Path,
) -> None:
    """A crawler's export is one JSON list of every item (Scrapy writes `[` alone on its
    first line), or an API's answer holding it: over the size limit, it is read article by
    article, as it would be whole; a file cut short keeps the articles before the cut."""
    records = [{"url": f"https://example.org/{i}", "text": f"{FERRY} Item {i}."} for i in range(60)]
    scrapy = "[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]"
    api = json.dumps({"status": "ok", "totalResults": 60, "articles": records})
    limit = 4 * 1024  # each file is about 10 KB
    for name, text in (("items.json", scrapy), ("answer.json", api), ("bom.json", f"\ufeff{api}")):
        path = _write(tmp_path / name, text)
        streamed, whole = read_file(path, max_bytes=limit), read_file(path)
        assert len(text) > limit
        assert [(Path(i.source).name, i.fields["url"]) for i in streamed] == [
            (f"{name}#{n}", f"https://example.org/{n - 1}") for n in range(1, 61)
        ]
        assert _as_read(streamed) == _as_read(whole)
        assert [i.doc_id for i in streamed] == [i.doc_id for i in whole]
    cut = read_file(
        _write(tmp_path / "cut.json.gz", gzip.compress(scrapy[:6000].encode())), max_bytes=limit
    )
    read = [item for item in cut if not isinstance(item, Skipped)]
    assert 10 < len(read) < 60 and _as_read(read) == _as_read(streamed)[: len(read)]
    assert cut[-1].reason.startswith(
        f"invalid JSON after article #{len(read)} (those before it are kept): "
    )
    one = _write(tmp_path / "one.json", json.dumps({"title": "Long read", "text": FERRY * 100}))
    assert [s.reason for s in read_file(one, max_bytes=limit)] == [
        "larger than 4 KB and not a list of articles (split it, or write one article per line "
        "as JSON lines)"
    ]


def test_numbers_too_wide_for_a_machine_word_or_for_python_do_not_end_the_reading(
    tmp_path: Path,
) -> None:
    """A record id of 2**64 (20 digits, as hashes and some content systems write them) in a
    JSON list past the size limit stopped ijson's C parser ("integer overflow"): the articles
    after it were lost. A number of 5,000 digits in a .json or .jsonl file made json.loads
    raise a ValueError that ended the whole run. Every article is read now."""
    records = [{"id": 2**64 + i, "text": f"{FERRY} Item {i}."} for i in range(60)]
    path = _write(tmp_path / "items.json", json.dumps(records))
    streamed = read_file(path, max_bytes=4 * 1024)
    assert len(streamed) == 60 and not any(isinstance(i, Skipped) for i in streamed)
    assert _as_read(streamed) == _as_read(read_file(path))
    wide = "9" * 5000
    record = json.dumps({"title": "Ferry terminal approved", "views": 0, "text": FERRY})
    record = record.replace('"views": 0', f'"views": {wide}')
    for name in ("one.json", "lines.jsonl"):
        (article,) = read_file(_write(tmp_path / name, record + "\n"))
        assert isinstance(article, RawArticle), article
        assert article.fields["title"] == "Ferry terminal approved"
        assert FERRY in article.original


def _news_table():  # type: ignore[no-untyped-def]
    """Three articles as a news dataset keeps them in columns, and a row without text."""
    import datetime

    import pyarrow as pa

    published = [datetime.datetime(2025, 3, day, 9, 30) for day in (3, 4, 5, 6)]
    return pa.table(
        {
            "id": pa.array([2**64 - 1, 7, 8, 9], pa.uint64()),
            "title": ["Ferry terminal approved", "Library hours", "Bridge reopens", "Empty"],
            "text": [FERRY, LIBRARY, f"{FERRY} The bridge reopens.", None],
            "published": pa.array(published, pa.timestamp("s")),
            "authors": [["Ana Lima", "Tom Reyes"], ["Jo Park"], [], None],
            "source": [{"name": "The Gazette"}] * 4,
        }
    )


def test_parquet_and_arrow_datasets_are_read_row_by_row(tmp_path: Path) -> None:
    """News datasets ship as Parquet (Hugging Face, most data tools) and are cached and saved
    by the `datasets` library as Arrow streams; Feather writes Arrow's file layout. Each row is
    an article, its fields read as a JSON record's, from every row group; a row without text
    is skipped by its number."""
    import pyarrow.feather as feather
    import pyarrow.ipc as ipc
    import pyarrow.parquet as pq

    table = _news_table()
    pq.write_table(table, tmp_path / "news.parquet", row_group_size=2)
    feather.write_feather(table, tmp_path / "news.feather")
    with ipc.new_stream(tmp_path / "data-00000-of-00001.arrow", table.schema) as stream:
        for batch in table.to_batches(max_chunksize=1):
            stream.write_batch(batch)
    readings = {}
    for name in ("news.parquet", "news.feather", "data-00000-of-00001.arrow"):
        *articles, skipped = read_file(tmp_path / name)
        assert isinstance(skipped, Skipped) and skipped.source.endswith(f"{name}#4")
        assert skipped.reason.startswith("no text field")
        assert [a.source.rsplit("/", 1)[1] for a in articles] == [f"{name}#{n}" for n in (1, 2, 3)]
        readings[name] = [(a.doc_id, a.extracted.text, a.fields) for a in articles]
        doc = prepare_document(articles[0])
        assert doc is not None
        assert (doc.title, doc.author, doc.outlet, doc.published) == (
            "Ferry terminal approved",
            "Ana Lima, Tom Reyes",
            "The Gazette",
            "2025-03-03",
        )
        assert articles[0].doc_id == str(2**64 - 1)
    assert len({repr(r) for r in readings.values()}) == 1


def test_a_parquet_or_arrow_file_that_breaks_keeps_what_was_read_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row over the size limit is skipped alone; an Arrow stream cut short keeps the rows
    before the cut; a Parquet file cut short (its index is at the end) is named unreadable; a
    compressed one asks to be decompressed; one in a zip is read at any size, as a .jsonl is.
    A row group that unpacks past the bound (2 GB, set small here) is not read: pyarrow
    unpacks a group's columns whole."""
    import pyarrow as pa
    import pyarrow.ipc as ipc
    import pyarrow.parquet as pq

    from index.ingest import columnar

    monkeypatch.setattr(columnar, "MAX_ROW_GROUP", 250_000)
    bomb = pa.table({"title": ["Ferry"], "text": [FERRY + " a" * 150_000]})
    pq.write_table(bomb, tmp_path / "bomb.parquet", compression="zstd")
    assert (tmp_path / "bomb.parquet").stat().st_size < 5_000
    assert [s.reason for s in read_file(tmp_path / "bomb.parquet")] == [  # type: ignore[union-attr]
        "a row group larger than 244 KB once unpacked (write it again in smaller row groups)"
    ]

    table = _news_table()
    pq.write_table(table, tmp_path / "news.parquet")
    read = read_file(tmp_path / "news.parquet", max_bytes=len(FERRY) + 30)
    assert [type(i).__name__ for i in read] == ["RawArticle", "RawArticle", "Skipped", "Skipped"]
    assert read[2].reason == "a row larger than 0 KB"  # type: ignore[union-attr]
    with ipc.new_stream(tmp_path / "full.arrow", table.schema) as stream:
        for batch in table.to_batches(max_chunksize=1):
            stream.write_batch(batch)
    whole = (tmp_path / "full.arrow").read_bytes()
    cut = read_file(_write(tmp_path / "cut.arrow", whole[: len(whole) * 3 // 4]))
    kept = [i for i in cut if isinstance(i, RawArticle)]
    rows = [i for i in read_file(tmp_path / "full.arrow") if isinstance(i, RawArticle)]
    assert 1 <= len(kept) < 3 and _as_read(kept) == _as_read(rows)[: len(kept)]
    assert cut[-1].reason.startswith(
        f"unreadable after row {len(cut) - 1} (those before it are kept): "
    )  # type: ignore[union-attr]
    packed = (tmp_path / "news.parquet").read_bytes()
    (broken,) = read_file(_write(tmp_path / "broken.parquet", packed[:-100]))
    assert isinstance(broken, Skipped) and broken.reason.startswith("not a readable Parquet file: ")
    (gz,) = read_file(_write(tmp_path / "news.parquet.gz", gzip.compress(packed)))
    assert isinstance(gz, Skipped) and gz.reason.startswith("compressed: decompress it first")
    zipped = read_file(
        _write(tmp_path / "news.zip", _zipped({"data/news.parquet": packed})), max_bytes=1024
    )
    assert [i.source.rsplit("/", 2)[-2:] for i in zipped if isinstance(i, RawArticle)] == [
        ["data", f"news.parquet#{n}"] for n in (1, 2, 3)
    ]


def _bundle_members() -> dict[str, bytes]:
    story = f"Ferry terminal approved\n\n{FERRY}\n"
    records = "".join(json.dumps({"id": f"r{i}", "text": LIBRARY}) + "\n" for i in (1, 2))
    return {
        "news/ferry.txt": story.encode(),
        "news/page.html": f"<html><body><h1>Library</h1><p>{LIBRARY}</p></body></html>".encode(),
        "data/records.jsonl": records.encode(),
        "news/.draft.txt": story.encode(),  # hidden: not read, as in a folder
        "__MACOSX/news/._ferry.txt": b"\x00\x05\x16\x07",  # a Mac's resource fork
        "inner.zip": _zipped(
            {"late/ferry.txt": story.encode(), "deeper.zip": _zipped({"a.txt": story.encode()})}
        ),
        "pages/Story.html": f"<html><body><h1>Ferry</h1><p>{FERRY}</p></body></html>".encode(),
        "pages/Story_files/frame.html": b"<html><body><p>Advert: buy a ferry</p></body></html>",
        "news/huge.txt": ("word " * 5000).encode(),
    }


def _zipped(members: dict[str, bytes]) -> bytes:
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return stream.getvalue()


def _marked_encrypted(zipped: bytes, name: str) -> bytes:
    """The zip with one member marked encrypted in its local and central headers (bit 0 of the
    flags), as a password-protected member is: Python's zipfile writes no such member."""
    out = bytearray(zipped)
    # (signature, offset of the flags, of the name's length, of the name): local, central
    for signature, flags, length, named in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = out.find(signature)
        while at >= 0:
            size = int.from_bytes(out[at + length : at + length + 2], "little")
            if out[at + named : at + named + size] == name.encode():
                out[at + flags] |= 0x1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_a_zip_or_tar_is_read_as_the_folder_it_packs(tmp_path: Path) -> None:
    """News datasets ship packed (BBC News as bbc-fulltext.zip): a .zip or .tar.gz is read as
    its folder is, each article named by the bundle and its member, a bundle in it as a folder
    in the folder, hidden members and a saved page's resources not read, and each member it
    cannot use skipped with the reason."""
    members = _bundle_members()
    folder = tmp_path / "folder"
    for name, data in members.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        _write(folder / name, data)
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
        bundle.writestr("news/locked.txt", FERRY)
    packed = _write(tmp_path / "news.zip", _marked_encrypted(stream.getvalue(), "news/locked.txt"))
    tarred = tmp_path / "news.tar.gz"
    with tarfile.open(tarred, "w:gz") as bundle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("news/latest.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "ferry.txt"
        bundle.addfile(link)

    def named(items: list, under: Path) -> dict[str, tuple]:
        return {
            i.source.removeprefix(f"{under}/"): (i.extracted.text, i.fields)
            for i in items
            if not isinstance(i, Skipped)
        }

    as_files = {
        name: read
        for name in (
            "news/ferry.txt",
            "news/page.html",
            "data/records.jsonl",
            "inner.zip",
            "pages/Story.html",
        )
        for name, read in named(read_file(folder / name), folder).items()
        if not name.startswith("inner.zip/deeper.zip/")  # in the bundle, a level too deep
    }
    for path, refused, reason in (
        (packed, "news/locked.txt", "encrypted: it needs a password"),
        (tarred, "news/latest.txt", "not a regular file (a link or device in the tar)"),
    ):
        items = read_file(path, max_bytes=16 * 1024)
        assert named(items, path) == as_files
        assert sorted(as_files) == [
            "data/records.jsonl#1",
            "data/records.jsonl#2",
            "inner.zip/late/ferry.txt",
            "news/ferry.txt",
            "news/page.html",
            "pages/Story.html",
        ]
        skipped = {
            i.source.removeprefix(f"{path}/"): i.reason for i in items if isinstance(i, Skipped)
        }
        assert skipped == {
            "inner.zip/deeper.zip": "a bundle in a bundle in a bundle: unpack the outer ones first",
            "news/huge.txt": "larger than 16 KB",
            "pages/Story_files": "the images, scripts and frames a browser saved with Story.html, "
            "not articles (unpack the bundle to read it)",
            refused: reason,
        }


def test_a_damaged_bundle_is_skipped_with_the_reason_keeping_what_was_read(
    tmp_path: Path,
) -> None:
    not_zip = _write(tmp_path / "broken.zip", b"PK\x03\x04 this is not a zip")
    assert [(s.source, s.reason) for s in read_file(not_zip)] == [  # type: ignore[union-attr]
        (str(not_zip), "not a readable .zip file: File is not a zip file")
    ]
    stream = io.BytesIO()
    with tarfile.open(fileobj=stream, mode="w:gz") as bundle:
        for i in range(40):
            noise = random.Random(i).randbytes(1000).hex()  # so that the stream does not shrink
            data = f"Story {i}\n\n{FERRY} Number {i}.\n\n{noise}\n".encode()
            info = tarfile.TarInfo(f"news/{i:02}.txt")
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))
    whole = stream.getvalue()
    cut = _write(tmp_path / "cut.tar.gz", whole[: len(whole) // 2])
    items = read_file(cut)
    read = [i for i in items if not isinstance(i, Skipped)]
    assert 5 < len(read) < 40
    assert [i.source for i in read] == [f"{cut}/news/{i:02}.txt" for i in range(len(read))]
    assert [(i.source, i.reason[:28]) for i in items if isinstance(i, Skipped)] == [
        (f"{cut}/news/{len(read):02}.txt", "unreadable in the .tar file:")
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("suffix", [".zip", ".tar.gz"])
def test_a_member_the_full_disk_cannot_hold_is_skipped_and_the_rest_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    """A copy out of a bundle that meets a full disk names the disk and the fix, and the
    bundle's other members are still read: a full disk breaks no tar stream (it used to end
    the tar's reading there, losing every member after it without a word)."""
    packed = tmp_path / f"news{suffix}"
    stories = {f"news/{i:02}.txt": f"Story {i}\n\n{FERRY} Number {i}.\n" for i in range(6)}
    if suffix == ".zip":
        with zipfile.ZipFile(packed, "w") as bundle:
            for name, text in stories.items():
                bundle.writestr(name, text)
    else:
        with tarfile.open(packed, "w:gz") as bundle:
            for name, text in stories.items():
                info = tarfile.TarInfo(name)
                info.size = len(text.encode())
                bundle.addfile(info, io.BytesIO(text.encode()))
    real_open = Path.open

    def full_disk_for_story_two(self: Path, mode: str = "r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "02.txt" and "w" in mode:
            return open("/dev/full", mode)  # the kernel's own "No space left on device"
        return real_open(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_disk_for_story_two)
    items = read_file(packed)
    read = [i.source.removeprefix(f"{packed}/") for i in items if not isinstance(i, Skipped)]
    assert read == [name for name in stories if name != "news/02.txt"]
    [skipped] = [i for i in items if isinstance(i, Skipped)]
    assert skipped.source == f"{packed}/news/02.txt"
    assert "No space left on device" in skipped.reason
    assert "TMPDIR" in skipped.reason


def test_a_dataset_in_a_bundle_is_read_at_any_size_while_the_disk_has_room(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .jsonl, .csv or .warc is read record by record from a folder whatever its size; packed
    in a zip it was skipped as over the limit. It is now copied out while the temporary disk
    keeps its reserve free, and skipped with the reason (and the fix) when it would not."""
    records = "".join(
        json.dumps({"id": f"r{i}", "text": f"{LIBRARY} {i}"}) + "\n" for i in range(200)
    )
    assert len(records) > 16 * 1024
    packed = tmp_path / "crawl.zip"
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("crawl/items.jsonl", records)
        bundle.writestr("crawl/notes.txt", records)  # read whole: the limit holds
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temporary"))
    (tmp_path / "temporary").mkdir()

    items = read_file(packed, max_bytes=16 * 1024)
    read = [i for i in items if not isinstance(i, Skipped)]
    assert [i.source for i in read] == [f"{packed}/crawl/items.jsonl#{n}" for n in range(1, 201)]
    assert read[-1].extracted.text == f"{LIBRARY} 199"
    assert [(i.source, i.reason) for i in items if isinstance(i, Skipped)] == [
        (f"{packed}/crawl/notes.txt", "larger than 16 KB")
    ]

    monkeypatch.setattr(bundles, "DISK_RESERVE", shutil.disk_usage(tmp_path).free + (1 << 30))
    skipped = {i.source: i.reason for i in read_file(packed, max_bytes=16 * 1024)}
    assert skipped[f"{packed}/crawl/items.jsonl"] == (
        f"too large to copy out of the bundle: 0 KB can be written to {tmp_path / 'temporary'} "
        f"keeping {size_text(bundles.DISK_RESERVE)} free (unpack the bundle and give its "
        "folder, or set TMPDIR to a larger disk)"
    )
    assert sorted(os.listdir(tmp_path / "temporary")) == []  # every copy removed


def test_copies_a_killed_run_left_behind_are_removed_by_the_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed mid-bundle cannot remove its copy of the member it was reading (a dataset
    may be gigabytes); the next run removes the folders of processes no longer running."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    abandoned = tmp_path / f"qa-bundle-{int(ended.stdout)}-x1y2"
    running = tmp_path / f"qa-bundle-{os.getpid()}-a3b4"  # another reader in this process
    for folder in (abandoned, running):
        (folder / "0").mkdir(parents=True)
        (folder / "0" / "items.jsonl").write_text("{}\n")
    packed = tmp_path / "news.zip"
    with zipfile.ZipFile(packed, "w") as bundle:
        bundle.writestr("ferry.txt", f"Ferry\n\n{FERRY}\n")

    assert [i.source for i in read_file(packed)] == [f"{packed}/ferry.txt"]
    assert not abandoned.exists()
    assert (running / "0" / "items.jsonl").exists()


def _as_read(items: list) -> list[tuple]:
    """Each article as its number in the file, its text and its fields."""
    return [(i.source.rsplit("#", 1)[1], i.extracted.text, i.fields) for i in items]


def test_ag_news_as_it_ships_is_read_with_its_descriptions_as_text() -> None:
    """AG News's test.csv (label, title, description): a dataset of headlines and summaries
    gives its summary as the text, rather than every row skipped for want of a text column."""
    items = read_file(needs_shared(SHARED / "bench" / "ag_news" / "test.csv"))
    assert len(items) == 7600 and not [i for i in items if isinstance(i, Skipped)]
    first = items[0]
    assert first.fields["title"] == "Fears for T N pension after talks"  # type: ignore[union-attr]
    assert first.original.startswith(  # type: ignore[union-attr]
        "Fears for T N pension after talks\n\nUnions representing workers at Turner"
    )


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str) -> None:
    """Windows Notepad's "Unicode" is UTF-16 with a byte-order mark: its NUL bytes made such a
    file look binary, and it was skipped."""
    mark = {"utf-16": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32": b""}[codec]
    story = f"Caf\u00e9 terminal\r\n\r\n{FERRY}\r\n"
    _write(
        tmp_path / "notepad.txt", mark + story.encode(codec if codec != "utf-16" else "utf-16-le")
    )
    record = json.dumps(
        {"id": "w1", "title": "Caf\u00e9 terminal", "text": FERRY}, ensure_ascii=False
    )
    _write(
        tmp_path / "wide.jsonl",
        mark
        + f"{record}\r\n{record.replace('w1', 'w2')}\r\n".encode(
            codec if codec != "utf-16" else "utf-16-le"
        ),
    )
    articles, skipped = read_documents([tmp_path])
    assert skipped == []
    wanted = codec.split("-be")[0]
    assert [(a.doc_id, a.title, a.encoding) for a in articles] == [
        ("notepad", "Caf\u00e9 terminal", wanted),
        ("w1", "Caf\u00e9 terminal", wanted),
        ("w2", "Caf\u00e9 terminal", wanted),
    ]
    assert articles[0].text == f"Caf\u00e9 terminal\n\n{FERRY}"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_text_without_a_byte_order_mark_is_read_not_skipped_as_binary(
    tmp_path: Path, codec: str
) -> None:
    """Python's "utf-16-le" and some Windows exports write UTF-16 with no mark: its NUL bytes
    made such a file look binary, and it was skipped. Latin, Cyrillic, Chinese and Japanese
    text, a page and a table are read; random bytes are still skipped as binary."""
    russian = "Власти порта одобрили новый паромный терминал во вторник, сообщает «Коммерсант»."
    chinese = "港口管理局周二批准了一座新的渡轮码头，该项目此前经过了长时间的审查。"
    japanese = "港湾当局は火曜日、長い審査の末に新しいフェリーターミナルを承認した。"
    _write(tmp_path / "story.txt", f"Ferry terminal\r\n\r\n{FERRY}\r\n".encode(codec))
    _write(tmp_path / "novosti.txt", f"Паромный терминал\n\n{russian}\n".encode(codec))
    _write(tmp_path / "xinwen.txt", f"渡轮码头获批\n\n{chinese}\n".encode(codec))
    _write(tmp_path / "nyusu.txt", f"フェリー新ターミナル\r\n\r\n{japanese}\r\n".encode(codec))
    page = f"<html><head><title>Ferry terminal</title></head><body><p>{FERRY}</p></body></html>"
    _write(tmp_path / "page.html", page.encode(codec))
    _write(tmp_path / "table.csv", f"id,title,text\nc1,Caf\u00e9 terminal,{FERRY}\n".encode(codec))
    _write(tmp_path / "noise.txt", random.Random(1).randbytes(4096))
    _write(tmp_path / "pattern.txt", b"\x00\xff" * 100)  # one character repeated: no words
    articles, skipped = read_documents([tmp_path])
    assert [(s.source.rsplit("/", 1)[1], s.reason) for s in skipped] == [
        ("noise.txt", "binary content, not text"),
        ("pattern.txt", "binary content, not text"),
    ]
    assert {a.doc_id: (a.text.split("\n\n")[-1], a.encoding) for a in articles} == {
        "story": (FERRY, codec),
        "novosti": (russian, codec),
        "xinwen": (chinese, codec),
        "nyusu": (japanese, codec),
        "page": (FERRY, codec),
        "c1": (FERRY, codec),
    }


def test_a_table_whose_lines_end_in_a_carriage_return_alone_is_read(tmp_path: Path) -> None:
    """Excel for Mac's "CSV (Macintosh)" ends lines with a carriage return alone."""
    table = f'id,title,text\r"m1",Ferry terminal approved,"{FERRY}"\r"m2",Library opens late,"{LIBRARY}"\r'
    items = read_file(_write(tmp_path / "mac.csv", table))
    assert [(i.source.rsplit("#")[1], i.doc_id) for i in items] == [("2", "m1"), ("3", "m2")]  # type: ignore[union-attr]


def test_a_news_api_answer_gives_outlet_address_and_date(tmp_path: Path) -> None:
    """NewsAPI's articles name their outlet as an object, their date as `publishedAt`, their
    address as `url`."""
    article = {
        "source": {"id": "bbc-news", "name": "BBC News"},
        "author": "Ana Lima",
        "title": "Ferry terminal approved",
        "url": "https://www.bbc.example/news/ferry",
        "publishedAt": "2025-03-03T10:00:00Z",
        "content": FERRY,
    }
    _write(tmp_path / "everything.json", json.dumps({"status": "ok", "articles": [article]}))
    (doc,), skipped = read_documents([tmp_path])
    assert skipped == []
    assert (doc.outlet, doc.author, doc.published, doc.url) == (
        "BBC News",
        "Ana Lima",
        "2025-03-03",
        "https://www.bbc.example/news/ferry",
    )


def _the_one_document(folder: Path, name: str) -> tuple[Document, str, dict[str, str]]:
    """The folder's one article, read from `name` (every character of it checked to map into
    what was read), the text it was read from, and why each other file was skipped."""
    documents, skipped = read_documents([folder])
    [doc] = documents
    raw = read_file(folder / name)[0]
    assert isinstance(raw, RawArticle) and Path(doc.source).name == name
    assert offset_errors(raw.original, doc) == []
    return doc, raw.original, {Path(s.source).name: s.reason for s in skipped}


def test_a_word_document_reads_as_its_paragraphs_with_its_headline_and_byline(
    tmp_path: Path,
) -> None:
    import docx

    lede = (
        "The harbour authority approved a new ferry terminal on Tuesday after a two-year "
        "review. The terminal will cost 40 million euros and open in 2027, the authority said."
    )
    quote = "\u201cIt is a good day for the island,\u201d said the harbour master, Rui Costa."
    document = docx.Document()
    document.core_properties.title = "draft 3"  # what a file's title often is
    document.add_paragraph("PRESS RELEASE")
    document.add_heading("Harbour board approves ferry terminal", level=1)
    document.add_paragraph("By Ana Lima \u00b7 March 3, 2025")
    document.add_paragraph(lede)
    document.add_paragraph(quote)
    document.save(tmp_path / "ferry.docx")
    (tmp_path / "blank.docx").write_bytes(b"")
    docx.Document().save(tmp_path / "empty.docx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    doc, _, reasons = _the_one_document(tmp_path, "ferry.docx")
    assert (doc.title, doc.author, doc.published) == (
        "Harbour board approves ferry terminal",
        "Ana Lima",
        "2025-03-03",
    )
    assert doc.text.split("\n\n") == ["Harbour board approves ferry terminal", lede, quote]
    assert reasons["blank.docx"] == "empty"
    assert reasons["empty.docx"] == "no text in this Word document"
    assert reasons["broken.docx"].startswith("not a readable Word document")


WORD97 = Path(__file__).parent / "data" / "release_word97.doc"  # LibreOffice's "Word 97-2003"
# save of a press release written with python-docx: a Title, a byline, two paragraphs


@pytest.mark.skipif(shutil.which("antiword") is None, reason="needs Debian's antiword")
def test_a_word_97_document_reads_as_its_paragraphs_through_antiword(tmp_path: Path) -> None:
    """A .doc file (Word 97-2003, a binary compound file) was skipped as an unsupported type;
    antiword reads its paragraphs, cleaned as a Word document's are. A damaged one is skipped
    with antiword's reason, and without antiword the reason names the package."""
    (raw,) = read_file(WORD97)
    doc = prepare_document(raw)  # type: ignore[arg-type]
    assert doc is not None and offset_errors(raw.original, doc) == []  # type: ignore[union-attr]
    assert (doc.title, doc.author, doc.published) == (
        "Harbour board approves ferry terminal",
        "Ana Lima",
        "2025-03-03",
    )
    assert doc.text.split("\n\n") == [
        "Harbour board approves ferry terminal",
        "The harbour authority approved a new ferry terminal on Tuesday after a two-year review "
        "of its effects on the bay, the fishing fleet and the caf\u00e9s along the waterfront.",
        "\u201cIt is a good day for the port,\u201d said the harbour master. The terminal will "
        "cost 40 million euros and open in 2027, the authority said.",
    ]
    rich = _write(
        tmp_path / "rich.doc",
        r"{\rtf1\ansi Harbour board approves ferry terminal\par "
        + r"\par The harbour authority approved a new ferry terminal on Tuesday after a long review.\par}",
    )
    page = _write(
        tmp_path / "page.doc",
        "<html><body><h1>Ferry</h1><p>The harbour authority approved a new ferry terminal on Tuesday after a long review.</p></body></html>",
    )
    for named in (rich, page):  # Word saves Rich Text and web pages under ".doc" too
        (other,) = read_file(named)
        assert isinstance(other, RawArticle), other
        assert "approved a new ferry terminal" in other.original
    damaged = _write(tmp_path / "damaged.doc", WORD97.read_bytes()[:3000])
    (skipped,) = read_file(damaged)
    assert isinstance(skipped, Skipped)
    assert skipped.reason.startswith("not a readable Word 97-2003 document: ")


def test_a_word_97_document_without_antiword_names_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from index.ingest import doc_text

    monkeypatch.setattr(doc_text.shutil, "which", lambda name: None)
    assert [s.reason for s in read_file(WORD97)] == [  # type: ignore[union-attr]
        "a Word 97-2003 document: install antiword to read it (apt-get install antiword)"
    ]


def test_a_word_document_that_unpacks_past_the_bound_is_skipped_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .docx is zipped XML, and python-docx reads every part whole: one of a few megabytes
    can unpack to gigabytes (a zip bomb) and take the run's memory. Its parts' sizes are
    read first; the bound (200 MB) is set small here to keep the test fast."""
    import docx

    from index.ingest import docx_text

    monkeypatch.setattr(docx_text, "MAX_UNPACKED", 250_000)
    document = docx.Document()
    document.add_paragraph("word " * 60_000)  # 300,000 characters that zip to a few KB
    document.save(tmp_path / "bomb.docx")
    assert (tmp_path / "bomb.docx").stat().st_size < 50_000
    (skipped,) = read_file(tmp_path / "bomb.docx")
    assert isinstance(skipped, Skipped) and skipped.reason.startswith("larger than")
    assert skipped.reason.endswith("once unpacked")


def test_a_file_nested_past_the_parsers_depth_is_skipped_alone(tmp_path: Path) -> None:
    """An email of multiparts inside multiparts, three thousand deep, ended the whole run with
    "unexpected RecursionError"; it is skipped by name and the folder's other files are read."""
    inner = f"Content-Type: text/plain\n\n{FERRY}\n"
    for depth in range(3000):
        inner = (
            f'Content-Type: multipart/mixed; boundary="b{depth}"\n\n'
            f"--b{depth}\n{inner}\n--b{depth}--\n"
        )
    _write(tmp_path / "deep.eml", f"Subject: Ferry\nFrom: a@b.example\nMIME-Version: 1.0\n{inner}")
    _write(tmp_path / "library.txt", LIBRARY)
    articles, skipped = read_documents([tmp_path])
    assert [a.text for a in articles] == [LIBRARY]
    assert [(Path(s.source).name, s.reason.split(":")[0]) for s in skipped] == [
        ("deep.eml", "nested too deeply to read")
    ]


def test_an_email_reads_as_its_html_body_with_subject_sender_and_date(tmp_path: Path) -> None:
    from email.message import EmailMessage

    lede = (
        "The harbour authority approved a new ferry terminal on Tuesday after a two-year "
        "review. The terminal will cost 40 million euros and open in 2027, the authority said."
    )
    message = EmailMessage()
    message["Subject"] = "Ferry terminal approved: what it means for the bay"
    message["From"] = "Morning Brief <news@gazette.example>"
    message["Date"] = "Tue, 04 Mar 2025 07:30:00 +0000"
    message.set_content(f"{lede}\n")  # the plain-text copy, shown where HTML is not
    message.add_alternative(
        f"<html><body><h1>Ferry terminal approved</h1><p>By Ana Lima</p><p>{lede}</p>"
        "<p>\u201cIt is a good day,\u201d said the harbour master.</p></body></html>",
        subtype="html",
    )
    (tmp_path / "brief.eml").write_bytes(bytes(message))
    plain = EmailMessage()
    plain["Subject"] = "Library hours"
    plain.set_content(
        "The city library will stay open until midnight during exam weeks, its director "
        "announced.\n\nYou are receiving this email because you signed up for the Morning "
        "Brief from the Gazette.\n\nManage your preferences or view this email in your "
        "browser.\n"
    )
    (tmp_path / "plain.eml").write_bytes(bytes(plain))
    (tmp_path / "bodiless.eml").write_text("Subject: hi\n\n", encoding="ascii")
    documents, skipped = read_documents([tmp_path])
    by_name = {Path(d.source).name: d for d in documents}
    brief = by_name["brief.eml"]
    assert (brief.title, brief.outlet, brief.published, brief.author) == (
        "Ferry terminal approved: what it means for the bay",
        "Morning Brief",
        "2025-03-04",
        "Ana Lima",
    )
    assert lede in brief.text and "\u201cIt is a good day,\u201d" in brief.text
    raw = read_file(tmp_path / "brief.eml")[0]
    assert offset_errors(raw.original, brief) == []  # type: ignore[union-attr]
    assert by_name["plain.eml"].text == (  # the newsletter's footer left out
        "The city library will stay open until midnight during exam weeks, its director announced."
    )
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        ("bodiless.eml", "no text or HTML body in this email (.eml)")
    ]


_RICH_TEXT = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\fswiss Arial;}}"
    rb"{\info{\title draft 3}}\viewkind4\uc1\pard\b\f0\fs28 Caf\'e9 terminal approved\b0\par"
    b"\n"
    rb"\fs20 By Ana Lima, March 3, 2025\par\par"
    b"\n"
    rb"The harbour board approved the \u8220?caf\'e9 terminal\u8221? on Tuesday after a "
    rb"two-year review.\par"
    b"\n"
    rb"{\field{\*\fldinst HYPERLINK \"https://gazette.example\"}{\fldrslt The work}} "
    rb"starts in May, the board said.\par}"
)


def test_a_rich_text_document_reads_as_its_paragraphs_with_its_headline_and_byline(
    tmp_path: Path,
) -> None:
    """WordPad's and TextEdit's format, and the one news databases offer first: its escapes
    decoded in its code page, its links' words kept, its markup and info group left out."""
    (tmp_path / "terminal.rtf").write_bytes(_RICH_TEXT)
    (tmp_path / "renamed.rtf").write_text("Not rich text at all.")
    (tmp_path / "blank.rtf").write_bytes(rb"{\rtf1\ansi\par\par}")
    doc, _, reasons = _the_one_document(tmp_path, "terminal.rtf")
    assert (doc.title, doc.author, doc.published) == (
        "Caf\u00e9 terminal approved",
        "Ana Lima",
        "2025-03-03",
    )
    assert doc.text.endswith(
        "The harbour board approved the \u201ccaf\u00e9 terminal\u201d on Tuesday after a two-year "
        "review.\n\nThe work starts in May, the board said."
    )
    assert reasons == {
        "blank.rtf": "no text in this Rich Text document",
        "renamed.rtf": "not a Rich Text document: it does not open with {\\rtf",
    }


def _open_document(content: str) -> bytes:
    """An OpenDocument text as LibreOffice writes one: the mimetype first, unpacked, then
    the content."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as bundle:
        bundle.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        bundle.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>{content}'
            "</office:document-content>",
            zipfile.ZIP_DEFLATED,
        )
    return stream.getvalue()


_OPEN_DOCUMENT = _open_document(
    '<office:automatic-styles><style:style style:name="P1" style:family="paragraph" '
    'style:parent-style-name="Title"/></office:automatic-styles>'
    "<office:body><office:text>"
    '<text:p text:style-name="Standard">PRESS RELEASE</text:p>'
    '<text:p text:style-name="P1">Caf\u00e9 terminal approved</text:p>'
    "<text:p>By Ana Lima, March 3, 2025</text:p>"
    "<text:p>The harbour board approved the <text:span>caf\u00e9 terminal</text:span> on "
    'Tuesday after a<text:s text:c="2"/>two-year review.<text:note><text:note-body>'
    "<text:p>Figures from the board.</text:p></text:note-body></text:note></text:p>"
    '<text:h text:outline-level="2">What it costs</text:h>'
    "<table:table><table:table-row><table:table-cell><text:p>Cost</text:p></table:table-cell>"
    "<table:table-cell><text:p>40 million euros</text:p></table:table-cell></table:table-row>"
    "</table:table>"
    "<text:list><text:list-item><text:p>The work starts in May, the board said on its website."
    "<office:annotation><text:p>check this</text:p></office:annotation></text:p>"
    "</text:list-item></text:list>"
    "</office:text></office:body>"
)


def test_an_open_document_text_reads_as_its_paragraphs_with_its_headline(tmp_path: Path) -> None:
    """LibreOffice's format, and Google Docs' download: spans, spaces, lists and table rows
    read in order, a Title-style paragraph as the headline, notes and comments left out."""
    (tmp_path / "terminal.odt").write_bytes(_OPEN_DOCUMENT)
    (tmp_path / "empty.odt").write_bytes(
        _open_document("<office:body><office:text/></office:body>")
    )
    (tmp_path / "renamed.odt").write_bytes(b"PK\x03\x04 not really a zip")
    doc, original, reasons = _the_one_document(tmp_path, "terminal.odt")
    assert (doc.title, doc.author, doc.published) == (
        "Caf\u00e9 terminal approved",
        "Ana Lima",
        "2025-03-03",
    )
    assert doc.text.split("\n\n") == [
        "Caf\u00e9 terminal approved",
        "The harbour board approved the caf\u00e9 terminal on Tuesday after a two-year review.",
        "The work starts in May, the board said on its website.",
    ]
    assert "Cost | 40 million euros" in original
    assert "Figures from the board" not in original
    assert reasons["empty.odt"] == "no text in this OpenDocument text"
    assert reasons["renamed.odt"].startswith("not a readable OpenDocument text")


def test_a_press_release_attached_to_an_email_is_read_as_the_file_it_is(tmp_path: Path) -> None:
    """A release often comes as "Please find attached": the PDF or Word file is the story,
    and only the email's two lines were read. Each attachment is now read as the file it is,
    named by the message and its own name; a picture is named as skipped, as in a folder. A
    message of a mailbox reads its attachments the same way."""
    from email.message import EmailMessage

    import docx

    printed = (Path(__file__).parent / "data" / "printed_article.pdf").read_bytes()
    word = tmp_path / "word.docx"
    document = docx.Document()
    document.add_paragraph("Library opens until midnight", style="Title")
    document.add_paragraph(LIBRARY)
    document.save(word)
    mail = EmailMessage()
    mail["Subject"] = "Two releases"
    mail["From"] = "Press Office <press@port.example>"
    mail.set_content("Please find attached our releases of today.\n")
    mail.add_attachment(printed, maintype="application", subtype="pdf", filename="ferry.pdf")
    mail.add_attachment(
        word.read_bytes(),
        maintype="application",
        subtype="octet-stream",
        filename="../library.docx",
    )
    mail.add_attachment(
        b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", filename="logo.png"
    )
    path = _write(tmp_path / "mail" / "releases.eml", bytes(mail))
    items = read_file(path)
    names = [(i.source.removeprefix(str(path)), type(i).__name__) for i in items]
    assert names == [
        ("", "RawArticle"),
        ("/ferry.pdf", "RawArticle"),
        ("/library.docx", "RawArticle"),  # no folder from the sender's name
        ("/logo.png", "Skipped"),
    ]
    ferry, library = (prepare_document(i) for i in items[1:3])  # type: ignore[arg-type]
    assert ferry is not None and ferry.title == "Harbour board approves ferry terminal"
    assert library is not None and LIBRARY in library.text
    box = mailbox.mbox(tmp_path / "Press.mbox")
    box.add(mail)
    box.close()
    boxed = read_file(tmp_path / "Press.mbox")
    assert [i.source.removeprefix(str(tmp_path)) for i in boxed] == [
        "/Press.mbox#1",
        "/Press.mbox#1/ferry.pdf",
        "/Press.mbox#1/library.docx",
        "/Press.mbox#1/logo.png",
    ]
    bare = EmailMessage()
    bare["Subject"] = "Release"
    bare.add_attachment(printed, maintype="application", subtype="pdf", filename="ferry.pdf")
    (only,) = read_file(_write(tmp_path / "bare.eml", bytes(bare)))
    assert only.source.endswith("bare.eml/ferry.pdf") and isinstance(only, RawArticle)


def test_texts_in_their_languages_old_code_pages_read_as_written(tmp_path: Path) -> None:
    """A Russian story saved in Windows-1251 or KOI8-R, a Japanese one in Shift-JIS, a Chinese
    one in GBK, a Greek one in Windows-1253, none naming its charset, read as Windows-1252
    gave "Ñîâåò ãàâàíè" or no text at all. They read as written now, and so does a Polish
    story of 1,000 bytes or more in Windows-1250; Western text stays Windows-1252
    (charset-normalizer alone reads Spanish as Central European, "ñ" as "ń"). A table's lines,
    each decoded on its own, share the code page of its first line that is not UTF-8; an
    email's plain text is read in the charset it declares. A UTF-8 file holding one stray
    byte stays UTF-8, that byte replaced: it was read whole as Windows-1252, every accent
    garbled."""
    from email.message import EmailMessage

    stories = {
        "ru-1251.txt": ("cp1251", "Совет гавани одобрил новый паромный терминал во вторник."),
        "ru-koi8.txt": ("koi8_r", "Совет гавани одобрил новый паромный терминал во вторник."),
        "ja.txt": (
            "shift_jis",
            "港湾局は火曜日、長い審査の末に新しいフェリーターミナルを承認した。",
        ),
        "zh.txt": ("gbk", "港务局周二在长时间审查后批准了新的渡轮码头，码头将于明年启用。"),
        "el.txt": ("cp1253", "Το λιμενικό συμβούλιο ενέκρινε νέο τερματικό σταθμό την Τρίτη."),
        "es.txt": (
            "cp1252",
            "La autoridad portuaria aprobó el martes una nueva terminal de ferris.",
        ),
    }
    polish = (
        "Rada portu zatwierdziła we wtorek budowę nowego terminalu promowego po dwóch latach "
        "analiz jego wpływu na zatokę, flotę rybacką i dzielnice położone wzdłuż nabrzeża. "
        "Terminal będzie kosztował czterdzieści milionów euro i zostanie otwarty w przyszłym "
        "roku, poinformowały władze portu. Mieszkańcy obawiają się hałasu i większego ruchu, "
        "ale rybacy cieszą się z nowego nabrzeża. Przewodniczący rady powiedział, że prace "
        "ruszą jesienią, a pierwsze promy przypłyną jeszcze przed świętami."
    )
    spanish = (
        "La autoridad portuaria aprobó el martes la construcción de una nueva terminal de "
        "ferris tras dos años de estudios sobre su efecto en la bahía, la flota pesquera y los "
        "barrios del muelle. La terminal costará cuarenta millones de euros y abrirá el próximo "
        "año, según informó la autoridad. Los vecinos temen el ruido y más tráfico, pero los "
        "pescadores celebran el nuevo muelle, dijo el presidente del puerto en la reunión."
    )
    stories |= {"pl.txt": ("cp1250", polish), "es-long.txt": ("cp1252", spanish)}
    scripted = "<script>" + "window.dataLayer = window.dataLayer || [];\n" * 40 + "</script>"
    chinese = stories["zh.txt"][1]
    page = f"<html><head>{scripted}</head><body><nav>Home</nav><p>{chinese}</p></body></html>"
    (raw,) = read_file(_write(tmp_path / "zh.html", page.encode("gbk")))  # names no charset
    assert chinese in raw.original  # type: ignore[union-attr]
    for name, (code_page, story) in stories.items():
        data = f"{story}\n\n{story}\n\n{story}\n".encode(code_page)
        (raw,) = read_file(_write(tmp_path / name, data))
        assert isinstance(raw, RawArticle) and raw.original.startswith(story), name
        assert raw.encoding == code_page or len(data) < 1000, (name, raw.encoding)
    rows = (
        "title,text\nПаром,Совет гавани одобрил терминал.\nМост,Мост откроют в мае после ремонта.\n"
    )
    table = read_file(_write(tmp_path / "news.csv", rows.encode("cp1251")))
    assert [a.fields["title"] for a in table] == ["Паром", "Мост"]  # type: ignore[union-attr]
    utf8 = "Le conseil a approuvé mardi le nouveau terminal, a déclaré la maire. " * 3
    pasted = utf8[:50].encode() + b"\x93" + utf8[50:].encode()  # one Windows byte pasted in
    (raw,) = read_file(_write(tmp_path / "pasted.txt", pasted))
    assert raw.original == f"{utf8[:50]}\ufffd{utf8[50:]}"  # type: ignore[union-attr]
    mail = EmailMessage()
    mail["Subject"] = "Паром"
    mail.set_content("Совет гавани одобрил новый паромный терминал во вторник.", charset="koi8-r")
    (letter,) = read_file(_write(tmp_path / "letter.eml", bytes(mail)))
    assert "паромный терминал" in letter.original  # type: ignore[union-attr]


def test_a_mailbox_reads_as_its_messages_each_named_by_its_place(tmp_path: Path) -> None:
    """Gmail (Google Takeout), Thunderbird and Apple Mail export a folder as one .mbox file:
    each message is read as an .eml file is, named `box.mbox#N`; a body line opening with
    "From " (escaped as ">From " in the file) does not split a message; a message over the
    size limit is skipped alone, and a file with no "From " line says what was expected."""
    import mailbox
    from email.message import EmailMessage

    def message(subject: str, sent: str, body: str, html: bool = False) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"], mail["From"], mail["Date"] = subject, "Morning Brief <b@g.example>", sent
        mail.set_content(body, subtype="html" if html else "plain")
        return mail

    box = mailbox.mbox(tmp_path / "Newsletters.mbox")
    box.add(
        message(
            "Ferry approved",
            "Tue, 04 Mar 2025 07:30:00 +0000",
            f"<html><body><h1>Ferry approved</h1><p>{FERRY}</p></body></html>",
            html=True,
        )
    )
    box.add(
        message(
            "Library hours",
            "Wed, 05 Mar 2025 07:30:00 +0000",
            f"{LIBRARY}\nFrom Monday the reading room opens at seven in the morning.\n",
        )
    )
    box.add(message("Long read", "Thu, 06 Mar 2025 07:30:00 +0000", "word " * 2000))
    box.close()
    assert b"\n>From Monday" in (tmp_path / "Newsletters.mbox").read_bytes()
    items = read_file(tmp_path / "Newsletters.mbox", max_bytes=4096)
    assert [(Path(i.source).name, type(i).__name__) for i in items] == [
        ("Newsletters.mbox#1", "RawArticle"),
        ("Newsletters.mbox#2", "RawArticle"),
        ("Newsletters.mbox#3", "Skipped"),
    ]
    assert items[2].reason == "a message larger than 4 KB"  # type: ignore[union-attr]
    ferry, library = (prepare_document(i) for i in items[:2])  # type: ignore[arg-type]
    assert ferry is not None and library is not None
    assert (ferry.title, ferry.outlet, ferry.published) == (
        "Ferry approved",
        "Morning Brief",
        "2025-03-04",
    )
    assert FERRY in ferry.text and library.published == "2025-03-05"
    assert "From Monday the reading room opens" in library.text
    assert len({ferry.doc_id, library.doc_id}) == 2
    (none,) = read_file(_write(tmp_path / "saved.mbox", "Subject: hi\n\nNo separator line.\n"))
    assert none.reason.startswith("no messages in this mailbox")  # type: ignore[union-attr]


def test_damaged_pdf_word_email_and_web_archive_files_are_skipped_never_raised(
    tmp_path: Path,
) -> None:
    """Bytes flipped, cut short or cut out of good files: each is read or skipped with a
    reason; no parser's exception ends the run (zlib's, inside a damaged .docx, once did)."""
    import plistlib
    import random
    from email.message import EmailMessage

    import docx

    page = "<html><body><h1>Ferry approved</h1><p>" + "The terminal opens in 2027. " * 20
    page += "</p></body></html>"
    document = docx.Document()
    document.add_heading("Ferry approved", level=1)
    document.add_paragraph("The terminal opens in 2027, the harbour authority said on Tuesday.")
    document.save(tmp_path / "seed.docx")
    message = EmailMessage()
    message["Subject"] = "Ferry approved"
    message.add_alternative(page, subtype="html")
    archive = {
        "WebMainResource": {"WebResourceData": page.encode(), "WebResourceMIMEType": "text/html"}
    }
    seeds = {
        ".pdf": (Path(__file__).parent / "data" / "printed_article.pdf").read_bytes(),
        ".docx": (tmp_path / "seed.docx").read_bytes(),
        ".eml": bytes(message),
        ".webarchive": plistlib.dumps(archive, fmt=plistlib.FMT_BINARY),
        ".rtf": _RICH_TEXT,
        ".odt": _OPEN_DOCUMENT,
    }
    draw = random.Random(0)
    for suffix, good in seeds.items():
        for number in range(25):
            data = bytearray(good)
            if number % 3 == 0:
                for _ in range(draw.randint(1, 20)):
                    data[draw.randrange(len(data))] = draw.randrange(256)
            elif number % 3 == 1:
                data = data[: draw.randrange(len(data))]
            else:
                start = draw.randrange(len(data))
                data[start : start + draw.randint(1, 500)] = b""
            damaged = tmp_path / f"damaged{number}{suffix}"
            damaged.write_bytes(bytes(data))
            for item in read_file(damaged):  # raises on failure
                assert not isinstance(item, Skipped) or item.reason, damaged
