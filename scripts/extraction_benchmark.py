"""Article extraction as a user gets it: the Zyte article-extraction benchmark's pages through
`qa index` and `Searcher.document(doc_id)["text"]`, scored by the benchmark's own evaluate.py,
beside trafilatura run on the same pages. The benchmark's articleBody leaves the headline out
(it is the title), so the headline paragraph our text opens with is not scored; the text as
indexed, headline and all, is scored too.

    python scripts/extraction_benchmark.py [--bench ../shared/bench/article_extraction] [--pdf]
                                           [--out docs/bench/extraction]

Also checks, on every page and for each file written from it, that each character of the
cleaned text maps back into the file (tooling.offset_check), and counts pages left empty or
skipped.

The same pages saved as a text file (inscriptis, a browser-like rendering) and as Markdown
(markdownify) are cleaned as `qa index` cleans .txt and .md files (`read_documents`: the
same ingest, without embedding) and scored too: what a user who saved pages as text gets.
With `--pdf`, each page is also printed to PDF by Chromium (/usr/bin/chromium,
its --print-to-pdf, which prints the date, title, address and page numbers around each page
as "Save as PDF" does; scripts taken out, so that the page prints as saved) and
read as `qa index` reads a .pdf. A page Chromium does not print within 90 seconds, or whose
letters no font on this machine has (its PDF then holds glyphs that map to no letter), is
listed apart and left out of that row.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import trafilatura
from inscriptis import get_text
from markdownify import markdownify

from index import read_documents
from index.errors import InvalidInputError
from index.ingest.decoding import decode
from index.ingest.pdf_text import FONTS_WITHOUT_LETTERS
from index.records import Document
from qa.searcher import Searcher
from tooling.chromium import CHROMIUM, CHROMIUM_ARGS
from tooling.offset_check import offset_errors

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "article_extraction"


def unpack_pages(bench: Path, pages: Path) -> dict[str, str]:
    """Each `html/<id>.html.gz` as `<pages>/<id>.html`; the decoded text by id."""
    pages.mkdir(parents=True)
    texts = {}
    for packed in sorted((bench / "html").glob("*.html.gz")):
        page_id = packed.name.removesuffix(".html.gz")
        data = gzip.decompress(packed.read_bytes())
        (pages / f"{page_id}.html").write_bytes(data)
        texts[page_id] = decode(data)[0]
    return texts


def index_pages(pages: Path, index_dir: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "qa.cli",
        "index",
        str(pages),
        "--index",
        str(index_dir),
        "--json",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"qa index failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def our_texts(
    index_dir: Path, texts: dict[str, str]
) -> tuple[dict[str, str], dict[str, str], dict[str, list[str]]]:
    """By page id: the text as indexed (empty when the page was not indexed), its body (the
    text less the headline paragraph that opens it, which the benchmark's articleBody leaves
    out as the title) and offset errors."""
    searcher = Searcher.load(index_dir)
    indexed: dict[str, str] = {}
    bodies: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for page_id, original in texts.items():
        try:
            doc = searcher.article(page_id)
        except InvalidInputError:
            indexed[page_id] = bodies[page_id] = ""
            continue
        indexed[page_id] = searcher.document(page_id)["text"]
        bodies[page_id] = _body(doc)
        if found := offset_errors(original, doc):
            errors[page_id] = found
    return indexed, bodies, errors


def saved_as(
    texts: dict[str, str], folder: Path, suffix: str, convert: Any, errors: dict[str, list[str]]
) -> dict[str, str]:
    """Each page converted to plain text or Markdown, written as `<folder>/<id><suffix>` and
    cleaned as that file; by page id, its body (less a headline paragraph, as above). Offset
    errors are added to `errors` under `<id><suffix>`."""
    folder.mkdir(parents=True)
    saved = {page_id: convert(html) for page_id, html in texts.items()}
    for page_id, text in saved.items():
        (folder / f"{page_id}{suffix}").write_text(text, encoding="utf-8")
    documents, _ = read_documents([folder])
    bodies = dict.fromkeys(texts, "")
    for doc in documents:
        page_id = Path(doc.source).stem
        bodies[page_id] = _body(doc)
        if found := offset_errors(saved[page_id], doc):
            errors[f"{page_id}{suffix}"] = found
    return bodies


def printed_as_pdf(pages: Path, folder: Path) -> dict[str, str | None]:
    """Each `<pages>/<id>.html`, its scripts taken out, printed by Chromium to
    `<folder>/<id>.pdf` and read back as `qa index` reads it; by page id, its body, or None
    where Chromium did not print it in 90 seconds or this machine has no font for the page's
    letters."""
    folder.mkdir(parents=True)
    quiet = folder / "pages"
    quiet.mkdir()
    for html in sorted(pages.glob("*.html")):
        data = re.sub(rb"<script\b.*?</script\s*>", b"", html.read_bytes(), flags=re.S | re.I)
        (quiet / html.name).write_bytes(re.sub(rb"<meta[^>]+refresh[^>]*>", b"", data, flags=re.I))

    def print_one(html: Path) -> None:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
            command = [
                CHROMIUM,
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={folder / html.with_suffix('.pdf').name}",
                html.as_uri(),
            ]
            browser = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            try:
                browser.wait(timeout=90)
            except subprocess.TimeoutExpired:  # the page is reported as not printed
                os.killpg(browser.pid, signal.SIGKILL)
                browser.wait()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(print_one, sorted(quiet.glob("*.html"))))
    documents, skipped = read_documents([folder], exclude=["*/pages/*"])
    printed = {pdf.stem for pdf in folder.glob("*.pdf")}
    bodies: dict[str, str | None] = {
        html.stem: "" if html.stem in printed else None for html in pages.glob("*.html")
    }
    for doc in documents:
        bodies[Path(doc.source).stem] = _body(doc)
    for item in skipped:
        if item.reason == FONTS_WITHOUT_LETTERS:
            bodies[Path(item.source).stem] = None
    return bodies


def _body(doc: Document) -> str:
    """The text less an opening paragraph that is the title (whitespace folded): the
    benchmark's articleBody leaves the headline out."""
    first, _, rest = doc.text.partition("\n\n")
    return rest if doc.title and " ".join(first.split()) == doc.title else doc.text


def score(
    bench: Path, outputs: dict[str, dict[str, str]], work: Path, folder: str = "scoring"
) -> dict[str, Any]:
    """evaluate.py's figures for each named output, run in a copy of the benchmark folder
    whose ground truth holds the pages the outputs name."""
    scoring = work / folder
    (scoring / "output").mkdir(parents=True)
    shutil.copy(bench / "evaluate.py", scoring / "evaluate.py")
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    named = next(iter(outputs.values())).keys()
    kept = {page_id: truth[page_id] for page_id in named}
    (scoring / "ground-truth.json").write_text(json.dumps(kept), encoding="utf-8")
    for name, bodies in outputs.items():
        prediction = {page_id: {"articleBody": body} for page_id, body in bodies.items()}
        (scoring / "output" / f"{name}.json").write_text(json.dumps(prediction), encoding="utf-8")
    command = [sys.executable, "evaluate.py", "--n-bootstrap", "200", "--output", "results.json"]
    subprocess.run(command, cwd=scoring, check=True, capture_output=True)
    results = json.loads((scoring / "results.json").read_text(encoding="utf-8"))
    for figures in results.values():
        per_page = figures.pop("tp_fp_fns")
        figures["page_f1"] = [_f1(*counts) for counts in per_page]
    return results


def _f1(tp: float, fp: float, fn: float) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def run(bench: Path, pdf: bool = False) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        texts = unpack_pages(bench, work / "pages")
        build = index_pages(work / "pages", work / "index")
        indexed, ours, errors = our_texts(work / "index", texts)
        theirs = {
            page_id: trafilatura.extract(text, include_comments=False) or ""
            for page_id, text in texts.items()
        }
        outputs = {
            "newsqa": ours,
            "trafilatura": theirs,
            "newsqa_indexed": indexed,
            "newsqa_as_text": saved_as(texts, work / "as_text", ".txt", get_text, errors),
            "newsqa_as_markdown": saved_as(texts, work / "as_markdown", ".md", markdownify, errors),
        }
        results = score(bench, outputs, work)
        printed = printed_as_pdf(work / "pages", work / "as_pdf") if pdf else {}
        readable = {page_id: body for page_id, body in printed.items() if body is not None}
        if readable:
            results |= score(bench, {"newsqa_as_pdf": readable}, work, "scoring_pdf")
    ids = sorted(texts)
    mine, other = results["newsqa"]["page_f1"], results["trafilatura"]["page_f1"]
    return {
        "pages": len(texts),
        "skipped": build.get("skipped", []),
        "empty": [page_id for page_id in ids if not ours[page_id].strip()],
        "offset_errors": errors,
        "wins": sum(a > b + 1e-9 for a, b in zip(mine, other, strict=True)),
        "losses": sum(b > a + 1e-9 for a, b in zip(mine, other, strict=True)),
        "trafilatura_version": trafilatura.__version__,
        "pdf_pages": len(readable),
        "pdf_pages_not_printed_or_without_fonts": sorted(set(printed) - set(readable)),
        "scores": {
            name: {k: figures[k] for k in ("f1", "f1_std", "precision", "recall", "accuracy")}
            for name, figures in results.items()
        },
    }


def table(report: dict[str, Any]) -> str:
    rows = ["| | F1 | precision | recall | empty pages |", "|---|---|---|---|---|"]
    names = {
        "newsqa": "this project (qa index + Searcher.document), body",
        "trafilatura": f"trafilatura {report['trafilatura_version']}, same pages",
        "newsqa_indexed": "this project, text as indexed (headline paragraph first)",
        "newsqa_as_text": "this project, the pages saved as text (inscriptis), body",
        "newsqa_as_markdown": "this project, the pages saved as Markdown (markdownify), body",
        "newsqa_as_pdf": f"this project, the pages printed to PDF (Chromium), body: "
        f"{report['pdf_pages']} pages",
    }
    for name, label in names.items():
        if name not in report["scores"]:
            continue
        figures = report["scores"][name]
        empty = len(report["empty"]) if name == "newsqa" else "-"
        rows.append(
            f"| {label} | {figures['f1']:.3f} ± {figures['f1_std']:.3f} "
            f"| {figures['precision']:.3f} | {figures['recall']:.3f} | {empty} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--out", type=Path, help="write report.json and table.md here")
    parser.add_argument("--pdf", action="store_true", help="also print each page to PDF")
    args = parser.parse_args()
    if not (args.bench / "ground-truth.json").is_file():
        print(f"no benchmark at {args.bench} (ground-truth.json missing)", file=sys.stderr)
        return 2
    report = run(args.bench, pdf=args.pdf)
    print(table(report))
    print(
        f"pages {report['pages']}, skipped {len(report['skipped'])}, empty {len(report['empty'])}, "
        f"pages with offset errors {len(report['offset_errors'])}, "
        f"better than trafilatura on {report['wins']}, worse on {report['losses']}"
    )
    for page_id, found in list(report["offset_errors"].items())[:5]:
        print(f"  offsets {page_id}: {found[0]}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        (args.out / "table.md").write_text(table(report) + "\n", encoding="utf-8")
    return 0 if not report["empty"] and not report["offset_errors"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
