"""The model through sentence-transformers (PyTorch): the reference every other runtime is
checked against, and the runtime for bfloat16 and for models ONNX cannot serve faithfully."""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from index.config import DEFAULT_BATCH_SIZE, resolve_model_path
from index.encoders.pooling import PROGRESS_FROM, SpanPool, batches_by_length, unit
from index.errors import QAError

log = logging.getLogger(__name__)


class Encoder:
    """A sentence-transformers model loaded from disk, never from a hub.

    `precision` is "float32" or "bfloat16" (the model then runs under bfloat16 autocast, fast
    on CPUs with AMX tiles, and on AMD ones with AVX-512 BF16); index/encoders/loading.py
    decides "auto".
    """

    def __init__(self, name: str, precision: str = "float32") -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # "Loading weights" bars on every start

        self.name = name
        self.precision = precision
        self.model = SentenceTransformer(resolve_model_path(name), device="cpu")
        get_dim = getattr(self.model, "get_embedding_dimension", None) or (
            self.model.get_sentence_embedding_dimension
        )
        dimension = get_dim()
        if dimension is None:
            raise QAError(f"Model {name!r} does not declare its embedding size.")
        self.dimension = int(dimension)

    def encode(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: bool | None = None,
    ) -> np.ndarray:
        """float32 array (len(texts), dimension), rows L2-normalised so dot product = cosine."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        show = len(texts) >= PROGRESS_FROM if progress is None else progress
        with self._autocast():
            vectors = self.model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show,
            )
        return unit(np.asarray(vectors, dtype=np.float32))

    @property
    def pools_token_means(self) -> bool:
        """Whether a text's vector is the mean of its token embeddings (then normalised), so
        that a span's vector can be pooled the same way from the tokens inside it."""
        modules = [type(m).__name__ for m in self.model]
        pooling = getattr(self.model[1], "pooling_mode", None) if len(modules) > 1 else None
        return modules[:2] == ["Transformer", "Pooling"] and pooling == "mean"

    def encode_with_spans(
        self,
        texts: Sequence[str],
        spans: Sequence[np.ndarray],
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        progress: bool | None = None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Vectors of `texts`, and of character spans inside them, from one pass of the model.

        `spans[i]` is an int (k, 2) array of start, end offsets into `texts[i]`. A span's vector
        is the mean of the token embeddings that lie inside it, normalised: the model's own
        pooling, over part of the text, with the rest of the text as context (only for models
        where `pools_token_means`). Returns the text vectors, the span vectors in the order
        given, and a mask of spans holding no token (cut off by the model's window), whose
        rows are zero.
        """
        import torch

        pool = SpanPool(spans, self.dimension)
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        with torch.inference_mode(), self._autocast():
            for rows in batches_by_length(texts, batch_size, progress):
                encoded = self.model.tokenizer(
                    [texts[i] for i in rows],
                    padding=True,
                    truncation=True,
                    max_length=self.model.max_seq_length,
                    return_offsets_mapping=True,
                    return_tensors="pt",
                )
                offsets = np.asarray(encoded.pop("offset_mapping"))
                out = self.model(dict(encoded))
                vectors[rows] = out["sentence_embedding"].float().numpy()
                tokens = out["token_embeddings"].float().numpy()
                pool.add(rows, tokens, offsets)
        span_vectors, missing = pool.vectors()
        return unit(vectors), span_vectors, missing

    def _autocast(self) -> contextlib.AbstractContextManager:
        if self.precision != "bfloat16":
            return contextlib.nullcontext()
        import torch

        return torch.autocast("cpu", dtype=torch.bfloat16)


@lru_cache(maxsize=4)
def torch_encoder(name: str, precision: str = "float32") -> Encoder:
    """One loaded PyTorch model per name and precision per process: loading costs seconds."""
    log.info("loading embedding model %s under PyTorch (%s)", name, precision)
    return Encoder(name, precision)
