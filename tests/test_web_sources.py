"""Web pages in: saved HTML through trafilatura with offsets kept, web archives and feeds with
their URLs, and the page metadata against hand labels (tests/data)."""

from __future__ import annotations

import gzip
import io
import json
import plistlib
import quopri
import random
import re
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from trafilatura.settings import Document as TrafilaturaDocument
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from index import build_index
from index.ingest import html_article, split_body
from index.ingest.files import read_file
from index.ingest.prepare import prepare_document, read_documents
from index.ingest.raw import RawArticle, Skipped
from index.records import Document
from qa import Searcher
from qa.results import Passage
from tests.conftest import SHARED, needs_shared
from tests.servers import running_server
from tooling.metadata_check import author_problems, score
from tooling.offset_check import offset_errors
from ui.render import document_html

BENCH = SHARED / "bench" / "article_extraction"
LABELS = Path(__file__).parent / "data" / "extraction_metadata_labels.json"

HARBOUR = (
    "The harbour authority approved a new ferry terminal on Tuesday after a two-year review. "
    "The terminal will cost 40 million euros and open in 2027, the authority said."
)
LIBRARY = (
    "The city library will stay open until midnight during exam weeks, its director announced. "
    "Students had collected four thousand signatures asking for longer hours."
)


def _page(headline: str, body: str, extra: str = "") -> str:
    return (
        f"<html><head><title>{headline} | The Gazette</title>"
        '<meta property="og:site_name" content="The Gazette"></head><body>'
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{headline}</h1><p>By Ana Lima</p><p>March 3, 2025</p>"
        f"<p>{body}</p>{extra}</article>"
        "<div class='comments'><p>Reader comment: totally agree with this!</p></div>"
        "<footer>© The Gazette</footer></body></html>"
    )


def _warc(path: Path, pages: dict[str, str]) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in pages.items():
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(html.encode()), http_headers=headers
        )
        writer.write_record(record)
    path.write_bytes(buffer.getvalue())
    return path


def _rss(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Gazette Feed</title>'
        "<link>https://gazette.example/</link><description>news</description>"
        "<item><title>Library opens late</title><link>https://gazette.example/library</link>"
        "<author>Ben Ode</author><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;{LIBRARY}&lt;/p&gt;</description></item>"
        "<item><title>Empty</title><link>https://gazette.example/empty</link><description></description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def test_saved_page_body_leaves_out_menus_comments_and_keeps_offsets(tmp_path: Path) -> None:
    page = tmp_path / "ferry.html"
    page.write_text(_page("Ferry terminal approved", HARBOUR), encoding="utf-8")
    doc = prepare_document(read_file(page)[0])  # type: ignore[arg-type]
    assert doc is not None
    assert doc.text == f"Ferry terminal approved\n\n{HARBOUR}"  # the headline, searched first
    assert (doc.title, doc.author, doc.published, doc.outlet) == (
        "Ferry terminal approved",
        "Ana Lima",
        "2025-03-03",
        "The Gazette",
    )
    assert offset_errors(page.read_text(encoding="utf-8"), doc) == []


@pytest.mark.parametrize(
    ("declared", "written", "story"),
    [
        # Windows' quotes, dash and euro sign under the label of the code page without them
        (
            "iso-8859-1",
            "cp1252",
            "\u201cA good day,\u201d he said \u2014 the quay costs \u20ac40 million.",
        ),
        (
            "us-ascii",
            "cp1252",
            "\u201cA good day,\u201d he said \u2014 the quay costs \u20ac40 million.",
        ),
        (
            "gb2312",
            "gbk",
            "港务局周二批准了新的渡轮码头，码头将于明年启用。镕",
        ),  # 镕 is GBK's, not GB2312's
        (
            "euc-kr",
            "cp949",
            "항만 당국은 화요일 새로운 페리 터미널을 승인했다. 똠방각하",
        ),  # 똠: Windows-949
        ("utf-16", "cp1252", "The harbour board approved the new ferry terminal on Tuesday."),
    ],
)
def test_a_declared_charset_is_read_as_a_browser_reads_it(
    tmp_path: Path, declared: str, written: str, story: str
) -> None:
    """Pages name their charset loosely: "iso-8859-1" over Windows-1252's curly quotes (so the
    quotes were control characters, and the words beside them were lost), "gb2312" or
    "euc-kr" over the larger code pages Windows writes (one character outside the label's
    page threw the whole declaration away). A label is read as the WHATWG Encoding Standard
    maps it, as every browser does; a meta tag's "utf-16" in a page written in bytes ASCII
    reads is no UTF-16."""
    page = f'<html><head><meta charset="{declared}"><title>Ferry</title></head><body><p>{story}</p></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(written))
    doc = prepare_document(read_file(path)[0])  # type: ignore[arg-type]
    assert doc is not None and doc.text == story


def test_a_declared_charset_holds_over_a_stray_byte(tmp_path: Path) -> None:
    """A Russian page declaring Windows-1251 with one byte that page lacks (0x98) is still
    read in Windows-1251, that byte shown as a replacement, as a browser shows it; it was
    read as whatever the bytes looked like without the declaration."""
    story = "Совет гавани одобрил новый паромный терминал во вторник после долгого обсуждения."
    page = f'<html><head><meta charset="windows-1251"></head><body><p>{story} @</p></body></html>'
    path = tmp_path / "page.html"
    path.write_bytes(page.encode("cp1251").replace(b"@", b"\x98"))
    doc = prepare_document(read_file(path)[0])  # type: ignore[arg-type]
    assert doc is not None and doc.text == f"{story} \ufffd"


def test_a_page_drawn_by_script_reads_as_the_body_its_structured_data_declares(
    tmp_path: Path,
) -> None:
    """A site that draws its story with JavaScript saves as a shell ("Loading…", a menu)
    whose JSON-LD declares the whole text for search engines: it was skipped as "no article
    text left". The declared body is read instead, its escapes, markup and character
    references undone, each character pointing where the page writes it. A page whose own
    text holds the story keeps it, whatever its structured data declares."""
    declared = (  # as JSON writes it: escapes, and the markup and references of a page
        r"<p>The harbour authority approved a new ferry terminal on Tuesday after a two-year "
        r"review of its effects on the bay.</p><p>\u201cIt is a good day for the caf\u00e9s on "
        r"the quay,\u201d said the harbour master. The terminal will cost 40 million euros "
        r"&amp; open in 2027.\nResidents fear more traffic \ud83d\udea2 but the fishing fleet "
        r"welcomed the \"new quay\".</p>"
    )
    data = (
        '{"@context": "https://schema.org", "@type": "NewsArticle", '
        '"headline": "Ferry terminal approved", "datePublished": "2025-03-04", '
        '"author": {"@type": "Person", "name": "Ana Lima"}, "articleBody": "' + declared + '"}'
    )
    assert json.loads(data)["articleBody"].startswith("<p>The harbour")
    shell = (
        "<html><head><title>Ferry terminal approved | The Gazette</title>"
        f'<script type="application/ld+json">{data}</script></head><body><nav>'
        '<a href="/">Home</a> <a href="/news">News</a></nav><div id="root">Loading…</div>'
        "</body></html>"
    )
    path = tmp_path / "shell.html"
    path.write_text(shell, encoding="utf-8")
    raw = read_file(path)[0]
    doc = prepare_document(raw)  # type: ignore[arg-type]
    assert doc is not None and offset_errors(raw.original, doc) == []  # type: ignore[union-attr]
    assert (doc.title, doc.author, doc.published) == (
        "Ferry terminal approved",
        "Ana Lima",
        "2025-03-04",
    )
    assert doc.text.split("\n\n") == [
        "The harbour authority approved a new ferry terminal on Tuesday after a two-year "
        "review of its effects on the bay.",
        "\u201cIt is a good day for the caf\u00e9s on the quay,\u201d said the harbour master. "
        "The terminal will cost 40 million euros & open in 2027.\nResidents fear more traffic "
        '\U0001f6a2 but the fishing fleet welcomed the "new quay".',
    ]
    printed = shell.replace(
        "Loading…", f"<article><h1>Ferry terminal approved</h1><p>{HARBOUR}</p></article>"
    )
    path.write_text(printed, encoding="utf-8")
    assert HARBOUR in prepare_document(read_file(path)[0]).text  # type: ignore[arg-type,union-attr]
    assert "caf" not in prepare_document(read_file(path)[0]).text  # type: ignore[arg-type,union-attr]


def test_a_paywalls_teaser_gives_way_to_the_whole_story_the_page_declares(tmp_path: Path) -> None:
    """A paywalled page shows its story's opening and "Subscribe to keep reading", while its
    JSON-LD declares the whole story for search engines: the teaser was the article. A body
    found that opens the declared one, at half its length or less, gives way to it; the
    printed headline still opens the text. A declared body that is only the opening (many
    sites declare 500 characters) leaves the page's own body as it is."""
    lede = "The harbour authority approved a new ferry terminal on Tuesday after a two-year review."
    rest = [
        "The terminal will cost 40 million euros and open in 2027, the authority said.",
        "Residents fear more traffic on the coast road, but the fishing fleet welcomed the quay.",
        "The harbour master said work would start in the autumn, once the tenders are signed.",
        "Opponents have until the end of the month to appeal against the decision in court.",
    ]
    declared = "<p>" + "</p><p>".join([lede, *rest]) + "</p>"

    def page(body: str, declares: str) -> str:
        data = json.dumps({"@type": "NewsArticle", "articleBody": declares})
        return (
            f'<html><head><script type="application/ld+json">{data}</script></head><body>'
            f"<article><h1>Ferry terminal approved</h1>{body}</article></body></html>"
        )

    path = tmp_path / "page.html"
    path.write_text(page(f"<p>{lede}</p><p>Subscribe to keep reading.</p>", declared), "utf-8")
    raw = read_file(path)[0]
    doc = prepare_document(raw)  # type: ignore[arg-type]
    assert doc is not None and offset_errors(raw.original, doc) == []  # type: ignore[union-attr]
    assert doc.text.split("\n\n") == ["Ferry terminal approved", lede, *rest]
    whole = "".join(f"<p>{p}</p>" for p in [lede, *rest])
    path.write_text(page(whole, f"<p>{lede}</p>"), "utf-8")
    doc = prepare_document(read_file(path)[0])  # type: ignore[arg-type]
    assert doc is not None and doc.text.split("\n\n") == ["Ferry terminal approved", lede, *rest]


def test_a_category_page_of_headline_links_is_no_article_and_a_storys_links_stay(
    tmp_path: Path,
) -> None:
    """A crawl saves a section's index page beside its stories: a list of links to other
    stories. trafilatura took that list for the body, and each headline became a passage
    cited as if the page said it. A body that is mostly links is no body; the page is
    skipped with the reason. A story with a list of links below its prose reads as before."""
    links = "".join(
        f"<li><a href='/news/{n}'>Council {topic} plan goes out to consultation this week</a></li>"
        for n, topic in enumerate(["budget", "roads", "housing", "schools", "parks", "buses"] * 5)
    )
    index_page = tmp_path / "local.html"
    index_page.write_text(
        "<html><head><title>Local news | The Gazette</title></head><body><nav><a href='/'>"
        f"Home</a></nav><h1>Local news</h1><ul>{links}</ul><footer>© The Gazette</footer>"
        "</body></html>",
        encoding="utf-8",
    )
    documents, skipped = read_documents([index_page])
    assert documents == []
    assert [s.reason for s in skipped] == ["no article text left after removing page furniture"]
    related = "<ul><li><a href='/a'>Ferry fares to rise in spring</a></li></ul>"
    story = tmp_path / "ferry.html"
    story.write_text(_page("Ferry terminal approved", HARBOUR, related), encoding="utf-8")
    (doc,) = read_documents([story])[0]
    assert HARBOUR in doc.text
    anchored = tmp_path / "anchored.html"  # an anchor never closed is no link around the story
    anchored.write_text(
        _page("Ferry terminal approved", HARBOUR).replace("<article>", "<a name='top'><article>")
    )
    (doc,) = read_documents([anchored])[0]
    assert HARBOUR in doc.text


def test_the_evidence_panel_shows_a_page_headline_once(tmp_path: Path) -> None:
    page = tmp_path / "ferry.html"
    page.write_text(_page("Ferry terminal approved", HARBOUR), encoding="utf-8")
    doc = prepare_document(read_file(page)[0])  # type: ignore[arg-type]
    assert doc is not None and doc.text.startswith("Ferry terminal approved\n\n")
    assert document_html(doc, None).count("Ferry terminal approved") == 1  # the heading
    start = doc.text.index(HARBOUR)
    cited = Passage(doc.doc_id, doc.source, doc.title, None, None, None, HARBOUR, start,
                    len(doc.text), 0, 0, 1.0, [[start, len(doc.text)]])  # fmt: skip
    assert document_html(doc, cited).count("Ferry terminal approved") == 1
    opening = replace(cited, start=0, text=doc.text)  # a passage that opens with the headline
    assert document_html(doc, opening).count("Ferry terminal approved") == 1
    answer = replace(opening, highlights=[[0, len("Ferry terminal approved")]])
    assert document_html(doc, answer).count("Ferry terminal approved") == 2  # marked in the text
    assert "<mark>Ferry terminal approved</mark>" in document_html(doc, answer)


def _mhtml(html: str, url: str) -> bytes:
    """A page as Chrome saves it as "Webpage, Single File": MIME parts, the HTML
    quoted-printable (long lines broken by soft breaks, "=" written "=3D"), an image beside."""
    boundary = "----MultipartBoundary--x1y2z3----"
    body = quopri.encodestring(html.encode("utf-8")).decode("ascii")
    return (
        "From: <Saved by Blink>\r\n"
        f"Snapshot-Content-Location: {url}\r\n"
        "Subject: =?utf-8?Q?Caf=C3=A9_terminal?=\r\n"
        "MIME-Version: 1.0\r\n"
        f'Content-Type: multipart/related; type="text/html"; boundary="{boundary}"\r\n\r\n'
        f"--{boundary}\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        f"Content-Transfer-Encoding: quoted-printable\r\nContent-Location: {url}\r\n\r\n"
        f"{body}\r\n"
        f"--{boundary}\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Location: https://gazette.example/logo.png\r\n\r\niVBORw0KGgo=\r\n"
        f"--{boundary}--\r\n"
    ).encode("ascii")


def test_a_page_saved_as_one_mhtml_file_reads_as_the_page_with_its_address(
    tmp_path: Path,
) -> None:
    body = (
        HARBOUR.replace("terminal", "caf\u00e9 terminal")
        + " \u201cIt is a good day,\u201d she said."
    )
    html = _page("Ferry caf\u00e9 approved", body, extra="<p>" + LIBRARY * 3 + "</p>")
    saved = tmp_path / "ferry.html"
    saved.write_text(html, encoding="utf-8")
    single = tmp_path / "ferry.mhtml"
    single.write_bytes(_mhtml(html, "https://gazette.example/ferry"))
    as_page = prepare_document(read_file(saved)[0])  # type: ignore[arg-type]
    raw = read_file(single)[0]
    as_single = prepare_document(raw)  # type: ignore[arg-type]
    assert as_page is not None and as_single is not None
    assert as_single.text == as_page.text and "\u201cIt is a good day,\u201d" in as_single.text
    assert (as_single.title, as_single.author, as_single.published) == (
        as_page.title,
        as_page.author,
        as_page.published,
    )
    assert as_single.url == "https://gazette.example/ferry"
    assert offset_errors(raw.original, as_single) == []  # type: ignore[union-attr]
    (tmp_path / "empty.mhtml").write_bytes(
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nhi"
    )
    assert [s.reason for s in read_file(tmp_path / "empty.mhtml")] == [
        "no HTML page in this saved web page (.mhtml)"
    ]


def test_a_page_saved_by_safari_as_a_web_archive_reads_as_the_page_with_its_address(
    tmp_path: Path,
) -> None:
    body = HARBOUR.replace("terminal", "caf\u00e9 terminal")
    html = _page("Ferry caf\u00e9 approved", body, extra="<p>" + LIBRARY * 3 + "</p>")
    saved = tmp_path / "ferry.html"
    saved.write_text(html, encoding="utf-8")
    resource = {  # Latin-1 bytes, the charset named only by the archive
        "WebResourceData": html.encode("latin-1"),
        "WebResourceMIMEType": "text/html",
        "WebResourceTextEncodingName": "ISO-8859-1",
        "WebResourceURL": "https://gazette.example/ferry",
        "WebResourceFrameName": "",
    }
    image = {"WebResourceData": b"\x89PNG\r\n", "WebResourceMIMEType": "image/png"}
    archive = {"WebMainResource": resource, "WebSubresources": [image]}
    (tmp_path / "ferry.webarchive").write_bytes(plistlib.dumps(archive, fmt=plistlib.FMT_BINARY))
    as_page = prepare_document(read_file(saved)[0])  # type: ignore[arg-type]
    raw = read_file(tmp_path / "ferry.webarchive")[0]
    as_archive = prepare_document(raw)  # type: ignore[arg-type]
    assert as_page is not None and as_archive is not None
    assert as_archive.text == as_page.text and "caf\u00e9 terminal" in as_archive.text
    assert (as_archive.title, as_archive.published) == (as_page.title, as_page.published)
    assert as_archive.url == "https://gazette.example/ferry"
    assert offset_errors(raw.original, as_archive) == []  # type: ignore[union-attr]
    (tmp_path / "logo.webarchive").write_bytes(plistlib.dumps({"WebMainResource": image}))
    (tmp_path / "cut.webarchive").write_bytes(
        plistlib.dumps(archive, fmt=plistlib.FMT_BINARY)[:200]
    )
    assert [s.reason for s in read_file(tmp_path / "logo.webarchive")] == [
        "no HTML page in this Safari web archive (.webarchive)"
    ]
    assert [s.reason for s in read_file(tmp_path / "cut.webarchive")] == [
        "not a readable Safari web archive (.webarchive)"
    ]


def test_a_saved_pages_resource_folder_is_not_read_as_articles_unless_given(
    tmp_path: Path,
) -> None:
    """A browser's "Webpage, Complete" writes Story.html and Story_files/ with its images,
    scripts and frames (an advertisement saved as saved_resource.html)."""
    corpus = tmp_path / "saved"
    (corpus / "Story_files").mkdir(parents=True)
    (corpus / "Story.html").write_text(_page("Ferry approved", HARBOUR), encoding="utf-8")
    advert = (
        "<html><body><p>Get 50% off laptops and phones at MegaStore today only!</p></body></html>"
    )
    (corpus / "Story_files" / "saved_resource.html").write_text(advert, encoding="utf-8")
    (corpus / "Story_files" / "app.js").write_text("var a = 1;", encoding="utf-8")
    (corpus / "2024_files").mkdir()  # a folder of that name with no page beside it is read
    (corpus / "2024_files" / "library.txt").write_text(LIBRARY, encoding="utf-8")
    documents, skipped = read_documents([corpus])
    assert sorted(Path(d.source).name for d in documents) == ["Story.html", "library.txt"]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        (
            "Story_files",
            "the images, scripts and frames a browser saved with Story.html, not articles "
            "(give this folder itself to read it)",
        )
    ]
    given, _ = read_documents([corpus / "Story_files"])
    assert [Path(d.source).name for d in given] == ["saved_resource.html"]


PRINTED = Path(__file__).parent / "data" / "printed_article.pdf"  # Chromium's "Save as PDF"
# of printed_article.html beside it (headless --print-to-pdf, its date and address printed
# above and below each page), as a reader saves an article to keep it.


def test_an_article_printed_to_pdf_reads_as_its_paragraphs_headline_and_byline(
    tmp_path: Path,
) -> None:
    page = (PRINTED.parent / "printed_article.html").read_text(encoding="utf-8")
    paragraphs = [re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<p>(.*?)</p>", page)[1:]]
    raw = read_file(PRINTED)[0]
    doc = prepare_document(raw)  # type: ignore[arg-type]
    assert doc is not None
    assert (doc.title, doc.outlet, doc.author, doc.published) == (
        "Harbour board approves ferry terminal",
        "The Gazette",  # the page title's "| The Gazette"
        "Ana Lima",
        "2025-03-03",
    )
    # Each paragraph whole, its lines joined where the page wrapped them; the headline first.
    assert doc.text.split("\n\n") == ["Harbour board approves ferry terminal", *paragraphs]
    assert offset_errors(raw.original, doc) == []  # type: ignore[union-attr]
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "ferry.pdf").write_bytes(PRINTED.read_bytes())
    build_index([folder], tmp_path / "index")
    result = Searcher.load(tmp_path / "index").search("How much will the ferry terminal cost?")
    top = result.passages[0]
    marked = " ".join(doc.text[a:b] for a, b in top.highlights)
    assert not result.abstained and "40 million euros" in marked


def test_a_printed_headline_the_page_title_rewords_is_found_by_its_type() -> None:
    """An outlet often words its page title otherwise than its headline ("Ferry terminal gets
    the go-ahead from harbour board - The Gazette" over "Harbour board gives the new ferry
    terminal the go-ahead after two years"): the headline is then the paragraph set in the
    largest type that shares half its words with the title, not a larger banner ("LIVE
    COVERAGE") and not the browser's header line printing the title; the byline set just
    below it in smaller type stays a paragraph of its own."""
    raw = read_file(PRINTED.parent / "reworded_headline.pdf")[0]  # printed as PRINTED was
    doc = prepare_document(raw)  # type: ignore[arg-type]
    assert doc is not None
    headline = "Harbour board gives the new ferry terminal the go-ahead after two years"
    assert (doc.title, doc.author) == (headline, "Ana Lima")
    assert doc.text.split("\n\n")[:2] == [
        headline,
        "The harbour authority approved a new ferry terminal on Tuesday after a two-year review "
        "of its effects on the bay, the fishing fleet and the neighbourhoods along the "
        "waterfront. The terminal will cost 40 million euros and open in 2027, the authority "
        "said.",
    ]


def test_a_pdf_without_readable_text_is_skipped_with_the_reason(tmp_path: Path) -> None:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",  # a scan: no text
    ]
    (tmp_path / "scan.pdf").write_bytes(_pdf(objects))
    (tmp_path / "cut.pdf").write_bytes(PRINTED.read_bytes()[:300])
    assert [s.reason for s in read_file(tmp_path / "scan.pdf")] == [  # type: ignore[union-attr]
        "no text in this PDF (a scan needs OCR first)"
    ]
    reasons = [s.reason for s in read_file(tmp_path / "cut.pdf")]  # type: ignore[union-attr]
    assert len(reasons) == 1 and reasons[0].startswith("not a readable PDF"), reasons
    locked = PRINTED.parent / "password_protected.pdf"  # pypdf, AES-128, a user password
    assert [s.reason for s in read_file(locked)] == ["a password-protected PDF"]  # type: ignore[union-attr]


@pytest.mark.parametrize("layers", [1, 2])
def test_a_pdf_whose_streams_unpack_past_the_bound_is_skipped_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layers: int
) -> None:
    """pdfminer inflates a stream whole: a 300 KB page whose content unpacks to 300 MB took
    680 MB to read, and a 50 MB one would end the run. The streams are inflated a piece at a
    time first, through each layer of a filter listed twice; a file past the bound (200 MB,
    set small here) is skipped. An image of that size is not counted (pdfminer never unpacks
    its pixels), and the printed article reads as before under the same bound."""
    from index.ingest import pdf_text

    monkeypatch.setattr(pdf_text, "MAX_UNPACKED", 250_000)
    shown = b"BT /F1 11 Tf 72 720 Td (Ferry terminal approved) Tj ET\n" + b" " * 300_000
    packed = shown
    for _ in range(layers):
        packed = zlib.compress(packed)
    filters = b"[%s]" % b" ".join([b"/FlateDecode"] * layers)
    pixels = zlib.compress(b"\0" * 300_000)

    def page(content: bytes, kind: bytes) -> bytes:
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 6 0 R >> >> >>",
            b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(content), kind, content),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Type /XObject /Subtype /Image /Width 1000 /Height 300 /ColorSpace /DeviceGray "
            b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream"
            % (len(pixels), pixels),
        ]
        return _pdf(objects)

    (tmp_path / "bomb.pdf").write_bytes(page(packed, b"/Filter " + filters))
    assert (tmp_path / "bomb.pdf").stat().st_size < 20_000
    (skipped,) = read_file(tmp_path / "bomb.pdf")
    assert isinstance(skipped, Skipped)
    assert skipped.reason == "larger than 244 KB once unpacked"
    short = b"BT /F1 11 Tf 72 720 Td (Ferry terminal approved) Tj ET"
    (tmp_path / "photo.pdf").write_bytes(page(zlib.compress(short), b"/Filter /FlateDecode"))
    (article,) = read_file(tmp_path / "photo.pdf")
    assert isinstance(article, RawArticle) and "Ferry terminal approved" in article.original
    assert isinstance(read_file(PRINTED)[0], RawArticle)


def _pdf(objects: list[bytes], info: int | None = None) -> bytes:
    """A PDF file of these objects (numbered from 1, the catalog first), with its cross
    references; `info`: the number of the object declaring its title."""
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    size = len(objects) + 1
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % size
    xref += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    refers = b" /Info %d 0 R" % info if info else b""
    trailer = b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n"
    return body + xref + trailer % (size, refers, len(body))


@pytest.mark.parametrize("declared", ["Microsoft Word - ferry.docx", "Untitled", "Document1"])
def test_a_pdf_title_that_names_the_file_gives_way_to_the_headline(
    tmp_path: Path, declared: str
) -> None:
    """Office's printer declares "Microsoft Word - ferry.docx" as the title, an editor's blank
    one "Untitled" or "Document1": with the headline set in body type, that was the title
    every citation showed. The first line of the text is the headline instead."""
    lines = [
        "Harbour board approves ferry terminal",
        "By Ana Lima, March 3, 2025",
        "The harbour authority approved a new ferry terminal on Tuesday after a long review.",
        "The terminal will cost 40 million euros and open in 2027, the authority said.",
    ]
    shown = b"\n".join(
        b"BT /F1 11 Tf 72 %d Td (%s) Tj ET" % (720 - 24 * i, line.encode())
        for i, line in enumerate(lines)
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(shown), shown),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (%s) >>" % declared.encode(),
    ]
    path = tmp_path / "ferry.pdf"
    path.write_bytes(_pdf(objects, info=6))
    doc = prepare_document(read_file(path)[0])  # type: ignore[arg-type]
    assert doc is not None
    assert (doc.title, doc.author, doc.published) == (lines[0], "Ana Lima", "2025-03-03")
    assert doc.text.split("\n\n")[0] == lines[0]


def test_web_archive_and_feed_index_and_answer_with_their_urls(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _warc(
        corpus / "crawl.warc.gz",
        {"https://gazette.example/ferry": _page("Ferry terminal approved", HARBOUR)},
    )
    _rss(corpus / "gazette.rss")
    documents, skipped = read_documents([corpus])
    assert sorted(d.url for d in documents) == [
        "https://gazette.example/ferry",
        "https://gazette.example/library",
    ]
    assert [s.reason for s in skipped] == ["an item with no text"]
    build_index([corpus], tmp_path / "index")
    searcher = Searcher.load(tmp_path / "index")
    ferry = searcher.search("How much will the new ferry terminal cost?")
    assert not ferry.abstained
    assert ferry.passages[0].url == "https://gazette.example/ferry"
    assert "40 million euros" in ferry.passages[0].text
    library = searcher.search("How late will the city library stay open?")
    assert library.passages[0].url == "https://gazette.example/library"
    assert 'href="https://gazette.example/ferry"' in document_html(
        searcher.article(ferry.passages[0].doc_id), ferry.passages[0]
    )  # the evidence panel's "original" link
    with running_server(tmp_path / "index") as server:
        answer = httpx.post(
            f"{server}/api/search", json={"question": "ferry terminal cost"}, timeout=60
        )
        assert answer.json()["passages"][0]["url"] == "https://gazette.example/ferry"
        listed = httpx.get(f"{server}/api/documents/{library.passages[0].doc_id}", timeout=60)
        assert listed.json()["url"] == "https://gazette.example/library"
    doc = searcher.document(library.passages[0].doc_id)
    assert (doc["url"], doc["author"], doc["published"], doc["outlet"]) == (
        "https://gazette.example/library",
        "Ben Ode",
        "2025-03-03",
        "Gazette Feed",
    )


def test_a_file_that_is_not_a_feed_or_archive_is_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "notes.xml").write_text("<notes><note>hello</note></notes>", encoding="utf-8")
    (tmp_path / "broken.warc").write_bytes(b"WARC/1.0\r\nnot really\r\n")
    _, skipped = read_documents([tmp_path])
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert reasons["notes.xml"] == "not an RSS or Atom feed (no items found)"
    assert reasons["broken.warc"].startswith(("not a readable WARC file", "no HTML responses"))


def _benchmark_documents(ids: list[str], tmp_path: Path) -> dict[str, tuple[str, Document | None]]:
    out = {}
    for page_id in ids:
        page = tmp_path / f"{page_id}.html"
        page.write_bytes(gzip.decompress((BENCH / "html" / f"{page_id}.html.gz").read_bytes()))
        raw = read_file(page)[0]
        doc = prepare_document(raw) if hasattr(raw, "extracted") else None  # type: ignore[arg-type]
        out[page_id] = (raw.original if hasattr(raw, "original") else "", doc)
    return out


def test_every_benchmark_page_has_a_body_that_maps_into_its_file(tmp_path: Path) -> None:
    ground_truth = json.loads(needs_shared(BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    docs = _benchmark_documents(sorted(ground_truth), tmp_path)
    empty = [page_id for page_id, (_, doc) in docs.items() if doc is None or not doc.text.strip()]
    assert empty == []
    broken = {
        page_id: offset_errors(original, doc) for page_id, (original, doc) in docs.items() if doc
    }
    assert {page_id: errors for page_id, errors in broken.items() if errors} == {}
    assert [author_problems(doc) for _, doc in docs.values() if doc and author_problems(doc)] == []
    # No page keeps less than half its article's words (one kept only a reprint notice while
    # trafilatura's precise reading cut the article; two WIRED pages split into sibling
    # blocks kept 36% and 45%).
    thin = {
        page_id: round(share, 2)
        for page_id, (_, doc) in docs.items()
        if doc and (share := _words_kept(ground_truth[page_id]["articleBody"], doc.text)) < 0.5
    }
    assert thin == {}


@pytest.mark.parametrize(
    ("precise_words", "default_words", "taken"),
    [(20, 300, "default"), (20, 30, "precise"), (400, 900, "precise")],
)
def test_a_short_precise_body_gives_way_to_a_default_reading_twice_its_size(
    monkeypatch: pytest.MonkeyPatch, precise_words: int, default_words: int, taken: str
) -> None:
    readings = {True: precise_words, False: default_words}

    def reading(source: str, *, favor_precision: bool) -> TrafilaturaDocument:
        found = TrafilaturaDocument()
        found.text = " ".join(["word"] * readings[favor_precision])
        found.title = "precise" if favor_precision else "default"
        return found

    monkeypatch.setattr(html_article, "_bare_extraction", reading)
    found = html_article._trafilatura("<html></html>")
    assert found is not None and found.title == taken


def _split_article(blocks: list[list[str]], between: str) -> str:
    """A page whose article is cut into sibling blocks of one class, each beside an empty
    rail, with `between` them (WIRED's layout)."""
    chunks = [
        "<div class='grid'><div class='article__body'>"
        + "".join(f"<p>{p}</p>" for p in block)
        + "</div><div class='rail'></div></div>"
        for block in blocks
    ]
    return (
        "<html><head><title>Ferry terminal approved | The Gazette</title></head><body>"
        "<nav><a href='/'>Home</a></nav><article><h1>Ferry terminal approved</h1>"
        f"<div class='chunks'>{between.join(chunks)}</div></article>"
        "<footer>© The Gazette</footer></body></html>"
    )


def _sentences(topic: str, count: int) -> list[str]:
    return [
        f"Paragraph {i} about the {topic} says the authority counted {i * 7} objections "
        "to the plan before the council met again on Tuesday evening."
        for i in range(count)
    ]


@pytest.mark.parametrize("declaration", ["", '<?xml version="1.0" encoding="utf-8"?>\n'])
def test_an_article_split_into_sibling_blocks_is_read_whole(
    tmp_path: Path, declaration: str
) -> None:
    first, second = _sentences("ferry terminal", 4), _sentences("new harbour wall", 5)
    rail = "<div class='ad-rail'><p>Advertisement</p></div>"
    page = tmp_path / "split.html"
    page.write_text(declaration + _split_article([first, second], rail), encoding="utf-8")
    doc = prepare_document(read_file(page)[0])  # type: ignore[arg-type]
    assert doc is not None
    assert all(p in doc.text for p in first + second)
    assert "Advertisement" not in doc.text
    assert offset_errors(page.read_text(encoding="utf-8"), doc) == []


def test_teasers_under_a_repeated_class_are_not_joined_to_the_article() -> None:
    article = "".join(f"<p>{p}</p>" for p in _sentences("ferry terminal", 4))
    teasers = "".join(
        f"<p class='dek'>{p}</p>" for p in _sentences("unrelated story", 4)
    )  # written differently from the article's paragraphs
    page = (
        "<html><body><div class='row'>"
        f"<div class='col'>{article}</div><div class='col'>{teasers}</div>"
        "</div></body></html>"
    )
    body = "\n".join(_sentences("ferry terminal", 4))
    assert split_body.joined_body_page(page, body) is None
    joined = split_body.joined_body_page(page.replace(" class='dek'", ""), body)
    assert joined is not None and joined.count('class="col"') == 1


def _words_kept(wanted: str, text: str) -> float:
    """The share of `wanted`'s words (counted with repeats) that `text` holds."""
    want = Counter(re.findall(r"\w+", wanted.lower()))
    have = Counter(re.findall(r"\w+", text.lower()))
    return sum((want & have).values()) / max(1, sum(want.values()))


@pytest.mark.parametrize("labelled", ["pages", "held_out"])
def test_title_author_and_date_agree_with_hand_labels(labelled: str, tmp_path: Path) -> None:
    needs_shared(BENCH / "ground-truth.json")
    labels = json.loads(LABELS.read_text(encoding="utf-8"))[labelled]
    docs = _benchmark_documents([label["id"] for label in labels], tmp_path)
    figures = score(labels, {page_id: doc for page_id, (_, doc) in docs.items()})
    assert {field: f["right"] >= 0.9 for field, f in figures.items()} == {
        "title": True,
        "author": True,
        "date": True,
    }, figures


JAPANESE = (
    "先日、不正に改造したスマートフォンを販売したとして、二十代の男性が逮捕された。"
    "報道によると、販売されたのは機能制限を解除した端末だった。"
    "商標には、商品の出所を表示する機能がある。"
)
HINDI = (
    "भारत सरकार ने किसानों के लिए नई बीमा योजना की घोषणा की। "
    "योजना के तहत फसल खराब होने पर मुआवजा मिलेगा। "
    "विपक्ष ने योजना को अपर्याप्त बताया।"
)
KOREAN = (
    "서울시는 내년부터 시내버스 요금을 이백 원 인상한다고 발표했다. "
    "시는 연료비 상승으로 적자가 커졌다고 설명했다. "
    "시민단체는 요금 인상에 반대하는 서명을 모으고 있다."
)


def test_japanese_korean_and_hindi_articles_are_indexed_found_by_a_phrase_and_highlighted(
    tmp_path: Path,
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "shouhyou.txt").write_text(JAPANESE, encoding="utf-8")
    (corpus / "bus.html").write_text(_page("버스 요금 인상", KOREAN), encoding="utf-8")
    (corpus / "ferry.txt").write_text(HARBOUR, encoding="utf-8")
    (corpus / "bima.txt").write_text(HINDI, encoding="utf-8")
    build_index([corpus], tmp_path / "index")
    searcher = Searcher.load(tmp_path / "index")
    for phrase, doc_id, sentence in [
        (
            "機能制限を解除した端末",
            "shouhyou",
            "報道によると、販売されたのは機能制限を解除した端末だった。",
        ),
        (
            "버스 요금을 인상",
            "bus",
            "서울시는 내년부터 시내버스 요금을 이백 원 인상한다고 발표했다.",
        ),
    ]:
        result = searcher.search(phrase)
        assert not result.abstained, phrase
        top = result.passages[0]
        assert top.doc_id == doc_id, phrase
        (start, end), *_ = top.highlights
        assert searcher.article(doc_id).text[start:end] == sentence


def test_a_web_archive_larger_than_the_file_limit_is_read_record_by_record(tmp_path: Path) -> None:
    pages = {
        f"https://gazette.example/{n}": _page(f"Story number {n}", HARBOUR + f" Item {n}.")
        for n in range(3)
    }
    archive = _warc(tmp_path / "crawl.warc.gz", pages)
    size = archive.stat().st_size
    items = read_file(archive, max_bytes=size - 1)  # the whole file is over the limit; no record is
    assert [getattr(i, "fields", {}).get("url") for i in items] == list(pages)
    too_small = read_file(archive, max_bytes=100)  # every response is over it: each named
    assert [type(i).__name__ for i in too_small] == ["Skipped"] * 3
    assert all(i.reason.startswith("larger than") for i in too_small)  # type: ignore[union-attr]


def test_a_section_label_in_an_h1_is_not_taken_for_the_headline(tmp_path: Path) -> None:
    page = tmp_path / "deals.html"
    page.write_text(
        "<html><head><title>Ferry terminal approved - The Gazette</title>"
        '<meta property="og:site_name" content="The Gazette"></head><body>'
        "<header><h1>News</h1></header><article><h2>Ferry terminal approved</h2>"
        f"<p>{HARBOUR}</p></article></body></html>",
        encoding="utf-8",
    )
    doc = prepare_document(read_file(page)[0])  # type: ignore[arg-type]
    assert doc is not None and doc.title == "Ferry terminal approved"
    # the h2 is body text as trafilatura reads it; the h1 section label stays out
    assert doc.text == f"Ferry terminal approved\n\n{HARBOUR}"


def test_paragraphs_inside_headings_are_found_by_sorted_lookup() -> None:
    """The body's paragraphs that lie inside an h1 are set apart by looking each up in the
    sorted headings (a page of 50,000 headings took 100 s when each paragraph was tried on
    each heading): the same paragraphs as that pairwise test, nested headings included."""
    from index.ingest.html_article import _outside

    rng = random.Random(0)
    for _ in range(2000):
        headings = [(a, a + rng.randrange(30)) for a in (rng.randrange(200) for _ in range(5))]
        paragraphs = [(a, a + rng.randrange(30)) for a in (rng.randrange(200) for _ in range(8))]
        inside_none = [
            p for p in paragraphs if not any(h[0] <= p[0] and p[1] <= h[1] for h in headings)
        ]
        assert _outside(paragraphs, headings) == inside_none


@pytest.mark.parametrize(
    "tail",
    ["<!--" * 1000, '<meta property="og:title" content="' * 1000, "<p " * 1000],
    ids=["comments", "quoted-attributes", "tags"],
)
def test_markup_that_stops_closing_is_shown_as_a_browser_shows_it(tail: str) -> None:
    """Python's HTML parser rescans the rest of the page for each opening never closed: 20,000
    unclosed comments took 8 s and 20,000 open start tags in a 1 MB page 278 s. When many
    follow the last close, the page is parsed up to the first of them, which a browser shows
    nothing of; the parser printed them as text. A few openings left open, as a download cut
    off midway leaves, are parsed as before."""
    from index.ingest.html_text import visible_text
    from index.ingest.unclosed_markup import parsed_length

    story = "<html><body><h1>Ferry terminal approved</h1><p>The board said yes.</p>"
    page = story + tail
    assert parsed_length(page) == len(story)
    assert (
        visible_text(page).text.text.split()
        == "Ferry terminal approved The board said yes.".split()
    )
    cut_off = story + tail[: len(tail) // 1000 * 3]  # three openings left open
    assert parsed_length(cut_off) == len(cut_off)
    closed = story + "<!-- a note -->" * 1000 + "</body></html>"
    assert parsed_length(closed) == len(closed)
