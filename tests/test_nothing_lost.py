"""The paths that used to lose articles or crash, each through the CLI as a subprocess or the
HTTP API against a live `qa serve`, now end safely."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from index.ingest.raw import safe_id
from index.stores.kept import doc_id_of, file_name
from index.stores.versions import current_version

from .servers import writable_copy
from .test_cli import qa

TOKEN = "no-loss-token-7c2e"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
EXTRA = "The harbour board voted on Tuesday to dredge the east channel before winter storms."


def _documents_in(version: Path) -> list[str]:
    return [json.loads(line)["doc_id"] for line in (version / "documents.jsonl").open()]


def _flip_byte(path: Path, at: int = 200) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0xFF
    path.write_bytes(bytes(data))


def _versions(index: Path) -> list[str]:
    return sorted(p.name for p in index.iterdir() if p.is_dir())


def test_add_to_a_damaged_index_refuses_and_keeps_every_article(index_copy: Path) -> None:
    version = current_version(index_copy)
    before = _documents_in(version)
    _flip_byte(version / "chunks.npy")
    extra = index_copy.parent / "extra.txt"
    extra.write_text(EXTRA)
    added = qa("add", str(extra), "--index", str(index_copy))
    assert added.returncode == 1
    assert "chunks.npy does not match its checksum" in added.stderr
    assert "Nothing was changed" in added.stderr and "qa doctor" in added.stderr
    assert "Traceback" not in added.stderr
    assert version.is_dir() and _documents_in(version) == before  # the 5 articles are still there
    assert (index_copy / "CURRENT").read_text() == version.name


def test_doctor_names_the_damaged_file_and_repair_keeps_the_articles(index_copy: Path) -> None:
    version = current_version(index_copy)
    before = sorted(_documents_in(version))
    _flip_byte(version / "chunks.npy")
    checked = qa("doctor", "--index", str(index_copy))
    assert checked.returncode == 1
    assert "chunks.npy does not match its checksum" in checked.stdout
    repaired = qa("doctor", "--index", str(index_copy), "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert f"damaged-{version.name}" in _versions(index_copy)  # set aside, not deleted
    assert sorted(_documents_in(current_version(index_copy))) == before
    assert qa("doctor", "--index", str(index_copy)).returncode == 0


def test_doctor_points_a_garbled_current_at_the_whole_version(index_copy: Path) -> None:
    version = current_version(index_copy)
    (index_copy / "CURRENT").write_bytes(b"\xff\xfe garbage")
    repaired = qa("doctor", "--index", str(index_copy), "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert f"CURRENT now points at {version.name}" in repaired.stdout
    assert current_version(index_copy) == version


def test_serve_refuses_a_damaged_index_instead_of_rebuilding_over_it(index_copy: Path) -> None:
    version = current_version(index_copy)
    (index_copy / "CURRENT").write_text("")
    served = subprocess.run(
        [sys.executable, "-m", "qa.cli", "serve", "--index", str(index_copy), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
    )
    assert served.returncode == 1
    assert "damaged CURRENT file" in served.stderr and "qa doctor" in served.stderr
    assert version.is_dir() and len(_documents_in(version)) == 5


def test_a_rebuild_keeps_added_articles_unless_pruned(index_copy: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted((Path(__file__).parent.parent / "seeds").glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    extra = tmp_path / "harbour.txt"
    extra.write_text(EXTRA)
    assert qa("add", str(extra), "--index", str(index_copy)).returncode == 0
    extra.unlink()  # the index is now the only copy

    rebuilt = qa("index", str(corpus), "--index", str(index_copy), "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    report = json.loads(rebuilt.stdout)
    assert report["kept"] == 1 and report["documents"] == 3
    assert "harbour" in _documents_in(current_version(index_copy))

    pruned = qa("index", str(corpus), "--index", str(index_copy), "--prune")
    assert pruned.returncode == 0, pruned.stderr
    assert "Dropped 1 article added" in pruned.stderr
    assert "harbour" not in _documents_in(current_version(index_copy))


def test_removed_articles_are_not_brought_back_by_a_rebuild(
    index_copy: Path, tmp_path: Path
) -> None:
    extra = tmp_path / "harbour.txt"
    extra.write_text(EXTRA)
    assert qa("add", str(extra), "--index", str(index_copy)).returncode == 0
    assert qa("remove", "harbour", "--index", str(index_copy)).returncode == 0
    rebuilt = qa("index", str(Path(__file__).parent.parent / "seeds"), "--index", str(index_copy))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "harbour" not in _documents_in(current_version(index_copy))


def test_special_and_unsupported_files_are_skipped_by_name(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "story.txt").write_text(EXTRA)
    os.mkfifo(corpus / "fifo.txt")
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "random.bin").write_bytes(os.urandom(64))
    (corpus / "loop.txt").symlink_to("loop.txt")  # a link to itself ended the whole run
    (corpus / "gone.txt").symlink_to("moved-away.txt")
    (corpus / "two\nlines.txt").write_text("")  # its name printed raw broke the line in two
    built = qa("index", str(corpus), "--index", str(tmp_path / "idx"))  # used to hang forever
    assert built.returncode == 0, built.stderr
    for name in ("fifo.txt", "zero.txt"):
        assert f"{name}: not a regular file" in built.stderr
    assert "random.bin: unsupported type .bin" in built.stderr
    assert "loop.txt: a symbolic link that leads back to itself (a loop)" in built.stderr
    assert "gone.txt: a symbolic link to moved-away.txt, which does not exist" in built.stderr
    assert "two\\nlines.txt: empty\n" in built.stderr
    assert "Indexed 1 document" in built.stderr + built.stdout
    added = qa("add", str(corpus / "zero.txt"), "--index", str(tmp_path / "idx"))
    assert added.returncode == 1 and "zero.txt: not a regular file" in added.stderr
    assert "MemoryError" not in added.stderr


def test_a_file_whose_name_is_not_utf8_is_indexed_cited_and_found_again(tmp_path: Path) -> None:
    """A Latin-1 name ("café.txt" from an old archive or share) is held by Python with a lone
    surrogate that no UTF-8 file can hold: writing the index failed after every article had
    been embedded ("unexpected UnicodeEncodeError"). Its name is now written as its JSON
    escape, read back as the same path (the next build finds nothing changed), and shown with
    the odd byte written out."""
    from qa.searcher import Searcher

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    name = os.fsdecode(b"caf\xe9.txt")
    (corpus / name).write_text(EXTRA)
    (corpus / os.fsdecode(b"vid\xe9.txt")).write_text("")
    index = tmp_path / "idx"
    built = qa("index", str(corpus), "--index", str(index))
    assert built.returncode == 0, built.stderr
    assert "vid\\xe9.txt: empty" in built.stderr  # skipped, named as citations name it
    again = qa("index", str(corpus), "--index", str(index))
    assert "is up to date" in again.stderr + again.stdout, again.stderr
    found = qa("search", "When will the east channel be dredged?", "--index", str(index))
    assert found.returncode == 0 and "caf\\xe9.txt" in found.stdout, found.stderr
    searcher = Searcher.load(index)
    (doc,) = searcher.stored.documents
    assert doc.source == str(corpus / name)  # the path itself, to read the file again
    assert searcher.document(doc.doc_id)["source"].endswith("caf\\xe9.txt")
    other = tmp_path / "other"
    assert (
        qa("index", str(Path(__file__).parent.parent / "seeds"), "--index", str(other)).returncode
        == 0
    )
    added = qa("add", str(corpus / name), "--index", str(other))
    assert added.returncode == 0, added.stderr


def test_cli_errors_are_one_line_with_exit_1(tmp_path: Path) -> None:
    for args, message in [
        (["index", "seeds", "--chunk-size", "20"], "--chunk-size must be at least 50"),
        (["index", "seeds", "--chunk-size", "0"], "--chunk-size must be at least 50"),
        (["index", "seeds", "--chunk-overlap", "600"], "--chunk-overlap from 0 to below"),
        (["index", str(tmp_path / "nope")], "No such file or folder"),
    ]:
        done = qa(*args, "--index", str(tmp_path / "idx"))
        assert done.returncode == 1, args
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_search_into_a_closed_pipe_ends_quietly(seed_index: Path) -> None:
    for _ in range(3):
        reader = subprocess.Popen(
            ["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
        )
        search = subprocess.run(
            [
                sys.executable,
                "-m",
                "qa.cli",
                "search",
                "Why did Maduro write to Trump?",
                "--k",
                "10",
                "--index",
                str(seed_index),
            ],
            stdout=reader.stdin,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
        assert reader.stdin is not None
        reader.stdin.close()
        reader.wait()
        assert "Traceback" not in search.stderr and "BrokenPipe" not in search.stderr
        assert search.returncode == 0


def test_ids_stay_exact() -> None:
    ids = {safe_id(name) for name in ("a", "a.", "a-", "a..", "a b", "a/b", "a?b")}
    assert len(ids) == 7  # never two names onto one id
    assert safe_id("000_335d19b92d0335c8-") == "000_335d19b92d0335c8-"
    for doc_id in ("a", "a.b", "..", "a/b", "100%", "é"):
        name = file_name(doc_id)
        assert "/" not in name and name not in (".json", "..json") and doc_id_of(name) == doc_id


@pytest.fixture(scope="module")
def writable(seed_index: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("no-loss")
    with writable_copy(seed_index, folder, TOKEN) as url:
        yield url, folder / "index"


def test_an_id_one_character_off_adds_instead_of_replacing(writable) -> None:  # type: ignore[no-untyped-def]
    url, _ = writable
    body = {"doc_id": "000_335d19b92d0335c8-", "text": EXTRA}
    answer = httpx.post(f"{url}/api/documents", json=body, headers=AUTH, timeout=120)
    assert answer.status_code == 201, answer.text
    assert answer.json()["action"] == "added" and answer.json()["doc_id"] == body["doc_id"]
    seed = httpx.get(f"{url}/api/documents/000_335d19b92d0335c8", timeout=30).json()
    assert EXTRA not in seed["text"]


def test_bodies_are_limited_by_bytes_read(writable) -> None:  # type: ignore[no-untyped-def]
    url, _ = writable

    def chunks():  # no Content-Length: Transfer-Encoding chunked
        for _ in range(64):
            yield b"x" * 65536

    for path in ("/api/search", "/gradio_api/call/ask"):
        answer = httpx.post(f"{url}{path}", content=chunks(), timeout=60)
        assert answer.status_code == 413, (path, answer.status_code)
    upload = httpx.post(
        f"{url}/gradio_api/upload", files={"files": ("a.txt", b"hello")}, timeout=30
    )
    assert upload.status_code == 404


def test_a_write_to_a_damaged_index_is_refused_with_503(writable) -> None:  # type: ignore[no-untyped-def]
    url, index = writable
    version = current_version(index)
    before = _documents_in(version)
    _flip_byte(version / "sentences.npy")
    try:
        answer = httpx.post(
            f"{url}/api/documents", json={"doc_id": "n5", "text": EXTRA}, headers=AUTH, timeout=120
        )
        assert answer.status_code == 503, answer.text
        assert "qa doctor" in answer.json()["detail"]
        assert _documents_in(current_version(index)) == before and version.is_dir()
    finally:
        _flip_byte(version / "sentences.npy")  # mended for the tests after this one


def test_only_served_host_names_are_answered(writable) -> None:  # type: ignore[no-untyped-def]
    url, _ = writable
    rebinding = httpx.get(f"{url}/api/health", headers={"Host": "attacker.example"}, timeout=30)
    assert rebinding.status_code == 421
    assert "--allowed-host attacker.example" in rebinding.json()["detail"]
    port = url.rsplit(":", 1)[1]
    for host in (f"localhost:{port}", f"127.0.0.1:{port}"):
        assert httpx.get(f"{url}/api/health", headers={"Host": host}, timeout=30).status_code == 200


def test_no_cross_origin_reader_is_allowed_unless_configured(writable) -> None:  # type: ignore[no-untyped-def]
    url, _ = writable
    for path in ("/api/health", "/gradio_api/info", "/config"):
        answer = httpx.get(f"{url}{path}", headers={"Origin": "http://localhost:9999"}, timeout=30)
        assert "access-control-allow-origin" not in answer.headers, path
    preflight = httpx.options(
        f"{url}/gradio_api/info",
        headers={"Origin": "http://localhost:9999", "Access-Control-Request-Method": "GET"},
        timeout=30,
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_malformed_gradio_calls_get_400_with_a_sentence(writable) -> None:  # type: ignore[no-untyped-def]
    url, _ = writable
    for path, body in [
        ("/gradio_api/call/v2/ask", {"data": ["hello"]}),
        ("/gradio_api/run/predict", {"data": [1]}),
        ("/gradio_api/queue/join", {"data": [], "fn_index": 999, "session_hash": "x"}),
    ]:
        answer = httpx.post(f"{url}{path}", json=body, timeout=60)
        assert answer.status_code == 400, (path, answer.status_code)
        assert "does not match the chat's API" in answer.json()["detail"]
    fine = httpx.post(f"{url}/gradio_api/call/ask", json={"data": ["Why?"]}, timeout=60)
    assert fine.status_code == 200 and "event_id" in fine.json()


@pytest.fixture()
def app_client(index_copy: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """The whole app in process over a private index copy, with writes on."""
    from starlette.testclient import TestClient

    from ui.hosts import allowed_names
    from ui.server import create_app

    monkeypatch.setenv("QA_API_TOKEN", TOKEN)
    app = create_app(index_copy, hosts=allowed_names("127.0.0.1", ["testserver"]))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, index_copy


@pytest.mark.parametrize(
    ("error", "status", "words"),
    [
        (OSError(28, "No space left on device"), 507, "disk holding the index is full"),
        (OSError(30, "Read-only file system"), 503, "cannot be written"),
    ],
)
def test_a_full_or_read_only_disk_is_a_sentence_not_a_500(
    app_client, monkeypatch, error, status, words
) -> None:  # type: ignore[no-untyped-def]
    from index.stores import writer

    client, index = app_client

    def failing_write(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise error

    monkeypatch.setattr(writer, "write_synced", failing_write)
    before = _documents_in(current_version(index))
    answer = client.post("/api/documents", json={"doc_id": "n6", "text": EXTRA}, headers=AUTH)
    assert answer.status_code == status and words in answer.json()["detail"]
    assert _documents_in(current_version(index)) == before
    assert not (index / "added" / "n6.json").exists()  # a failed add leaves no kept file


def test_a_writer_holding_the_lock_gets_503_with_retry_after(app_client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from index.stores import disk

    client, index = app_client
    monkeypatch.setattr(disk, "LOCK_WAIT_SECONDS", 0.2)
    with disk.write_lock(index):
        answer = client.post("/api/documents", json={"doc_id": "n7", "text": EXTRA}, headers=AUTH)
    assert answer.status_code == 503 and answer.headers["retry-after"] == "10"
    assert "Another qa process is writing" in answer.json()["detail"]


def test_a_garbled_current_makes_every_call_503_with_the_fix(app_client) -> None:  # type: ignore[no-untyped-def]
    client, index = app_client
    assert client.get("/api/health").status_code == 200
    (index / "CURRENT").write_bytes(b"\xff\xfe\x00garbage")
    for answer in (
        client.get("/api/health"),
        client.post("/api/search", json={"question": "Why?"}),
        client.post("/api/documents", json={"doc_id": "n8", "text": EXTRA}, headers=AUTH),
    ):
        assert answer.status_code == 503, answer.text
        assert "qa doctor" in answer.json()["detail"]


def test_repair_reads_articles_of_a_damaged_documents_file_from_their_originals(
    index_copy: Path,
) -> None:
    version = current_version(index_copy)
    before = sorted(_documents_in(version))
    path = version / "documents.jsonl"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])  # most articles cut off
    repaired = qa("doctor", "--index", str(index_copy), "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert "again from their original files" in repaired.stdout
    assert sorted(_documents_in(current_version(index_copy))) == before
