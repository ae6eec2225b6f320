from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import SEEDS


def qa(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qa.cli", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_index_then_search_json(tmp_path: Path) -> None:
    index = tmp_path / "idx"
    built = qa("index", str(SEEDS), "--index", str(index), "--json")
    assert built.returncode == 0, built.stderr
    report = json.loads(built.stdout)
    assert report["documents"] == 5 and report["skipped"] == []
    found = qa(
        "search",
        "Which news agency saw Maduro's letter?",
        "--json",
        "--k",
        "3",
        env={"QA_INDEX_DIR": str(index)},
    )
    assert found.returncode == 0, found.stderr
    result = json.loads(found.stdout)
    assert set(result) >= {"query", "abstained", "passages"}
    assert set(result["passages"][0]) >= {
        "doc_id",
        "source",
        "title",
        "outlet",
        "author",
        "published",
        "text",
        "start",
        "end",
        "source_start",
        "source_end",
        "score",
        "highlights",
    }
    plain = qa("search", "Which countries has Tren de Aragua spread to?", "--index", str(index))
    assert plain.returncode == 0 and "»" in plain.stdout and "Canada and Chile" in plain.stdout


def test_errors_are_one_line_with_exit_code_1(tmp_path: Path) -> None:
    missing = qa("search", "anything", "--index", str(tmp_path / "none"))
    assert missing.returncode == 1
    assert (
        missing.stderr.strip()
        == f"qa: No index at {tmp_path / 'none'}. Build one with: qa index seeds/ --index {tmp_path / 'none'}"
    )
    empty = qa("search", "  ", "--index", str(tmp_path))
    assert empty.returncode == 1 and empty.stderr.startswith("qa: The question is empty")
    nothing = qa("index", str(tmp_path), "--index", str(tmp_path / "idx"))
    assert nothing.returncode == 1 and "No articles to index" in nothing.stderr
    assert "no files in it. It reads .txt, .md, .html" in nothing.stderr


def test_a_folder_that_gives_no_article_says_why_for_each_file(tmp_path: Path) -> None:
    """It said only "No articles to index (supported: .txt, .md, .html, .jsonl)", though the
    .json it had read was supported and the reasons were known."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "export.json").write_text('{"headline": "Ferry terminal approved"}')
    (folder / "notes.txt").write_text("todo\n")
    for n in range(6):
        (folder / f"scan{n}.bin").write_bytes(b"\x00\x01")
    done = qa("index", str(folder), "--index", str(tmp_path / "idx"))
    assert done.returncode == 1
    assert f"skipped {folder / 'export.json'}: no text field (one of text, content" in done.stderr
    assert f"skipped {folder / 'notes.txt'}: no article text left" in done.stderr
    assert "and 3 more skipped" in done.stderr


def test_skipped_files_are_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text(
        "The council approved the budget on Tuesday after a long debate."
    )
    (corpus / "bad.txt").write_bytes(b"\x00\xff" * 100)
    built = qa("index", str(corpus), "--index", str(tmp_path / "idx"))
    assert built.returncode == 0, built.stderr
    assert f"skipped {corpus / 'bad.txt'}: binary content, not text" in built.stderr
    assert built.stdout.startswith("Indexed 1 document (0 near-duplicates")


def test_excluded_files_are_left_out_by_name_or_path_and_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "drafts").mkdir(parents=True)
    story = "The council approved the budget on Tuesday after a long debate."
    for name in ("ok.txt", "README.txt", "drafts/next.txt"):
        (corpus / name).write_text(story.replace("budget", name.split(".")[0]))
    built = qa(
        "index", str(corpus), "--index", str(tmp_path / "idx"), "--json",
        "--exclude", "README*", "--exclude", "*/drafts/*",
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    report = json.loads(built.stdout)
    assert report["documents"] == 1
    assert report["skipped"] == [
        {"source": str(corpus / "README.txt"), "reason": "matches --exclude 'README*'"},
        {"source": str(corpus / "drafts" / "next.txt"), "reason": "matches --exclude '*/drafts/*'"},
    ]
    nothing = qa("index", str(corpus), "--index", str(tmp_path / "idx2"), "--exclude", "*.txt")
    assert nothing.returncode == 1
    assert (
        nothing.stderr.strip() == f"qa: Every file in {corpus} matches --exclude: nothing to index."
    )


def test_an_index_kept_inside_the_corpus_folder_is_not_read_as_articles(tmp_path: Path) -> None:
    """Its documents.jsonl holds every article's text: read back, each would be indexed again
    (and every build would see changed files)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("The council approved the budget on Tuesday after a debate.")
    inside = corpus / "idx"
    assert qa("index", str(corpus), "--index", str(inside)).returncode == 0
    (corpus / "new.txt").write_text("The harbour board opened the new ferry terminal on Friday.")
    again = qa("index", str(corpus), "--index", str(inside), "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["documents"], report["duplicates"], report["embedded"]) == (2, 0, 1)
    reasons = {item["reason"] for item in report["skipped"]}
    assert reasons == {f"part of the index at {inside}"}
    assert any(item["source"].endswith("documents.jsonl") for item in report["skipped"])
    added = qa("add", str(corpus), "--index", str(inside))
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added 2 documents")


def test_serve_builds_its_first_index_without_the_excluded_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from index.stores.versions import load_index
    from ui.server import ensure_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("The council approved the budget on Tuesday after a debate.")
    (corpus / "README.txt").write_text("The files in this folder are council news stories.")
    ensure_index(tmp_path / "idx", [str(corpus)], ["README*"])
    assert [d.doc_id for d in load_index(tmp_path / "idx").documents] == ["ok"]
    assert (
        f"skipped {corpus / 'README.txt'}: matches --exclude 'README*'" in capsys.readouterr().err
    )


def test_help_lists_commands() -> None:
    shown = qa("--help")
    assert shown.returncode == 0
    commands = shown.stdout.split("  COMMAND\n", 1)[1].split("\n\n", 1)[0]  # the command table
    listed = [
        line.split()[0]
        for line in commands.splitlines()
        if line.startswith("    ") and not line.startswith("     ")
    ]
    assert listed == [
        "index",
        "add",
        "remove",
        "doctor",
        "search",
        "serve",
        "eval",
        "bench",
        "calibrate",
    ]


def test_add_remove_and_reindex_from_the_command_line(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", str(tmp_path / "idx")
    corpus.mkdir()
    (corpus / "budget.txt").write_text(
        "The council approved the budget on Tuesday after a long debate about the harbour."
    )
    assert qa("index", str(corpus), "--index", index).returncode == 0
    again = qa("index", str(corpus), "--index", index)
    assert again.returncode == 0
    assert again.stdout.strip() == f"The index at {index} is up to date (1 document)."
    extra = tmp_path / "bridge.txt"
    extra.write_text("Engineers closed the old bridge on Friday after finding cracks in a pillar.")
    added = qa("add", str(extra), "--index", index)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Added 1 document (1 embedded)")
    again = qa("add", str(extra), "--index", index)  # the same article once more: said so
    assert again.stdout.startswith("Added 1 document (1 replacing one of the same id, 0 embedded)")
    found = qa("search", "Why was the bridge closed?", "--index", index, "--json", "-k", "1")
    [passage] = json.loads(found.stdout)["passages"]  # -k is short for --k
    bridge_id = passage["doc_id"]
    assert bridge_id == "bridge"
    removed = qa("remove", bridge_id, "--index", index)
    assert removed.returncode == 0, removed.stderr
    assert (
        removed.stdout.strip()
        == f"Removed 1 document; the index at {index} now holds 1 document as 1 passage."
    )
    after = qa("search", "Why was the bridge closed?", "--index", index, "--json")
    assert all(p["doc_id"] != "bridge" for p in json.loads(after.stdout)["passages"])
    unknown = qa("remove", "bridge", "--index", index)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == f"qa: No document with id 'bridge' in the index at {index}."
