"""One benchmark step in its own process, so memory and start-up are measured per stack.

    python -m tooling.benchmark.worker STEP SPEC.json

STEP is build-reference, query-ours, query-reference, first-reference,
serve-reference, build-engine (local or Ray) or write-store (FAISS or Milvus). The result is one JSON line on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

REFERENCE_CHUNK_SIZE = 1000  # what the LangChain tutorials use
REFERENCE_CHUNK_OVERLAP = 200


class ReferenceQuestion(BaseModel):
    question: str
    k: int = 5


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _reference_embeddings() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings

    from index.config import DEFAULT_MODEL, resolve_model_path

    return HuggingFaceEmbeddings(
        model_name=resolve_model_path(DEFAULT_MODEL),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )


def _reference_store(index_dir: str) -> Any:
    from langchain_community.vectorstores import FAISS
    from langchain_community.vectorstores.utils import DistanceStrategy

    return FAISS.load_local(
        index_dir,
        _reference_embeddings(),
        allow_dangerous_deserialization=True,  # our own file, written by build-reference
        distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT,
    )


def build_engine(spec: dict[str, Any]) -> dict[str, Any]:
    """A build from scratch in this process or on a local Ray cluster (started, then stopped)."""
    from index import build_index

    started = time.perf_counter()
    report = build_index(spec["paths"], spec["index_dir"], engine=spec["engine"], progress=False)
    return {
        "seconds": time.perf_counter() - started,
        "documents": report.documents,
        "chunks": report.passages,
        "peak_rss_mb": _peak_rss_mb(),  # this process only: Ray's workers are not counted
    }


def write_store(spec: dict[str, Any]) -> dict[str, Any]:
    """Write a built index's passages and vectors to a store, timing only that."""
    from index.stores.disk import write_lock
    from index.stores.manifest import Manifest
    from index.stores.passage_store import store_settings
    from index.stores.versions import IndexData, load_index
    from index.stores.writer import write_index

    stored = load_index(Path(spec["from_index"]))
    built = stored.manifest
    data = IndexData(
        documents=stored.documents,
        passages=stored.passages,
        sentences=stored.sentences,
        passage_vectors=np.asarray(stored.passage_vectors),
        sentence_vectors=np.asarray(stored.sentence_vectors),
        manifest=Manifest(
            model=built.model,
            dimension=built.dimension,
            splitting=built.splitting,
            skipped=built.skipped,
            abstention=built.abstention,
        ),
        minhash=stored.minhash,
    )
    settings = store_settings(spec["store"]["kind"], uri=spec["store"].get("uri"))
    target = Path(spec["index_dir"])
    started = time.perf_counter()
    with write_lock(target):
        write_index(target, data, settings)
    seconds = time.perf_counter() - started
    return {
        "write_seconds": seconds,
        "passages": len(stored.passages),
        "passages_per_s": len(stored.passages) / seconds,
        "folder_mb": _disk_bytes(target) / 2**20,
    }


def build_reference(spec: dict[str, Any]) -> dict[str, Any]:
    from langchain_community.vectorstores import FAISS
    from langchain_community.vectorstores.utils import DistanceStrategy
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    texts = json.loads(Path(spec["texts_file"]).read_text(encoding="utf-8"))
    started = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=REFERENCE_CHUNK_SIZE, chunk_overlap=REFERENCE_CHUNK_OVERLAP
    )
    documents = splitter.create_documents(texts)
    store = FAISS.from_documents(
        documents, _reference_embeddings(), distance_strategy=DistanceStrategy.MAX_INNER_PRODUCT
    )
    store.save_local(spec["index_dir"])
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "documents": len(texts),
        "chunks": len(documents),
        "disk_bytes": _disk_bytes(Path(spec["index_dir"])),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _timed(ask: Any, questions: list[str]) -> dict[str, Any]:
    for q in questions[:3]:
        ask(q)  # warm-up: first calls pay for lazy initialisation
    latencies = []
    for q in questions:
        started = time.perf_counter()
        ask(q)
        latencies.append((time.perf_counter() - started) * 1000)
    return {"latencies_ms": latencies, "peak_rss_mb": _peak_rss_mb()}


def query_ours(spec: dict[str, Any]) -> dict[str, Any]:
    from qa import Searcher

    searcher = Searcher.load(spec["index_dir"])
    return _timed(lambda q: searcher.search(q, k=5), spec["questions"])


def query_reference(spec: dict[str, Any]) -> dict[str, Any]:
    store = _reference_store(spec["index_dir"])
    return _timed(lambda q: store.similarity_search(q, k=5), spec["questions"])


def first_reference(spec: dict[str, Any]) -> dict[str, Any]:
    found = _reference_store(spec["index_dir"]).similarity_search(spec["question"], k=5)
    return {"passages": len(found)}


def serve_reference(spec: dict[str, Any]) -> dict[str, Any]:
    """The reference stack behind the smallest FastAPI endpoint a tutorial would write."""
    import uvicorn
    from fastapi import FastAPI

    store = _reference_store(spec["index_dir"])
    app = FastAPI()

    @app.post("/search")
    def search(body: ReferenceQuestion) -> list[dict[str, Any]]:
        return [{"text": d.page_content} for d in store.similarity_search(body.question, k=body.k)]

    uvicorn.run(app, host="127.0.0.1", port=int(spec["port"]), log_level="warning")
    return {}


STEPS = {
    "build-reference": build_reference,
    "query-ours": query_ours,
    "query-reference": query_reference,
    "first-reference": first_reference,
    "serve-reference": serve_reference,
    "build-engine": build_engine,
    "write-store": write_store,
}


def main() -> int:
    step, spec_file = sys.argv[1], sys.argv[2]
    spec = json.loads(Path(spec_file).read_text(encoding="utf-8"))
    result = STEPS[step](spec)
    print(json.dumps(result, default=lambda v: float(v) if isinstance(v, np.floating) else str(v)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
