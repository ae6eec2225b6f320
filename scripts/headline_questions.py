"""Saved news pages asked their own headline: is the first highlight a question?

A headline often asks ("Will the bridge reopen before winter?"), and a page asked that
question matches it word for word. A sentence that asks does not answer, so it should not be
what the user is shown as the answer (qa/rerank/highlight.py, `choose_highlights`). The 181
real article pages of the article-extraction benchmark (../shared/bench/article_extraction/html)
are indexed as a user would index them, and each page's headline, as the index read it, is
asked through `Searcher.search`. Reported: how many first highlights are questions, and how
often the page itself is cited first.

    python scripts/headline_questions.py [--work .qa-eval]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.build.builder import build_index  # noqa: E402
from index.build.settings import BuildOptions  # noqa: E402
from qa.rerank.ranker import is_question  # noqa: E402
from qa.searcher import Searcher  # noqa: E402

PAGES = ROOT.parent / "shared" / "bench" / "article_extraction" / "html"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / ".qa-eval")
    args = parser.parse_args()
    index_dir = args.work / "article-extraction-pages"
    build_index([PAGES], index_dir, BuildOptions())  # reuses what an earlier run embedded
    searcher = Searcher.load(index_dir)
    asked = question_first = own_first = 0
    for document in searcher.stored.documents:
        if not document.title:
            continue
        result = searcher.search(document.title, k=1)
        if not result.passages:
            continue
        first = result.passages[0]
        text = searcher.article(first.doc_id).text
        asked += 1
        question_first += any(is_question(text[a:b]) for a, b in first.highlights)
        own_first += first.doc_id == document.doc_id
    print(
        json.dumps(
            {
                "pages asked their headline": asked,
                "first highlight holds a question": question_first,
                "own page cited first": own_first,
            },
            indent=1,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
