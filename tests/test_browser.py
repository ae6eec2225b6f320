"""The chat UI in Debian's Chromium, driven by Playwright, against a live `qa serve`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import build_index

from .conftest import SEEDS
from .servers import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = os.environ.get("QA_SCREENSHOT_DIR")  # set to refresh docs/screenshot.png


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (make test does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def server(seed_index: Path) -> Iterator[str]:
    with running_server(seed_index) as url:
        yield url


def _open(browser, url: str, width: int = 1280):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(url)
    page.locator("#qa-question textarea").wait_for(timeout=60_000)
    return page


def _ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    count = page.locator(".qa-answer").count()
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator(".qa-answer").nth(count).wait_for(timeout=60_000)


def test_answer_is_highlighted_and_source_opens(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _ask(page, "Which countries has Tren de Aragua spread to?")
    marks = page.locator(".qa-answer mark")
    assert "Canada and Chile" in marks.first.inner_text()
    assert "Firstpost" in page.locator(".qa-cite").first.inner_text()
    if SCREENSHOT_DIR:
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / "screenshot.png"), full_page=True)
    page.locator("#qa-citations label").first.click()
    cited = page.locator("#qa-source #qa-cited")
    cited.wait_for(timeout=30_000)
    assert "Canada and Chile" in cited.inner_text()
    page.wait_for_timeout(500)
    top = cited.bounding_box()
    assert top is not None  # the marked passage's first line is inside the window
    assert 0 <= top["y"] < page.viewport_size["height"]  # type: ignore[index]
    markdown = page.locator("#qa-markdown textarea").input_value()
    assert markdown.startswith('1. "') and "Firstpost" in markdown


def test_followup_shows_the_searched_query(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _ask(page, "Who is the Venezuelan defense minister?")
    _ask(page, "What did he accuse the United States of?")
    last = page.locator(".qa-answer").last
    assert "searched for:" in last.locator(".qa-searched").inner_text()
    assert "undeclared war" in last.inner_text()


def test_unanswerable_question_abstains(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, width=390)  # phone width
    _ask(page, "What is the tallest mountain in Africa?")
    answer = page.locator(".qa-answer").last
    assert (
        answer.locator(".qa-abstain").inner_text() == "No passage in these articles answers this."
    )
    assert (
        answer.locator("details.qa-misses summary").inner_text() == "Nearest passages (not answers)"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, "no horizontal scrolling at phone width"


def test_article_markup_renders_as_text(browser, tmp_path_factory: pytest.TempPathFactory) -> None:  # type: ignore[no-untyped-def]
    corpus = tmp_path_factory.mktemp("markup")
    shutil.copy(SEEDS / "000_335d19b92d0335c8.txt", corpus)
    (corpus / "markup.txt").write_text(
        "The council published its <script>window.pwned = 1</script> budget <b>vote</b> results on Friday.\n\n"
        'Members said the <img src=x onerror="window.pwned = 2"> tally was final.'
    )
    index_dir = corpus / "index"
    build_index([corpus], index_dir)
    with running_server(index_dir) as url:
        page = _open(browser, url)
        _ask(page, "What did the council publish about the budget vote?")
        text = page.locator(".qa-answer").last.inner_text()
        assert "<script>window.pwned = 1</script>" in text
        assert page.evaluate("window.pwned") is None
        assert page.locator(".qa-answer b").count() == 0


def test_a_milvus_backed_index_answers_a_dev_question(  # type: ignore[no-untyped-def]
    browser, milvus_index: Path, dev_questions: list[dict]
) -> None:
    question = next(q for q in dev_questions if q["kind"] == "single")
    with running_server(milvus_index) as url:
        page = _open(browser, url)
        _ask(page, question["question"])
        answer = page.locator(".qa-answer").last
        assert answer.locator(".qa-abstain").count() == 0
        assert answer.locator("mark").count() > 0
        shown = answer.inner_text()
        assert any(a["contains"] in shown for a in question["answers"])
