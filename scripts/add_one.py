"""Time adding one article to an index of about 10,000 articles, leaving out the embedding.

    python scripts/add_one.py --articles 10000 --repeat 5 --report docs/add-one.json

The corpus is real text: BBC News, then AG News, then SQuAD dev paragraphs, from
../shared/bench, up to --articles. The vectors come from a stand-in embedder that returns
random unit vectors without running the model. What is timed is everything `update_index`
does besides embedding: loading the live index, MinHash and near-duplicate detection,
reusing the stored vectors, BM25, FAISS, and writing and swapping the new version. The real
embedding of each added article is timed separately, with the packaged model.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from index import config, index_documents, read_documents, update_index  # noqa: E402
from index.build.builder import BuildSettings, EmbeddedDocument, embed_split, split_document  # noqa: E402
from index.records import Document  # noqa: E402
from index.stores.passage_store import StoreSettings  # noqa: E402
from tooling.benchmark import corpora  # noqa: E402

DIMENSION = 384


def random_embedder(
    documents: list[Document], rows: list[int], settings: BuildSettings, progress: bool | None
) -> dict[int, EmbeddedDocument]:
    rng = np.random.default_rng(len(rows))
    out = {}
    for r in rows:
        chunks, sentences = split_document(documents[r].text, settings)
        out[r] = EmbeddedDocument(
            chunks, sentences, _unit(rng, len(chunks)), _unit(rng, len(sentences))
        )
    return out


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    vectors = rng.normal(size=(n, DIMENSION)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def corpus_paths(shared: Path, work: Path) -> list[str]:
    paths = corpora.load("bbc", shared, work).paths + corpora.load("ag", shared, work).paths
    squad = json.loads((shared / "bench" / "squad_dev" / "dev-v1.1.json").read_text())
    records = [
        {"id": f"squad-{a}-{p}", "title": article["title"], "text": paragraph["context"]}
        for a, article in enumerate(squad["data"])
        for p, paragraph in enumerate(article["paragraphs"])
    ]
    squad_file = work / "squad.jsonl"
    squad_file.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return [*paths, str(squad_file)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--report", help="write the figures here as JSON")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="qa-add-one-"))
    documents, _ = read_documents(corpus_paths(Path(args.shared), work))
    base, extra = documents[: args.articles], documents[args.articles : args.articles + args.repeat]
    if len(base) < args.articles or len(extra) < args.repeat:
        raise SystemExit(f"only {len(documents)} articles available")
    index_dir = work / "index"
    built = index_documents(base, index_dir, embedder=random_embedder, progress=False)
    print(f"index: {built.documents} articles, {built.chunks} passages", file=sys.stderr)
    settings = BuildSettings(
        config.DEFAULT_MODEL, 500, 100, 32, StoreSettings(), config.precision()
    )
    timings = []
    for doc in extra:
        started = time.perf_counter()
        report = update_index(index_dir, add=[doc], embedder=random_embedder)
        beyond = time.perf_counter() - started
        started = time.perf_counter()  # what embed_here does for one article
        embed_split([doc.text], [split_document(doc.text, settings)], settings)
        embedding = time.perf_counter() - started
        timings.append({"beyond_embedding_s": beyond, "embedding_s": embedding})
        print(
            f"{report.documents} articles: {beyond:.2f} s beyond embedding, embedding {embedding:.2f} s",
            file=sys.stderr,
        )
    result = {
        "articles": built.documents,
        "passages": built.chunks,
        "adds": timings,
        "median_beyond_embedding_s": float(np.median([t["beyond_embedding_s"] for t in timings])),
    }
    print(json.dumps(result, indent=2))
    if args.report:
        Path(args.report).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
