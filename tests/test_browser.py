"""The chat UI in Debian's Chromium, driven by Playwright, against a live `qa serve`."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import build_index
from tooling.chromium import CHROMIUM
from tooling.chromium import CHROMIUM_ARGS as ARGS

from .conftest import SEEDS
from .servers import running_server

SCREENSHOT_DIR = os.environ.get("QA_SCREENSHOT_DIR")  # set to refresh docs/screenshots/
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
ANSWERABLE = "Which countries has Tren de Aragua spread to?"
UNANSWERABLE = "What is the tallest mountain in Africa?"


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


def _open(browser, url: str, width: int = 1280, height: int = 800):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.locator("#qa-question textarea").wait_for(timeout=60_000)
    return page


def _ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    count = page.locator(".qa-turn").count()
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator(".qa-turn").nth(count).wait_for(timeout=60_000)
    page.wait_for_timeout(400)  # the scroll to the new answer


def _in_viewport(page, locator) -> bool:  # type: ignore[no-untyped-def]
    """Whether the element's top edge lies inside the window (geometry, not is_visible())."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and 0 <= box["y"] < height and box["height"] > 0


def _overlap(a: dict, b: dict) -> bool:  # type: ignore[type-arg]
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def _no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"))


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_answer_opens_at_its_quote_and_citations_open_the_evidence(  # type: ignore[no-untyped-def]
    browser, server: str, device: str
) -> None:
    page = _open(browser, server, *VIEWPORTS[device])
    _ask(page, "Who chairs the harbour board?")  # an earlier turn, so the new one must scroll
    _ask(page, ANSWERABLE)
    turn = page.locator(".qa-turn").last
    top_quote = turn.locator(".qa-quote")
    assert "Canada and Chile" in top_quote.inner_text()
    assert _in_viewport(page, top_quote), "the top quote is in view right after the answer"
    assert "Firstpost" in turn.locator(".qa-source").first.inner_text()
    assert _no_sideways_scroll(page)
    _shot(page, f"{device}-answer")
    top_quote.locator("a.qa-cite").click()
    cited = page.locator("#qa-evidence #qa-cited")
    cited.wait_for(timeout=30_000)
    page.wait_for_timeout(500)
    assert "Canada and Chile" in cited.inner_text()
    assert _in_viewport(page, cited), "the marked passage is in view in the evidence panel"
    panel = page.locator("#qa-evidence .qa-doc").bounding_box()
    for other in ("#qa-conversation", "#qa-question", "#qa-corpus"):
        box = page.locator(other).bounding_box()
        assert box is not None and panel is not None and not _overlap(panel, box), other
    assert _no_sideways_scroll(page)
    _shot(page, f"{device}-evidence")
    page.locator("#qa-evidence a.qa-close").click()
    page.locator("#qa-evidence .qa-doc").wait_for(state="detached", timeout=30_000)
    copied = page.locator("#qa-copy-markdown textarea").input_value()
    assert copied.startswith('1. "') and "<" not in copied  # Markdown, never HTML


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_no_answer_shows_no_citations_and_no_export(browser, server: str, device: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server, *VIEWPORTS[device])
    _ask(page, UNANSWERABLE)
    turn = page.locator(".qa-turn").last
    assert "Not in these articles" in turn.locator(".qa-no-answer").inner_text()
    assert turn.locator("a.qa-cite").count() == 0
    assert (
        turn.locator("details.qa-misses summary").inner_text() == "Nearest passages (not answers)"
    )
    assert page.locator("#qa-copy-text textarea, #qa-copy-markdown textarea").count() == 0
    assert _in_viewport(page, turn.locator(".qa-no-answer"))
    assert _no_sideways_scroll(page)
    _shot(page, f"{device}-no-answer")


@pytest.mark.parametrize(
    ("question", "reason", "shot"),
    [
        (
            "How much was the bounty for Maduro in 1990?",
            "The nearest article never mentions 1990.",
            "phone-year-not-mentioned",
        ),
        (
            "How much did the warships sent to the Caribbean cost?",
            "The nearest passage gives no sum of money.",
            "phone-sum-not-given",
        ),
    ],
)
def test_a_condition_the_question_sets_is_named_in_the_no_answer(  # type: ignore[no-untyped-def]
    browser, server: str, question: str, reason: str, shot: str
) -> None:
    page = _open(browser, server, *VIEWPORTS["phone"])
    _ask(page, question)
    turn = page.locator(".qa-turn").last
    said = turn.locator(".qa-no-answer").inner_text()
    assert said == f"Not in these articles: no passage answers this. {reason}"
    assert _in_viewport(page, turn.locator(".qa-no-answer"))
    assert _no_sideways_scroll(page)
    _shot(page, shot)


def test_a_filter_shows_its_chip_and_what_it_leaves(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    page.locator("#qa-outlet input").click()
    page.get_by_role("option", name="Firstpost").click()
    chip = page.locator("#qa-chips .qa-chip")
    chip.wait_for(timeout=30_000)
    assert chip.inner_text() == "Outlet: Firstpost"
    assert "Searching 1 of 5 articles" in page.locator("#qa-chips").inner_text()
    page.locator("#qa-outlet input").click()
    page.get_by_role("option", name="No outlet named").click()  # an article without one
    page.wait_for_function(
        "document.querySelector('#qa-chips .qa-chip')?.innerText === 'Outlet: none named'"
    )
    assert "Searching 1 of 5 articles" in page.locator("#qa-chips").inner_text()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_the_date_fields_show_a_whole_date_and_their_calendar_button(  # type: ignore[no-untyped-def]
    browser, server: str, device: str
) -> None:
    page = _open(browser, server, *VIEWPORTS[device])
    for field in ("#qa-from", "#qa-to"):
        page.locator(f"{field} input").fill("2025-09-22")
        block = page.locator(field).bounding_box()
        button = page.locator(f"{field} button").bounding_box()
        assert block is not None and button is not None
        assert (
            button["x"] >= block["x"]
            and button["x"] + button["width"] <= block["x"] + block["width"]
        ), field
        clipped = page.locator(f"{field} input").evaluate("e => e.scrollWidth > e.clientWidth")
        assert not clipped, f"{field}: the typed date does not fit"
    assert _no_sideways_scroll(page)


def test_errors_are_shown_under_the_question_in_plain_words(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    page.locator("#qa-question textarea").press("Enter")
    error = page.locator("#qa-error .qa-error")
    error.wait_for(timeout=30_000)
    assert error.inner_text() == "Type a question first."
    assert page.locator(".toast-wrap .toast-body, .toast-body").count() == 0


def test_api_docs_work_offline(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    blocked: list[str] = []

    def only_loopback(route):  # type: ignore[no-untyped-def]
        if route.request.url.startswith(server):
            return route.continue_()
        blocked.append(route.request.url)
        return route.abort()

    page.route("**/*", only_loopback)
    page.goto(f"{server}/docs")
    operations = page.locator(".opblock-summary-path")
    operations.first.wait_for(timeout=30_000)
    paths = {operations.nth(i).inner_text() for i in range(operations.count())}
    assert {"/api/search", "/api/health", "/api/documents/{doc_id}"} <= paths
    assert blocked == []  # nothing was even asked of another host


def test_any_listed_article_opens_in_the_evidence_panel(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    assert "5 articles" in page.locator("#qa-corpus").inner_text()
    page.locator("#qa-corpus summary").click()
    first = page.locator("#qa-corpus a[data-doc-open]").first
    title = first.inner_text()
    first.click()
    heading = page.locator("#qa-evidence .qa-doc-title")
    heading.wait_for(timeout=30_000)
    assert heading.inner_text() == title
    assert _in_viewport(page, heading)


def test_a_quote_itself_opens_its_evidence(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _ask(page, ANSWERABLE)
    card = page.locator(".qa-turn").last.locator(".qa-card").first
    sentence = card.locator("mark").first.inner_text()
    card.locator("mark").first.click()
    cited = page.locator("#qa-evidence #qa-cited")
    cited.wait_for(timeout=30_000)
    assert sentence.strip()[:40] in cited.inner_text()


def test_followup_shows_the_searched_query(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = _open(browser, server)
    _ask(page, "Who is the Venezuelan defense minister?")
    _ask(page, "What did he accuse the United States of?")
    last = page.locator(".qa-turn").last
    assert "searched for:" in last.locator(".qa-searched").inner_text()
    assert "undeclared war" in last.inner_text()


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
        text = page.locator(".qa-turn").last.inner_text()
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
        assert answer.locator(".qa-no-answer").count() == 0
        assert answer.locator("mark").count() > 0
        shown = answer.inner_text()
        assert any(a["contains"] in shown for a in question["answers"])
