"""Downloads from news databases (LexisNexis, Nexis Uni, Factiva): many articles in one file,
each read as an article of its own with the fields its header declares. The fixtures in
tests/data/exports/ follow each service's layout with invented stories."""

from __future__ import annotations

import html
from pathlib import Path

import docx
import pytest

from index.ingest.files import read_file
from index.ingest.prepare import read_documents
from index.ingest.raw import RawArticle, Skipped
from tooling.offset_check import offset_errors

EXPORTS = Path(__file__).parent / "data" / "exports"
BRIDGE_BODY = (
    "The Harbourview council approved the Kettlewell bridge repairs on Friday",
    "paid from the transport budget.",
)
FERRY_BODY = (
    "The ferry to the islands will run every forty minutes from April",
    "Night crossings end at midnight instead of one o'clock.",
)


def _nexis_docx(folder: Path) -> Path:
    """Nexis Uni's Word download: one paragraph per line of the fixture, cover page first."""
    document = docx.Document()
    for line in (EXPORTS / "nexis_uni_paragraphs.txt").read_text().splitlines():
        document.add_paragraph(line)
    document.save(folder / "nexis.docx")
    return folder / "nexis.docx"


def _as_page(folder: Path, fixture: str) -> Path:
    """A download saved as a web page: each line of the fixture a paragraph element."""
    lines = (EXPORTS / fixture).read_text().splitlines()
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines if line.strip())
    page = folder / f"{Path(fixture).stem}.html"
    page.write_text(f"<html><head><title>Download</title></head><body>{paragraphs}</body></html>")
    return page


def _factiva_rtf(folder: Path) -> Path:
    """Factiva's Rich Text download: each line of the fixture a paragraph."""
    lines = (EXPORTS / "factiva.txt").read_text().splitlines()
    escaped = (line.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}") for line in lines)
    body = "\\par\n".join(escaped)
    (folder / "factiva.rtf").write_text(f"{{\\rtf1\\ansi\\ansicpg1252\\deff0 {body}\\par}}")
    return folder / "factiva.rtf"


@pytest.mark.parametrize(
    ("name", "bridge_title", "ferry_author"),
    [
        (
            "lexis.txt",
            "Council approves the Kettlewell bridge repairs after a year of delays",
            "Ken Adeyemi",
        ),
        ("nexis.docx", "Council approves the Kettlewell bridge repairs", None),
        ("nexis_uni_paragraphs.txt", "Council approves the Kettlewell bridge repairs", None),
        # Chromium's print of nexis_uni_paragraphs.txt, a <p> a line, a page after each article
        ("nexis_uni.pdf", "Council approves the Kettlewell bridge repairs", None),
        ("factiva.txt", "Council approves the Kettlewell bridge repairs", None),
        ("factiva.rtf", "Council approves the Kettlewell bridge repairs", None),
        (
            "lexis.html",
            "Council approves the Kettlewell bridge repairs after a year of delays",
            "Ken Adeyemi",
        ),
        ("nexis_uni_paragraphs.html", "Council approves the Kettlewell bridge repairs", None),
        ("factiva.html", "Council approves the Kettlewell bridge repairs", None),
    ],
)
def test_each_article_of_a_news_database_download_is_read_with_its_fields(
    tmp_path: Path, name: str, bridge_title: str, ferry_author: str | None
) -> None:
    """Read as one text, such a file was one article: the first story's headline over both,
    the fields ("LENGTH: 96 words", "Load-Date: ...") read as its prose, one date for both."""
    written = {"nexis.docx": _nexis_docx, "factiva.rtf": _factiva_rtf}
    if name.endswith(".html"):
        path = _as_page(tmp_path, name.replace(".html", ".txt"))
    else:
        path = written[name](tmp_path) if name in written else EXPORTS / name
    documents, skipped = read_documents([path])
    assert skipped == []
    bridge, ferry = documents
    assert [d.source for d in documents] == [f"{path}#1", f"{path}#2"]
    assert (bridge.title, bridge.outlet, bridge.author, bridge.published) == (
        bridge_title,
        "The Harbour Gazette",
        "Maria Olsen",
        "2018-03-03",
    )
    assert (ferry.title, ferry.outlet, ferry.author, ferry.published) == (
        "Ferry timetable changes for spring",
        "Valley Courier",
        ferry_author,
        "2018-03-05",
    )
    for doc, (opening, ending) in ((bridge, BRIDGE_BODY), (ferry, FERRY_BODY)):
        headline, body = doc.text.split("\n\n", 1)
        assert " ".join(headline.split()) == doc.title  # the text opens with its headline
        assert body.startswith(opening) and body.endswith(ending)  # no field, no copyright
    for raw, doc in zip(read_file(path), documents, strict=True):
        assert isinstance(raw, RawArticle)
        assert offset_errors(raw.original, doc) == []


def test_what_surrounds_the_articles_is_not_an_article(tmp_path: Path) -> None:
    """LexisNexis's download request, Nexis Uni's cover page and Factiva's search summary
    and top lines are not stories: no article holds them."""
    for path, words in (
        (EXPORTS / "lexis.txt", "Download Request"),
        (_nexis_docx(tmp_path), "Search Terms"),
        (EXPORTS / "factiva.txt", "Search Summary"),
        (EXPORTS / "factiva.txt", "Dow Jones"),  # a printed download's top lines
    ):
        articles = read_file(path)
        assert len(articles) == 2
        assert not [a for a in articles if words in a.original]  # type: ignore[union-attr]


def test_an_article_without_its_header_is_kept_whole(tmp_path: Path) -> None:
    """A part of the download whose header cannot be read (a graphic's entry, a layout this
    reader does not know) is still an article: nothing is dropped."""
    lexis = (EXPORTS / "lexis.txt").read_text()
    odd = "\n\n                               3 of 3 DOCUMENTS\n\nA picture of the new ferry.\n"
    path = tmp_path / "three.txt"
    path.write_text(lexis + odd)
    documents, skipped = read_documents([path])
    assert skipped == []
    assert [d.source for d in documents] == [f"{path}#{n}" for n in (1, 2, 3)]
    assert documents[2].text == "A picture of the new ferry."


def test_a_story_that_names_the_markers_is_one_article(tmp_path: Path) -> None:
    """The markers count only with the header each service writes: a story that ends on
    "End of Document" or lists "1 of 2 documents" is one article."""
    path = tmp_path / "story.txt"
    path.write_text(
        "Archive opens its records\n\n1 of 2 DOCUMENTS\n\nThe city archive opened its "
        "records on Monday, the keeper said.\n\nEnd of Document\n"
    )
    [article] = read_file(path)
    assert isinstance(article, RawArticle)
    assert article.source == str(path)


def test_a_lexisnexis_download_in_german_is_read_by_its_layout(tmp_path: Path) -> None:
    """LexisNexis writes its marks and fields in the language of the account: the blocks of
    outlet, date and headline are read by their place, whatever the date's language. A
    download of one article is named as its file is."""
    path = tmp_path / "presse.txt"
    path.write_text(
        "\n                              Dokument 1 von 1\n\n\n"
        "                              Hafenzeitung\n\n"
        "                         3. März 2018 Samstag\n\n"
        "Rat genehmigt die Reparatur der Brücke\n\n"
        "AUTOR: Maria Olsen\n\nLÄNGE: 24 Wörter\n\n"
        "Der Rat hat am Freitag die Reparatur der Brücke genehmigt. Die Arbeiten dauern sechs "
        "Wochen.\n\nSPRACHE: GERMAN\n\n                    Copyright 2018 Hafenzeitung\n"
    )
    [doc], skipped = read_documents([path])
    assert skipped == []
    # One article: named as its file is, not "presse.txt#1"
    assert (doc.source, doc.doc_id, doc.title, doc.outlet, doc.author, doc.published) == (
        str(path),
        "presse",
        "Rat genehmigt die Reparatur der Brücke",
        "Hafenzeitung",
        "Maria Olsen",
        "2018-03-03",
    )
    assert doc.text.endswith("Die Arbeiten dauern sechs Wochen.")


@pytest.mark.parametrize(
    ("date_line", "published"),
    [("12 januari 2020 zondag", "2020-01-12"), ("12 stycznia 2020", None)],
)
def test_a_nexis_uni_article_dated_in_another_language_keeps_its_headline_and_outlet(
    tmp_path: Path, date_line: str, published: str | None
) -> None:
    """The date line is found by its place and year when it does not read as a date (no
    Polish month is known), so headline and outlet are still told apart."""
    path = tmp_path / "kranten.txt"
    path.write_text(
        f"Gemeente keurt reparatie van de brug goed\nHavenkrant\n{date_line}\n"
        "Copyright 2020 Havenkrant\nSection: Binnenland; Blz. 3\nLength: 18 words\n"
        "Byline: Maria Olsen\nBody:\nDe gemeente heeft de reparatie van de brug goedgekeurd. "
        "De werken duren zes weken.\nLoad-Date: 13 januari 2020\nEnd of Document\n"
    )
    [doc], skipped = read_documents([path])
    assert skipped == []
    assert (doc.title, doc.outlet, doc.author, doc.published) == (
        "Gemeente keurt reparatie van de brug goed",
        "Havenkrant",
        "Maria Olsen",
        published,
    )
    assert doc.text.endswith("De werken duren zes weken.")


NITF = """<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.6//EN" "http://www.nitf.org/IPTC/NITF/3.6/nitf-3-6.dtd">
<nitf version="-//IPTC//DTD NITF 3.6//EN">
  <head>
    <title>Harbour board approves ferry terminal</title>
    <docdata><doc-id id-string="GAZ-2025-0303-001"/><date.issue norm="20250303T091500Z"/></docdata>
    <pubdata type="web" name="The Gazette"/>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Harbour board approves ferry terminal</hl1></hedline>
      <byline>By <person>Ana Lima</person></byline>
      <dateline><location>Porto</location>, March 3</dateline>
    </body.head>
    <body.content>
      <p>The harbour authority approved a new ferry terminal on Tuesday after a review by
      Jos&#233; M&uuml;ller's office.</p>
      <p>The terminal will cost 40 million euros and open in 2027, the authority said.</p>
    </body.content>
  </body>
</nitf>
"""

NEWSML = """<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/">
  <header><sent>2025-03-04T08:00:00Z</sent></header>
  <itemSet>
    <newsItem guid="urn:newsml:wire.example:20250304:ferry" version="1">
      <itemMeta><versionCreated>2025-03-04T07:30:00Z</versionCreated></itemMeta>
      <contentMeta>
        <headline>Ferry terminal wins approval</headline>
        <by>By Tom Reyes</by>
        <slugline>PORTUGAL-FERRY</slugline>
      </contentMeta>
      <rightsInfo><copyrightHolder literal="Wire Example"/></rightsInfo>
      <contentSet>
        <inlineXML contenttype="application/xhtml+xml">
          <html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title></head><body>
            <p>Porto's harbour board approved the ferry terminal, officials said on Tuesday.</p>
            <p>Work starts in the autumn.</p>
          </body></html>
        </inlineXML>
      </contentSet>
    </newsItem>
    <newsItem guid="urn:newsml:wire.example:20250304:library" version="1">
      <contentMeta><headline>Library hours</headline></contentMeta>
      <contentSet><remoteContent href="https://wire.example/library.jpg"/></contentSet>
    </newsItem>
  </itemSet>
</newsMessage>
"""


NEWSML_1 = """<?xml version="1.0" encoding="UTF-8"?>
<NewsML Version="1.2">
  <NewsEnvelope><DateAndTime>20250305T101500+0000</DateAndTime></NewsEnvelope>
  <NewsItem>
    <Identification><NewsIdentifier><NewsItemId>BRIDGE-0305</NewsItemId></NewsIdentifier></Identification>
    <NewsManagement><FirstCreated>20250305T100000+0000</FirstCreated></NewsManagement>
    <NewsComponent>
      <NewsLines>
        <HeadLine>Old bridge to reopen in May</HeadLine>
        <ByLine>By Jo Park</ByLine>
      </NewsLines>
      <AdministrativeMetadata><Provider><Party FormalName="Wire Example"/></Provider></AdministrativeMetadata>
      <ContentItem>
        <MediaType FormalName="Text"/>
        <DataContent><p>The old bridge over the estuary will reopen in May after repairs.</p></DataContent>
      </ContentItem>
    </NewsComponent>
  </NewsItem>
</NewsML>
"""


def test_wire_stories_in_nitf_and_newsml_g2_read_with_their_fields(tmp_path: Path) -> None:
    """News agencies and newsroom systems deliver stories as IPTC's NITF or NewsML XML;
    a .xml file of either was skipped as "not an RSS or Atom feed". Each story reads as its
    headline and paragraphs, in the encoding its declaration names, with the byline, date,
    publisher and id the standard gives; a message's items are articles of their own, and
    an item with no text (a picture) is skipped by its place."""
    (tmp_path / "story.xml").write_bytes(NITF.encode("latin-1"))
    (tmp_path / "wire.xml").write_text(NEWSML, encoding="utf-8")
    documents, skipped = read_documents([tmp_path])
    by_name = {Path(d.source).name: d for d in documents}
    nitf = by_name["story.xml"]
    assert nitf.doc_id == "GAZ-2025-0303-001"  # the id the story carries
    assert (nitf.title, nitf.author, nitf.published, nitf.outlet) == (
        "Harbour board approves ferry terminal",
        "Ana Lima",
        "2025-03-03",
        "The Gazette",
    )
    assert nitf.text.split("\n\n") == [
        "Harbour board approves ferry terminal",
        "The harbour authority approved a new ferry terminal on Tuesday after a review by "
        "José Müller's office.",
        "The terminal will cost 40 million euros and open in 2027, the authority said.",
    ]
    wire = by_name["wire.xml#1"]
    assert wire.doc_id.startswith("urn-newsml-wire.example-20250304-ferry")
    assert (wire.title, wire.author, wire.published, wire.outlet) == (
        "Ferry terminal wins approval",
        "Tom Reyes",
        "2025-03-04",
        "Wire Example",
    )
    assert wire.text.split("\n\n") == [
        "Ferry terminal wins approval",
        "Porto's harbour board approved the ferry terminal, officials said on Tuesday.",
        "Work starts in the autumn.",
    ]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        ("wire.xml#2", "no story text in this news item (no <body>, <inlineXML> or <DataContent>)")
    ]
    (tmp_path / "archive.xml").write_text(NEWSML_1, encoding="utf-8")  # NewsML 1, older wires
    (old,) = read_documents([tmp_path / "archive.xml"])[0]
    assert (old.doc_id, old.title, old.author, old.published, old.outlet) == (
        "BRIDGE-0305",
        "Old bridge to reopen in May",
        "Jo Park",
        "2025-03-05",
        "Wire Example",
    )
    assert old.text.split("\n\n") == [
        "Old bridge to reopen in May",
        "The old bridge over the estuary will reopen in May after repairs.",
    ]
    for name, doc in (("story.xml", nitf), ("wire.xml", wire), ("archive.xml", old)):
        (raw,) = [r for r in read_file(tmp_path / name) if isinstance(r, RawArticle)]
        assert offset_errors(raw.original, doc) == []


ENEX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export4.dtd">
<en-export export-date="20250306T120000Z" application="Evernote" version="10.0">
  <note>
    <title>Ferry terminal approved &amp; funded</title>
    <created>20250303T091500Z</created>
    <note-attributes>
      <author>Ana Lima</author>
      <source-url>https://gazette.example/ferry</source-url>
    </note-attributes>
    <content><![CDATA[<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!DOCTYPE en-note SYSTEM "http://xml.evernote.com/pub/enml2.dtd">
<en-note><div><h1>Ferry terminal approved</h1></div><div>The harbour authority approved a
new ferry terminal on Tuesday after a two-year review.</div><div><en-media hash="ab12" type="image/png"/></div>
<div>The terminal will cost 40&nbsp;million euros, the authority said.</div></en-note>]]></content>
    <resource><data encoding="base64">iVBORw0KGgo=</data><mime>image/png</mime></resource>
  </note>
  <note>
    <title>Empty clip</title>
    <created>20250304T091500Z</created>
    <content><![CDATA[<en-note></en-note>]]></content>
  </note>
</en-export>
"""


def test_clippings_exported_from_evernote_read_as_their_notes(tmp_path: Path) -> None:
    """Readers clip articles into Evernote and export a notebook as .enex: each note is an
    article, its clipped text read as a page's, the note's title as its title, with the date
    it was clipped, its author and the address it came from; a note with no text is named."""
    (tmp_path / "Clippings.enex").write_text(ENEX, encoding="utf-8")
    documents, skipped = read_documents([tmp_path])
    (clip,) = documents
    assert Path(clip.source).name == "Clippings.enex#1"
    assert (clip.title, clip.author, clip.published, clip.url) == (
        "Ferry terminal approved & funded",
        "Ana Lima",
        "2025-03-03",
        "https://gazette.example/ferry",
    )
    assert clip.text.split("\n\n") == [
        "Ferry terminal approved",
        "The harbour authority approved a new ferry terminal on Tuesday after a two-year review.",
        "The terminal will cost 40\u00a0million euros, the authority said.",
    ]
    assert [(Path(s.source).name, s.reason) for s in skipped] == [
        ("Clippings.enex#2", "a note with no text")
    ]
    (raw,) = [r for r in read_file(tmp_path / "Clippings.enex") if isinstance(r, RawArticle)]
    assert offset_errors(raw.original, clip) == []
    # An export carries its clips' pictures and passes any one article's limit: it is read
    # note by note, whatever its lines, and only a note over the limit is skipped.
    picture = "<resource><data>" + "iVBORw0KGgo" * 2000 + "</data></resource>"
    one_line = ENEX.replace("\n", " ").replace("<resource>", picture + "<resource>")
    (tmp_path / "Clippings.enex").write_text(one_line * 2, encoding="utf-8")
    read = read_file(tmp_path / "Clippings.enex", max_bytes=10_000)
    assert [(Path(i.source).name, type(i).__name__) for i in read] == [
        ("Clippings.enex#1", "Skipped"),
        ("Clippings.enex#2", "Skipped"),
        ("Clippings.enex#3", "Skipped"),
        ("Clippings.enex#4", "Skipped"),
    ]
    assert [i.reason for i in read] == ["a note larger than 9 KB", "a note with no text"] * 2  # type: ignore[union-attr]
    whole = read_file(tmp_path / "Clippings.enex", max_bytes=100_000)
    assert [type(i).__name__ for i in whole] == ["RawArticle", "Skipped"] * 2
    # A clip's own markup is CDATA: a "</note>" in it does not end the note.
    inner = ENEX.replace("<div>The terminal", "<div>Its </note> is here.</div><div>The terminal")
    (tmp_path / "Clippings.enex").write_text(inner, encoding="utf-8")
    (first, second) = read_file(tmp_path / "Clippings.enex")
    assert isinstance(first, RawArticle) and "Its </note> is here." in first.original
    assert isinstance(second, Skipped) and second.reason == "a note with no text"
