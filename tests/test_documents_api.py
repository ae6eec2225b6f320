"""POST and DELETE /api/documents on a live server: token, validation, nothing lost."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from .servers import running_server, writable_copy

TOKEN = "test-token-5b1f"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BRIDGE = {
    "doc_id": "bridge-closure",
    "title": "Old bridge closed",
    "outlet": "Harbour Gazette",
    "published": "March 3, 2025",
    "url": "https://gazette.example/bridge",
    "text": "Engineers closed the old Kettle Bridge on Friday after finding deep cracks in its "
    "central pillar.\n\nRepairs are expected to take eleven weeks, the city said.",
}


@pytest.fixture(scope="module")
def writable(seed_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with writable_copy(seed_index, tmp_path_factory.mktemp("writable"), TOKEN) as url:
        yield url


def _ask(url: str, question: str, k: int = 3) -> dict:
    response = httpx.post(f"{url}/api/search", json={"question": question, "k": k}, timeout=60)
    assert response.status_code == 200, response.text
    return response.json()


def test_added_document_is_searchable_when_the_call_returns(writable: str) -> None:
    added = httpx.post(f"{writable}/api/documents", json=BRIDGE, headers=AUTH, timeout=120)
    assert added.status_code == 201, added.text
    assert added.json()["doc_id"] == "bridge-closure" and added.json()["action"] == "added"
    top = _ask(writable, "How long will the Kettle Bridge repairs take?")["passages"][0]
    assert top["doc_id"] == "bridge-closure" and "eleven weeks" in top["text"]
    assert top["outlet"] == "Harbour Gazette" and top["published"] == "2025-03-03"
    assert top["url"] == "https://gazette.example/bridge"

    changed = {**BRIDGE, "text": BRIDGE["text"].replace("eleven weeks", "four months")}
    replaced = httpx.post(f"{writable}/api/documents", json=changed, headers=AUTH, timeout=120)
    assert replaced.status_code == 201 and replaced.json()["action"] == "replaced"
    top = _ask(writable, "How long will the Kettle Bridge repairs take?")["passages"][0]
    assert "four months" in top["text"] and "eleven weeks" not in top["text"]

    deleted = httpx.delete(f"{writable}/api/documents/bridge-closure", headers=AUTH, timeout=120)
    assert deleted.status_code == 200 and deleted.json()["action"] == "deleted"
    passages = _ask(writable, "How long will the Kettle Bridge repairs take?", k=10)["passages"]
    assert all(p["doc_id"] != "bridge-closure" for p in passages)
    gone = httpx.get(f"{writable}/api/documents/bridge-closure", timeout=30)
    assert gone.status_code == 404


def test_concurrent_posts_all_land(writable: str) -> None:
    def post(n: int) -> int:
        body = {
            "doc_id": f"note-{n}",
            "text": f"Council note number {n}: the ferry timetable for pier {n} changes in spring.",
        }
        return httpx.post(
            f"{writable}/api/documents", json=body, headers=AUTH, timeout=300
        ).status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(post, range(6))) == [201] * 6
    for n in range(6):
        assert httpx.get(f"{writable}/api/documents/note-{n}", timeout=30).status_code == 200


@pytest.mark.parametrize(
    ("headers", "status", "detail"),
    [
        ({}, 401, "Send the write token as: Authorization: Bearer <token>."),
        (
            {"Authorization": "Bearer wrong"},
            401,
            "Send the write token as: Authorization: Bearer <token>.",
        ),
    ],
)
def test_writes_need_the_token(writable: str, headers: dict, status: int, detail: str) -> None:
    for response in (
        httpx.post(f"{writable}/api/documents", json=BRIDGE, headers=headers, timeout=30),
        httpx.delete(f"{writable}/api/documents/000_335d19b92d0335c8", headers=headers, timeout=30),
    ):
        assert response.status_code == status and response.json()["detail"] == detail
    assert (
        httpx.get(f"{writable}/api/documents/000_335d19b92d0335c8", timeout=30).status_code == 200
    )


def test_bad_documents_are_refused_with_a_reason(writable: str) -> None:
    def post(body: object) -> httpx.Response:
        return httpx.post(f"{writable}/api/documents", json=body, headers=AUTH, timeout=60)

    empty = post({"text": ""})
    assert empty.status_code == 422 and "text" in empty.json()["detail"]
    blank = post({"text": "   \n  "})
    assert blank.status_code == 400
    assert (
        blank.json()["detail"]
        == "The document has no text field (one of text, content, body, article, maintext, document, articlebody, full_text, fulltext, body_text, story, "
        "description, summary, short_description, abstract"
        ", or the same in German, French, Spanish, Italian, Dutch or Portuguese)."
    )
    furniture = post({"text": "Home | World | Sport | Subscribe"})
    assert furniture.status_code == 400
    assert (
        furniture.json()["detail"]
        == "The document has no article text left after removing page furniture."
    )
    path_id = post({**BRIDGE, "doc_id": "../../etc/passwd"})
    assert path_id.status_code == 422 and "doc_id" in path_id.json()["detail"]
    unknown = httpx.delete(f"{writable}/api/documents/never-there", headers=AUTH, timeout=30)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "No document with id 'never-there' in this index."


def test_writes_are_off_without_a_token(seed_index: Path, tmp_path: Path) -> None:
    target = tmp_path / "index"
    shutil.copytree(seed_index, target)
    with running_server(target, env={"QA_API_TOKEN": ""}) as url:
        response = httpx.post(f"{url}/api/documents", json=BRIDGE, headers=AUTH, timeout=30)
        assert response.status_code == 403
        assert response.json()["detail"] == (
            "Write endpoints are off. Start qa serve with QA_API_TOKEN set to enable them."
        )


def test_searches_never_fail_while_the_index_is_swapped(writable: str) -> None:
    """Readers keep the old version until the new one is loaded: no error window."""
    import threading

    done = threading.Event()
    statuses: list[int] = []

    def ask_until_done() -> None:
        with httpx.Client(timeout=120) as http:
            while not done.is_set():
                body = {"question": "What changes in the ferry timetable?", "k": 3}
                statuses.append(http.post(f"{writable}/api/search", json=body).status_code)

    readers = [threading.Thread(target=ask_until_done) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for n in range(4):
            body = {
                "doc_id": f"swap-{n}",
                "text": f"Swap notice {n}: the ferry timetable changes at pier {n} in May.",
            }
            posted = httpx.post(f"{writable}/api/documents", json=body, headers=AUTH, timeout=300)
            assert posted.status_code == 201
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert len(statuses) >= 4 and set(statuses) == {200}
