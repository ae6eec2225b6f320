"""Split cleaned articles into passages and sentences and embed both, in one model pass.

Each sentence's vector is pooled from the tokens of the passage that holds most of it
(`encode_with_spans`). Encoded on their own: a quoting sentence's attribution parts, whose
point is to be read apart from the quotation; sentences no passage token covers; and every
sentence with a model that does not mean-pool.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from index.build.settings import BuildSettings
from index.encoders.loading import get_encoder
from index.encoders.pooling import TextEncoder
from index.records import Document
from index.text.passages import most_overlapped, passage_spans
from index.text.sentences import nested, sentence_units

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EmbeddedDocument:
    """One document's passages and sentences with their vectors, as stored in an index."""

    passages: np.ndarray  # (n, 2) start, end
    sentences: np.ndarray  # (m, 2) start, end
    passage_vectors: np.ndarray
    sentence_vectors: np.ndarray


# Splits and embeds the documents at the given rows: (documents, rows, settings, progress).
Embedder = Callable[
    [list[Document], list[int], BuildSettings, "bool | None"], dict[int, EmbeddedDocument]
]


class LocalEmbedder:
    """Splits and embeds in this process, with `encoder` (default: the settings' model)."""

    def __init__(self, encoder: TextEncoder | None = None) -> None:
        self.encoder = encoder

    def __call__(
        self,
        documents: list[Document],
        rows: list[int],
        settings: BuildSettings,
        progress: bool | None,
    ) -> dict[int, EmbeddedDocument]:
        texts = [documents[r].text for r in rows]
        splits = [split_document(t, settings) for t in texts]
        done = embed_split(texts, splits, settings, progress, encoder=self.encoder)
        return dict(zip(rows, done, strict=True))


def split_document(text: str, settings: BuildSettings) -> tuple[np.ndarray, np.ndarray]:
    """A cleaned article's passage spans and sentence spans (with attribution parts, see
    `sentence_units`), each int64 (n, 2): start, end."""
    passages = passage_spans(text, size=settings.chunk_size, overlap=settings.chunk_overlap)
    return (
        np.asarray(passages, dtype=np.int64).reshape(-1, 2),
        np.asarray(sentence_units(text), dtype=np.int64).reshape(-1, 2),
    )


def embed_split(
    texts: Sequence[str],
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
    settings: BuildSettings,
    progress: bool | None = False,
    *,
    encoder: TextEncoder | None = None,
) -> list[EmbeddedDocument]:
    """Vectors for split articles, from one encoder pass over the passages (module doc)."""
    passage_texts = [t[s:e] for t, (p, _) in zip(texts, splits, strict=True) for s, e in p]
    sentence_texts = [t[s:e] for t, (_, z) in zip(texts, splits, strict=True) for s, e in z]
    log.info("embedding %d passages and %d sentences", len(passage_texts), len(sentence_texts))
    encoder = encoder or get_encoder(
        settings.model, settings.precision, passages=len(passage_texts)
    )
    batch = settings.batch_size
    sentence_vectors = np.zeros((len(sentence_texts), encoder.dimension), np.float32)
    if encoder.pools_token_means:
        spans, owners = sentences_by_passage(splits)
        passage_vectors, pooled, missing = encoder.encode_with_spans(
            passage_texts, spans, batch_size=batch, progress=progress
        )
        sentence_vectors[owners] = pooled
        alone = np.setdiff1d(np.arange(len(sentence_texts)), owners[~missing])
    else:
        passage_vectors = encoder.encode(passage_texts, batch_size=batch, progress=progress)
        alone = np.arange(len(sentence_texts))
    if len(alone):
        sentence_vectors[alone] = encoder.encode(
            [sentence_texts[i] for i in alone], batch_size=batch, progress=False
        )
    out: list[EmbeddedDocument] = []
    p = z = 0
    for passages, sentences in splits:
        out.append(
            EmbeddedDocument(
                passages,
                sentences,
                passage_vectors[p : p + len(passages)],
                sentence_vectors[z : z + len(sentences)],
            )
        )
        p, z = p + len(passages), z + len(sentences)
    return out


def sentences_by_passage(
    splits: Sequence[tuple[np.ndarray, np.ndarray]],
) -> tuple[list[np.ndarray], np.ndarray]:
    """For each passage (in order over all articles), the spans of the sentences it holds the
    most of, relative to the passage and cut to it; and those sentences' numbers, in the same
    order. A sentence no passage overlaps, and an attribution part, are left out."""
    spans: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    first_sentence = 0
    for passages, sentences in splits:
        if len(passages):  # an article with no passage has its sentences encoded alone
            best, most = most_overlapped(sentences, passages)
            held = (most > 0) & ~nested(sentences)
            for j, (start, end) in enumerate(passages):
                mine = np.flatnonzero(held & (best == j))
                spans.append(np.clip(sentences[mine], start, end) - start)
                owners.append(first_sentence + mine)
        first_sentence += len(sentences)
    joined = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    return spans, joined.astype(np.int64)
