"""The stack most tutorials show, scored on the same questions: `qa eval ... --reference`.

Each file of the corpus is read whole, as a tutorial's TextLoader would, cut by LangChain's
`RecursiveCharacterTextSplitter(1000, 200)`, embedded with the same model through
`langchain_huggingface` and searched with `langchain_community`'s FAISS (inner product over
unit vectors). It has no conversation and never abstains, so each question is asked alone
and every answer is shown. A chunk is a hit under the same rule as ours: from an article
the answer names, holding the answer string. The store is built once into the work folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from index.errors import QAError
from index.ingest.decoding import decode
from index.ingest.files import iter_files
from tooling.evaluation.as_user import Judged, document_names
from tooling.evaluation.datasets import QuestionSet
from tooling.evaluation.runner import index_tag

CHUNK_SIZE, CHUNK_OVERLAP = 1000, 200  # what the LangChain tutorials use
K = 10


def reference_judged(qset: QuestionSet, corpus: Sequence[str], work_dir: Path) -> list[Judged]:
    """Each question's outcome on the reference stack, judged as ours are."""
    store = _store(corpus, work_dir / index_tag(qset, "reference"))
    judged = []
    for q in qset.questions:
        found = store.similarity_search(q.text, k=K)
        rank = None
        for position, chunk in enumerate(found, start=1):
            names = document_names("", chunk.metadata["source"], ())
            if any(doc in names and s in chunk.page_content for doc, s in q.contains):
                rank = position
                break
        judged.append(Judged(q.qid, q.kind, q.answerable, False, rank, None, q.text, 1.0))
    return judged


def _store(corpus: Sequence[str], folder: Path) -> Any:
    try:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from langchain_community.vectorstores import FAISS
        from langchain_community.vectorstores.utils import DistanceStrategy
        from langchain_huggingface import HuggingFaceEmbeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter
    except ImportError as exc:
        raise QAError(
            f"--reference needs LangChain's FAISS and HuggingFace packages ({exc}). "
            "Install them with: pip install 'newsqa[eval]'"
        ) from None
    from index.config import DEFAULT_MODEL, resolve_model_path

    embeddings = HuggingFaceEmbeddings(
        model_name=resolve_model_path(DEFAULT_MODEL),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )
    strategy = DistanceStrategy.MAX_INNER_PRODUCT
    if (folder / "index.faiss").is_file():
        return FAISS.load_local(
            str(folder),
            embeddings,
            allow_dangerous_deserialization=True,
            distance_strategy=strategy,
        )  # our own file, written below
    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    texts, sources = [], []
    for path in iter_files(corpus):
        try:
            text, _ = decode(path.read_bytes())
        except OSError:
            continue
        if text.strip():
            texts.append(text)
            sources.append({"source": str(path)})
    store = FAISS.from_documents(
        splitter.create_documents(texts, metadatas=sources), embeddings, distance_strategy=strategy
    )
    store.save_local(str(folder))
    return store
