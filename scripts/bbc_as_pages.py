"""BBC News written as saved web pages, to measure how pages are read against the same
articles as text files.

Each article's first line (its headline) goes in an <h1>, each paragraph in a <p>; around
them a site menu, a related-stories list and a footer, as a saved page has. The page's
<title> is "BBC NEWS | Section | Headline". Pages keep the article's path, so dev_bbc's
`doc` names still match:

    python scripts/bbc_as_pages.py /tmp/bbc_pages
    qa index /tmp/bbc_pages --index /tmp/bbc_pages_index
    qa eval ../shared/eval/dev_bbc.jsonl --index /tmp/bbc_pages_index --corpus /tmp/bbc_pages --modes full
"""

from __future__ import annotations

import argparse
import html
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.ingest.decoding import decode  # noqa: E402

BBC = ROOT.parent / "shared" / "bench" / "bbc_news" / "bbc"

_MENU = (
    "<header><a href='/'>BBC News</a><nav><ul><li><a href='/news'>News</a></li>"
    "<li><a href='/sport'>Sport</a></li><li><a href='/weather'>Weather</a></li></ul></nav></header>"
)
_RELATED = (
    "<aside><h2>Related stories</h2><ul><li><a href='/a'>Markets close higher</a></li>"
    "<li><a href='/b'>Weather warning for the north</a></li></ul></aside>"
)
_FOOTER = "<footer><p>© BBC MMV</p><a href='/terms'>Terms of use</a></footer>"


def as_page(text: str, section: str) -> str:
    """The article (headline line, then paragraphs split at blank lines) as an HTML page."""
    lines = text.replace("\r", "").strip().split("\n")
    headline, rest = lines[0].strip(), "\n".join(lines[1:])
    paragraphs = [p.strip() for p in rest.split("\n\n") if p.strip()]
    e = html.escape
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>BBC NEWS | {e(section.title())} | {e(headline)}</title>"
        "<meta property='og:site_name' content='BBC News'></head><body>"
        f"{_MENU}<main><article><h1>{e(headline)}</h1>"
        + "".join(f"<p>{e(p)}</p>" for p in paragraphs)
        + f"</article>{_RELATED}</main>{_FOOTER}</body></html>"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the pages into")
    parser.add_argument("--corpus", type=Path, default=BBC)
    args = parser.parse_args()
    written = 0
    for source in sorted(args.corpus.glob("*/*.txt")):
        page = as_page(decode(source.read_bytes())[0], source.parent.name)
        target = args.out / source.parent.name / f"{source.stem}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written += 1
    print(f"{written} pages in {args.out}")
    return 0 if written else 1


if __name__ == "__main__":
    raise SystemExit(main())
